"""Opening a connection (core/session.py) and the cache chores beside the repository
(core/cache_service.py), against the demo service over loopback and a real SQLCipher cache."""

from __future__ import annotations

import pytest

from caseviewer.core import cache_service, errors
from caseviewer.core.api import CaseApi
from caseviewer.core.connection import ConnectionSettings, Secrets
from caseviewer.core.query import CaseQuery
from caseviewer.core.repository import CaseRepository
from caseviewer.core.session import Session, open_session


def demo_settings(svc, **extra) -> tuple[ConnectionSettings, Secrets]:
    settings = ConnectionSettings(name=extra.pop("name", "work"), list_url=svc.list_url, auth_url=svc.auth_url,
                                  customer_id=svc.customer_id, detail_url=svc.detail_url, **extra)
    return settings, Secrets(list_token=svc.list_token, detail_key=svc.detail_key)


def test_a_profile_session_says_what_the_window_shows(fresh_demo):
    session = open_session(*demo_settings(fresh_demo, page_size=25, environment="STAGING"))
    try:
        assert session.repository.has_cache and session.cache_unavailable_reason == ""
        assert (session.label, session.profile_name, session.page_size) == ("work", "work", 25)
        assert session.repository.access_log is not None
    finally:
        session.repository.close()


def test_the_demo_session_is_no_profile_and_stops_what_was_started(fresh_demo):
    stopped: list[str] = []
    session = open_session(*demo_settings(fresh_demo, name="Demo"), label="Demo service", unsaved_name="Demo")
    session.on_stop += [lambda: stopped.append("first"), lambda: stopped.append("second")]
    try:
        assert (session.label, session.profile_name, session.page_size) == ("Demo service", "", None)
    finally:
        session.repository.close()
    session.stop()
    session.stop()  # once only
    assert stopped == ["second", "first"]


def test_a_flags_only_session_is_labelled_by_its_endpoint():
    session = Session(CaseRepository(CaseApi()), ConnectionSettings(list_url="https://list.example"))
    assert (session.label, session.profile_name) == ("https://list.example", "")


def test_the_cache_chores_sync_index_search_purge_and_clear(fresh_demo):
    session = open_session(*demo_settings(fresh_demo))
    repository = session.repository
    try:
        progress: list[tuple[int, int, int]] = []
        report = cache_service.sync_cases(repository, progress=lambda *p: progress.append(p))
        assert report.ok and report.total == 50 and progress[-1][:2] == (50, 50)
        assert cache_service.build_search_index(repository) > 0  # the sync queued its index rows
        assert cache_service.build_search_index(repository) == 0  # nothing left queued
        case_id = repository.list_page(CaseQuery()).records[0].id
        assert repository.cache.get_record(case_id) is not None
        size = cache_service.cache_size(repository)
        assert size and size > 0
        assert cache_service.purge_cache(repository, 0) == (0, None)  # 0 days: never
        assert cache_service.purge_cache(repository, 3650)[0] == 0  # all fresh
        assert cache_service.clear_cache(repository) is not None
        assert repository.cache.get_record(case_id) is None
    finally:
        repository.close()


def test_without_a_cache_the_chores_answer_nothing_and_sync_says_why():
    repository = CaseRepository(CaseApi())
    assert not repository.has_cache
    assert cache_service.cache_size(repository) is None
    assert cache_service.clear_cache(repository) is None
    assert cache_service.purge_cache(repository, 30) == (0, None)
    assert cache_service.build_search_index(repository) == 0
    with pytest.raises(errors.ConfigError, match="offline cache"):
        cache_service.sync_cases(repository)
