"""Benchmark 5: recording download throughput, meetdeck vs plain httpx (and curl).

The sandbox serves its one large Zoom recording file (256 MiB here, 64 MiB with
--quick). meetdeck downloads it as the app does: `tui.core.downloads.queue.download` on the
profile's pooled Zoom client, with the target from `Zoom.download_target` (bearer
token, expected size; `.part` file, fsync, rename). The baselines stream the same URL
with the same token: a bare `httpx.AsyncClient.stream` loop writing to a file, and
curl when it is installed.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import time
from pathlib import Path
from typing import Any

from tests.benchmarks.common import (
    PROFILE,
    REPO,
    Figure,
    Sandbox,
    Session,
    Workspace,
    median,
    open_store,
    ratio,
)

MIB = 1024 * 1024


def _providers(workspace: Workspace) -> Any:
    from tui.core.providers.session import ProviderSet
    from tui.core.settings.config import load_settings
    from tui.core.settings.paths import resolve_paths

    with workspace.patched_environ():
        paths = resolve_paths()
        settings = load_settings(paths, overrides={"profile": PROFILE})
        name, profile = settings.active_profile()
        return ProviderSet.for_profile(name, profile, paths, settings.http)


def download(session: Session) -> list[Figure]:
    size = (64 if session.quick else 256) * MIB
    workspace = Workspace(session.root / "download")
    out = session.root / "download" / "files"
    out.mkdir(parents=True, exist_ok=True)
    with Sandbox(session.root, large_recording_bytes=size) as sandbox:
        workspace.write_config(sandbox.base_url)
        workspace.sign_in()
        workspace.sync(**{"MEETDECK_HTTP__MAX_RETRIES": "2"})
        file_id = str(sandbox.get("/_sandbox/state")["zoom"]["large_file_id"])
        from tui.core.store.views import ALL

        store = open_store(workspace)
        try:
            view = store.recordings(ALL)
            recording = next(r for r in view.rows(0, view.count()) if r.key == file_id)
        finally:
            store.close()
        return asyncio.run(_measure(session, workspace, recording, out, size))


async def _measure(
    session: Session, workspace: Workspace, recording: Any, out: Path, size: int
) -> list[Figure]:
    import httpx

    from tui.core.downloads.queue import download

    providers = _providers(workspace)
    zoom = providers.zoom
    target = await zoom.download_target(recording)  # fetches and caches the token
    client = zoom.api.connection.client

    def clean() -> None:
        for path in out.iterdir():
            path.unlink()
        # Start every run with nothing left to write back from the one before, so no
        # run pays for another's dirty pages (meetdeck fsyncs its file, the others
        # leave theirs to the kernel).
        os.sync()

    async def meetdeck() -> float:
        started = time.perf_counter()
        path = await download(
            client,
            key=recording.key,
            filename=f"{recording.key}.mp4",
            resolve=lambda: zoom.download_target(recording),
            directory=out,
        )
        seconds = time.perf_counter() - started
        if path.stat().st_size != size:
            raise RuntimeError(f"meetdeck downloaded {path.stat().st_size} bytes, not {size}")
        clean()
        return seconds

    async def plain() -> float:
        started = time.perf_counter()
        async with (
            httpx.AsyncClient() as bare,
            bare.stream("GET", target.url, headers=dict(target.headers)) as response,
        ):
            response.raise_for_status()
            with (out / "plain.mp4").open("wb") as fh:
                async for chunk in response.aiter_bytes():
                    fh.write(chunk)
        seconds = time.perf_counter() - started
        clean()
        return seconds

    curl = shutil.which("curl")

    def with_curl() -> float:
        assert curl is not None
        argv = [curl, "-sSf", "-o", str(out / "curl.mp4"), target.url]
        for key, value in target.headers.items():
            argv[1:1] = ["-H", f"{key}: {value}"]
        started = time.perf_counter()
        subprocess.run(argv, check=True, cwd=REPO)
        seconds = time.perf_counter() - started
        clean()
        return seconds

    runs = session.runs(9, 3)  # downloads vary run to run: more of them
    samples: dict[str, list[float]] = {"meetdeck": [], "httpx": [], "curl": []}
    try:
        # One unmeasured download first: the sandbox computes the file's ETag (an md5
        # of the whole file up to 64 MiB) on the first request and keeps it.
        await plain()
        for _ in range(runs):  # interleaved by hand: two are coroutines
            samples["meetdeck"].append(await meetdeck())
            samples["httpx"].append(await plain())
            if curl:
                samples["curl"].append(with_curl())
    finally:
        await providers.aclose()
    mb = size / 1e6

    def speed(values: list[float]) -> list[float]:
        return [mb / v for v in values]

    mine, bare = median(speed(samples["meetdeck"])), median(speed(samples["httpx"]))
    figures = [
        Figure(
            "download",
            f"recording download throughput ({size // MIB} MiB file)",
            mine,
            "MB/s",
            baseline=bare,
            baseline_name="plain streamed httpx download",
            ratio=ratio(mine, bare),
            target=">= 0.95x",
            samples=speed(samples["meetdeck"]),
            baseline_samples=speed(samples["httpx"]),
            note="meetdeck also fsyncs and renames the .part file; loopback sandbox",
        )
    ]
    figures[0].met = figures[0].ratio is not None and figures[0].ratio >= 0.95
    if curl:
        by_curl = median(speed(samples["curl"]))
        figures.append(
            Figure(
                "download",
                "recording download throughput vs curl",
                mine,
                "MB/s",
                baseline=by_curl,
                baseline_name="curl -o",
                ratio=ratio(mine, by_curl),
                samples=speed(samples["meetdeck"]),
                baseline_samples=speed(samples["curl"]),
                note="for information (no target)",
            )
        )
    return figures
