"""GoTo Assist Seeit's own base URL (`seeit_api_base`) and a 404 at that base, over real
loopback HTTP to the sandbox (docs/real-clouds.md, "Host (#14.8)")."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.support.control import Control
from tests.support.decks import QUICK_RETRIES
from tui.core.errors import ConfigError, NotFound
from tui.core.models import Provider
from tui.core.providers.session import ProviderSet
from tui.core.settings.config import ProfileSettings, demo_profile
from tui.core.settings.paths import resolve_paths
from tui.core.sync.types import ScopeKind

UNKNOWN_UUID = "00000000-0000-4000-8000-000000000000"


def assist_on(base_url: str, seeit_api_base: str) -> ProviderSet:
    profile = demo_profile(base_url).model_copy(
        update={
            "seeit_api_base": seeit_api_base,
            "zoom_account_id": None,
            "zoom_client_id": None,
            "zoom_client_secret": None,
        }
    )
    return ProviderSet.for_profile("work", profile, resolve_paths(), QUICK_RETRIES, demo=True)


def test_seeit_has_its_own_base_defaulting_to_the_public_specs_host() -> None:
    assert ProfileSettings().seeit_api_base == "https://api.citrixonline.com/seeit/v1"
    assert demo_profile("http://127.0.0.1:9").seeit_api_base == "http://127.0.0.1:9/seeit/v1"
    with pytest.raises(ValidationError, match="plain HTTP"):
        ProfileSettings(seeit_api_base="http://seeit.example.com/seeit/v1")


async def test_the_seeit_client_calls_seeit_api_base_not_goto_api_base(sandbox: Any) -> None:
    """Seeit on another host name than `goto_api_base` (the sandbox answers both)."""
    control = Control(sandbox.base_url)
    other = sandbox.base_url.replace("127.0.0.1", "localhost")
    assert other != sandbox.base_url
    async with assist_on(sandbox.base_url, f"{other}/seeit/v1/") as providers:
        await providers.demo_sign_in()
        assert providers.goto_assist is not None
        seq = control.mark()
        pages = [page async for page in providers.goto_assist.session_pages(page_size=50)]
    assert pages and all(s.provider is Provider.GOTO_ASSIST for page in pages for s in page)
    sent = {(r["host"], r["path"]) for r in control.requests_since(seq)}
    assert sent == {(other.split("://", 1)[1], "/seeit/v1/sessions")}


async def test_a_404_at_the_base_says_check_seeit_api_base(sandbox: Any) -> None:
    """No Seeit API at the base: the list, the create and a single session's read
    each say which setting to check; a sync's support scope fails with it."""
    wrong = f"{sandbox.base_url}/nowhere/seeit/v1"
    async with assist_on(sandbox.base_url, wrong) as providers:
        await providers.demo_sign_in()
        assist = providers.goto_assist
        assert assist is not None
        for call in (
            lambda: assist.sessions(),
            lambda: assist.create_session(),
            lambda: assist.session(UNKNOWN_UUID),
            lambda: assist.start_url(UNKNOWN_UUID),
        ):
            with pytest.raises(ConfigError) as info:
                await call()
            sentence = info.value.sentence
            assert "check seeit_api_base in profile 'work'" in sentence.lower()
            assert wrong in sentence and "404" in sentence
            assert info.value.provider == "goto_assist"


async def test_a_missing_session_at_the_right_base_is_still_not_found(sandbox: Any) -> None:
    async with assist_on(sandbox.base_url, f"{sandbox.base_url}/seeit/v1") as providers:
        await providers.demo_sign_in()
        assert providers.goto_assist is not None
        with pytest.raises(NotFound) as info:
            await providers.goto_assist.session(UNKNOWN_UUID)
    assert not isinstance(info.value, ConfigError)
    assert "seeit_api_base" not in info.value.sentence


async def test_a_sync_names_the_setting_in_the_support_scopes_error(sandbox: Any) -> None:
    from tui.core.deck.from_profile import open_profile

    profile = demo_profile(sandbox.base_url).model_copy(
        update={"seeit_api_base": f"{sandbox.base_url}/nowhere/seeit/v1"}
    )
    deck = open_profile(resolve_paths(), "work", profile, demo=True, http=QUICK_RETRIES)
    try:
        await deck.demo_sign_in()
        report = await deck.sync_all(kinds=[ScopeKind.SUPPORT, ScopeKind.EVENTS])
    finally:
        await deck.aclose()
    failed = {f.scope.provider: f.error for f in report.failed}
    assert set(failed) == {Provider.GOTO_ASSIST}  # the other scopes are untouched
    error = failed[Provider.GOTO_ASSIST]
    assert error.title == "Configuration problem" and "seeit_api_base" in error.sentence
