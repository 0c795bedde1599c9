"""`[columns]` in config.toml: checked strictly, written back without losing the file
(tui/core/settings/columns.py), and a type the Settings model refuses."""

from __future__ import annotations

import os
import resource
import signal
import stat
from pathlib import Path

import pytest

from tui.core.errors import ConfigError
from tui.core.settings.columns import check_columns, columns_table, save_columns
from tui.core.settings.config import load_settings
from tui.core.settings.paths import Paths

KNOWN = {
    "registrants": ("name", "email", "status", "event"),
    "organizers": ("name", "email", "provider"),
}

CONFIG = """\
# meetdeck, as I like it
theme = "nord"   # dark, but not too dark

[profiles.work]  # production: careful
read_only = true

[keymap]
approve = "A"    # shift, so it is never pressed by mistake
"""


def test_a_valid_table_is_taken_in_the_tabs_own_order() -> None:
    chosen, error = check_columns({"registrants": ["status", "name"]}, KNOWN)
    assert error is None
    assert chosen == {"registrants": ("name", "status")}
    assert check_columns(None, KNOWN) == ({}, None)


def test_unknown_tabs_and_column_ids_are_named_with_the_known_ones() -> None:
    chosen, error = check_columns(
        {
            "registrants": ["name", "emial"],
            "regsitrants": ["name"],
            "organizers": ["email"],
        },
        KNOWN,
    )
    assert chosen == {"organizers": ("email",)}  # the valid tab still applies
    assert isinstance(error, ConfigError)
    sentence = error.sentence
    assert "'emial' (did you mean 'email'?)" in sentence
    assert "known ids of registrants: name, email, status, event" in sentence
    assert "unknown tab 'regsitrants' (did you mean 'registrants'?)" in sentence
    assert "known tabs: registrants, organizers" in sentence


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        ("name", "must be a table of lists"),
        ({"registrants": "name"}, "registrants must be a list of column ids"),
        ({"registrants": []}, "registrants lists no column"),
        ({"registrants": ["name", 3]}, "3"),
    ],
)
def test_odd_shapes_are_errors(raw: object, words: str) -> None:
    chosen, error = check_columns(raw, KNOWN)
    assert chosen == {}
    assert error is not None and words in error.sentence


def test_settings_accept_the_table_and_refuse_a_wrong_type(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "c", tmp_path / "d", tmp_path / "k", tmp_path / "o")
    paths.config_dir.mkdir()
    paths.config_file.write_text('[columns]\nregistrants = ["name"]\n', encoding="utf-8")
    assert load_settings(paths).columns == {"registrants": ["name"]}
    paths.config_file.write_text('[columns]\nregistrants = "name"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"'columns.registrants' in .*config.toml"):
        load_settings(paths)


def test_writing_back_keeps_comments_and_other_keys(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    path.chmod(0o644)
    assert save_columns(path, "registrants", ["name", "status"]) is None
    text = path.read_text(encoding="utf-8")
    assert text.startswith(CONFIG)  # every line and comment as it was
    assert text.endswith('[columns]\nregistrants = ["name", "status"]\n')
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # private, as config.toml should be
    assert columns_table(path) == ({"registrants": ["name", "status"]}, None)
    # A second tab joins the table; a tab back to every column leaves it.
    assert save_columns(path, "organizers", ["email"]) is None
    assert save_columns(path, "registrants", None) is None
    assert columns_table(path) == ({"organizers": ["email"]}, None)
    assert path.read_text(encoding="utf-8").startswith(CONFIG)
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]  # no temporary left


def test_an_existing_columns_line_keeps_its_comment(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[columns]  # mine\nregistrants = ["name"]  # short\n', encoding="utf-8")
    assert save_columns(path, "registrants", ["name", "email"]) is None
    assert path.read_text(encoding="utf-8") == (
        '[columns]  # mine\nregistrants = ["name", "email"]  # short\n'
    )


def test_a_missing_file_is_created_private(tmp_path: Path) -> None:
    path = tmp_path / "new" / "config.toml"
    assert save_columns(path, "registrants", ["name"]) is None
    assert path.read_text(encoding="utf-8") == '[columns]\nregistrants = ["name"]\n'
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_symlinked_config_is_written_where_it_points(tmp_path: Path) -> None:
    real = tmp_path / "dotfiles" / "meetdeck.toml"
    real.parent.mkdir()
    real.write_text(CONFIG, encoding="utf-8")
    link = tmp_path / "config.toml"
    link.symlink_to(real)
    assert save_columns(link, "registrants", ["name"]) is None
    assert link.is_symlink()  # the dotfiles link stays a link
    assert real.read_text(encoding="utf-8").startswith(CONFIG)
    assert columns_table(link)[0] == {"registrants": ["name"]}


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('theme = "nord"\n[columns\nregistrants = ["name"]\n', "is not valid TOML"),
        ("columns = 3\n", "columns key that is not a table"),
        (b"theme = '\xff'\n", "is not UTF-8"),
    ],
)
def test_a_file_that_cannot_be_edited_is_left_as_it_was(
    tmp_path: Path, text: str | bytes, words: str
) -> None:
    path = tmp_path / "config.toml"
    raw = text if isinstance(text, bytes) else text.encode()
    path.write_bytes(raw)
    problem = save_columns(path, "registrants", ["name"])
    assert problem is not None and words in problem and "not changed" in problem
    assert path.read_bytes() == raw
    assert [p.name for p in tmp_path.iterdir()] == ["config.toml"]


def test_an_unwritable_folder_leaves_the_file(tmp_path: Path) -> None:
    blocked = tmp_path / "file"
    blocked.write_text("", encoding="utf-8")
    problem = save_columns(blocked / "config.toml", "registrants", ["name"])
    assert problem is not None and "(Not a directory), so it was not changed" in problem
    assert blocked.read_text(encoding="utf-8") == ""


def test_a_full_disk_leaves_the_file_whole(tmp_path: Path) -> None:
    """A write that stops part way (EFBIG here, as ENOSPC on a full disk) never
    reaches config.toml: the old file stays whole and the temporary is removed."""
    path = tmp_path / "config.toml"
    path.write_text(CONFIG, encoding="utf-8")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64, hard))
    try:
        problem = save_columns(path, "registrants", ["name", "email", "status"])
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert problem is not None and "could not be written" in problem
    assert path.read_text(encoding="utf-8") == CONFIG
    assert os.listdir(tmp_path) == ["config.toml"]
