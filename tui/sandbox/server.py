"""Builds and serves the sandbox: `create_app`, `serve` and `start_background`."""

from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
import sys
import threading
import time
from types import TracebackType

import uvicorn
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from tui.sandbox import auth, control, files, g2m, g2t, seeit, zoom_api
from tui.sandbox.body_faults import DroppedConnection
from tui.sandbox.config import (
    GOTO_ADMIN_CLIENT,
    ZOOM_ACCOUNT_ID,
    ZOOM_CLIENT,
    SandboxConfig,
)
from tui.sandbox.middleware import SandboxMiddleware, classify
from tui.sandbox.state import SandboxState
from tui.sandbox.web import ApiError, goto_body

__all__ = [
    "SandboxConfig",
    "SandboxHandle",
    "create_app",
    "profile_toml",
    "serve",
    "start_background",
]


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return exc.response


async def _http_error(request: Request, exc: Exception) -> Response:
    """404/405 in the body format of the API the path belongs to."""
    assert isinstance(exc, HTTPException)
    api = classify(request.url.path)
    status = exc.status_code
    headers = dict(exc.headers or {})
    if api.startswith("zoom"):
        code = 404 if status == 404 else 300
        return JSONResponse({"code": code, "message": exc.detail}, status, headers)
    if api == "other" or api == "control":
        return JSONResponse({"error": exc.detail}, status, headers)
    names = {404: "NotFound", 405: "MethodNotAllowed"}
    return JSONResponse(goto_body(names.get(status, "InvalidRequest"), exc.detail), status, headers)


def create_app(config: SandboxConfig) -> Starlette:
    """The sandbox as an ASGI app (its state on `app.state.sandbox`)."""
    state = SandboxState(config)
    routes = [
        *auth.ROUTES,
        *g2m.ROUTES,
        *g2t.ROUTES,
        *seeit.ROUTES,
        *zoom_api.ROUTES,
        *files.ROUTES,
        *control.ROUTES,
    ]
    app = Starlette(
        routes=routes,
        middleware=[Middleware(SandboxMiddleware, state=state)],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.sandbox = state
    return app


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def profile_toml(base_url: str, plain: bool = False) -> str:
    """A `[profiles.sandbox]` block pointing meetdeck at a sandbox."""
    client_id, secret = GOTO_ADMIN_CLIENT
    return "\n".join(
        [
            "[profiles.sandbox]",
            f'goto_client_id = "{client_id}"',
            f'goto_client_secret = "{secret}"',
            f'goto_api_base = "{base_url}"',
            f'goto_auth_base = "{base_url}"',
            f'goto_redirect_uri = "{base_url}/_sandbox/callback"',
            f'seeit_api_base = "{base_url}/seeit/v1"',
            f'zoom_account_id = "{ZOOM_ACCOUNT_ID}"',
            f'zoom_client_id = "{ZOOM_CLIENT[0]}"',
            f'zoom_client_secret = "{ZOOM_CLIENT[1]}"',
            f'zoom_api_base = "{base_url}/zoom/v2"',
            f'zoom_auth_base = "{base_url}/zoom"',
        ]
    )


class _QuietDrops(logging.Filter):
    """Hides the tracebacks of connections the `drop_mid_body` fault aborts on purpose."""

    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        return not isinstance(exc, DroppedConnection)


def _uvicorn_config(config: SandboxConfig, sock_app: Starlette, log_level: str) -> uvicorn.Config:
    logging.getLogger("uvicorn.error").addFilter(_QuietDrops())
    return uvicorn.Config(
        sock_app,
        host=config.host,
        port=config.port,
        log_level=log_level,
        access_log=False,
        lifespan="off",
        timeout_graceful_shutdown=1,
    )


def _check_host(host: str) -> None:
    if not is_loopback(host):
        raise ValueError(
            f"The sandbox only listens on loopback (127.0.0.1, ::1, localhost), "
            f"not {host!r}: it hands out fixed demo credentials."
        )


def _bind(config: SandboxConfig) -> socket.socket:
    """A listening-ready socket on the configured host and port (0: an ephemeral one)."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only when proto says TCP (else
    # every keep-alive response waits ~40 ms for a delayed ACK).
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
        # Listen now, before the URLs are printed or returned: a client that connects
        # before uvicorn's loop runs waits in the backlog instead of being refused.
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    return sock


def serve(config: SandboxConfig) -> None:
    """Serve in the foreground until ctrl+c; prints the base URLs and a profile block."""
    try:
        _check_host(config.host)
    except ValueError as exc:
        print(f"meetdeck sandbox: {exc}", file=sys.stderr)
        raise SystemExit(2) from None
    started = time.perf_counter()
    app = create_app(config)
    try:
        sock = _bind(config)
    except OSError as exc:
        print(
            f"meetdeck sandbox: cannot listen on {config.host}:{config.port} ({exc.strerror}); "
            "choose another --port (0 picks a free one).",
            file=sys.stderr,
        )
        raise SystemExit(2) from None
    port = int(sock.getsockname()[1])
    host = f"[{config.host}]" if ":" in config.host else config.host
    base = f"http://{host}:{port}"
    state: SandboxState = app.state.sandbox
    print(
        f"meetdeck sandbox (seed {config.seed}, {config.registrants} registrants in webinar "
        f"{state.zoom.big_webinar_id}; generated in {time.perf_counter() - started:.2f}s)"
    )
    print(f"  GoTo API base:  {base}   (auth: {base}/oauth/authorize, {base}/oauth/token)")
    print(f"  Zoom API base:  {base}/zoom/v2   (auth: {base}/zoom/oauth/token)")
    print(f"  Control API:    {base}/_sandbox/state")
    print("\nPaste into config.toml:\n")
    print(profile_toml(base))
    print("\nctrl+c stops it.", flush=True)
    server = uvicorn.Server(_uvicorn_config(config, app, "warning"))
    with contextlib.suppress(KeyboardInterrupt):
        server.run(sockets=[sock])
    print("meetdeck sandbox stopped.")


class SandboxHandle:
    """A sandbox served from a daemon thread; a context manager that stops it on exit."""

    def __init__(
        self, server: uvicorn.Server, thread: threading.Thread, app: Starlette, host: str, port: int
    ) -> None:
        self._server = server
        self._thread = thread
        self.app = app
        self.host = host
        self.port = port
        shown = f"[{host}]" if ":" in host else host
        self.base_url = f"http://{shown}:{port}"

    @property
    def state(self) -> SandboxState:
        state: SandboxState = self.app.state.sandbox
        return state

    def stop(self, timeout: float = 5.0) -> None:
        self._server.should_exit = True
        self._thread.join(timeout)

    def __enter__(self) -> SandboxHandle:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


def start_background(config: SandboxConfig) -> SandboxHandle:
    """Start uvicorn in a daemon thread; returns once the port accepts connections.

    Port 0 binds an ephemeral port; `handle.port` and `handle.base_url` give the real one.
    """
    _check_host(config.host)
    app = create_app(config)
    sock = _bind(config)
    port = int(sock.getsockname()[1])
    server = uvicorn.Server(_uvicorn_config(config, app, "error"))
    failure: list[BaseException] = []

    def run() -> None:
        try:
            asyncio.run(server.serve(sockets=[sock]))
        except BaseException as exc:  # reported to the starting thread
            failure.append(exc)

    thread = threading.Thread(target=run, name=f"meetdeck-sandbox-{port}", daemon=True)
    thread.start()
    # A generous bound: only a sandbox that never starts should reach it, not a slow one.
    deadline = time.monotonic() + 60.0
    while not server.started:
        if failure or not thread.is_alive():
            sock.close()
            raise RuntimeError(f"the sandbox failed to start: {failure[0] if failure else '?'}")
        if time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the sandbox did not start within 60 s")
        time.sleep(0.005)
    return SandboxHandle(server, thread, app, config.host, port)
