"""A bounded schemathesis run per spec: the sandbox never answers 5xx, nor off-schema.

Issue 14.9: an independent fuzzer found 500s where the real clouds answer 4xx. This runs
schemathesis over every operation of each spec in /work/shared/specs, positive and
negative cases, against the sandbox in-process (schemathesis's ASGI transport), signed
in as the GoTo admin or the Zoom account. Half the cases have their path keys replaced
by keys the sandbox holds, so bodies and queries reach the handlers behind the 404s.
An operation that may change data gets a fresh sandbox, so a DELETE cannot starve the
operations after it.

Seeded and bounded (a few hundred cases in all); Hypothesis runs without a deadline.
"""

from __future__ import annotations

import asyncio
import copy
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.generation.case import Case
from schemathesis.specs.openapi.checks import response_schema_conformance
from starlette.applications import Starlette

from tests.support.sandbox import ANCHOR, BASE
from tests.support.specs import PREFIXES, goto_headers, load_spec, require_specs, zoom_headers
from tui.sandbox.asgi import Receive, Scope, Send
from tui.sandbox.server import SandboxConfig, create_app
from tui.sandbox.state import SandboxState

#: Hypothesis examples per operation and generation mode (positive, negative).
EXAMPLES = {"g2m": 2, "g2t": 2, "zoom": 4, "seeit": 8}
#: ... and per mode for an operation that takes a body (it has more to get wrong).
BODY_EXAMPLES = 8
SEED = 14_9
#: Values a client might send where the spec wants another type or range: what the
#: fuzzer that found issue 14.9 sent ({"action": {}}, [{}], years before 1000).
ODD_VALUES: tuple[Any, ...] = (
    {},
    [],
    [{}],
    None,
    "",
    "x",
    0,
    -1,
    2**63,
    True,
    1.5,
    "0999-01-01T00:00:00Z",
    "0001-01-01T00:00:00+05:00",
    "9999-12-31T23:59:59-05:00",
)


def typed_objects(node: Any) -> Any:
    """Spec workaround: the GoTo specs' schemas list `properties` without `type:
    object`, which JSON Schema reads as "any type", so even positive cases were bare
    strings and numbers. Adds the type (to a copy; the spec files are not ours)."""
    if isinstance(node, dict):
        if "properties" in node and "type" not in node:
            node["type"] = "object"
        for value in node.values():
            typed_objects(value)
    elif isinstance(node, list):
        for value in node:
            typed_objects(value)
    return node


def slots(body: Any) -> list[tuple[Any, Any]]:
    """Every (container, key-or-index) of a JSON body, depth first."""
    found: list[tuple[Any, Any]] = []
    if isinstance(body, dict):
        for key, value in body.items():
            found.append((body, key))
            found.extend(slots(value))
    elif isinstance(body, list):
        for index, value in enumerate(body):
            found.append((body, index))
            found.extend(slots(value))
    return found


def confuse(body: Any, slot: int, value: Any) -> Any:
    """A copy of `body` with one value (picked by `slot`) replaced by `value`."""
    body = copy.deepcopy(body)
    places = slots(body)
    if slot % 2 and isinstance(body, dict) and body:  # half the time a top-level field
        places = [(body, key) for key in body]
        slot //= 2
    if not places:
        return body
    container, key = places[slot % len(places)]
    container[key] = copy.deepcopy(value)
    return body


class Current:
    """One ASGI app object for the whole run that forwards to the sandbox of the moment.

    Schemathesis keeps every app it has started a lifespan for alive until the process
    ends; forwarding through one object keeps that to one.
    """

    def __init__(self) -> None:
        self.app: Starlette | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":  # the sandbox has no start-up or shut-down work
            message = await receive()
            while message["type"] != "lifespan.shutdown":
                await send({"type": f"{message['type']}.complete"})
                message = await receive()
            await send({"type": "lifespan.shutdown.complete"})
            return
        assert self.app is not None
        await self.app(scope, receive, send)


CURRENT = Current()


def fresh_sandbox(api: str) -> tuple[Starlette, dict[str, str]]:
    """A new sandbox app and the admin's (or Zoom account's) bearer header for it."""
    app = create_app(
        SandboxConfig(
            seed=7, registrants=60, anchor=ANCHOR, rate_limit_scale=0, recording_bytes=20_000
        )
    )

    async def sign_in() -> dict[str, str]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
            return await (zoom_headers(client) if api == "zoom" else goto_headers(client))

    return app, asyncio.run(sign_in())


def held_keys(api: str, state: SandboxState) -> dict[str, str]:
    """Path parameter name -> a key the sandbox holds, so cases get past the 404s."""
    goto, zoom = state.goto, state.zoom
    if api == "g2m":
        session = next(
            s
            for s in goto.sessions.values()
            if not s.ongoing and goto.meetings[s.meeting_id].organizer_key != goto.admin_key
        )
        meeting = goto.meetings[session.meeting_id]
        owner = goto.organizers[meeting.organizer_key]
        return {
            "organizerKey": str(owner.key),
            "groupKey": str(owner.group_key),
            "meetingId": str(meeting.id),
            "sessionId": str(session.id),
        }
    if api == "g2t":
        training = next(
            t for t in goto.trainings.values() if t.registrants and t.sessions and t.recordings
        )
        return {
            "organizerKey": str(training.organizer_keys[0]),
            "trainingKey": str(training.key),
            "registrantKey": str(next(iter(training.registrants))),
            "recordingId": str(training.recordings[0].id),
            "sessionKey": str(training.sessions[0].key),
            "accountKey": str(goto.account_key),
        }
    if api == "zoom":
        webinar = next(e for e in zoom.webinars.values() if e.registrants)
        zoom_meeting = next(
            (e for e in zoom.meetings.values() if e.registrants and e.recording),
            None,
        ) or next(e for e in zoom.meetings.values() if e.registrants)
        assert webinar.registrants is not None
        return {
            "userId": webinar.host_id,
            "webinarId": str(webinar.id),
            "meetingId": str(zoom_meeting.id),
            "registrantId": webinar.registrants.ids[0],
        }
    return {"uuid": next(iter(goto.seeit))}


@dataclass
class Tally:
    cases: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    problems: list[str] = field(default_factory=list)


def check(case: Case[Any], call: Callable[[], Any], tally: Tally) -> None:
    """Send one case; note a transport error, a 5xx or a response off the spec's schema."""
    tally.cases += 1
    where = f"{case.method} {case.formatted_path}"
    try:
        answer = call()
    except Exception as exc:  # an exception escaping the app is a 500 too
        tally.problems.append(f"{where}: {exc!r}\n{case.as_curl_command()}")
        return
    tally.statuses[answer.status_code] += 1
    if answer.status_code >= 500:
        tally.problems.append(
            f"{where}: {answer.status_code} {answer.text[:300]}\n{case.as_curl_command()}"
        )
        return
    try:
        case.validate_response(answer, checks=[response_schema_conformance])
    except Exception as exc:
        tally.problems.append(f"{where}: off-schema {exc}\n{case.as_curl_command()}")


def fuzz_operation(
    api: str, operation: Any, tally: Tally, sandbox: tuple[Starlette, dict[str, str]] | None
) -> tuple[Starlette, dict[str, str]]:
    """Positive then negative cases of one operation; one that may change the data gets
    a fresh sandbox (reads share the one before). Returns the sandbox used."""
    if sandbox is None or operation.method.upper() != "GET":
        sandbox = fresh_sandbox(api)
    app, headers = sandbox
    CURRENT.app = app
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        fuzz_cases(api, operation, mode, app, headers, tally)
    return sandbox


def fuzz_cases(
    api: str,
    operation: Any,
    mode: GenerationMode,
    app: Starlette,
    headers: dict[str, str],
    tally: Tally,
) -> None:
    keys = held_keys(api, app.state.sandbox)
    base_url = f"http://testserver{PREFIXES[api]}"
    examples = BODY_EXAMPLES if operation.body else EXAMPLES[api]

    @seed(SEED)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(
        case=operation.as_strategy(generation_mode=mode),
        held=st.booleans(),
        odd=st.none()
        | st.tuples(st.integers(0, 63), st.sampled_from(ODD_VALUES))
        | st.tuples(st.integers(0, 63), st.sampled_from(ODD_VALUES)),
    )
    def run(case: Case[Any], held: bool, odd: tuple[int, Any] | None) -> None:
        if held and case.path_parameters:
            for name in case.path_parameters:
                if name in keys:
                    case.path_parameters[name] = keys[name]
        if odd is not None and isinstance(case.body, dict | list):
            case.body = confuse(case.body, *odd)
        check(
            case,
            lambda: case.call(base_url=base_url, app=CURRENT, headers=headers),
            tally,
        )

    run()


@pytest.mark.parametrize("api", ["g2m", "g2t", "zoom", "seeit"])
def test_sandbox_answers_every_case_in_spec(api: str) -> None:
    require_specs()
    schema = schemathesis.openapi.from_dict(typed_objects(copy.deepcopy(load_spec(api))))
    tally = Tally()
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), f"schemathesis cannot read an operation: {result}"
        operations.append(result.ok())
    random.Random(SEED).shuffle(operations)
    sandbox = None
    for operation in operations:
        sandbox = fuzz_operation(api, operation, tally, sandbox)
    print(f"{api}: {len(operations)} operations, {tally.cases} cases, {dict(tally.statuses)}")
    assert not tally.problems, "\n\n".join(tally.problems[:20])
    assert tally.cases >= len(operations) * 2
    assert sum(n for status, n in tally.statuses.items() if status < 300) > 0
