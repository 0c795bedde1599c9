"""Folding done quickly must fold as it always did: each character decomposed, its
marks dropped, recomposed, case-folded; a registrant's search and sort columns as if
the name and e-mail were folded together."""

from __future__ import annotations

import unicodedata

from hypothesis import example, given, settings
from hypothesis import strategies as st

from tui.core.models import EventKind, Provider, Registrant, RegistrantStatus
from tui.core.store.folding import fold, sort_key
from tui.core.store.tables import REGISTRANTS

# Letters with and without marks, marks alone, Hangul jamo, final sigma, spaces.
TEXT = st.text(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from("Σσς̀́̈ͅ Åéñ\u1100\u1161\u11a8ﬁ²İ"),
    ),
    max_size=10,
)


def reference(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).casefold()


@settings(max_examples=500, deadline=None)
@given(TEXT)
def test_fold_is_the_reference_fold(text: str) -> None:
    assert fold(text) == reference(text)


@settings(max_examples=500, deadline=None)
@given(TEXT, TEXT, TEXT)
@example("\u0349", "", "\u033a\u03a3")  # a name of marks alone folds to nothing
@example("", "\u0345", " ")
def test_registrant_columns_fold_name_and_email_together(first: str, last: str, email: str) -> None:
    r = Registrant(
        Provider.ZOOM, "k", "e", EventKind.WEBINAR, email, first, last,
        RegistrantStatus.APPROVED, "approved",
    )  # fmt: skip
    search, *_, name, folded_email, _at, _more = REGISTRANTS.extract(r)
    together = reference(" ".join(p for p in (r.name, r.email) if p))
    assert (name, folded_email) == (sort_key(r.name or r.email), reference(email))
    assert (search if search is not None else f"{name} {folded_email}") == together
