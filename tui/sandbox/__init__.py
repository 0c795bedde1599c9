"""A faithful local fake of the GoTo and Zoom clouds (ASGI: starlette + uvicorn).

It speaks the wire format of the public specs in ../shared/specs on its own and never
imports `tui.core`, so the client's parsing is tested against data it did not shape.
Start it with `tui.sandbox.server.start_background` (tests, `meetdeck --demo`) or
`tui.sandbox.server.serve` (`meetdeck sandbox`).
"""

from __future__ import annotations

from tui.sandbox.config import SandboxConfig

__all__ = ["SandboxConfig"]
