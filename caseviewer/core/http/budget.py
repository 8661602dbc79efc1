"""Byte budgets: every body streamed and counted as it arrives and as it is decompressed.

Reading stops with ``ResponseTooLarge`` past the budget, so neither a huge body nor a gzip bomb
can take the memory. Decompression is done here in bounded steps (zlib ``max_length``), and at
most one content coding (gzip or deflate) is accepted: stacked codings multiply the inflation.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator

import httpx

from caseviewer.core import errors

MIB = 1024 * 1024
#: A JSON document (a list page, a sign-in answer) larger than this is refused.
DEFAULT_MAX_RESPONSE_BYTES = 64 * MIB
#: A streamed attachment download larger than this is refused (the caller may ask for less).
DEFAULT_MAX_DOWNLOAD_BYTES = 512 * MIB
#: An error answer is read only this far, for the service's short message.
MAX_ERROR_BODY_BYTES = 1 * MIB
#: Content codings decoded (one at most, see ``_BoundedDecoder``); anything else is refused unread.
ACCEPTED_CODINGS = frozenset({"gzip", "deflate", "identity"})
#: The most bytes decompressed in one step, whatever the compression ratio.
DECODE_PIECE = 64 * 1024


def content_length(response: httpx.Response) -> int | None:
    """The declared ``Content-Length`` (the bytes on the wire), if there is a valid one."""
    try:
        value = int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None
    return value if value >= 0 else None


def iter_within_budget(
    response: httpx.Response, limit: int, *, service: str, chunk_size: int | None = None
) -> Iterator[bytes]:
    """The decoded body of a streamed ``response`` in chunks, stopping past ``limit`` bytes.

    Both counts are held to ``limit``: the bytes received (``num_bytes_downloaded``; a declared
    ``Content-Length`` is checked before reading) and the bytes decompressed. Decompression is
    done here from the raw stream with zlib's ``max_length``, never more than ``DECODE_PIECE``
    bytes at a time: httpx's own decoder inflates a whole network read at once, which for a gzip
    bomb is some 1000 times the read (a 64 KiB read became 64 MiB, twice over while joined).
    """
    declared = content_length(response)
    if declared is not None and declared > limit:
        raise _too_large(service, limit, declared)
    decoder = _BoundedDecoder.for_response(response, service)
    piece = chunk_size or DECODE_PIECE
    decoded = 0
    for raw in response.iter_raw():
        if response.num_bytes_downloaded > limit:
            raise _too_large(service, limit, None)
        for chunk in decoder.feed(raw, piece):
            decoded += len(chunk)
            if decoded > limit:
                raise _too_large(service, limit, None)
            yield chunk
    for chunk in decoder.finish(piece):
        decoded += len(chunk)
        if decoded > limit:
            raise _too_large(service, limit, None)
        yield chunk


class _BoundedDecoder:
    """gzip / deflate / identity decoding that yields at most ``piece`` bytes per step."""

    def __init__(self, coding: str, service: str) -> None:
        self.coding = coding
        self.service = service
        self._first = True
        # gzip: a gzip header; deflate: the zlib wrapper, or (on the first error) raw deflate,
        # which some servers send under that name (httpx does the same fallback).
        self._inflater = None if coding == "identity" else zlib.decompressobj(zlib.MAX_WBITS | (16 if coding == "gzip" else 0))

    @classmethod
    def for_response(cls, response: httpx.Response, service: str) -> "_BoundedDecoder":
        codings = [c.strip() for c in response.headers.get("content-encoding", "").lower().split(",") if c.strip()]
        applied = [c for c in codings if c != "identity"]
        # Stacked codings multiply the inflation; anything but one gzip or deflate is refused.
        if len(applied) > 1 or not set(codings) <= ACCEPTED_CODINGS:
            raise errors.ApiError(
                f"The {service} sent a response in an encoding the app does not accept "
                f"({', '.join(codings)[:60]}).",
                service=service,
                status_code=response.status_code,
            )
        return cls(applied[0] if applied else "identity", service)

    def feed(self, data: bytes, piece: int) -> Iterator[bytes]:
        if self._inflater is None:
            for start in range(0, len(data), piece):
                yield data[start : start + piece]
            return
        pending = data
        while True:
            try:
                out = self._inflater.decompress(pending, piece)
            except zlib.error:
                if self.coding == "deflate" and self._first:
                    self._first = False
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    out = b""
                    continue
                raise self._broken() from None
            self._first = False
            if out:
                yield out
            pending = self._inflater.unconsumed_tail
            # A full piece may leave output inside zlib even with no input left: ask again.
            if not pending and len(out) < piece:
                return

    def finish(self, piece: int) -> Iterator[bytes]:
        if self._inflater is None:
            return
        yield from self.feed(b"", piece)
        try:
            rest = self._inflater.flush()
        except zlib.error:
            raise self._broken() from None
        if rest:
            yield rest

    def _broken(self) -> errors.NetworkError:
        return errors.NetworkError(
            f"The {self.service} sent a compressed response that does not decompress.", service=self.service
        )


def _too_large(service: str, limit: int, declared: int | None) -> errors.ResponseTooLarge:
    size = f" ({declared:,} bytes)" if declared is not None else ""
    return errors.ResponseTooLarge(
        f"The {service} sent a response{size} larger than the {limit:,}-byte limit; the app "
        "stopped reading it.",
        service=service,
    )


__all__ = [
    "ACCEPTED_CODINGS", "DECODE_PIECE", "DEFAULT_MAX_DOWNLOAD_BYTES", "DEFAULT_MAX_RESPONSE_BYTES",
    "MAX_ERROR_BODY_BYTES", "MIB", "content_length", "iter_within_budget",
]
