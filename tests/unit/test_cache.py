"""The encrypted offline cache on its own: storage, offline list semantics, full text, keys,
encryption at rest, attachment budget, purging, migrations and a full disk."""

from __future__ import annotations

import json
import threading
from datetime import date, datetime, timezone

import pytest
import sqlcipher3

from caseviewer.core.cache import fts_rows, schema as cache_schema
from caseviewer.core.query import CasePage, CaseQuery, SearchField, SortField
from caseviewer.core.cache import (
    SYNC_DONE,
    SYNC_FAILED,
    SYNC_LIST_ONLY,
    CaseCache,
    cache_path,
    delete_cache_files,
    safe_profile_name,
)
from caseviewer.core.errors import CacheError
from caseviewer.core.models import CaseRecord
from caseviewer.core.paths import cache_dir
from caseviewer.demo.data import DemoData
from tests.conftest_demo import FakeClock
from tests.unit.test_cache_support import (
    cache_all_pages,
    database_files,
    make_api,
    new_key,
    open_cache,
)

DATA = DemoData(cases=60, seed=5)
ALL = CaseQuery(paginate=False)  # every cached record


def demo_detail(index: int) -> dict:
    return DATA.detail(DATA.case_id(index))


def cached_indices(cache: CaseCache, indices) -> list[int]:
    """Put the details of the given demo indices (those the detail service knows)."""
    stored = []
    with cache.transaction():
        for index in indices:
            raw = demo_detail(index)
            if raw is not None:
                cache.put_detail(raw, DATA.list_record(index))
                stored.append(index)
    return stored


# --------------------------------------------------------------------------------------------
# Details and records
# --------------------------------------------------------------------------------------------


def test_a_detail_comes_back_as_it_was_stored_with_its_attachment_bodies():
    raw = demo_detail(0)  # the "rich" case: attachments everywhere, inline base64
    with open_cache() as cache:
        cache.put_detail(raw, DATA.list_record(0))
        found = cache.get_detail(raw["id"])
        assert found is not None
        assert found.detail.raw == raw
        assert found.detail.id == raw["id"]
        assert found.fetched_at.tzinfo is not None
        # The bodies were moved out of the detail row into the budgeted attachments table.
        assert cache.attachment_bytes() > 0
        by_email = cache.get_detail(email=raw["submitter"]["email"].upper())
        assert by_email is not None and by_email.detail.id == raw["id"]
        record, _ = cache.get_record(raw["id"])
        assert record.business_name == DATA.business_name(0)


def test_put_detail_leaves_the_callers_document_alone():
    raw = demo_detail(0)
    before = json.dumps(raw, sort_keys=True)
    with open_cache() as cache:
        cache.put_detail(raw)
    assert json.dumps(raw, sort_keys=True) == before


def test_without_keep_bodies_the_detail_lists_attachments_but_carries_no_bodies():
    raw = demo_detail(0)
    with open_cache() as cache:
        cache.put_detail(raw, keep_bodies=False)
        detail = cache.get_detail(raw["id"]).detail
        attachments = detail.all_attachments()
        assert attachments and all(a.content is None for _, a in attachments)
        assert cache.attachment_bytes() == 0


def test_unknown_case_is_none():
    with open_cache() as cache:
        assert cache.get_detail("nope") is None
        assert cache.get_detail(email="nobody@example.test") is None
        assert cache.get_record("nope") is None


# --------------------------------------------------------------------------------------------
# The cached list answers like the list service
# --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def listed(demo_service, tmp_path_factory):
    """The shared 1,000-case demo list cached once for this module (its own file)."""
    key = new_key()
    cache = CaseCache(key=key, path=tmp_path_factory.mktemp("listed") / "listed.db")
    api = make_api(demo_service)
    cache_all_pages(api, cache, demo_service.customer_id)
    yield api, cache, demo_service.customer_id
    cache.close()
    api.close()


QUERIES = [
    CaseQuery(),
    CaseQuery(descending=False),
    CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=False),
    CaseQuery(sort_field=SortField.BUSINESS_NAME, descending=True, page=3),
    CaseQuery(statuses=(4, 9, 12)),
    CaseQuery(search="clinic"),
    CaseQuery(search="AVERY", search_fields=(SearchField.FIRST_NAME, SearchField.LAST_NAME)),
    CaseQuery(search="ash", search_fields=(SearchField.LAST_NAME, SearchField.BUSINESS_NAME), sort_field=SortField.BUSINESS_NAME),
    CaseQuery(created_from=date(2024, 1, 1), created_to=date(2024, 6, 30), statuses=(1, 2, 3, 4, 5, 6, 7)),
    CaseQuery(created_from=datetime(2024, 3, 1, 12, tzinfo=timezone.utc), created_to=datetime(2024, 9, 1, 8, 30, tzinfo=timezone.utc), descending=False, items_per_page=7, page=2),
    CaseQuery(search="zzz-nothing-matches"),
]


@pytest.mark.parametrize("query", QUERIES, ids=lambda q: "&".join(f"{k}={v}" for k, v in q.params()))
def test_offline_list_search_sort_filter_matches_the_service(listed, query):
    api, cache, customer_id = listed
    online = api.list.list_cases(query)
    offline = cache.list_for_query(customer_id, query)
    assert offline.total == online.total_items
    assert [r.id for r in offline.records] == [r.id for r in online.records]
    assert [r.model_dump() for r in offline.records] == [r.model_dump() for r in online.records]


def test_the_same_case_from_two_pages_is_listed_once(listed):
    api, cache, customer_id = listed
    before = cache.list_for_query(customer_id, ALL).total
    # The same records again, produced by another query: updated, not duplicated.
    cache.put_list_page(customer_id, api.list.list_cases(CaseQuery(sort_field=SortField.BUSINESS_NAME, items_per_page=50)))
    assert cache.list_for_query(customer_id, ALL).total == before == 1000


def test_records_of_another_customer_stay_apart(listed):
    _, cache, _ = listed
    assert cache.list_for_query("another-customer", ALL).total == 0
    assert not cache.has_list("another-customer")


# --------------------------------------------------------------------------------------------
# Full text
# --------------------------------------------------------------------------------------------


def test_full_text_finds_a_case_by_any_word_in_it():
    with open_cache() as cache:
        stored = cached_indices(cache, range(20))
        target = next(i for i in stored[1:] if demo_detail(i)["comments"] and demo_detail(i)["decisions"])
        raw = demo_detail(target)
        comment_word = raw["comments"][0]["text"].split()[-1].strip(".")
        medicine = next(m["medicine"] for d in raw["decisions"] for m in d["medInfo"])
        email = raw["submitter"]["email"]
        business = DATA.business_name(target)
        for query in (comment_word, comment_word.upper(), medicine, email, business, raw["submitter"]["lastName"]):
            hits = cache.search_text(query, limit=100)
            assert raw["id"] in {h.case_id for h in hits}, query
            assert all(h.snippet for h in hits)
        # Every hit really contains the word (no false positives).
        for hit in cache.search_text(medicine, limit=100):
            assert medicine.lower() in json.dumps(cache.get_detail(hit.case_id).detail.raw).lower()


def test_full_text_words_are_anded_and_prefixes_match():
    with open_cache() as cache:
        stored = cached_indices(cache, range(10))
        raw = demo_detail(stored[0])
        first, last = raw["submitter"]["firstName"], raw["submitter"]["lastName"]
        ids = {h.case_id for h in cache.search_text(f"{first[:3]} {last}")}
        assert raw["id"] in ids
        assert all(
            first.lower()[:3] in json.dumps(cache.get_detail(i).detail.raw).lower() for i in ids
        )
        assert cache.search_text(f"{last} qqqqqq-no-such-word") == []


@pytest.mark.parametrize("query", ['"', "AND", "NEAR(", "a:b", "-x", "*", "", "   ", "'; DROP TABLE details; --"])
def test_full_text_query_syntax_from_the_user_is_never_an_error(query):
    with open_cache() as cache:
        cached_indices(cache, range(3))
        assert isinstance(cache.search_text(query), list)
        assert cache.detail_count() == 3


def test_cases_known_only_from_the_list_are_found_by_business_name(listed):
    _, cache, customer_id = listed
    record = cache.list_for_query(customer_id, CaseQuery(items_per_page=1)).records[0]
    hits = cache.search_text(record.business_name.split()[0] + " " + record.business_name.split()[1])
    assert record.id in {h.case_id for h in hits}


# --------------------------------------------------------------------------------------------
# Keys and encryption at rest
# --------------------------------------------------------------------------------------------


def test_nothing_readable_on_disk(tmp_path):
    key = new_key()
    cache = open_cache(key)
    stored = cached_indices(cache, range(40))
    page_records = [DATA.list_record(i) for i in range(40)]
    page = CasePage(CaseQuery(items_per_page=40), [CaseRecord.model_validate(r) for r in page_records], 1, 40,
                    raw={"data": {"records": page_records}})
    cache.put_list_page("customer", page)
    cache.put_attachment("loose", b"Examplex 10 mg plain attachment body", case_id=DATA.case_id(stored[0]))

    medicines = {m for d in map(demo_detail, stored) for dec in d["decisions"] for m in (x["medicine"] for x in dec["medInfo"])}
    needles = [DATA.business_name(stored[3]), DATA.email(stored[3]), *medicines, "Patient reports", "Examplex"]
    # The words really are in the cache (so not finding them on disk means something).
    assert cache.search_text(DATA.business_name(stored[3]))
    assert all(cache.search_text(m) for m in medicines)

    def assert_no_plaintext():
        files = database_files(cache.path)
        assert cache.path.name in files
        for name, content in files.items():
            for needle in needles:
                for encoding in ("utf-8", "utf-16-le"):
                    assert needle.encode(encoding) not in content, f"{needle!r} readable in {name}"
        # Nothing else was written beside the database (no temp files with bodies).
        others = {p.name for p in cache_dir().iterdir()} - set(files)
        assert not others

    assert (cache.path.with_name(cache.path.name + "-wal")).exists()  # the WAL is checked too
    assert_no_plaintext()
    cache.purge_older_than(-1)  # deletes everything: freed pages are zeroed, not left readable
    assert_no_plaintext()
    cache.close()
    assert_no_plaintext()


def test_database_header_is_not_sqlite_plaintext():
    with open_cache() as cache:
        cached_indices(cache, range(2))
        header = cache.path.read_bytes()[:16]
    assert header != b"SQLite format 3\x00"


def test_a_wrong_key_is_reported_and_the_file_is_left_exactly_as_it_was():
    key = new_key()
    with open_cache(key) as cache:
        stored = cached_indices(cache, range(5))
    path = cache_path("test")
    before = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in cache_dir().iterdir()}

    with pytest.raises(CacheError) as caught:
        CaseCache("test", new_key())
    message = str(caught.value)
    assert "cannot be opened with the stored key" in message
    assert "Clear cache" in message
    assert key.hex() not in message

    after = {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in cache_dir().iterdir()}
    assert after == before

    with CaseCache("test", key) as cache:  # the right key still opens it, data intact
        assert cache.get_detail(DATA.case_id(stored[0])) is not None

    # Recovery is explicit: remove the files, then a new cache starts empty.
    assert delete_cache_files("test")
    assert not path.exists()
    with CaseCache("test", new_key()) as cache:
        assert cache.detail_count() == 0


def test_a_file_that_is_not_a_cache_is_not_touched(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"not a database at all" * 100)
    with pytest.raises(CacheError):
        CaseCache(key=new_key(), path=path)
    assert path.read_bytes() == b"not a database at all" * 100


@pytest.mark.parametrize("key", [b"", b"short", b"x" * 33, "0" * 32])
def test_a_key_must_be_32_bytes(key):
    with pytest.raises(CacheError):
        CaseCache("test", key)


def test_profile_names_become_safe_distinct_file_names():
    names = ["work", "../../etc/passwd", "a/b", "a_b", "CON", "Zoë", ""]
    safe = [safe_profile_name(n) for n in names]
    assert len(set(safe)) == len(safe)
    assert all("/" not in s and "\\" not in s and not s.startswith(".") and s for s in safe)
    assert safe_profile_name("work") == "work"
    assert cache_path("../x").parent == cache_dir()


# --------------------------------------------------------------------------------------------
# Attachments within a budget
# --------------------------------------------------------------------------------------------


def test_attachments_over_budget_evict_the_least_recently_used():
    clock = FakeClock()
    with open_cache(attachment_budget=1000, clock=clock) as cache:
        for name in ("a", "b", "c"):
            assert cache.put_attachment(name, name.encode() * 300, case_id="case")
            clock.advance(1)
        assert cache.get_attachment("a") == b"a" * 300  # "a" is now the most recently used
        clock.advance(1)
        assert cache.put_attachment("d", b"d" * 300)
        assert not cache.has_attachment("b")
        assert all(cache.has_attachment(n) for n in ("a", "c", "d"))
        assert cache.attachment_bytes() == 900

        # Larger than the whole budget: refused, and nothing else is evicted for it.
        assert not cache.put_attachment("huge", b"x" * 1001)
        assert cache.attachment_bytes() == 900 and not cache.has_attachment("huge")


def test_a_detail_whose_bodies_were_evicted_still_opens():
    raw = demo_detail(0)
    with open_cache(attachment_budget=10_000) as cache:
        cache.put_detail(raw)
        detail = cache.get_detail(raw["id"]).detail
        with_content = [a for _, a in detail.all_attachments() if a.content is not None]
        without = [a for _, a in detail.all_attachments() if a.content is None]
        assert without  # the big ones did not fit
        assert cache.attachment_bytes() <= 10_000
        assert len(with_content) + len(without) == len(detail.all_attachments())


# --------------------------------------------------------------------------------------------
# Purge, clear, sync state
# --------------------------------------------------------------------------------------------


def test_purge_removes_what_was_not_refreshed_for_n_days():
    clock = FakeClock()
    with open_cache(clock=clock) as cache:
        old = cached_indices(cache, range(0, 4))
        cache.put_attachment("old-body", b"1" * 10, case_id=DATA.case_id(old[0]))
        cache.mark_synced("cust", [(DATA.case_id(i), SYNC_DONE, "") for i in old])
        clock.advance(10 * 86400)
        fresh = cached_indices(cache, range(4, 8))
        old_email = demo_detail(old[1])["submitter"]["email"]

        assert cache.purge_older_than(7) == len(old)
        assert all(cache.get_detail(DATA.case_id(i)) is None for i in old)
        assert all(cache.get_detail(DATA.case_id(i)) is not None for i in fresh)
        assert not cache.has_attachment("old-body")
        assert cache.synced_case_ids("cust") == set()
        assert cache.search_text(old_email) == []
        assert cache.search_text(demo_detail(fresh[0])["submitter"]["email"])


def test_clear_empties_the_cache_but_keeps_it_usable():
    with open_cache() as cache:
        cached_indices(cache, range(5))
        cache.put_attachment("x", b"body")
        cache.clear()
        assert cache.detail_count() == 0 and cache.attachment_bytes() == 0
        assert cache.search_text(DATA.business_name(0)) == []
        cached_indices(cache, range(1))
        assert cache.detail_count() == 1


def test_sync_state_records_done_list_only_and_failed():
    with open_cache() as cache:
        cache.mark_synced("cust", [("a", SYNC_DONE, ""), ("b", SYNC_LIST_ONLY, ""), ("c", SYNC_FAILED, "HTTP 500")])
        assert cache.synced_case_ids("cust") == {"a", "b"}
        assert cache.sync_counts("cust") == {SYNC_DONE: 1, SYNC_LIST_ONLY: 1, SYNC_FAILED: 1}
        assert cache.synced_case_ids("other") == set()
        cache.reset_sync("cust")
        assert cache.synced_case_ids("cust") == set()


def test_a_transaction_commits_all_or_nothing():
    with open_cache() as cache:
        with pytest.raises(RuntimeError):
            with cache.transaction():
                cached_indices(cache, range(3))  # nested: joins the outer transaction
                cache.mark_synced("cust", [("a", SYNC_DONE, "")])
                raise RuntimeError("boom")
        assert cache.detail_count() == 0
        assert cache.synced_case_ids("cust") == set()


# --------------------------------------------------------------------------------------------
# Schema versions
# --------------------------------------------------------------------------------------------


def _raw_connection(path, key: bytes):
    conn = sqlcipher3.connect(str(path), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def test_an_older_cache_is_migrated_in_place_and_keeps_its_cases():
    key = new_key()
    path = cache_path("test")
    raw = demo_detail(4)
    conn = _raw_connection(path, key)
    assert cache_schema.migrate(conn, target=1) == 1
    conn.execute(
        "INSERT INTO details (case_id, email, cached_at, record, raw) VALUES (?,?,?,?,?)",
        (raw["id"], raw["submitter"]["email"], 1.0, json.dumps(DATA.list_record(4)), json.dumps(raw)),
    )
    conn.close()

    with CaseCache("test", key) as cache:
        assert cache.schema_version() == cache_schema.SCHEMA_VERSION >= 3
        assert cache.get_detail(raw["id"]).detail.raw == raw
        # Version 2 built the full-text index from what version 1 had cached.
        assert raw["id"] in {h.case_id for h in cache.search_text(raw["submitter"]["email"])}
    with CaseCache("test", key) as cache:  # opening again migrates nothing
        assert cache.schema_version() == cache_schema.SCHEMA_VERSION


def test_a_version_2_index_is_rebuilt_with_prefix_indexes_and_keeps_every_case():
    """Version 3 recreates the FTS table (prefix indexes, rank, secure-delete) from its text."""
    key = new_key()
    path = cache_path("test")
    conn = _raw_connection(path, key)
    assert cache_schema.migrate(conn, target=2) == 2
    raws = [demo_detail(i) for i in range(6) if demo_detail(i) is not None]
    for raw in raws:
        conn.execute(
            "INSERT INTO details (case_id, email, cached_at, record, raw) VALUES (?,?,?,?,?)",
            (raw["id"], raw["submitter"]["email"], 1.0, None, json.dumps(raw)),
        )
        fts_rows.reindex_case(conn, raw["id"])
    conn.close()
    with CaseCache("test", key) as cache:
        assert cache.schema_version() == cache_schema.SCHEMA_VERSION
        for raw in raws:
            assert raw["id"] in {h.case_id for h in cache.search_text(raw["submitter"]["email"])}
        sql = cache.db.connection().execute("SELECT sql FROM sqlite_master WHERE name = 'case_fts'").fetchone()[0]
        assert "prefix" in sql
        config = dict(cache.db.connection().execute("SELECT k, v FROM case_fts_config").fetchall())
        assert config.get("secure-delete") == 1 and "bm25" in config.get("rank", "")


def test_version_8_keeps_the_cases_synced_before_as_synced_by_their_stored_list_records():
    """Cases a v7 sync finished get the fingerprint of their stored list record, so the first
    re-sync after the upgrade skips them rather than fetching every case again."""
    from caseviewer.core.cache import record_fingerprint
    from caseviewer.core.cache.rows import JSON

    key = new_key()
    conn = _raw_connection(cache_path("test"), key)
    assert cache_schema.migrate(conn, target=7) == 7
    done, failed = DATA.list_record(4), DATA.list_record(5)
    for record, state in ((done, "done"), (failed, "failed")):
        conn.execute(
            "INSERT INTO list_records (customer_id, case_id, query_key, position, fetched_at, raw) "
            "VALUES ('cust', ?, '', 0, 1.0, ?)", (record["id"], JSON.encode(record)))
        conn.execute("INSERT INTO sync_state VALUES ('cust', ?, ?, '', 1.0)", (record["id"], state))
        conn.execute("INSERT INTO details (case_id, cached_at, raw) VALUES (?, 1.0, '{}')", (record["id"],))
    conn.close()
    with CaseCache("test", key) as cache:
        assert cache.synced_fingerprints("cust") == {done["id"]: record_fingerprint(done)}  # a failed one is retried


def test_version_10_counts_the_cases_cached_before_it():
    """An upgraded cache starts with the kept list counts of the records it already holds,
    per customer and status (a case without a status counted apart from status 0)."""
    from caseviewer.core.cache import list_view
    from caseviewer.core.cache.rows import JSON

    key = new_key()
    conn = _raw_connection(cache_path("test"), key)
    assert cache_schema.migrate(conn, target=9) == 9
    for index, (customer, status) in enumerate([("a", 4), ("a", 4), ("a", None), ("a", 0), ("b", 4)]):
        record = DATA.list_record(index)
        conn.execute(
            "INSERT INTO list_records (customer_id, case_id, query_key, position, fetched_at, status_id, raw) "
            "VALUES (?, ?, '', 0, 1.0, ?, ?)", (customer, record["id"], status, JSON.encode(record)))
    conn.close()
    with CaseCache("test", key) as cache:
        with cache.reading() as conn:
            def count(customer, *statuses):
                return list_view.count_matching(conn, customer, CaseQuery(statuses=statuses))
            assert (count("a"), count("a", 4), count("a", 0), count("a", 4, 0), count("b"), count("b", 0)) \
                == (4, 2, 1, 3, 1, 0)


def test_a_superseded_search_is_interrupted(monkeypatch):
    """The worker's cancel event stops a running query (SQLite's progress handler)."""
    from caseviewer.core.errors import Cancelled

    monkeypatch.setattr("caseviewer.core.cache.text_index.PROGRESS_STEPS", 1)  # look at the event at every step
    with open_cache() as cache:
        cached_indices(cache, range(10))
        cancel = threading.Event()
        cancel.set()
        with pytest.raises(Cancelled):
            cache.search_text("a", cancel=cancel)
        assert cache.search_text("a")  # the connection is fine afterwards


def test_a_cache_from_a_newer_version_is_refused_and_left_alone():
    key = new_key()
    with open_cache(key) as cache:
        cached_indices(cache, range(2))
    conn = _raw_connection(cache_path("test"), key)
    conn.execute("INSERT INTO schema_version VALUES (99, 0)")
    conn.close()
    before = database_files(cache_path("test"))
    with pytest.raises(CacheError, match="newer caseviewer"):
        CaseCache("test", key)
    assert database_files(cache_path("test")) == before


# --------------------------------------------------------------------------------------------
# A full disk, threads
# --------------------------------------------------------------------------------------------


def test_a_full_disk_is_a_cache_error_and_loses_nothing_already_cached():
    key = new_key()
    with open_cache(key) as cache:
        kept = cached_indices(cache, range(3))
    size = cache_path("test").stat().st_size  # closed: the WAL is folded back into the file
    with open_cache(key, max_size_bytes=size + 64 * 1024) as cache:
        with pytest.raises(CacheError, match="full"):
            cached_indices(cache, range(3, 60))
        assert cache.detail_count() == len(kept)  # the failed batch rolled back entirely
        assert all(cache.get_detail(DATA.case_id(i)) is not None for i in kept)
        assert cache.search_text(DATA.email(kept[0]))
    with open_cache(key) as cache:  # room again: the same cache takes writes
        assert cache.detail_count() == len(kept)
        cached_indices(cache, range(3, 10))
        assert cache.detail_count() > len(kept)


def test_reads_on_many_threads_beside_a_writer():
    with open_cache() as cache:
        stored = cached_indices(cache, range(10))
        problems: list[BaseException] = []
        start = threading.Barrier(5)

        def reader():
            try:
                start.wait()
                for _ in range(20):
                    for index in stored:
                        assert cache.get_detail(DATA.case_id(index)) is not None
            except BaseException as exc:  # noqa: BLE001 - reported below
                problems.append(exc)

        threads = [threading.Thread(target=reader) for _ in range(4)]
        for thread in threads:
            thread.start()
        start.wait()
        cached_indices(cache, range(10, 40))
        for thread in threads:
            thread.join()
        assert not problems
        assert cache.detail_count() >= 30


def test_a_closed_cache_says_so():
    cache = open_cache()
    cache.close()
    cache.close()
    with pytest.raises(CacheError, match="closed"):
        cache.get_detail("x")


def test_inline_bodies_are_decoded_by_the_one_strict_decoder():
    import base64

    body = bytes(range(256)) * 4  # decodes to '+' and '/' in the standard alphabet
    raw = {"id": "b64-case", "attachments": [
        {"id": "a-urlsafe", "fileName": "x.bin", "content": base64.urlsafe_b64encode(body).decode()},
        {"id": "a-junk", "fileName": "y.bin", "content": "iVBORw0KGgo$$$not-base64!!"},
    ]}
    with open_cache() as cache:
        cache.put_detail(raw)
        # The URL-safe body is read as such (a lenient decoder skipped '-' and '_': other bytes).
        assert cache.get_attachment("a-urlsafe") == body
        # A body that is not base64 stays inline, exactly as sent, rather than stored as garbage.
        assert not cache.has_attachment("a-junk")
        found = cache.get_detail("b64-case").detail
        junk = next(a for _, a in found.all_attachments() if a.id == "a-junk")
        assert junk.content == "iVBORw0KGgo$$$not-base64!!"
