"""A link as shown on screen: the query values that let anyone use it are masked.

A recording's download link from GoTo is signed: whoever holds the whole link can fetch
the file until it expires, token or not. The detail panel shows such a link with the
signature's value (and any other credential in its query) replaced by `***`, so a
screenshot, a shared screen or a scrollback holds nothing that opens the file; `D`
downloads it through the API all the same.
"""

from __future__ import annotations

import re

#: Query parameters that carry a credential (compared case-insensitively): our
#: sandbox's and S3's, CloudFront's and Google Cloud Storage's signed links, and tokens
#: some services put in a link. A Zoom join link's `pwd` stays: it is meant to be shared.
CREDENTIAL_PARAMS = (
    "signature",
    "sig",
    "token",
    "access_token",
    "zak",
    "policy",
    "key-pair-id",
    "x-amz-signature",
    "x-amz-credential",
    "x-amz-security-token",
    "x-goog-signature",
    "x-goog-credential",
)
_CREDENTIAL = re.compile(
    r"([?&;](?:" + "|".join(re.escape(name) for name in CREDENTIAL_PARAMS) + r")=)[^&;#]*",
    re.IGNORECASE,
)
MASK = "***"


def masked_link(url: str) -> str:
    """`url` with the value of each credential in its query replaced by `***`."""
    return _CREDENTIAL.sub(lambda found: found.group(1) + MASK, url)
