"""Resumable downloads: .part files, Range resume, no overwrite, sanitised names."""

from __future__ import annotations

import asyncio
import hashlib
from pathlib import Path

import httpx
import pytest

from tests.support.fileserver import PAYLOAD, FileServer, make_client, resolver
from tui.core.downloads.queue import (
    DownloadProgress,
    DownloadQueue,
    DownloadState,
    DownloadTarget,
    download,
    sanitize_filename,
    unique_path,
)
from tui.core.errors import DownloadError, NetworkUnreachable


async def test_complete_download_has_the_right_bytes(tmp_path: Path) -> None:
    server = FileServer()
    async with make_client(server) as client:
        path = await download(
            client, key="r1", filename="Weekly sync.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path == tmp_path / "Weekly sync.mp4"
    assert path.read_bytes() == PAYLOAD
    assert sorted(p.name for p in tmp_path.iterdir()) == ["Weekly sync.mp4"]


async def test_interrupted_download_resumes_with_range(tmp_path: Path) -> None:
    server = FileServer()
    server.drop_after = 300_000
    async with make_client(server) as client:
        with pytest.raises(NetworkUnreachable):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
        part = tmp_path / "a.mp4.part"
        assert part.stat().st_size == 300_000
        assert not (tmp_path / "a.mp4").exists()
        server.drop_after = None
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert server.requests[-1].headers["range"] == "bytes=300000-"
    assert server.requests[-1].headers["if-range"] == '"abc"'
    assert path.read_bytes() == PAYLOAD
    assert not part.exists()


async def test_server_ignoring_range_starts_over(tmp_path: Path) -> None:
    server = FileServer()
    server.drop_after = 100_000
    async with make_client(server) as client:
        with pytest.raises(NetworkUnreachable):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
        server.drop_after = None
        server.ignore_range = True
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path.read_bytes() == PAYLOAD


async def test_existing_file_is_never_overwritten(tmp_path: Path) -> None:
    (tmp_path / "a.mp4").write_bytes(b"precious")
    async with make_client(FileServer()) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
        )
    assert path == tmp_path / "a (1).mp4"
    assert (tmp_path / "a.mp4").read_bytes() == b"precious"


async def test_html_page_instead_of_file_is_an_error(tmp_path: Path) -> None:
    server = FileServer()
    server.html = True
    async with make_client(server) as client:
        with pytest.raises(DownloadError, match="web page"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert list(tmp_path.iterdir()) == [] or all(p.suffix == ".json" for p in tmp_path.iterdir())
    assert not (tmp_path / "a.mp4").exists()


async def test_size_mismatch_keeps_the_part_and_fails(tmp_path: Path) -> None:
    # The file host's own size is the one checked (the API's listed size is only a hint:
    # see test_downloads_resume): a body that ends short of it is not a finished file.
    server = FileServer()
    server.short_by = 5
    async with make_client(server) as client:
        with pytest.raises(NetworkUnreachable, match="partial file is kept"):
            await download(
                client, key="r1", filename="a.mp4", resolve=resolver(), directory=tmp_path
            )
    assert not (tmp_path / "a.mp4").exists()
    assert (tmp_path / "a.mp4.part").stat().st_size == len(PAYLOAD) - 5


async def test_checksum_verified(tmp_path: Path) -> None:
    good = ("md5", hashlib.md5(PAYLOAD).hexdigest())  # noqa: S324 - a checksum, not security
    async with make_client(FileServer()) as client:
        path = await download(
            client, key="r1", filename="a.mp4", resolve=resolver(checksum=good), directory=tmp_path
        )
        assert path.exists()
        with pytest.raises(DownloadError, match="checksum"):
            await download(
                client,
                key="r2",
                filename="b.mp4",
                resolve=resolver(checksum=("md5", "0" * 32)),
                directory=tmp_path,
            )
    assert not (tmp_path / "b.mp4").exists()


@pytest.mark.parametrize(
    ("hostile", "expected"),
    [
        ("../../etc/passwd", "_._etc_passwd"),
        ("a/b\\c.mp4", "a_b_c.mp4"),
        ("..", "recording"),
        ("rec\x00\x1b[2J.mp4", "rec__[2J.mp4"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ("CON.txt", "recording_CON.txt"),
    ],
)
def test_hostile_names_are_sanitised(hostile: str, expected: str) -> None:
    assert sanitize_filename(hostile) == expected


def test_long_names_are_bounded() -> None:
    name = sanitize_filename("録画" * 300 + ".mp4")
    assert name.endswith(".mp4")
    assert len(name.encode("utf-8")) <= 180


def test_unique_path_counts_up(tmp_path: Path) -> None:
    (tmp_path / "x.mp4").touch()
    (tmp_path / "x (1).mp4").touch()
    assert unique_path(tmp_path, "x.mp4") == tmp_path / "x (2).mp4"


async def test_queue_runs_bounded_and_cancels(tmp_path: Path) -> None:
    server = FileServer()
    gate, resolving = asyncio.Event(), asyncio.Event()
    states: list[tuple[str, DownloadState]] = []

    async def slow_resolve() -> DownloadTarget:
        resolving.set()
        await gate.wait()
        return DownloadTarget(url="https://files.example/x", expected_size=len(PAYLOAD))

    async with make_client(server) as client:
        queue = DownloadQueue(
            client, tmp_path, concurrency=1, on_progress=lambda p: states.append((p.key, p.state))
        )
        first = queue.add("r1", "one.mp4", slow_resolve)
        second = queue.add("r2", "two.mp4", resolver())
        await asyncio.wait_for(resolving.wait(), timeout=20)
        await asyncio.sleep(0)  # r2's turn to ask for the slot
        assert not server.requests  # r1 holds the only slot, r2 waits
        assert queue.cancel("r2")
        gate.set()
        assert await first == tmp_path / "one.mp4"
        assert await second is None
    assert ("r2", DownloadState.CANCELLED) in states
    assert ("r1", DownloadState.DONE) in states


async def test_a_cancelled_download_says_how_much_its_part_file_keeps(tmp_path: Path) -> None:
    server = FileServer()
    server.hold_after = 3 * 65536
    seen: list[DownloadProgress] = []

    async with make_client(server) as client:
        queue = DownloadQueue(client, tmp_path, concurrency=1, on_progress=seen.append)
        running = queue.add("r1", "one.mp4", resolver())
        await asyncio.wait_for(server.holding.wait(), timeout=20)
        await asyncio.sleep(0)  # the last chunk before the stall reaches the file
        assert queue.cancel("r1")
        assert await running is None
    last = seen[-1]
    part = tmp_path / "one.mp4.part"
    assert last.state is DownloadState.CANCELLED
    assert part.stat().st_size == server.hold_after
    assert last.received == part.stat().st_size  # not "0 B kept"
    assert last.total == len(PAYLOAD)


def dropping_once(server: FileServer) -> httpx.AsyncClient:
    """A client of `server` whose first download drops after 200,000 bytes."""
    server.drop_after = 200_000
    original = server.handler

    def flaky(request: httpx.Request) -> httpx.Response:
        response = original(request)
        server.drop_after = None  # only the first attempt drops
        return response

    return httpx.AsyncClient(transport=httpx.MockTransport(flaky))


async def test_queue_retries_network_errors_by_resuming(tmp_path: Path) -> None:
    server = FileServer()
    async with dropping_once(server) as client:
        queue = DownloadQueue(client, tmp_path, sleep=_no_sleep)
        path = await queue.add("r1", "a.mp4", resolver())
    assert path is not None and path.read_bytes() == PAYLOAD
    assert server.requests[-1].headers["range"] == "bytes=200000-"


@pytest.mark.parametrize(("max_backoff", "waits"), [(None, [2]), (0.25, [0.25])])
async def test_a_retry_waits_at_most_the_users_max_backoff(
    tmp_path: Path, max_backoff: float | None, waits: list[float]
) -> None:
    """The wait before a resume is 2 s, 4 s, ... capped by `[http] max_backoff` (the
    Deck passes the user's): a download's retries ignored it and waited up to 10 s."""
    slept: list[float] = []

    async def sleep(delay: float) -> None:  # the queue's own waits, no other code's
        slept.append(delay)

    async with dropping_once(FileServer()) as client:
        if max_backoff is None:
            queue = DownloadQueue(client, tmp_path, sleep=sleep)
        else:
            queue = DownloadQueue(client, tmp_path, max_backoff=max_backoff, sleep=sleep)
        path = await queue.add("r1", "a.mp4", resolver())
    assert path is not None and path.read_bytes() == PAYLOAD
    assert slept == waits


async def _no_sleep(delay: float) -> None:
    return None
