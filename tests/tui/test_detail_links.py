"""A signed link in the detail panel: whoever holds it gets the file, so its signature
never reaches the screen (a screenshot, a shared screen, the scrollback)."""

from __future__ import annotations

from datetime import UTC, datetime

from tui.core.display.links import masked_link
from tui.core.models import Provider, Recording
from tui.widgets.detail import describe
from tui.widgets.formatting import TimeFormat

UTC_FORMAT = TimeFormat.build("UTC", None)
SIGNED = "https://files.example.com/g2m-1?expires=1796659719&signature=4e3d6d2ce95a56502f"


def test_a_signed_download_link_shows_without_its_signature() -> None:
    recording = Recording(
        Provider.GOTO_MEETING,
        "1-rec",
        "873:1",
        "weekly.sync.mp4",
        start=datetime(2026, 3, 2, 9, tzinfo=UTC),
        download_url=SIGNED,
        share_url="https://share.example.com/1?pwd=abc",
    )
    text = describe(recording, UTC_FORMAT).plain
    assert "4e3d6d2ce95a56502f" not in text
    assert "expires=1796659719&signature=***" in text.replace("\n", "")
    # A link meant to be passed on keeps its passcode.
    assert "pwd=abc" in text.replace("\n", "")


def test_every_credential_in_a_query_is_masked_and_the_rest_kept() -> None:
    url = (
        "https://b.s3.amazonaws.com/f.mp4?X-Amz-Credential=AKIA%2F1&X-Amz-Date=20261207"
        "&X-Amz-Signature=abcd;token=t0k#frag"
    )
    assert masked_link(url) == (
        "https://b.s3.amazonaws.com/f.mp4?X-Amz-Credential=***&X-Amz-Date=20261207"
        "&X-Amz-Signature=***;token=***#frag"
    )
    # A path or a parameter that only ends like one is left alone.
    plain = "https://x.example.com/signature=1?mysig=2&designature=3"
    assert masked_link(plain) == plain
