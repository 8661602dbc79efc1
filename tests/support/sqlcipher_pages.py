"""Decrypt every page of a SQLCipher 4 database file, free pages and index pages included.

A test that wants to know whether deleted words are still *anywhere* in a cache cannot ask SQLite
(it only shows live rows); this reads the file the way an attacker holding the key would. SQLCipher
4 defaults, raw key (``PRAGMA key = "x'...'"``): 4096-byte pages, the first 16 bytes of the file
are the salt, each page ends in 80 reserved bytes (a 16-byte IV, then a 64-byte HMAC) and the rest
is AES-256-CBC under the raw key. WAL frames (24-byte header + one page) are decrypted the same way.
"""

from __future__ import annotations

from pathlib import Path

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

PAGE_SIZE = 4096
RESERVE = 80
SALT = 16
WAL_HEADER = 32
FRAME_HEADER = 24


def _decrypt_page(page: bytes, key: bytes, *, first: bool) -> bytes:
    iv = page[PAGE_SIZE - RESERVE: PAGE_SIZE - RESERVE + 16]
    body = page[SALT if first else 0: PAGE_SIZE - RESERVE]
    decryptor = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
    return decryptor.update(body) + decryptor.finalize()


def decrypted_pages(db_path: Path, key: bytes) -> bytes:
    """All pages of the database and of its WAL (if any), decrypted and concatenated."""
    out = bytearray()
    data = Path(db_path).read_bytes()
    for number, start in enumerate(range(0, len(data) - PAGE_SIZE + 1, PAGE_SIZE)):
        out += _decrypt_page(data[start:start + PAGE_SIZE], key, first=number == 0)
    wal = Path(str(db_path) + "-wal")
    if wal.exists():
        frames = wal.read_bytes()[WAL_HEADER:]
        step = FRAME_HEADER + PAGE_SIZE
        for start in range(0, len(frames) - step + 1, step):
            page_number = int.from_bytes(frames[start:start + 4], "big")
            out += _decrypt_page(frames[start + FRAME_HEADER:start + step], key, first=page_number == 1)
    return bytes(out)
