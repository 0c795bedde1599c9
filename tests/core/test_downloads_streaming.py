"""The download loop: syncs to disk while streaming, disk errors, progress rate, cancel,
content codings."""

from __future__ import annotations

import asyncio
import errno
import gzip
import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.support.fileserver import PAYLOAD, FileServer, make_client, resolver
from tui.core.downloads import files as download_files
from tui.core.downloads import transfer as downloads
from tui.core.downloads.transfer import DownloadProgress, DownloadState, download
from tui.core.errors import StorageError

DEV_FULL = Path("/dev/full")


async def test_part_is_synced_to_disk_while_streaming(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []

    def counting(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)
        os.fsync(fd)

    monkeypatch.setattr(downloads, "SYNC_EVERY", 128 * 1024)
    monkeypatch.setattr(download_files, "_fdatasync", counting)
    async with make_client(FileServer()) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path.read_bytes() == PAYLOAD
    # 1 MiB in 64 KiB chunks, a sync every 128 KiB unless one is still running.
    assert synced, "no background sync ran"
    assert all(0 < size <= len(PAYLOAD) for size in synced)


async def test_a_sync_skipped_while_one_runs_is_asked_again_at_the_next_chunk(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the threshold is reached while the last sync still runs, the bytes count on:
    the next chunk asks again (the count was reset, so the final fsync could be left
    with twice SYNC_EVERY to write)."""
    asked: list[int] = []  # bytes written when a sync was asked for
    plain = download_files.DiskSync.start

    def busy_first(self: Any) -> bool:
        asked.append(self._handle.tell())
        return len(asked) > 1 and plain(self)  # the first: "still running"

    monkeypatch.setattr(downloads, "SYNC_EVERY", 128 * 1024)
    monkeypatch.setattr(download_files.DiskSync, "start", busy_first)
    async with make_client(FileServer()) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path.read_bytes() == PAYLOAD
    # Skipped at 128 KiB, asked again at the very next chunk, not 128 KiB later.
    assert asked[0] >= 128 * 1024
    assert asked[0] < asked[1] < asked[0] + 128 * 1024, asked


async def test_the_last_background_sync_starts_before_the_end(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sync starts SYNC_TAIL bytes before the announced end, so the final fsync is
    left with those bytes only, not with the last SYNC_EVERY of them."""
    asked: list[int] = []  # bytes written when a sync was asked for

    def record(self: Any) -> bool:
        asked.append(self._handle.tell())
        return True

    monkeypatch.setattr(downloads, "SYNC_EVERY", 512 * 1024)
    monkeypatch.setattr(downloads, "SYNC_TAIL", 128 * 1024)
    monkeypatch.setattr(download_files.DiskSync, "start", record)
    async with make_client(FileServer()) as client:
        await download(client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path)
    size = 1024 * 1024
    # At 512 KiB (SYNC_EVERY), then once 128 KiB before the end; none at the end.
    assert asked == [512 * 1024, size - 128 * 1024], asked


@pytest.mark.skipif(not DEV_FULL.exists(), reason="needs /dev/full to make a real ENOSPC")
async def test_disk_full_is_a_typed_error_and_keeps_the_part(tmp_path: Path) -> None:
    # The kernel answers ENOSPC to every write to /dev/full: a `.part` linked there (with
    # its meta naming this recording, so it is the one resumed) behaves like a full disk.
    part = tmp_path / "a.mp4.part"
    part.symlink_to(DEV_FULL)
    (tmp_path / "a.mp4.part.json").write_text(json.dumps({"key": "r1"}), encoding="utf-8")
    async with make_client(FileServer()) as client:
        with pytest.raises(StorageError, match="disk is full") as caught:
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert "resumes where it stopped" in caught.value.sentence
    assert part.is_symlink() and (tmp_path / "a.mp4.part.json").exists()
    assert not (tmp_path / "a.mp4").exists()


async def test_failed_background_sync_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def full(fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(downloads, "SYNC_EVERY", 64 * 1024)
    monkeypatch.setattr(download_files, "_fdatasync", full)
    async with make_client(FileServer()) as client:
        with pytest.raises(StorageError, match="disk is full"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert (tmp_path / "a.mp4.part").exists()
    assert not (tmp_path / "a.mp4").exists()


async def test_failed_final_fsync_is_a_typed_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(fd: int) -> None:
        raise OSError(errno.EIO, os.strerror(errno.EIO))

    monkeypatch.setattr(os, "fsync", broken)  # what tui.core.downloads.files calls
    async with make_client(FileServer()) as client:
        with pytest.raises(StorageError, match="Cannot write"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert (tmp_path / "a.mp4.part").stat().st_size == len(PAYLOAD)
    assert not (tmp_path / "a.mp4").exists()


def _paced_client(chunks: int, *, pause: float, size: int = 16 * 1024) -> httpx.AsyncClient:
    """A file host sending `chunks` chunks of `size` bytes, `pause` seconds apart."""

    def handler(request: httpx.Request) -> httpx.Response:
        async def body() -> AsyncIterator[bytes]:
            for index in range(chunks):
                if pause:
                    await asyncio.sleep(pause)
                yield bytes([index % 256]) * size

        return httpx.Response(
            200,
            headers={"content-type": "video/mp4", "content-length": str(chunks * size)},
            content=body(),
        )

    return httpx.AsyncClient(transport=httpx.MockTransport(handler))


async def test_progress_events_are_throttled_not_dropped(tmp_path: Path) -> None:
    events: list[DownloadProgress] = []
    chunks, size = 400, 16 * 1024
    started = time.monotonic()
    async with _paced_client(chunks, pause=0.001, size=size) as client:
        await download(
            client,
            key="r1",
            filename="a.mp4",
            resolve=resolver(size=chunks * size),
            directory=tmp_path,
            on_progress=events.append,
        )
    elapsed = time.monotonic() - started
    running = [e for e in events if e.state is DownloadState.RUNNING]
    # About one event per REPORT_EVERY while bytes flow, plus the start and the end.
    assert len(running) <= elapsed / downloads.REPORT_EVERY + 4
    received = [e.received for e in running]
    assert received == sorted(received)
    assert any(0 < r < chunks * size for r in received), "no event while streaming"
    assert events[-1].state is DownloadState.DONE
    assert events[-1].received == events[-1].total == chunks * size


async def test_cancel_stops_an_in_memory_stream_and_keeps_the_part(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An in-memory body never waits on a socket: the loop must still yield now and then
    # for a cancel to land (else the whole 64 MiB arrive first).
    monkeypatch.setattr(downloads, "REPORT_EVERY", 0.01)
    total = 4096 * 16 * 1024
    tasks: list[asyncio.Task[Any]] = []

    def cancel_once_bytes_arrive(event: DownloadProgress) -> None:
        # The cancel is requested from the first report of received bytes, so it lands
        # at the download's next yield however fast or slow the machine is.
        if event.received and not tasks[0].cancelling():
            tasks[0].cancel()

    async with _paced_client(4096, pause=0, size=16 * 1024) as client:
        task = asyncio.create_task(
            download(
                client,
                key="r1",
                filename="a.mp4",
                resolve=resolver(size=total),
                directory=tmp_path,
                on_progress=cancel_once_bytes_arrive,
            )
        )
        tasks.append(task)
        with pytest.raises(asyncio.CancelledError):
            await task
    part = tmp_path / "a.mp4.part"
    assert 0 < part.stat().st_size < total
    assert not (tmp_path / "a.mp4").exists()


async def test_gzip_content_coding_is_decoded(tmp_path: Path) -> None:
    packed = gzip.compress(PAYLOAD)

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, headers={"content-type": "video/mp4", "content-encoding": "gzip"}, content=packed
        )

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(size=None), directory=tmp_path
        )
    assert path.read_bytes() == PAYLOAD


async def test_a_body_already_in_memory_is_written_too(tmp_path: Path) -> None:
    # httpx reads a bytes body at once; the raw stream is then gone, the content is not.
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "video/mp4"}, content=PAYLOAD)

    async with httpx.AsyncClient(transport=httpx.MockTransport(handler)) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path.read_bytes() == PAYLOAD
