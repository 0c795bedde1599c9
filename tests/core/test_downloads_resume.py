"""Resume only under a validator, the file host's sizes over the listed one, clear errors.

A `.part` is resumed with Range only when the bytes came with a validator (a strong ETag,
else Last-Modified) that the resume sends back as If-Range; a server that answers 200
instead of 206 starts the file over. The size checked is the file host's own
(Content-Range, Content-Length), never the size the API listed. A redirect loop and a
folder that is a file end in a sentence, not an unexpected error. Files are 0600 in a
0700 folder unless `private` is off.
"""

from __future__ import annotations

import errno
import io
import os
import stat
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fileserver import PAYLOAD, FileServer, make_client, resolver
from tui.core.downloads import transfer as downloads
from tui.core.downloads.files import open_part
from tui.core.downloads.queue import DownloadQueue, DownloadState, download
from tui.core.errors import DownloadError, NetworkUnreachable, StorageError

DATE = "Mon, 01 Jan 2024 00:00:00 GMT"


async def interrupted(server: FileServer, folder: Path, at: int = 300_000) -> None:
    """A first attempt that drops after `at` bytes, leaving a `.part`."""
    server.drop_after = at
    async with make_client(server) as client:
        with pytest.raises(NetworkUnreachable):
            await download(client, key="r1", filename="a.mp4", resolve=resolver(), directory=folder)
    server.drop_after = None
    assert (folder / "a.mp4.part").stat().st_size == at


async def again(server: FileServer, folder: Path) -> Path:
    async with make_client(server) as client:
        return await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=folder
        )


async def test_a_part_without_a_validator_starts_over(tmp_path: Path) -> None:
    server = FileServer()
    server.etag = None
    await interrupted(server, tmp_path)
    path = await again(server, tmp_path)
    assert "range" not in server.requests[-1].headers
    assert path.read_bytes() == PAYLOAD


async def test_a_weak_etag_is_no_validator(tmp_path: Path) -> None:
    server = FileServer()
    server.etag = 'W/"abc"'
    await interrupted(server, tmp_path)
    path = await again(server, tmp_path)
    assert "range" not in server.requests[-1].headers
    assert path.read_bytes() == PAYLOAD


async def test_last_modified_is_the_validator_without_an_etag(tmp_path: Path) -> None:
    server = FileServer()
    server.etag, server.last_modified = None, DATE
    await interrupted(server, tmp_path)
    path = await again(server, tmp_path)
    assert server.requests[-1].headers["range"] == "bytes=300000-"
    assert server.requests[-1].headers["if-range"] == DATE
    assert path.read_bytes() == PAYLOAD


async def test_a_changed_file_is_fetched_whole_not_appended(tmp_path: Path) -> None:
    server = FileServer()
    await interrupted(server, tmp_path)
    server.payload = PAYLOAD[::-1]  # the file changed: a new ETag, If-Range gets a 200
    server.etag = '"def"'
    path = await again(server, tmp_path)
    assert server.requests[-1].headers["if-range"] == '"abc"'
    assert path.read_bytes() == PAYLOAD[::-1]


async def test_a_short_json_body_then_a_resume_never_makes_a_corrupt_file(
    tmp_path: Path,
) -> None:
    """The issue's case: two bytes of JSON first, no validator; then the real file."""
    real = FileServer()
    real.etag = None
    answers = iter(
        [httpx.Response(200, headers={"content-type": "application/json"}, content=b"{}")]
    )

    def handler(request: httpx.Request) -> httpx.Response:
        return next(answers, None) or real.handler(request)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(DownloadError, match="JSON"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
        assert not (tmp_path / "a.mp4").exists()
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert "range" not in real.requests[-1].headers
    assert path.read_bytes() == PAYLOAD


async def test_a_short_binary_body_without_validator_is_not_resumed(tmp_path: Path) -> None:
    """Two bytes that end a body announced as 1 MiB: kept, but never appended to."""
    server = FileServer()
    server.etag = None
    server.short_by = len(PAYLOAD) - 2
    with pytest.raises(NetworkUnreachable, match="2 of"):
        await again(server, tmp_path)
    server.short_by = 0
    path = await again(server, tmp_path)
    assert "range" not in server.requests[-1].headers
    assert path.read_bytes() == PAYLOAD


@pytest.mark.parametrize("listed", [-999_999, 0, 5, len(PAYLOAD) + 5])
async def test_the_listed_size_never_beats_the_file_hosts(tmp_path: Path, listed: int) -> None:
    seen: list[int | None] = []
    async with make_client(FileServer()) as client:
        path = await download(
            client,
            key="r1",
            filename="a.mp4",
            resolve=resolver(listed),
            directory=tmp_path,
            on_progress=lambda p: seen.append(p.total),
        )
        # And again: a finished file is not resumed "forever" against the listed size.
        second = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(listed), directory=tmp_path
        )
    assert path.read_bytes() == second.read_bytes() == PAYLOAD
    assert seen[-1] == len(PAYLOAD)
    assert all(total is None or total > 0 for total in seen)


async def test_more_bytes_than_announced_are_discarded(tmp_path: Path) -> None:
    async def body() -> AsyncIterator[bytes]:
        yield b"0123456789"
        yield b"extra"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "video/mp4", "etag": '"x"', "content-length": "10"},
            content=body(),
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        with pytest.raises(DownloadError, match="more bytes"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(None), directory=tmp_path
            )
    assert list(tmp_path.glob("a.mp4*")) in ([], [tmp_path / "a.mp4.part.json"])


async def test_a_range_from_elsewhere_is_not_appended(tmp_path: Path) -> None:
    server = FileServer()
    await interrupted(server, tmp_path)

    def shifted(request: httpx.Request) -> httpx.Response:
        body = PAYLOAD[1000:]
        return httpx.Response(
            206,
            headers={
                "content-type": "video/mp4",
                "etag": '"abc"',
                "content-length": str(len(body)),
                "content-range": f"bytes 1000-{len(PAYLOAD) - 1}/{len(PAYLOAD)}",
            },
            content=body,
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(shifted)) as client:
        with pytest.raises(DownloadError, match="another part"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert not (tmp_path / "a.mp4.part").exists()
    assert not (tmp_path / "a.mp4").exists()


async def test_a_redirect_loop_is_a_clear_error(tmp_path: Path) -> None:
    def loop(request: httpx.Request) -> httpx.Response:
        return httpx.Response(302, headers={"location": "https://files.example/rec.mp4"})

    transport = httpx.MockTransport(loop)
    async with httpx.AsyncClient(transport=transport, follow_redirects=True) as client:
        queue = DownloadQueue(client, tmp_path)
        assert await queue.add("r1", "a.mp4", resolver()) is None
    last = queue.snapshot()[-1]
    assert last.state is DownloadState.FAILED
    assert "redirect loop" in last.error


async def test_a_body_that_cannot_be_decoded_is_a_clear_error(tmp_path: Path) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200,
            headers={"content-type": "video/mp4", "etag": '"x"', "content-encoding": "gzip"},
            content=b"not gzip at all",
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        queue = DownloadQueue(client, tmp_path)
        assert await queue.add("r1", "a.mp4", resolver()) is None
    last = queue.snapshot()[-1]
    assert last.state is DownloadState.FAILED
    assert "could not be read (DecodingError)" in last.error


async def test_a_folder_that_is_a_file_is_a_clear_error(tmp_path: Path) -> None:
    folder = tmp_path / "taken"
    folder.write_bytes(b"precious")
    async with make_client(FileServer()) as client:
        with pytest.raises(StorageError, match="not a folder"):
            await download(client, key="r1", filename="a.mp4", resolve=resolver(), directory=folder)
    assert folder.read_bytes() == b"precious"


async def test_recordings_are_private_by_default(tmp_path: Path) -> None:
    folder = tmp_path / "new" / "recordings"
    async with make_client(FileServer()) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=folder
        )
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_a_resumed_part_of_a_shared_run_is_made_private(tmp_path: Path) -> None:
    server = FileServer()
    await interrupted(server, tmp_path)
    (tmp_path / "a.mp4.part").chmod(0o644)
    assert stat.S_IMODE((tmp_path / "a.mp4.part.json").stat().st_mode) == 0o600
    path = await again(server, tmp_path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


async def test_private_files_can_be_turned_off(tmp_path: Path) -> None:
    folder = tmp_path / "shared"
    old = os.umask(0o022)
    try:
        async with make_client(FileServer()) as client:
            path = await download(
                client,
                key="r1",
                filename="a.mp4",
                resolve=resolver(),
                directory=folder,
                private=False,
            )
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644
    assert stat.S_IMODE(folder.stat().st_mode) == 0o755


async def test_a_full_disk_on_the_last_buffered_write_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Closing the `.part` writes what is still buffered; on a full disk that fails."""
    real = open_part

    class FullOnClose(io.BufferedWriter):
        def close(self) -> None:
            if not self.closed:
                super().close()
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    def full_on_close(part: Path, *, append: bool, private: bool) -> Any:
        handle = real(part, append=append, private=private)
        assert isinstance(handle, io.BufferedWriter)
        return FullOnClose(handle.detach())

    monkeypatch.setattr(downloads, "open_part", full_on_close)
    async with make_client(FileServer()) as client:
        with pytest.raises(StorageError, match="disk is full"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert not (tmp_path / "a.mp4").exists()
    assert (tmp_path / "a.mp4.part").exists()
