"""Recording downloads through the Deck against the sandbox: tokens, resume, names, errors."""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from tests.support.control import Control
from tests.support.decks import open_deck, owner_recordings
from tui.core.deck.facade import Deck
from tui.core.downloads.queue import DownloadProgress, DownloadState
from tui.core.models import Provider, Recording
from tui.core.settings.paths import resolve_paths
from tui.core.store.views import ViewQuery
from tui.core.sync.types import ScopeKind

LARGE = 10_000_000  # the sandbox's special 2.5 GB files stay out of these tests


async def synced(deck: Deck, *kinds: ScopeKind) -> None:
    await deck.demo_sign_in()
    report = await deck.sync_all(kinds=list(kinds))
    assert report.ok, report.failed


def pick(recordings: list[Recording], avoid: str = "") -> Recording:
    """A small, ordinary file (not the sandbox's HTML page nor its 2.5 GB file)."""
    return next(
        r
        for r in sorted(recordings, key=lambda r: r.file_size or 0)
        if r.file_size
        and 1000 < r.file_size < LARGE
        and r.key != avoid
        and not r.name.startswith("html-error-page")
    )


async def zoom_file(deck: Deck, base_url: str) -> Recording:
    html = Control(base_url).state()["zoom"]["html_file_id"]
    return pick(await owner_recordings(deck, base_url), avoid=html)


def digest(path: Path) -> str:
    return hashlib.md5(path.read_bytes()).hexdigest()  # noqa: S324 - a content check


async def test_goto_training_download_never_sends_the_token_to_the_file_host(
    sandbox: Any,
) -> None:
    deck = open_deck(sandbox.base_url, goto_only=True)
    seen: list[DownloadProgress] = []
    try:
        await synced(deck, ScopeKind.EVENTS, ScopeKind.RECORDINGS)
        view = deck.recordings(ViewQuery(provider=Provider.GOTO_TRAINING))
        recording = view.rows(0, 1)[0]
        stop = deck.watch_downloads(seen.append)
        seq = Control(sandbox.base_url).mark()
        path = await deck.download(recording)
        stop()
        sent = Control(sandbox.base_url).requests_since(seq)
    finally:
        await deck.aclose()

    assert path is not None and path.parent == resolve_paths().download_dir
    assert path.suffix == ".mp4" and path.read_bytes()[4:8] == b"ftyp"
    api = [r for r in sent if r["path"].startswith("/G2T/rest/trainings/")]
    files = [r for r in sent if r["path"].startswith("/files/goto/")]
    assert [(r["status"], r["authorization"]) for r in api] == [(302, True)]
    assert [(r["status"], r["authorization"]) for r in files] == [(200, False)]
    assert files[0]["host"].split(":")[0] != api[0]["host"].split(":")[0]
    states = [p.state for p in seen]
    assert states[0] is DownloadState.QUEUED and states[-1] is DownloadState.DONE
    assert seen[-1].received == seen[-1].total == path.stat().st_size
    assert deck.downloads()[-1].path == path
    assert not list(path.parent.glob("*.part*"))


async def test_goto_meeting_recording_is_fetched_through_a_fresh_signed_link(
    sandbox: Any,
) -> None:
    deck = open_deck(sandbox.base_url, goto_only=True)
    try:
        await synced(deck, ScopeKind.HISTORICAL)
        view = deck.recordings(ViewQuery(provider=Provider.GOTO_MEETING))
        recording = pick(view.rows(0, view.count()))
        seq = Control(sandbox.base_url).mark()
        path = await deck.download(recording)
        sent = Control(sandbox.base_url).requests_since(seq)
    finally:
        await deck.aclose()
    assert path is not None and path.stat().st_size == recording.file_size
    first = next(r["path"] for r in sent if r["api"] != "goto_auth")
    # A fresh signed link first, from the history of the meeting's own organizer.
    assert first.startswith("/G2M/rest/") and first.endswith("/historicalMeetings"), first
    files = [r for r in sent if r["path"].startswith("/files/goto/")]
    assert [(r["status"], r["authorization"]) for r in files] == [(200, False)]


async def test_a_dropped_download_resumes_and_ends_with_the_right_bytes(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url, zoom_only=True)
    seen: list[DownloadProgress] = []
    try:
        recording = await zoom_file(deck, sandbox.base_url)
        Control(sandbox.base_url).fault(
            {
                "drop_mid_body": True,
                "remaining": 1,
                "match": {"path": f"^/zoom/rec/download/{recording.key}$"},
            }
        )
        deck.watch_downloads(seen.append)
        seq = Control(sandbox.base_url).mark()
        path = await deck.download(recording)
        sent = [
            r
            for r in Control(sandbox.base_url).requests_since(seq)
            if r["path"].startswith("/zoom/rec/")
        ]
        again = await deck.download(recording, directory=resolve_paths().download_dir / "clean")
    finally:
        await deck.aclose()

    assert path is not None and again is not None
    assert [r["status"] for r in sent] == [200, 206]  # the second asked for the rest only
    assert sent[0].get("dropped") and all(r["authorization"] for r in sent)
    resumed = [p.resumed_from for p in seen if p.resumed_from]
    assert resumed and 0 < resumed[0] < recording.file_size  # type: ignore[operator]
    assert path.stat().st_size == recording.file_size
    assert digest(path) == digest(again)
    assert not list(path.parent.glob("*.part*"))


async def test_hostile_names_are_sanitised_and_nothing_is_overwritten(sandbox: Any) -> None:
    deck = open_deck(sandbox.base_url, zoom_only=True)
    folder = resolve_paths().download_dir
    try:
        real = await zoom_file(deck, sandbox.base_url)
        hostile = dataclasses.replace(
            real, name="../../etc/[red]passwd\x1b[2J\u202egpj.exe\\..:*?", file_extension="mp4"
        )
        first = await deck.download(hostile)
        assert first is not None
        first.write_bytes(b"precious")
        second = await deck.download(hostile)
    finally:
        await deck.aclose()

    assert second is not None and first != second
    for path in (first, second):
        assert path.parent == folder and path.suffix == ".mp4"
        assert not any(ch in path.name for ch in ("/", "\\", "\x1b", "\u202e", ":", "*", "?"))
        assert ".." not in path.name
    assert first.read_bytes() == b"precious"  # the earlier file was left alone
    assert second.name.endswith(" (1).mp4")
    assert second.stat().st_size == real.file_size
    assert sorted(p.name for p in folder.iterdir()) == sorted([first.name, second.name])


async def test_a_web_page_instead_of_a_file_is_an_error_and_saves_nothing(
    sandbox: Any,
) -> None:
    html_id = Control(sandbox.base_url).state()["zoom"]["html_file_id"]
    deck = open_deck(sandbox.base_url, zoom_only=True)
    try:
        recording = next(
            r for r in await owner_recordings(deck, sandbox.base_url) if r.key == html_id
        )
        path = await deck.download(recording)
        last = deck.downloads()[-1]
        unknown = deck.cancel_download("no-such-download")
    finally:
        await deck.aclose()
    assert path is None and last.state is DownloadState.FAILED
    assert "web page" in last.error
    assert not unknown
    folder = resolve_paths().download_dir
    assert (
        not folder.exists()
        or [p for p in folder.iterdir() if p.is_file() and not p.name.endswith(".part.json")] == []
    )


async def test_a_stale_part_is_fetched_whole_not_appended_to(sandbox: Any) -> None:
    """A `.part` whose ETag the file host no longer has: If-Range gets the whole file."""
    import json
    import stat

    from tui.core.deck.files import filename_of

    deck = open_deck(sandbox.base_url, zoom_only=True)
    folder = resolve_paths().download_dir
    try:
        recording = await zoom_file(deck, sandbox.base_url)
        clean = await deck.download(recording, directory=folder / "clean")
        name = filename_of(recording)
        (folder / f"{name}.part").write_bytes(b"\x00" * 1000)
        (folder / f"{name}.part.json").write_text(
            json.dumps({"key": recording.key, "etag": '"stale"'}), encoding="utf-8"
        )
        seq = Control(sandbox.base_url).mark()
        path = await deck.download(recording)
        sent = [
            r
            for r in Control(sandbox.base_url).requests_since(seq)
            if r["path"].startswith("/zoom/rec/")
        ]
    finally:
        await deck.aclose()

    assert clean is not None and path is not None
    assert [r["status"] for r in sent] == [200]
    assert digest(path) == digest(clean)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE((folder / "clean").stat().st_mode) == 0o700
