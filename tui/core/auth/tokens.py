"""The token store: one private JSON file per profile, a section per provider.

The file is written atomically (a temp file in the same folder, fsync, os.replace),
is mode 0600, and is refused when group or others can read it: a token file anyone
can read is a leaked account. A full disk or a read-only folder raises StorageError
and leaves the previous file as it was. The file must be a regular file (checked before
it is opened): a FIFO or a folder at its path is a ConfigError naming the path, never a
hang. A file that is not JSON (or not even UTF-8) reads as signed out.

Layout::

    {"version": 1,
     "goto": {"access_token": "...", "refresh_token": "...", "expires_at": "...", ...},
     "zoom": {"access_token": "...", "expires_at": "..."}}
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from dataclasses import asdict, dataclass, field, fields, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tui.core.errors import ConfigError, StorageError, StorageReadError
from tui.core.settings.paths import ensure_dir

GOTO = "goto"
ZOOM = "zoom"
GOTO_PENDING = "goto_login"
SECTIONS = (GOTO, ZOOM)
_VERSION = 1


def utcnow() -> datetime:
    """The current time, timezone-aware (a function so tests can see one clock)."""
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class TokenSet:
    """What a sign-in left us: tokens (hidden from repr) and who we are."""

    access_token: str = field(repr=False)
    expires_at: datetime
    refresh_token: str | None = field(default=None, repr=False)
    token_type: str = "Bearer"  # noqa: S105 (a scheme name, not a secret)
    scope: str | None = None
    organizer_key: str | None = None
    account_key: str | None = None
    email: str | None = None
    name: str | None = None
    is_admin: bool | None = None
    obtained_at: datetime | None = None

    def expires_within(self, seconds: float, *, now: datetime | None = None) -> bool:
        """True when the access token is gone or will be within `seconds`."""
        return (now or utcnow()) + timedelta(seconds=seconds) >= self.expires_at

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict (datetimes as ISO strings)."""
        data = asdict(self)
        for key in ("expires_at", "obtained_at"):
            if isinstance(data[key], datetime):
                data[key] = data[key].isoformat()
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> TokenSet:
        """Parse a stored section; raises ValueError/TypeError/KeyError when broken."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for key in ("expires_at", "obtained_at"):
            if isinstance(values.get(key), str):
                parsed = datetime.fromisoformat(values[key])
                values[key] = parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
        if not isinstance(values.get("access_token"), str):
            raise ValueError("access_token missing")
        if not isinstance(values.get("expires_at"), datetime):
            raise ValueError("expires_at missing")
        return cls(**values)

    def with_identity(self, **changes: Any) -> TokenSet:
        """A copy with identity fields (organizer_key, account_key, ...) changed."""
        return replace(self, **changes)


class TokenStore:
    """Reads and writes one profile's token file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._read: tuple[tuple[int, int, int, int], dict[str, Any]] | None = None
        """The file as last parsed, under its stat signature (inode, size, mtime, mode)."""
        self._sets: dict[str, TokenSet | None] = {}
        """`get`'s answers for the file as last parsed (cleared when it is parsed again):
        every request asks for its token, and reading the section's times anew took
        three quarters of that (issue 18)."""

    def _check_private(self, found: os.stat_result) -> None:
        if not stat.S_ISREG(found.st_mode):
            raise ConfigError(
                f"The token file {self.path} is not a regular file (a folder, a FIFO or a "
                "device), so meetdeck will not read it. Remove or rename it, then sign in "
                "again."
            )
        if found.st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise ConfigError(
                f"The token file {self.path} can be read by other users, so meetdeck will not "
                f"use it. Run `chmod 600 {self.path}` (and sign in again if you did not "
                "expect this)."
            )

    def read_all(self) -> dict[str, Any]:
        """The whole file as a dict ({} when absent). A broken file reads as empty.

        The file is read again whenever it changed (another meetdeck signed in or
        refreshed), checked by one stat per call: the footer asks for the sign-in on
        every frame it redraws, and reading and parsing the file each time showed up.
        """
        return dict(self._current())

    def _current(self) -> dict[str, Any]:
        """`read_all`'s dict, not copied (the parsed file's own, or a new empty one)."""
        try:
            found = self.path.stat()
        except FileNotFoundError:
            self._read = None
            return {}
        except OSError as exc:
            raise StorageReadError(f"Cannot read {self.path}: {exc.strerror}.") from None
        self._check_private(found)
        signature = (found.st_ino, found.st_size, found.st_mtime_ns, found.st_mode)
        if self._read is not None and self._read[0] == signature:
            return self._read[1]
        try:
            raw = self.path.read_text(encoding="utf-8")
        except (FileNotFoundError, UnicodeDecodeError):  # gone, or garbage: signed out
            return {}
        except OSError as exc:
            raise StorageReadError(f"Cannot read {self.path}: {exc.strerror}.") from None
        try:
            data = json.loads(raw)
        except json.JSONDecodeError:
            return {}
        if not isinstance(data, dict):
            return {}
        self._read = (signature, data)
        self._sets = {}
        return data

    def get(self, section: str) -> TokenSet | None:
        """The tokens of one provider section, or None (absent or unreadable)."""
        data = self._current()
        if self._read is not None and data is self._read[1] and section in self._sets:
            return self._sets[section]  # the file as parsed last time
        value = data.get(section)
        tokens = None
        if isinstance(value, dict):
            with contextlib.suppress(ValueError, TypeError, KeyError):
                tokens = TokenSet.from_json(value)
        if self._read is not None and data is self._read[1]:
            self._sets[section] = tokens
        return tokens

    def put(self, section: str, tokens: TokenSet) -> None:
        """Save one provider's tokens, keeping the other sections."""
        data = self.read_all()
        data[section] = tokens.to_json()
        self._write(data)

    def get_raw(self, section: str) -> dict[str, Any] | None:
        """A section as stored (for small records such as a pending sign-in)."""
        value = self.read_all().get(section)
        return value if isinstance(value, dict) else None

    def put_raw(self, section: str, value: dict[str, Any]) -> None:
        """Store a JSON-ready section as is."""
        data = self.read_all()
        data[section] = value
        self._write(data)

    def remove(self, section: str | None = None) -> bool:
        """Forget one provider's tokens (or all). True if something was removed."""
        data = self.read_all()
        if not data:
            return False
        if section is None:
            try:
                self.path.unlink()
            except FileNotFoundError:
                return False
            except OSError as exc:
                raise StorageError(f"Cannot remove {self.path}: {exc.strerror}.") from None
            return True
        if section not in data:
            return False
        del data[section]
        self._write(data)
        return True

    def _write(self, data: dict[str, Any]) -> None:
        data["version"] = _VERSION
        payload = json.dumps(data, indent=2, sort_keys=True).encode("utf-8")
        folder = self.path.parent
        tmp_name: str | None = None
        try:
            ensure_dir(folder)
            fd, tmp_name = tempfile.mkstemp(prefix=".tokens-", suffix=".tmp", dir=folder)
            with os.fdopen(fd, "wb") as fh:
                os.fchmod(fh.fileno(), 0o600)
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp_name, self.path)
            tmp_name = None
            _fsync_dir(folder)
        except OSError as exc:
            raise StorageError(
                f"Cannot save tokens to {self.path}: {exc.strerror or exc}. Free some space "
                "or fix the folder's permissions, then sign in again; the previous tokens "
                "were kept."
            ) from None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)


def _fsync_dir(folder: Path) -> None:
    """Make the rename durable (best effort: some file systems refuse)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
