"""`meetdeck sandbox`: serve the local fake of the GoTo and Zoom clouds."""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    from tui.sandbox.server import SandboxConfig, serve

    serve(
        SandboxConfig(
            host=args.host,
            port=args.port,
            seed=args.seed,
            registrants=args.registrants,
            organizers=args.organizers,
            latency_ms=args.latency_ms,
            error_rate=args.error_rate,
            token_ttl=args.token_ttl,
            rate_limit_scale=args.rate_limit_scale,
            zoom_plan=args.zoom_plan,
        )
    )
    return 0
