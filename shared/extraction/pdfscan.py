"""Measure how far a PDF's streams inflate, before any PDF library decompresses them.

PDFium and pypdf inflate a stream whole when they need it: a 1 MB `factur-x.xml` attachment
became 3.1 GB, a page's content stream hundreds of MB. This scan walks the raw file once,
finds every `stream ... endstream`, and runs its decompression as a stream into nothing,
counting the bytes and stopping at the cap (`shared.limits`). Memory stays at one chunk; time
is linear in the bytes actually inflated, which are capped.

It reads the stream dictionary only for `/Filter` and `/Subtype /Image`; it does not need a
valid cross-reference table. Streams it cannot decode (encrypted, broken data) are not
counted: the worker budget (`shared/worker.py`) bounds what remains.

    >>> import zlib
    >>> body = zlib.compress(b"0 0 m " * 100_000)
    >>> pdf = b"%PDF-1.7\\n1 0 obj\\n<< /Filter /FlateDecode >>\\nstream\\n" + body + b"\\nendstream"
    >>> scan(pdf).total
    600000
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass

from shared import limits

from .errors import RefusedFile

_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_ENDSTREAM = b"endstream"
_FILTER = re.compile(rb"/Filter\s*(\[[^\]]*\]|/[A-Za-z0-9]+)")
_NAME = re.compile(rb"/([A-Za-z0-9]+)")
_IMAGE = re.compile(rb"/Subtype\s*/Image\b")
# How far back from `stream` the dictionary is looked for.
_DICT_WINDOW = 4096
_CHUNK = 64 * 1024

_FLATE = {b"FlateDecode", b"Fl"}
_LZW = {b"LZWDecode", b"LZW"}
_RUNLENGTH = {b"RunLengthDecode", b"RL"}


@dataclass(frozen=True)
class ScanResult:
    streams: int
    total: int
    largest: int


def scan(data: bytes) -> ScanResult:
    """Inflated sizes of every stream; raises `RefusedFile("decompression_bomb")` at a cap."""
    total = 0
    largest = 0
    count = 0
    position = 0
    while True:
        found = _STREAM.search(data, position)
        if found is None:
            break
        start = found.end()
        end = data.find(_ENDSTREAM, start)
        if end < 0:
            end = len(data)
        head = data[max(0, found.start() - _DICT_WINDOW) : found.start()]
        head = head[head.rfind(b"obj") + 1 :] if b"obj" in head else head
        is_image = bool(_IMAGE.search(head))
        cap = (
            limits.MAX_IMAGE_STREAM_INFLATED_BYTES if is_image else limits.MAX_STREAM_INFLATED_BYTES
        )
        cap = min(cap, limits.MAX_PDF_INFLATED_BYTES - total)
        size = _inflated_size(_filters(head), data[start:end], cap)
        if size > cap:
            what = "an image" if is_image else "a stream"
            raise RefusedFile(
                "decompression_bomb",
                f"The PDF holds {what} that decompresses to more than "
                f"{cap // 1_048_576} MB; it is not a document we can read safely.",
            )
        count += 1
        total += size
        largest = max(largest, size)
        position = end + len(_ENDSTREAM)
    return ScanResult(streams=count, total=total, largest=largest)


def _filters(head: bytes) -> list[bytes]:
    match = _FILTER.search(head)
    if not match:
        return []
    return _NAME.findall(match.group(1))


def _inflated_size(filters: list[bytes], raw: bytes, cap: int) -> int:
    """Bytes after the expanding filters of the chain, stopping just above `cap`.

    Only the first filter is measured by counting; a second expanding filter after it needs
    the first one's output, which is bounded by the cap, so it is decoded for real.
    """
    expanding = [f for f in filters if f in _FLATE | _LZW | _RUNLENGTH]
    if not expanding:
        return len(raw)
    if len(expanding) == 1:
        return _measure(expanding[0], raw, cap)
    buffer = raw
    for name in expanding:
        buffer = _decode_bounded(name, buffer, cap)
        if len(buffer) > cap:
            return len(buffer)
    return len(buffer)


def _measure(name: bytes, raw: bytes, cap: int) -> int:
    if name in _FLATE:
        return _inflate(raw, cap, keep=False)[0]
    if name in _LZW:
        return _lzw(raw, cap, keep=False)[0]
    return _runlength(raw, cap, keep=False)[0]


def _decode_bounded(name: bytes, raw: bytes, cap: int) -> bytes:
    if name in _FLATE:
        return _inflate(raw, cap, keep=True)[1]
    if name in _LZW:
        return _lzw(raw, cap, keep=True)[1]
    return _runlength(raw, cap, keep=True)[1]


def _inflate(raw: bytes, cap: int, *, keep: bool) -> tuple[int, bytes]:
    """zlib (or raw deflate, which PDFium also accepts) into nothing, chunk by chunk."""
    for wbits in (15, -15):
        inflater = zlib.decompressobj(wbits)
        size = 0
        kept: list[bytes] = []
        pending = raw
        try:
            while size <= cap and not inflater.eof:
                out = inflater.decompress(pending, _CHUNK)
                size += len(out)
                if keep:
                    kept.append(out)
                if not out and inflater.unconsumed_tail == pending:
                    break  # no progress: truncated stream or its end
                pending = inflater.unconsumed_tail
            if size > 0:
                return size, b"".join(kept)
        except zlib.error:
            if size:
                return size, b"".join(kept)
    return 0, b""


def _lzw(raw: bytes, cap: int, *, keep: bool) -> tuple[int, bytes]:
    """PDF LZW (early change 1), counting lengths of table entries; decoding only if `keep`."""
    size = 0
    table_len = [1] * 256 + [0, 0]
    table: list[bytes] = [bytes([i]) for i in range(256)] + [b"", b""] if keep else []
    out: list[bytes] = []
    bits = 9
    buffer = 0
    nbits = 0
    previous = -1
    for byte in raw:
        buffer = (buffer << 8) | byte
        nbits += 8
        while nbits >= bits:
            nbits -= bits
            code = (buffer >> nbits) & ((1 << bits) - 1)
            if code == 256:
                table_len = table_len[:258]
                if keep:
                    table = table[:258]
                bits = 9
                previous = -1
                continue
            if code == 257:
                return size, b"".join(out)
            if code < len(table_len):
                length = table_len[code]
                entry = table[code] if keep else b""
                if previous >= 0 and len(table_len) < 4096:
                    table_len.append(table_len[previous] + 1)
                    if keep:
                        table.append(table[previous] + entry[:1])
            elif previous >= 0 and code == len(table_len) < 4096:
                length = table_len[previous] + 1
                table_len.append(length)
                if keep:
                    entry = table[previous] + table[previous][:1]
                    table.append(entry)
            else:
                return size, b"".join(out)  # corrupt: stop where PDFium would
            size += length
            if keep:
                out.append(entry)
            if size > cap:
                return size, b"".join(out)
            previous = code
            if len(table_len) + 1 >= (1 << bits) and bits < 12:
                bits += 1
    return size, b"".join(out)


def _runlength(raw: bytes, cap: int, *, keep: bool) -> tuple[int, bytes]:
    size = 0
    out = bytearray()
    index = 0
    while index < len(raw) and size <= cap:
        length = raw[index]
        if length == 128:
            break
        if length < 128:
            chunk = raw[index + 1 : index + 2 + length]
            size += len(chunk)
            if keep:
                out += chunk
            index += 2 + length
        else:
            size += 257 - length
            if keep and index + 1 < len(raw):
                out += bytes([raw[index + 1]]) * (257 - length)
            index += 2
    return size, bytes(out)
