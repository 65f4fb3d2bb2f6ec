"""OCR slips in names: corrected only when the dictionaries leave no doubt."""

from __future__ import annotations

import pytest

from shared.extraction.lexicon import (
    correct_name,
    correct_trade_words,
    correct_word,
    restore_letters,
)


@pytest.mark.parametrize(
    "read, meant",
    [
        ("HARDWAKE", "HARDWARE"),  # K for R
        ("PHARHACY", "PHARMACY"),  # H for M
        ("CONFECTIUNERY", "CONFECTIONERY"),  # U for O
        ("HALAYSTA", "MALAYSIA"),  # two slips in a long word
        ("BOULANGFRIE", "BOULANGERIE"),  # French
        ("METZGEKEI", "METZGEREI"),  # German
        ("STANIARD", "STANDARD"),  # I for D (a heading D thinned to its stem)
        ("TRAIING", "TRADING"),
    ],
)
def test_look_alike_slips_are_corrected(read, meant):
    assert correct_word(read) == meant


@pytest.mark.parametrize(
    "word",
    [
        "HARDWARE",  # already a word
        "SANYU",  # short: too many neighbours to guess
        "QWXZKPTR",  # nothing near it
        "Hardwake",  # not capitals: a text layer or a mixed-case logo
        "HARDWAKE2",  # mixed with digits
    ],
)
def test_words_left_alone(word):
    assert correct_word(word) == word


def test_a_name_keeps_its_spacing_digits_and_legal_form():
    assert correct_name("99 HARDWAKE (M) SDN. BHD.") == "99 HARDWARE (M) SDN. BHD."


def test_a_word_read_surely_is_as_printed_even_near_a_dictionary_word():
    # KAMPUNG (Malay, a village) is in none of the four word lists; KAMPONG, its English
    # spelling, is one look-alike letter away.
    assert correct_name("MAJU KAMPUNG SDN BHD") == "MAJU KAMPONG SDN BHD"
    assert correct_name("MAJU KAMPUNG SDN BHD", frozenset({"KAMPUNG"})) == "MAJU KAMPUNG SDN BHD"


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("77 KILAT HART S/B", "77 KILAT MART S/B"),  # H for M, too short for the dictionaries
        ("MAJU NART SDN BHD", "MAJU MART SDN BHD"),  # N for M
        ("99 SPEEDY MAPT S/B", "99 SPEEDY MART S/B"),  # P for R: the R's leg lost
        ("MAJU MART SDN BHD", "MAJU MART SDN BHD"),  # already right
        ("Maju Hart Sdn Bhd", "Maju Hart Sdn Bhd"),  # not capitals: left as printed
    ],
)
def test_short_trade_words_of_a_company_name_are_restored(read, meant):
    assert correct_trade_words(read) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("KEDAT RUNCIT ZEN", "KEDAI RUNCIT ZEN"),  # another trade word read right: context
        ("RESTORAM SRI MAJU", "RESTORAN SRI MAJU"),  # long enough to need no context
        ("KEDAT ZEN", "KEDAT ZEN"),  # short, no context: left as read
        ("MAJU HART", "MAJU HART"),  # a short English trade word needs a legal form
    ],
)
def test_shop_words_are_restored_in_a_name_without_a_legal_form(read, meant):
    assert correct_trade_words(read, legal=False) == meant


@pytest.mark.parametrize(
    ("read", "meant"),
    [
        ("SEAF00D HOUSE", "SEAFOOD HOUSE"),  # zeros for O inside a word of capitals
        ("0XF0RD BOOKS", "OXFORD BOOKS"),
        ("SENG HUAT TRAD1NG", "SENG HUAT TRADING"),  # a one between letters
        ("A1 MART", "A1 MART"),  # a one ending a word: a number
        ("99 SPEED MART", "99 SPEED MART"),
        ("Q10 SHOP", "Q10 SHOP"),
        ("LIVE9 PHARMACY", "LIVE9 PHARMACY"),
        ("MR. K.1.T. (M) SDN BHD", "MR. K.I.T. (M) SDN BHD"),  # in a dotted abbreviation
        ("A.0.C. TRADING", "A.O.C. TRADING"),
        ("NO. 1.5 KG", "NO. 1.5 KG"),  # a number with its decimals
    ],
)
def test_zeros_and_ones_in_capitals_words_are_read_as_letters(read, meant):
    assert restore_letters(read) == meant
