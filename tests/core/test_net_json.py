"""API bodies are read by orjson where it gives what `json` gives, and by `json` where it
would not (issue 18): every body below reads as `json.loads` reads it, or fails alike."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tui.core.net.errors import read_json

BODIES = [
    b'{"registrants": [{"id": "a", "email": "x@example.com", "first_name": "Zo\xc3\xab"}]}',
    b'{"a": 1, "a": 2, "b": [1.5, -0.0, 0.1, 5e-324, 1e-400, 2.2250738585072014e-308]}',
    b"[1.0000000000000002, 123456789.12345678901234, 1E2, -12e-3, 0]",
    # 64 bits and past them: orjson would read the last two as floats.
    b"[18446744073709551615, -9223372036854775808]",
    b"[18446744073709551616, 123456789012345678901234567890]",
    b"[-9223372036854775809, -9999999999999999999]",  # 19 digits, below -2**63
    b'{"id": 123456789012345678901}',
    b"[1e400, -1e400, 1.7976931348623157e309]",  # json: infinities
    b"[NaN, Infinity, -Infinity]",  # json reads these; orjson refuses them
    b'{"a": "\\ud83d"}',  # a lone surrogate escape: replaced, as before
    b'{"\\ud800a": "\\ud83d\\ude00 \\udc00"}',
    b'"\\ud83d\\ude00"',
    b'{"a": "\xff stray byte"}',  # invalid UTF-8: U+FFFD
    b'"\\u0000 \\n \\" \\\\u d800"',
    b" {} ",
    b"[" * 200 + b"]" * 200,
]

BAD = [
    b"",
    b"\xef\xbb\xbf{}",  # a byte-order mark
    b'{"a": "x\x01y"}',  # a raw control character in a string
    b"{",
    b"[1,]",
    b"[" * 5000 + b"]" * 5000,  # deeper than the recursion limit
]


def _expected(body: bytes) -> Any:
    """What `json` reads, lone surrogates made U+FFFD (as read_json always did)."""
    return _replaced(json.loads(body.decode("utf-8", errors="replace")))


def _replaced(value: Any) -> Any:
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if isinstance(value, list):
        return [_replaced(item) for item in value]
    if isinstance(value, dict):
        return {_replaced(key): _replaced(item) for key, item in value.items()}
    return value


@pytest.mark.parametrize("body", BODIES)
def test_a_body_reads_as_json_reads_it(body: bytes) -> None:
    got, want = read_json(body), _expected(body)
    # repr tells 1 from 1.0 and -0.0 from 0.0; NaN equals itself in repr only.
    assert repr(got) == repr(want)


@pytest.mark.parametrize("body", BAD)
def test_a_body_json_refuses_is_refused(body: bytes) -> None:
    with pytest.raises(ValueError):
        read_json(body)
