"""Transliteration into the SWIFT X and CFONB character sets: nothing silently dropped."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared.formats.errors import UnrepresentableError
from shared.formats.transliterate import CFONB_CHARS, SWIFT_X_CHARS, to_cfonb, to_swift_x


@pytest.mark.parametrize(
    ("text", "swift", "cfonb"),
    [
        ("Société Générale", "Societe Generale", "Societe Generale"),
        ("Straße", "Strasse", "Strasse"),
        ("50 €", "50 EUR", "50 EUR"),
        ("Œuvre Æther Øre Łódź", "OEuvre AEther Ore Lodz", "OEuvre AEther Ore Lodz"),
        ("Dupont & Fils", "Dupont + Fils", "Dupont & Fils"),
        ("a@b.fr", "a(AT)b.fr", "a@b.fr"),
        ("“quoted” «guillemets»", "'quoted' 'guillemets'", '"quoted" "guillemets"'),
        ("line\nbreak\ttab", "line break tab", "line break tab"),
        ("ﬁn ½", "fin 1/2", "fin 1/2"),
        ("{x} [y] a|b", "(x) (y) a/b", "(x) (y) a/b"),
        ("100%", "100PCT", "100%"),
    ],
)
def test_known_transliterations(text: str, swift: str, cfonb: str) -> None:
    assert to_swift_x(text) == swift
    assert to_cfonb(text) == cfonb


def test_characters_without_equivalent_become_visible_question_marks() -> None:
    assert to_swift_x("東京 ok") == "?? ok"
    assert to_cfonb("😀") == "?"
    with pytest.raises(UnrepresentableError, match="U\\+6771"):
        to_swift_x("東", strict=True)


@given(st.text())
def test_output_is_always_in_the_target_set_and_never_shorter_in_letters(text: str) -> None:
    swift = to_swift_x(text)
    cfonb = to_cfonb(text)
    assert set(swift) <= SWIFT_X_CHARS
    assert set(cfonb) <= CFONB_CHARS
    # Every input character yields at least one output character: nothing is dropped,
    # except combining accents, which belong to the letter before them.
    letters = [ch for ch in text if not unicodedata.combining(ch)]
    assert len(swift) >= len(letters)
    assert len(cfonb) >= len(letters)


def test_decomposed_accents_fold_into_their_letter() -> None:
    decomposed = unicodedata.normalize("NFD", "Société Générale")
    assert to_swift_x(decomposed) == "Societe Generale"


@given(st.text(alphabet=sorted(SWIFT_X_CHARS)))
def test_text_already_in_the_set_is_unchanged(text: str) -> None:
    assert to_swift_x(text) == text
    assert to_cfonb(text) == text
