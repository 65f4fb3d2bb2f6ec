"""A word of a name that the recogniser misspelt, read again with a dictionary and the
recogniser's own evidence.

The recogniser decodes each character greedily, so one unsure letter turns WORLD into
WORID, or drops the second O of SEAFOOD, and the name is no longer the shop's. A guess
from the text alone ("the nearest dictionary word") also rewrites coined names that were
read right, so the choice here is made on the image's evidence: the CTC likelihood of the
whole line spelt with the dictionary word against its likelihood as read (the sum over all
alignments, `line_log_likelihood`). A dictionary word one edit away (a letter changed,
lost or added) replaces the word read only when the recogniser itself found that spelling
not much less likely (`EVIDENCE_RATIO`) on each of three readings of the line (one reading
alone misreads too: AIK HUAT read AIK HURT), and no other such word comes close. A word in
a dictionary, a short word, or one mixed with digits is left alone: a name read with
confidence keeps its own spelling, whatever the dictionary says.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from .parsing import unaccented

# Words shorter than this have too many dictionary neighbours one edit away.
MIN_LENGTH = 4
# The dictionary spelling must be at least this likely, against the spelling as read, on the
# recogniser's own output (a ratio of CTC likelihoods of the line), on every reading: a
# shop's name is a dictionary word far more often than a non-word one edit from one, so the
# dictionary wins unless the image says otherwise twenty to one. 0.3 left WORLD read as
# WORID on one reading of three (ratio 0.29) and BAKERIES as BAKERDES (0.07 on all three).
EVIDENCE_RATIO = 0.05
# ...and this many times likelier than any other dictionary spelling one edit away.
DOMINANCE = 10.0

_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_LOWER = _UPPER.lower()
_WORD = re.compile(r"[^\W\d_]+")


def line_log_likelihood(probs: np.ndarray, label: Sequence[int]) -> float:
    """log P(label | probs) under CTC: `probs` is the recogniser's output for one line
    (timesteps x classes, rows summing to 1, class 0 the blank), `label` the class indices
    of a spelling. Summed over every alignment (the forward algorithm), scaled per step."""
    steps = probs.shape[0]
    if not label:
        return float(np.sum(np.log(np.maximum(probs[:, 0], 1e-30))))
    extended = np.zeros(2 * len(label) + 1, dtype=np.int64)
    extended[1::2] = label
    size = len(extended)
    # A skip over a blank is allowed between two different labels only.
    skip = np.zeros(size, dtype=bool)
    skip[3::2] = extended[3::2] != extended[1:-2:2]
    emissions = probs[:, extended]  # (timesteps, size)
    alpha = np.zeros(size)
    alpha[0] = emissions[0, 0]
    if size > 1:
        alpha[1] = emissions[0, 1]
    log_scale = 0.0
    for t in range(1, steps):
        previous = alpha
        alpha = previous.copy()
        alpha[1:] += previous[:-1]
        alpha[2:] += np.where(skip[2:], previous[:-2], 0.0)
        alpha *= emissions[t]
        total = alpha.sum()
        if total <= 0.0:
            return float("-inf")
        alpha /= total
        log_scale += float(np.log(total))
    end = alpha[-1] + (alpha[-2] if size > 1 else 0.0)
    return float(np.log(end)) + log_scale if end > 0 else float("-inf")


def _one_edit(word: str, letters: str) -> set[str]:
    """Every spelling one letter changed, lost or added away from `word`."""
    found: set[str] = set()
    for i in range(len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            found.add(head + tail[1:])
            found.update(head + c + tail[1:] for c in letters if c != tail[0])
        found.update(head + c + tail for c in letters)
    found.discard(word)
    return found


def _unknown_words(text: str, known: Callable[[str], bool]) -> list[re.Match[str]]:
    """The words of `text` long enough to respell that no dictionary knows."""
    return [
        m
        for m in _WORD.finditer(text)
        if len(m.group(0)) >= MIN_LENGTH and not known(m.group(0).upper())
    ]


def _accented_words(text: str) -> list[re.Match[str]]:
    """The words of `text` long enough to respell that carry an accent."""
    return [
        m
        for m in _WORD.finditer(text)
        if len(m.group(0)) >= MIN_LENGTH and unaccented(m.group(0)) != m.group(0)
    ]


def needs_respelling(text: str, known: Callable[[str], bool]) -> bool:
    """Whether `respelt` could change `text`: a caller skips reading it again otherwise."""
    return bool(_unknown_words(text, known) or _accented_words(text))


def respelt(
    text: str,
    readings: Sequence[np.ndarray],
    encode: Callable[[str], list[int] | None],
    known: Callable[[str], bool],
) -> str:
    """`text`, one line as read, with each word that no dictionary knows (`known`, given
    capitals) replaced by the dictionary word one edit away that the recogniser's evidence
    supports in every one of `readings` (its outputs for the same line read again, with
    other margins and widths: `ocr.RESPELL_READINGS`), or a capital initial of another shape
    for a word read in small letters: see the module docstring. A word's accents that
    every reading finds less likely than none are taken off first (`_accents_read_off`).
    `encode` gives a spelling's class indices, or None when the recogniser has no class for
    a character."""
    base = encode(text)
    if base is None or not readings:
        return text
    base_scores = [line_log_likelihood(probs, base) for probs in readings]
    if not all(np.isfinite(base_scores)):
        return text  # a reading too short for the line: no evidence to weigh
    plain = _accents_read_off(text, readings, encode, base_scores)
    plain_label = encode(plain)
    if plain != text and plain_label is not None:
        text, base_scores = plain, [line_log_likelihood(probs, plain_label) for probs in readings]
    out = text
    for match in reversed(_unknown_words(text, known)):
        word = match.group(0)
        if word.isupper():
            letters = _UPPER
        elif word.islower():
            letters = _LOWER
        else:
            letters = _UPPER + _LOWER  # capitals and small letters mixed by the recogniser
        spellings = _one_edit(word, letters)
        if word.islower():  # a capital initial read as a small letter of another shape: buardian
            spellings.update(c + word[1:] for c in _UPPER)
        candidates = [c for c in spellings if known(c.upper())]
        if not candidates:
            continue
        best: dict[str, tuple[float, str]] = {}
        for candidate in candidates:
            label = encode(text[: match.start()] + candidate + text[match.end() :])
            if label is not None:
                score = min(
                    line_log_likelihood(probs, label) - base_score
                    for probs, base_score in zip(readings, base_scores, strict=True)
                )
                key = candidate.upper()  # one word, however its letters are cased
                if key not in best or score > best[key][0]:
                    best[key] = (score, candidate)
        scored = sorted(best.values(), reverse=True)
        if not scored or scored[0][0] < np.log(EVIDENCE_RATIO):
            continue
        if len(scored) > 1 and scored[0][0] - scored[1][0] < np.log(DOMINANCE):
            continue
        out = out[: match.start()] + scored[0][1] + out[match.end() :]
    return out


def _accents_read_off(
    text: str,
    readings: Sequence[np.ndarray],
    encode: Callable[[str], list[int] | None],
    base_scores: list[float],
) -> str:
    """`text` with the accents the page's reading put on a word taken off when every one
    of `readings` finds the word likelier without them: the recogniser reads an accent
    into a heading's capital (GARDÉNIA on an English receipt) that a second look does not
    see. An accent every reading sees stays (CAFÉ, BÄCKEREI)."""
    out = text
    for match in reversed(_accented_words(text)):
        plain = text[: match.start()] + unaccented(match.group(0)) + text[match.end() :]
        label = encode(plain)
        if label is None:
            continue
        if all(
            line_log_likelihood(probs, label) > base_score
            for probs, base_score in zip(readings, base_scores, strict=True)
        ):
            out = out[: match.start()] + unaccented(match.group(0)) + out[match.end() :]
    return out
