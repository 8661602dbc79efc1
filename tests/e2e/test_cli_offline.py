"""``caseviewer show`` reads from the encrypted cache when the service is gone or with --offline."""

from __future__ import annotations

import json

from caseviewer import cli
from caseviewer.core import errors


def connection_flags(svc) -> list[str]:
    return ["--list-url", svc.list_url, "--detail-url", svc.detail_url, "--customer-id", svc.customer_id]


def test_show_falls_back_to_the_cache_when_the_service_is_gone(fresh_demo, monkeypatch, capsys):
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", fresh_demo.list_token)
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", fresh_demo.detail_key)
    flags = connection_flags(fresh_demo)
    case_id = fresh_demo.data.case_ids()[0]
    assert cli.main(["show", case_id, "--json", *flags]) == 0
    online = json.loads(capsys.readouterr().out)

    fresh_demo.stop()
    assert cli.main(["show", case_id, "--json", "--offline", *flags]) == 0
    assert json.loads(capsys.readouterr().out)["id"] == online["id"]
    assert cli.main(["show", case_id, *flags]) == 0  # unreachable -> cached copy, and it says so
    assert "offline cache" in capsys.readouterr().out

    never_seen = fresh_demo.data.case_ids()[1]
    assert cli.main(["show", never_seen, "--offline", *flags]) == errors.EXIT_NETWORK
    assert capsys.readouterr().err.startswith("caseviewer: ")


def test_cache_file_holds_no_plaintext_after_show(fresh_demo, monkeypatch, capsys, isolated_home):
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", fresh_demo.list_token)
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", fresh_demo.detail_key)
    case_id = fresh_demo.data.case_ids()[0]
    assert cli.main(["show", case_id, "--json", *connection_flags(fresh_demo)]) == 0
    detail = json.loads(capsys.readouterr().out)
    files = [p for p in (isolated_home / "cache").rglob("*") if p.is_file()]
    assert files
    needles = [detail["submitter"]["email"], detail["submitter"]["lastName"], fresh_demo.detail_key]
    for path in files:
        blob = path.read_bytes()
        for needle in needles:
            assert needle.encode() not in blob, f"{needle!r} in {path.name}"


def test_search_finds_a_cached_case_by_a_comment_word(fresh_demo, monkeypatch, capsys):
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", fresh_demo.list_token)
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", fresh_demo.detail_key)
    flags = connection_flags(fresh_demo)
    case_id = fresh_demo.data.case_ids()[0]
    assert cli.main(["show", case_id, "--json", *flags]) == 0
    detail = json.loads(capsys.readouterr().out)
    word = max(detail["comments"][0]["text"].split(), key=len).strip(".,;:!?")
    assert cli.main(["search", word, *flags]) == 0
    assert case_id in capsys.readouterr().out
    assert cli.main(["search", "zzqxnotaword", *flags]) == errors.EXIT_NOT_FOUND


def test_show_accepts_the_short_id_of_a_cached_case(fresh_demo, monkeypatch, capsys):
    monkeypatch.setenv("CASEVIEWER_LIST_TOKEN", fresh_demo.list_token)
    monkeypatch.setenv("CASEVIEWER_DETAIL_KEY", fresh_demo.detail_key)
    flags = connection_flags(fresh_demo)
    case_id = fresh_demo.data.case_ids()[3]
    assert cli.main(["show", case_id, "--json", *flags]) == 0
    short_id = json.loads(capsys.readouterr().out)["shortId"]
    assert cli.main(["show", short_id, "--json", *flags]) == 0  # a new run: found in the cache
    assert json.loads(capsys.readouterr().out)["id"] == case_id
    assert cli.main(["show", short_id.lower(), "--offline", *flags]) == 0
    assert case_id in capsys.readouterr().out
    assert cli.main(["show", "CV-000999", *flags]) == errors.EXIT_NOT_FOUND
    assert "caseviewer sync" in capsys.readouterr().err
