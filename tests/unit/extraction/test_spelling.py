"""Words respelt on the recogniser's evidence: CTC likelihoods, and the choice they drive."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from shared.extraction.spelling import line_log_likelihood, respelt

ALPHABET = ["<blank>", " ", *"ABCDEFGHIJKLMNOPQRSTUVWXYZ", *"abcdefghijklmnopqrstuvwxyz", *"ÉÄ"]
CLASS = {ch: i for i, ch in enumerate(ALPHABET) if i}


def encode(text: str) -> list[int] | None:
    label = [CLASS.get(ch) for ch in text]
    return None if None in label else label  # type: ignore[return-value]


def collapse(path: tuple[int, ...]) -> list[int]:
    out = []
    for k, index in enumerate(path):
        if index and (k == 0 or index != path[k - 1]):
            out.append(index)
    return out


def test_the_likelihood_is_the_sum_over_every_alignment() -> None:
    """Checked against brute force: every path of 5 steps over 4 classes."""
    rng = np.random.default_rng(7)
    probs = rng.random((5, 4))
    probs /= probs.sum(axis=1, keepdims=True)
    for label in ([1], [1, 2], [2, 2], [1, 3, 1], []):
        brute = sum(
            math.prod(probs[t, c] for t, c in enumerate(path))
            for path in itertools.product(range(4), repeat=5)
            if collapse(path) == label
        )
        assert line_log_likelihood(probs, label) == pytest.approx(math.log(brute))


def test_a_label_longer_than_the_steps_allow_is_impossible() -> None:
    probs = np.full((2, 4), 0.25)
    assert line_log_likelihood(probs, [1, 1]) == float("-inf")  # needs a blank between


def reading(spelling: list[dict[str, float]]) -> np.ndarray:
    """A recogniser's output: per step, the probabilities of some characters (the rest of
    the mass on the blank), a blank step between characters."""
    rows = []
    for step in spelling:
        row = np.full(len(ALPHABET), 1e-6)
        for ch, p in step.items():
            row[CLASS[ch]] = p
        row[0] = max(1e-6, 1 - sum(step.values()))
        rows.append(row / row.sum())
        blank = np.full(len(ALPHABET), 1e-6)
        blank[0] = 1.0
        rows.append(blank / blank.sum())
    return np.array(rows)


DICTIONARY = {"WORLD", "WORD", "TASTE"}


def test_an_unsure_letter_is_read_as_the_dictionary_word_the_evidence_allows() -> None:
    # The recogniser hesitated between I and L: WORID as read, WORLD nearly as likely.
    probs = reading([{"W": 0.99}, {"O": 0.99}, {"R": 0.99}, {"I": 0.55, "L": 0.44}, {"D": 0.99}])
    assert respelt("WORID", [probs], encode, DICTIONARY.__contains__) == "WORLD"


def test_a_dictionary_word_wins_unless_the_image_says_otherwise_twenty_to_one() -> None:
    # I read 14 times likelier than L: still within what a dictionary word outweighs.
    probs = reading([{"W": 0.99}, {"O": 0.99}, {"R": 0.99}, {"I": 0.93, "L": 0.066}, {"D": 0.99}])
    assert respelt("WORID", [probs], encode, DICTIONARY.__contains__) == "WORLD"


def test_a_capital_initial_read_as_a_small_letter_of_another_shape_comes_back() -> None:
    # The sign prints "World"; the recogniser hesitated between a small v and a capital W.
    probs = reading([{"v": 0.6, "W": 0.39}, {"o": 0.99}, {"r": 0.99}, {"l": 0.99}, {"d": 0.99}])
    assert respelt("vorld", [probs], encode, DICTIONARY.__contains__) == "World"


def test_a_word_read_with_confidence_keeps_its_spelling() -> None:
    # WORID read plainly (a coined name, say): WORLD is one letter away but the image says I.
    probs = reading([{"W": 0.99}, {"O": 0.99}, {"R": 0.99}, {"I": 0.995, "L": 0.004}, {"D": 0.99}])
    assert respelt("WORID", [probs], encode, DICTIONARY.__contains__) == "WORID"


def test_a_lost_letter_comes_back_when_the_reading_alone_sees_it() -> None:
    # The page read TASE; the word read alone shows a T between S and E.
    probs = reading([{"T": 0.99}, {"A": 0.99}, {"S": 0.99}, {"T": 0.9}, {"E": 0.99}])
    assert respelt("TASE", [probs], encode, DICTIONARY.__contains__) == "TASTE"


def test_two_dictionary_words_equally_likely_leave_the_word_as_read() -> None:
    probs = reading([{"C": 0.99}, {"A": 0.99}, {"T": 0.5, "R": 0.49}, {"E": 0.99}])
    assert respelt("CAXE", [probs], encode, {"CATE", "CARE"}.__contains__) == "CAXE"


def test_words_known_short_or_with_digits_are_left_alone() -> None:
    probs = reading([{"W": 0.99}, {"O": 0.99}, {"R": 0.99}, {"D": 0.99}])
    assert respelt("WORD", [probs], encode, DICTIONARY.__contains__) == "WORD"
    probs = reading([{"W": 0.99}, {"O": 0.5, "D": 0.49}, {"R": 0.99}])
    assert respelt("WOR", [probs], encode, {"WDR"}.__contains__) == "WOR"


GARDENIA = {"GARDENIA", "GARDÉNIA"}  # an English and a French word


def _gardenia(e_accented: float) -> np.ndarray:
    e = {"É": e_accented, "E": 0.98 - e_accented}
    return reading([{c: 0.98} if c != "E" else e for c in "GARDENIA"])


def test_an_accent_no_second_reading_sees_is_taken_off() -> None:
    # The page read GARDÉNIA on an English receipt; read again alone, every reading sees
    # a plain E. Both spellings are dictionary words: the evidence alone decides.
    readings = [_gardenia(0.3), _gardenia(0.2), _gardenia(0.4)]
    assert respelt("GARDÉNIA", readings, encode, GARDENIA.__contains__) == "GARDENIA"


def test_an_accent_one_reading_sees_stays() -> None:
    readings = [_gardenia(0.3), _gardenia(0.7), _gardenia(0.4)]
    assert respelt("GARDÉNIA", readings, encode, GARDENIA.__contains__) == "GARDÉNIA"


def test_an_accent_every_reading_sees_stays() -> None:
    probs = reading([{"Ä": 0.9, "A": 0.08}, *({c: 0.98} for c in "RGER")])
    assert respelt("ÄRGER", [probs, probs], encode, {"ÄRGER"}.__contains__) == "ÄRGER"
