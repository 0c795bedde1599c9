"""The embedded sandbox of a `--demo` run (the TUI, `sync`, `download`), started afresh.

Each run starts its own sandbox on an ephemeral port, which issues its own tokens: the
tokens an earlier demo stored belong to that run's sandbox, and sent to this one they
read as a session that ended. They are discarded as the sandbox starts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tui.core.settings.paths import Paths


def start_demo_sandbox(paths: Paths, args: Any, config: Any = None) -> Any:
    """Start the sandbox (`config`, or one from --seed and --registrants) and forget
    the demo's old tokens; returns the handle (a context manager, with `stop()`)."""
    from tui.core.settings.paths import DEMO_PROFILE
    from tui.sandbox.server import SandboxConfig, start_background

    handle = start_background(
        config
        or SandboxConfig(
            port=0, seed=getattr(args, "seed", 1), registrants=getattr(args, "registrants", 500)
        )
    )
    paths.token_file(DEMO_PROFILE, demo=True).unlink(missing_ok=True)
    return handle
