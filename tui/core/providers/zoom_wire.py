"""Zoom wire models (field names as in Zoom's API; unknown fields ignored).

Ids arrive as int64 (meetings, webinars) or strings (users, registrants, files); all
become strings. Registrant lists and similar pages carry `next_page_token`.
"""

from __future__ import annotations

from pydantic import Field

from tui.core.providers.wire import LenientInt, OptDatetime, RawText, Wire


class ZUser(Wire):
    # "The API does not return this value for users with the `pending` status."
    id: str | None = None
    email: str = ""
    first_name: str | None = None
    last_name: str | None = None
    status: str | None = None
    type: LenientInt = None
    role_id: str | None = None


class ZSettings(Wire):
    approval_type: LenientInt = None
    registration_type: LenientInt = None


class ZEvent(Wire):
    """Webinars and meetings, in lists and by id."""

    id: str
    uuid: str | None = None
    topic: str = ""
    start_time: OptDatetime = None
    duration: LenientInt = None
    timezone: str | None = None
    host_id: str | None = None
    host_email: str | None = None
    join_url: str | None = None
    registration_url: str | None = None
    agenda: str | None = None
    type: LenientInt = None
    status: str | None = None
    settings: ZSettings | None = None


class ZQuestion(Wire):
    title: str = ""
    value: str = ""


class ZRegistrant(Wire):
    id: str
    email: str = ""
    first_name: str = ""
    last_name: str | None = None
    status: RawText = ""
    create_time: OptDatetime = None
    join_url: str | None = None
    custom_questions: list[ZQuestion] = Field(default_factory=list)
    address: str | None = None
    city: str | None = None
    state: str | None = None
    zip: str | None = None
    country: str | None = None
    phone: str | None = None
    org: str | None = None
    job_title: str | None = None
    industry: str | None = None
    comments: str | None = None
    no_of_employees: str | None = None
    purchasing_time_frame: str | None = None
    role_in_purchase_process: str | None = None


class ZFile(Wire):
    id: str | None = None
    meeting_id: str | None = None
    recording_start: OptDatetime = None
    recording_end: OptDatetime = None
    file_type: str | None = None
    file_extension: str | None = None
    file_size: LenientInt = None
    download_url: str | None = None
    play_url: str | None = None
    status: str | None = None
    recording_type: str | None = None
    deleted_time: str | None = None


class ZRecordingMeeting(Wire):
    id: str
    uuid: str | None = None
    topic: str = ""
    start_time: OptDatetime = None
    recording_files: list[ZFile] = Field(default_factory=list)


class ZPage(Wire):
    next_page_token: str | None = None
    total_records: LenientInt = None


class ZUsersPage(ZPage):
    users: list[ZUser] = Field(default_factory=list)


class ZWebinarsPage(ZPage):
    webinars: list[ZEvent] = Field(default_factory=list)


class ZMeetingsPage(ZPage):
    meetings: list[ZEvent] = Field(default_factory=list)


class ZRegistrantsPage(ZPage):
    registrants: list[ZRegistrant] = Field(default_factory=list)


class ZRecordingsPage(ZPage):
    meetings: list[ZRecordingMeeting] = Field(default_factory=list)


class ZStart(Wire):
    start_url: str | None = None


class ZRegistered(Wire):
    """The answer to POST …/registrants (no join URL while the person waits)."""

    registrant_id: str
    id: str | None = None
    join_url: str | None = None
    topic: str | None = None
