"""Who a GoTo sign-in is: the organizer key, the account key and the admin flag.

Today's token host answers no keys (docs/real-clouds.md, "Token reply, current host"),
so after the code exchange meetdeck asks, with the new access token:

1. `GET {goto_api_base}/admin/rest/v1/me`, the Admin API's "me". Admins only: a plain
   organizer may get 401 or 403, which says they are no admin. Its answer gives `key`,
   `accountKey` or `accounts[].key` (GoTo's guide shows `accounts[{key, name}]`), and
   the admin roles.
2. `GET {goto_api_base}/identity/v1/Users/me`, SCIM's "Get Current User", open to any
   user. `id` is "the user's unique key", the organizer key; `accounts[].value` (seen
   on live accounts, not in the spec) is read as the account key when present.

The second is asked only when the token reply and the first leave a key unknown. Both
carry the new token themselves, so a 401 is read as "not for this token" and never
triggers a refresh. When neither gives an organizer key, `IdentityUnknown` says which
answered what, and the sign-in is not kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from tui.core.auth.tokens import TokenSet
from tui.core.errors import IdentityUnknown, MeetdeckError
from tui.core.net.apilog import redact_path
from tui.core.net.client import ApiClient

T = TypeVar("T")

ADMIN_ME_PATH = "/me"
SCIM_ME_PATH = "/Users/me"
REFUSED = (401, 403)


class AdminMe(BaseModel):
    """GET /admin/rest/v1/me (GoTo's guide shows `accounts`; the rest is observed)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    key: str | None = None
    accountKey: str | None = None
    accounts: list[Any] | None = None
    email: str | None = None
    firstName: str | None = None
    lastName: str | None = None
    adminRoles: list[str] | None = None
    roles: list[str] | None = None
    isAdmin: bool | None = None


class ScimName(BaseModel):
    model_config = ConfigDict(extra="ignore")

    givenName: str | None = None
    familyName: str | None = None


class ScimUser(BaseModel):
    """GET /identity/v1/Users/me: the SCIM spec's `User` (its fields, all optional)."""

    model_config = ConfigDict(extra="ignore", coerce_numbers_to_str=True)

    id: str | None = None
    userName: str | None = None
    displayName: str | None = None
    name: ScimName | None = None
    accounts: list[Any] | None = None


ADMIN_ME = TypeAdapter(AdminMe)
SCIM_USER = TypeAdapter(ScimUser)


@dataclass(frozen=True, slots=True)
class Answer(Generic[T]):
    """One "who am I" call: what it said, or a short phrase of what went wrong."""

    endpoint: str
    found: T | None = None
    status: int | None = None
    problem: str | None = None

    @property
    def refused(self) -> bool:
        """The service answered that this token may not call it (401/403)."""
        return self.status in REFUSED

    def said(self) -> str:
        """What happened, for an error sentence."""
        if self.status is not None:
            return f"{self.endpoint} answered {self.status}"
        return f"{self.endpoint} {self.problem or 'gave no key'}"


async def ask(client: ApiClient, path: str, adapter: TypeAdapter[T], access: str) -> Answer[T]:
    """GET `path` with `access` as the bearer token; never refreshes, never raises."""
    endpoint = f"GET {redact_path(client.url(path))}"
    try:
        response = await client.request(
            "GET",
            path,
            authenticate=False,
            headers={"Authorization": f"Bearer {access}"},
            accept=(*REFUSED, 404),
        )
    except MeetdeckError as exc:
        return Answer(endpoint, problem=f"failed ({exc.title.lower()})")
    if response.status_code != 200:
        return Answer(endpoint, status=response.status_code)
    try:
        found = client.validate(adapter, client.decode(response), endpoint)
    except MeetdeckError:
        return Answer(endpoint, problem="sent data meetdeck cannot read")
    return Answer(endpoint, found=found)


def first_account_key(accounts: list[Any] | None, *fields: str) -> str | None:
    """The first account's key in `accounts` (the first of `fields` it has); odd
    entries are skipped."""
    for account in accounts or ():
        if not isinstance(account, dict):
            continue
        for name in fields:
            value = account.get(name)
            if isinstance(value, str | int) and not isinstance(value, bool) and str(value):
                return str(value)
    return None


def admin_flag(me: AdminMe) -> bool | None:
    """The admin flag the Admin API's "me" states; None when it states none."""
    if me.isAdmin is not None:
        return me.isAdmin
    if me.adminRoles is not None:
        return bool(me.adminRoles)
    if me.roles is not None:
        return any("ADMIN" in role.upper() for role in me.roles)
    return None


def full_name(first: str | None, last: str | None) -> str | None:
    return " ".join(p for p in (first, last) if p) or None


async def complete(
    tokens: TokenSet, *, admin: ApiClient, identity: ApiClient, login_hint: str
) -> TokenSet:
    """`tokens` with the organizer key, account key, email, name and admin flag filled
    in from the Admin API and, where still unknown, SCIM.

    Raises IdentityUnknown when no organizer key can be found.
    """
    organizer_key, account_key = tokens.organizer_key, tokens.account_key
    email, name, is_admin = tokens.email, tokens.name, tokens.is_admin
    me = await ask(admin, ADMIN_ME_PATH, ADMIN_ME, tokens.access_token)
    answers: list[Answer[Any]] = [me]
    if me.found is not None:
        found = me.found
        is_admin = admin_flag(found)
        organizer_key = organizer_key or found.key
        account_key = (
            account_key or found.accountKey or first_account_key(found.accounts, "key", "value")
        )
        email = email or found.email
        name = name or full_name(found.firstName, found.lastName)
    elif me.refused:
        is_admin = False
    if not organizer_key or not account_key:
        scim = await ask(identity, SCIM_ME_PATH, SCIM_USER, tokens.access_token)
        answers.append(scim)
        user = scim.found
        if user is not None:
            organizer_key = organizer_key or user.id
            account_key = account_key or first_account_key(user.accounts, "value", "key")
            email = email or user.userName
            given = user.name or ScimName()
            name = name or full_name(given.givenName, given.familyName) or user.displayName
    if not organizer_key:
        said = "; ".join(answer.said() for answer in answers)
        raise IdentityUnknown(
            f"GoTo signed you in but did not say which organizer you are ({said}), and "
            "meetdeck needs that key. Sign in again with "
            f"{login_hint}; if it happens again, check that your GoTo OAuth client may "
            "read the signed-in user (the identity: scope) and that goto_api_base is "
            "right.",
            provider="goto",
        )
    return tokens.with_identity(
        organizer_key=organizer_key,
        account_key=account_key,
        email=email,
        name=name,
        is_admin=is_admin,
    )


__all__ = ["ADMIN_ME", "SCIM_USER", "AdminMe", "Answer", "ScimUser", "ask", "complete"]
