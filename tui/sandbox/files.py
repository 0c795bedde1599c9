"""Recording files: deterministic bytes made on demand, signed URLs, Range and ETag."""

from __future__ import annotations

import hashlib
import random
import time
from collections.abc import AsyncIterator
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route

from tui.sandbox.middleware import HTML_ERROR_FILE
from tui.sandbox.model import FileSpec
from tui.sandbox.web import other_host_url, sandbox, zoom_error

CHUNK = 64 * 1024
MD5_LIMIT = 64 * 1024 * 1024  # larger files get a multipart-style ETag, as S3 gives them
PART = 8 * 1024 * 1024
URL_TTL = 900
LAST_MODIFIED = "Mon, 01 Jan 2024 00:00:00 GMT"
MAGIC = {
    "mp4": b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00isomiso2avc1mp41",
    "m4a": b"\x00\x00\x00\x1cftypM4A \x00\x00\x00\x00M4A mp42isom",
    "zip": b"PK\x03\x04\x14\x00\x00\x00\x08\x00",
}
TEXT_KINDS = {"txt", "vtt", "json", "csv"}
CONTENT_TYPES = {
    "mp4": "video/mp4",
    "m4a": "audio/mp4",
    "zip": "application/zip",
    "txt": "text/plain; charset=utf-8",
    "vtt": "text/vtt; charset=utf-8",
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
}
_etags: dict[tuple[str, int], str] = {}


def chunk(spec: FileSpec, index: int) -> bytes:
    """The bytes of chunk `index` (CHUNK bytes, fewer for the last one)."""
    length = min(CHUNK, spec.size - index * CHUNK)
    if length <= 0:
        return b""
    rng = random.Random(f"{spec.file_id}:{spec.size}:{index}")
    if spec.kind in TEXT_KINDS:
        lines = []
        total = 0
        n = index * 1000
        while total < length:
            n += 1
            stamp = f"{n // 3600:02d}:{n // 60 % 60:02d}:{n % 60:02d}.000"
            line = (
                f"{stamp} speaker-{rng.randrange(9)}: "
                f"line {n} of the transcript {rng.getrandbits(32):08x}\n"
            ).encode()
            lines.append(line)
            total += len(line)
        data = b"".join(lines)[:length]
    else:
        data = rng.randbytes(length)
    if index == 0:
        magic = MAGIC.get(spec.kind, b"WEBVTT\n\n" if spec.kind == "vtt" else b"")[:length]
        data = magic + data[len(magic) :]
    return data


def etag(spec: FileSpec) -> str:
    """md5 of the content (quoted hex) up to 64 MiB; beyond, an S3 multipart-style tag."""
    key = (spec.file_id, spec.size)
    found = _etags.get(key)
    if found is None:
        if spec.size <= MD5_LIMIT:
            digest = hashlib.md5(usedforsecurity=False)
            for index in range((spec.size + CHUNK - 1) // CHUNK):
                digest.update(chunk(spec, index))
            found = f'"{digest.hexdigest()}"'
        else:
            parts = (spec.size + PART - 1) // PART
            seed = hashlib.md5(f"{spec.file_id}:{spec.size}".encode(), usedforsecurity=False)
            found = f'"{seed.hexdigest()}-{parts}"'
        _etags[key] = found
    return found


async def stream(spec: FileSpec, start: int, end: int) -> AsyncIterator[bytes]:
    """Bytes start..end (inclusive), generated chunk by chunk."""
    index = start // CHUNK
    pos = start
    while pos <= end:
        data = chunk(spec, index)
        offset = pos - index * CHUNK
        piece = data[offset : offset + (end - pos + 1)]
        yield piece
        pos += len(piece)
        index += 1


def parse_range(value: str, size: int) -> tuple[int, int] | str | None:
    """(start, end) of a single `bytes=` range; None to ignore it; "unsatisfiable"."""
    unit, _, spec = value.partition("=")
    if unit.strip().lower() != "bytes" or "," in spec:
        return None
    first, dash, last = spec.strip().partition("-")
    if not dash:
        return None
    try:
        if not first:
            suffix = int(last)
            if suffix <= 0:
                return "unsatisfiable"
            return max(0, size - suffix), size - 1
        start = int(first)
        end = int(last) if last else size - 1
    except ValueError:
        return None
    if start > end and last:
        return None
    if start >= size:
        return "unsatisfiable"
    return start, min(end, size - 1)


def serve_file(request: Request, spec: FileSpec) -> Response:
    """200/206/304/416 for a file, with Content-Length, ETag and Accept-Ranges."""
    if spec.html:
        return Response(HTML_ERROR_FILE, media_type="text/html; charset=utf-8")
    tag = etag(spec)
    headers = {
        "etag": tag,
        "accept-ranges": "bytes",
        "content-disposition": f"attachment; filename*=UTF-8''{quote(spec.name)}",
        "last-modified": LAST_MODIFIED,
    }
    if request.headers.get("if-none-match") == tag:
        return Response(status_code=304, headers=headers)
    start, end, status = 0, spec.size - 1, 200
    wanted = request.headers.get("range")
    if_range = request.headers.get("if-range")
    # If-Range holds the ETag or the Last-Modified date the client got; a stale one
    # gets the whole file (200), as RFC 9110 says.
    if wanted and (if_range is None or if_range.strip() in (tag, headers["last-modified"])):
        parsed = parse_range(wanted, spec.size)
        if parsed == "unsatisfiable":
            return Response(
                status_code=416, headers={**headers, "content-range": f"bytes */{spec.size}"}
            )
        if isinstance(parsed, tuple):
            start, end, status = parsed[0], parsed[1], 206
            headers["content-range"] = f"bytes {start}-{end}/{spec.size}"
    headers["content-length"] = str(end - start + 1)
    media = CONTENT_TYPES.get(spec.kind, "application/octet-stream")
    if request.method == "HEAD":
        return Response(status_code=status, headers=headers, media_type=media)
    return StreamingResponse(
        stream(spec, start, end), status_code=status, headers=headers, media_type=media
    )


def goto_file_url(request: Request, spec: FileSpec, ttl: int = URL_TTL) -> str:
    """A signed, expiring file URL on another host name than the API request used."""
    expires = int(time.time()) + ttl
    signature = sandbox(request).tokens.sign(f"{spec.file_id}:{expires}")
    return (
        f"{other_host_url(request)}/files/goto/{quote(spec.file_id)}"
        f"?expires={expires}&signature={signature}"
    )


def xml_error(status: int, code: str, message: str) -> Response:
    body = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>{code}</Code>'
        f"<Message>{message}</Message></Error>"
    )
    return Response(body, status_code=status, media_type="application/xml")


async def goto_file(request: Request) -> Response:
    state = sandbox(request)
    if "authorization" in request.headers:
        return xml_error(
            401,
            "UnexpectedAuthorization",
            "The file URL accepts no bearer token it did not issue for it",
        )
    file_id = request.path_params["file_id"]
    spec = state.files.get(file_id)
    try:
        expires = int(request.query_params.get("expires", ""))
    except ValueError:
        return xml_error(403, "AccessDenied", "Missing or invalid signature")
    signature = request.query_params.get("signature", "")
    if spec is None or signature != state.tokens.sign(f"{file_id}:{expires}"):
        return xml_error(403, "AccessDenied", "Missing or invalid signature")
    if expires < time.time():
        return xml_error(403, "AccessDenied", "Request has expired")
    return serve_file(request, spec)


async def zoom_file(request: Request) -> Response:
    spec = sandbox(request).files.get(f"zoom-{request.path_params['file_id']}")
    if spec is None:
        raise zoom_error(404, 3301, "This recording does not exist.")
    return serve_file(request, spec)


ROUTES = [
    Route("/files/goto/{file_id}", goto_file, methods=["GET", "HEAD"]),
    Route("/zoom/rec/download/{file_id}", zoom_file, methods=["GET", "HEAD"]),
]
