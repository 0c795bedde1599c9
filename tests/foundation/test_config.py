"""Settings: precedence, strictness, the loopback-only HTTP rule, profiles."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.core.errors import ConfigError
from tui.core.settings.config import check_base_url, demo_profile, load_settings
from tui.core.settings.paths import resolve_paths
from tui.core.settings.quick import exposed_config


def write_config(text: str) -> Path:
    paths = resolve_paths()
    paths.config_dir.mkdir(parents=True, exist_ok=True)
    paths.config_file.write_text(text, encoding="utf-8")
    return paths.config_file


def test_defaults_without_a_file() -> None:
    settings = load_settings()
    assert settings.profiles == {}
    assert settings.theme == "textual-dark"
    assert settings.mouse is True


def test_precedence_flags_over_env_over_file_over_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    write_config(
        'theme = "nord"\ndefault_profile = "a"\n'
        '[profiles.a]\ngoto_client_id = "file-id"\ntimezone = "UTC"\n'
        "[profiles.b]\n"
    )
    assert load_settings().theme == "nord"
    monkeypatch.setenv("MEETDECK_THEME", "gruvbox")
    monkeypatch.setenv("MEETDECK_PROFILES__A__GOTO_CLIENT_ID", "env-id")
    settings = load_settings()
    assert settings.theme == "gruvbox"
    # env and file merge key by key: the env id wins, the file's timezone stays
    assert settings.profiles["a"].goto_client_id == "env-id"
    assert settings.profiles["a"].timezone == "UTC"
    settings = load_settings(overrides={"theme": "monokai", "profile": "b"})
    assert settings.theme == "monokai"
    assert settings.active_profile_name() == "b"


def test_profile_selection(monkeypatch: pytest.MonkeyPatch) -> None:
    write_config('default_profile = "a"\n[profiles.a]\n[profiles.b]\n')
    assert load_settings().active_profile()[0] == "a"
    monkeypatch.setenv("MEETDECK_PROFILE", "b")
    assert load_settings().active_profile()[0] == "b"
    assert load_settings(overrides={"profile": "a"}).active_profile()[0] == "a"
    with pytest.raises(ConfigError, match=r"'nope' is not in config\.toml"):
        load_settings(overrides={"profile": "nope"}).active_profile()


def test_several_profiles_without_default_ask_to_choose() -> None:
    write_config("[profiles.a]\n[profiles.b]\n")
    with pytest.raises(ConfigError, match="choose one"):
        load_settings().active_profile()


def test_unknown_key_names_the_key_and_the_file() -> None:
    path = write_config('[profiles.work]\ngoto_client_idd = "typo"\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "profiles.work.goto_client_idd" in message
    assert str(path) in message
    assert "Traceback" not in message


def test_unknown_top_level_key() -> None:
    write_config('themme = "nord"\n')
    with pytest.raises(ConfigError, match="unknown key 'themme'"):
        load_settings()


def test_broken_toml_is_a_clear_error() -> None:
    path = write_config("[profiles.a\n")
    with pytest.raises(ConfigError, match="not valid TOML") as info:
        load_settings()
    assert str(path) in str(info.value)


def test_secrets_are_secret() -> None:
    write_config('[profiles.a]\ngoto_client_secret = "hunter2"\nzoom_client_secret = "s3"\n')
    profile = load_settings().profiles["a"]
    assert "hunter2" not in repr(profile)
    assert "s3" not in str(profile)
    assert profile.goto_client_secret is not None
    assert profile.goto_client_secret.get_secret_value() == "hunter2"


@pytest.mark.parametrize(
    "url",
    [
        "https://api.getgo.com",
        "http://127.0.0.1:8765",
        "http://127.9.9.9",
        "http://localhost:1",
        "http://[::1]:8080/zoom/v2",
    ],
)
def test_https_or_loopback_accepted(url: str) -> None:
    assert check_base_url(url) == url.rstrip("/")


@pytest.mark.parametrize("url", ["http://api.getgo.com", "http://10.0.0.1", "ftp://x", "nope"])
def test_plain_http_to_remote_refused(url: str) -> None:
    with pytest.raises(ValueError):
        check_base_url(url)


def test_plain_http_in_the_file_is_a_config_error_saying_why() -> None:
    write_config('[profiles.a]\nzoom_api_base = "http://api.zoom.us/v2"\n')
    with pytest.raises(ConfigError, match="loopback"):
        load_settings()


def test_bad_profile_name_refused() -> None:
    write_config('[profiles."../etc"]\n')
    with pytest.raises(ConfigError, match="not allowed"):
        load_settings()


def test_demo_profile_points_at_the_sandbox() -> None:
    profile = demo_profile("http://127.0.0.1:5555")
    assert profile.zoom_api_base == "http://127.0.0.1:5555/zoom/v2"
    assert profile.has_goto and profile.has_zoom


def test_private_files_is_on_by_default_and_can_be_turned_off() -> None:
    assert load_settings().private_files is True
    write_config("private_files = false\n")
    assert load_settings().private_files is False


@pytest.mark.parametrize(
    ("text", "mode", "warned"),
    [
        ('[profiles.w]\nzoom_client_secret = "s3cret"\n', 0o644, True),
        ('[profiles.w]\ngoto_client_secret = "s3cret"\n', 0o640, True),
        ('[profiles.w]\nzoom_client_secret = "s3cret"\n', 0o600, False),
        ('[profiles.w]\nzoom_client_id = "id"\n', 0o644, False),
        ('[profiles.w]\nzoom_client_secret = ""\n', 0o644, False),
        ("not toml [", 0o644, False),
    ],
)
def test_a_config_holding_secrets_others_can_read_is_warned_about(
    text: str, mode: int, warned: bool
) -> None:
    path = write_config(text)
    path.chmod(mode)
    warning = exposed_config(path)
    assert (warning is not None) == warned
    if warning:
        assert f"chmod 600 {path}" in warning and "s3cret" not in warning


def test_no_config_file_is_no_warning() -> None:
    assert exposed_config(resolve_paths().config_file) is None


def test_profile_names_match_whatever_their_case(monkeypatch: pytest.MonkeyPatch) -> None:
    """Issue 12: `MEETDECK_PROFILES__PROD__READ_ONLY` is [profiles.Prod]'s, for the full
    loader and the first frame's quick read alike; `--profile prod` opens "Prod"; no
    phantom "prod" appears."""
    from tui.core.settings.quick import FirstFrame, choose_profile, read_raw_config

    write_config('[profiles.Prod]\naccent = "red"\n[profiles.staging]\n')
    monkeypatch.setenv("MEETDECK_PROFILES__PROD__READ_ONLY", "true")
    monkeypatch.setenv("meetdeck_profiles__prod__timezone", "UTC")
    monkeypatch.setenv("MEETDECK_PROFILES__NIGHT__ACCENT", "blue")  # only in the env
    settings = load_settings(overrides={"profile": "prod"})
    assert sorted(settings.profiles) == ["Prod", "night", "staging"]
    assert settings.active_profile() == ("Prod", settings.profiles["Prod"])
    assert settings.profiles["Prod"].read_only and settings.profiles["Prod"].accent == "red"
    assert settings.profiles["Prod"].timezone == "UTC"
    assert settings.named_profile("PROD") is settings.profiles["Prod"]
    data = read_raw_config(resolve_paths().config_file)
    assert choose_profile("prod", data) == choose_profile("PROD", data) == "Prod"
    frame = FirstFrame("Prod", data)
    assert frame.read_only and frame.accent == "red"
    assert frame.profile_names == ("Prod", "night", "staging")
    assert frame.profile_zones["Prod"] == "UTC"
    assert frame.of("staging").read_only is False and frame.of("night").accent == "blue"
    assert frame.of("PROD").profile == "Prod" and frame.of("PROD").read_only


def test_two_profiles_differing_only_in_case_are_an_error_naming_both() -> None:
    from tui.core.settings.quick import ProfileChoiceError, choose_profile, read_raw_config

    path = write_config("[profiles.Prod]\nread_only = true\n[profiles.prod]\n")
    with pytest.raises(ConfigError, match=r"\[profiles\.Prod\] and \[profiles\.prod\]") as e:
        load_settings()
    assert str(path) in str(e.value)
    with pytest.raises(ProfileChoiceError, match=r"profiles\.Prod\] and \[profiles\.prod"):
        choose_profile("Prod", read_raw_config(path))


def test_zoom_plan_sets_the_buckets_and_defaults_to_pro() -> None:
    write_config('[profiles.a]\n[profiles.b]\nzoom_plan = "Business+"\n')
    settings = load_settings()
    assert settings.profiles["a"].zoom_plan == "pro"
    assert settings.profiles["a"].zoom_rates() == {"light": 30.0, "default": 20.0, "heavy": 10.0}
    assert settings.profiles["b"].zoom_plan == "business_plus"
    assert settings.profiles["b"].zoom_rates() == {"light": 80.0, "default": 60.0, "heavy": 40.0}


def test_an_unknown_zoom_plan_names_the_key_and_the_plans() -> None:
    path = write_config('[profiles.a]\nzoom_plan = "gold"\n')
    with pytest.raises(ConfigError) as info:
        load_settings()
    message = str(info.value)
    assert "profiles.a.zoom_plan" in message and str(path) in message
    assert "unknown Zoom plan 'gold'" in message and "pro, business" in message
