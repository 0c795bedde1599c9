"""GoTo Training's JSON as gototraining.openapi.yml shapes it: organizers, trainings,
registrants, session reports and attendance (keys as strings, times in ISO 8601)."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from starlette.requests import Request

from tui.sandbox.model import G2TRegistrant, Organizer, Training, TrainingSession
from tui.sandbox.state import SandboxState
from tui.sandbox.web import base_url, iso


def organizer_json(o: Organizer) -> dict[str, Any]:
    return {
        "organizerKey": str(o.key),
        "email": o.email,
        "givenName": o.first_name,
        "surname": o.last_name,
    }


def organizers_json(state: SandboxState, keys: list[int]) -> list[dict[str, Any]]:
    """The organizers of these keys that still exist."""
    return [organizer_json(state.goto.organizers[k]) for k in keys if k in state.goto.organizers]


def training_json(state: SandboxState, t: Training) -> dict[str, Any]:
    return {
        "trainingKey": str(t.key),
        "trainingId": t.training_id,
        "name": t.name,
        "description": t.description,
        "timeZone": t.time_zone,
        "times": [{"startDate": iso(a), "endDate": iso(b)} for a, b in t.times],
        "organizers": organizers_json(state, t.organizer_keys),
        "registrationSettings": {
            "disableConfirmationEmail": t.disable_confirmation_email,
            "disableWebRegistration": t.disable_web_registration,
        },
    }


def registrant_json(request: Request, t: Training, r: G2TRegistrant) -> dict[str, Any]:
    base = base_url(request)
    return {
        "email": r.email,
        "givenName": r.given_name,
        "surname": r.surname,
        "status": r.status,
        "registrationDate": iso(r.registration_date),
        "joinUrl": f"{base}/_sandbox/join/g2t/{t.key}/{r.key}",
        "confirmationUrl": f"{base}/_sandbox/confirm/g2t/{t.key}/{r.key}",
        "registrantKey": str(r.key),
    }


def session_json(state: SandboxState, t: Training, s: TrainingSession) -> dict[str, Any]:
    return {
        "sessionKey": str(s.key),
        "trainingName": t.name,
        "sessionStartTime": iso(s.start),
        "sessionEndTime": iso(s.end),
        "attendanceCount": len(s.attendee_keys),
        "duration": int((s.end - s.start).total_seconds() // 60),
        "organizers": organizers_json(state, t.organizer_keys),
    }


def attendance_json(state: SandboxState, t: Training, s: TrainingSession) -> list[dict[str, Any]]:
    """A held session's attendees, each with one to three stays drawn from the seed."""
    rng = random.Random(f"{state.config.seed}:g2t-attendance:{s.key}")
    length = int((s.end - s.start).total_seconds())
    rows = []
    for key in s.attendee_keys:
        person = t.registrants.get(key)
        if person is None:
            continue
        parts, total, pos = [], 0, rng.randint(0, 600)
        for _ in range(rng.randint(1, 3)):
            if pos >= length - 60:
                break
            leave = rng.randint(pos + 60, length)
            parts.append(
                {
                    "joinTime": iso(s.start + timedelta(seconds=pos)),
                    "leaveTime": iso(s.start + timedelta(seconds=leave)),
                    "timeInPartOfSession": (leave - pos) // 60,
                }
            )
            total += (leave - pos) // 60
            pos = leave + rng.randint(30, 300)
        rows.append(
            {
                "givenName": person.given_name,
                "surname": person.surname,
                "email": person.email,
                "timeInSession": total,
                "inSessionTimes": parts,
            }
        )
    return rows


def recordings_json(request: Request, t: Training) -> dict[str, Any]:
    """A training's recordings: no size (the spec has none), a download URL that redirects."""
    base = base_url(request)
    return {
        "trainingKey": t.key,
        "recordingList": [
            {
                "recordingId": r.id,
                "name": r.name,
                "description": r.description,
                "registrationUrl": f"{base}/_sandbox/register/g2t/{t.key}",
                "downloadUrl": f"{base}/G2T/rest/trainings/{t.key}/recordings/{r.id}",
                "startDate": iso(r.start),
                "endDate": iso(r.end),
            }
            for r in t.recordings
        ],
    }
