"""A stand-in `xdg-open` that records what a browser would have been started with."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class FakeOpener:
    """A recording `xdg-open` in `bin`; `args` and `env` are what it was started with."""

    bin: Path
    record: Path

    @property
    def ran(self) -> bool:
        return (self.record / "done").exists()

    def args(self) -> list[str]:
        return (self.record / "args").read_text().splitlines()

    def env(self) -> dict[str, str]:
        lines = (self.record / "env").read_bytes().split(b"\0")
        return dict(line.decode().split("=", 1) for line in lines if b"=" in line)


def fake_opener(base: Path) -> FakeOpener:
    """Write the recording `xdg-open` under `base`."""
    bin_dir, record = base / "bin", base / "record"
    bin_dir.mkdir(parents=True)
    record.mkdir()
    script = bin_dir / "xdg-open"
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\n' \"$@\" > '{record}/args'\n"
        f"env -0 > '{record}/env'\n"
        f"touch '{record}/done'\n"
    )
    script.chmod(0o755)
    return FakeOpener(bin_dir, record)
