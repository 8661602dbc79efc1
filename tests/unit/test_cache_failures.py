"""SQLite failures become the reviewer's ``CacheError`` by SQLite's result code, not by words."""

from __future__ import annotations

import sqlcipher3

from caseviewer.core.cache.failures import as_cache_error, primary_code


def _error_of(sql: str, conn) -> sqlcipher3.Error:
    try:
        conn.execute(sql)
    except sqlcipher3.Error as exc:
        return exc
    raise AssertionError(f"{sql!r} did not fail")


def test_a_message_with_the_word_full_is_not_a_full_disk():
    conn = sqlcipher3.connect(":memory:")
    exc = _error_of("SELECT * FROM disk_is_full_or_locked_or_corrupt", conn)  # "no such table: ..."
    assert primary_code(exc) == sqlcipher3.SQLITE_ERROR
    text = as_cache_error(exc, "reading").message
    assert text.startswith("The offline cache failed while reading:")
    assert "is full" not in text and "busy" not in text and "damaged" not in text


def test_a_database_over_its_size_limit_is_full(tmp_path):
    conn = sqlcipher3.connect(str(tmp_path / "small.db"), isolation_level=None)
    conn.execute("CREATE TABLE t (x BLOB)")
    (page_count,) = conn.execute("PRAGMA page_count").fetchone()
    conn.execute(f"PRAGMA max_page_count = {page_count + 1}")
    exc = _error_of("INSERT INTO t VALUES (zeroblob(1000000))", conn)
    assert primary_code(exc) == sqlcipher3.SQLITE_FULL
    assert "is full" in as_cache_error(exc, "saving").message


def test_a_file_that_is_not_a_database_is_damaged(tmp_path):
    path = tmp_path / "junk.db"
    path.write_bytes(b"this is not a database, " * 200)
    exc = _error_of("SELECT count(*) FROM sqlite_master", sqlcipher3.connect(str(path)))
    assert primary_code(exc) == sqlcipher3.SQLITE_NOTADB
    assert "damaged" in as_cache_error(exc, "reading").message


def test_a_read_only_database_cannot_be_written(tmp_path):
    path = tmp_path / "ro.db"
    sqlcipher3.connect(str(path)).execute("CREATE TABLE t (x)")
    conn = sqlcipher3.connect(f"file:{path}?mode=ro", uri=True)
    exc = _error_of("INSERT INTO t VALUES (1)", conn)
    assert primary_code(exc) == sqlcipher3.SQLITE_READONLY
    assert "cannot be written" in as_cache_error(exc, "saving").message


def test_an_error_without_a_code_is_shown_as_it_is():
    assert primary_code(ValueError("full")) is None
    assert "is full" not in as_cache_error(ValueError("disk full"), "saving").message
