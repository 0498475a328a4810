"""The scan interpreter: what operators' scanners send, and garbage, never a crash."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.checkdigits import gs1_check_digit, is_valid_gs1, make_sscc
from app.core.errors import BadCheckDigit, BadGs1, EmptyScan, ScanError, UnreadableScan
from app.core.scan import GS, gtin_variants, interpret, printable


def test_gs1_128_with_symbology_identifier_and_separator():
    scan = interpret("]C1" + "0109501101530003" + "10ABC123" + GS + "17271231" + "21SN9")
    assert scan.kind == "gs1" and scan.symbology == "]C1"
    assert (scan.gtin, scan.lot, scan.expiry, scan.serial) == (
        "09501101530003", "ABC123", dt.date(2027, 12, 31), "SN9"
    )


def test_gs1_datamatrix_and_qr_identifiers():
    for ident in ("]d2", "]Q3"):
        scan = interpret(ident + "0109501101530003" + "10L1")
        assert scan.kind == "gs1" and scan.lot == "L1"


def test_bracketed_human_readable_form():
    scan = interpret("(01)09501101530003(17)260101(10)B-7")
    assert scan.gtin == "09501101530003" and scan.lot == "B-7"
    assert scan.expiry == dt.date(2026, 1, 1)


def test_sscc_and_count():
    sscc = make_sscc(0, "4006381", 42)
    scan = interpret("00" + sscc)
    assert scan.sscc == sscc and scan.lookup_codes()[0] == sscc
    counted = interpret("]C1" + "0209501101530003" + "3712" + GS + "10X")
    assert counted.count == 12


def test_ean13_with_correct_and_wrong_check_digit():
    good = interpret("5901234123457")
    assert good.kind == "gtin" and good.problem is None
    assert good.lookup_codes() == ["5901234123457", "05901234123457"]
    bad = interpret("5901234123458")
    assert isinstance(bad.problem, BadCheckDigit)
    assert str(bad.problem) == "GTIN check digit is 8, expected 7 ('5901234123458')."


def test_wrong_check_digit_inside_gs1_is_refused_at_once():
    with pytest.raises(BadCheckDigit, match="expected 3"):
        interpret("0109501101530004")


def test_command_barcodes():
    assert interpret("SF:confirm").command == "CONFIRM"
    assert interpret("]C0SF:UNDO").command == "UNDO"


def test_plain_codes_and_trailing_scanner_suffix():
    scan = interpret("A-03-02\r\n")
    assert (scan.kind, scan.code) == ("text", "A-03-02")


@pytest.mark.parametrize("raw", ["", "   ", "\r\n", GS, "]C1", "]C1" + GS])
def test_empty_scans(raw):
    with pytest.raises(EmptyScan):
        interpret(raw)


def test_control_characters_are_refused_with_a_readable_echo():
    with pytest.raises(UnreadableScan) as error:
        interpret("AB\x07C")
    assert "<0x07>" in str(error.value)
    assert printable("A" + GS + "B") == "A<GS>B"


def test_broken_gs1_says_why():
    with pytest.raises(BadGs1):
        interpret("(01)12")


def test_check_digits():
    assert gs1_check_digit("590123412345") == 7
    assert is_valid_gs1("09501101530003") and not is_valid_gs1("09501101530004")
    assert len(make_sscc(3, "0614141", 123456789)) == 18


@settings(max_examples=400, deadline=None)
@given(st.text(min_size=0, max_size=80))
def test_interpreter_never_crashes_on_arbitrary_text(raw):
    try:
        scan = interpret(raw)
    except ScanError as error:
        assert str(error)  # always a sentence
    else:
        assert scan.describe() and scan.code


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(["01", "10", "17", "21", "00", "37", "(", ")", GS, "]C1"]), max_size=8),
       st.text(alphabet="0123456789ABC", max_size=20))
def test_interpreter_never_crashes_on_gs1_like_input(parts, tail):
    raw = "".join(parts) + tail
    try:
        interpret(raw)
    except ScanError:
        pass


# --- bad input: typed refusals in words, never a crash (issue 16) -----------------------------
from app.core.errors import Gs1BadDate, NotAsciiDigit, ScanTooLong  # noqa: E402
from app.core.scan import MAX_SCAN_LENGTH  # noqa: E402

TRICKY = ["\x00", "\ud800", "\udfff", "\x85", "\u200b", "\ufeff", "²", "①", "５", "٣", "\x1d", "é", "\U0010ffff",
          "(", ")", "]", "0", "1", "7", ":", "S", "F"]


def test_unmarked_gs1_with_variable_length_last_field_is_read():
    scan = interpret("010952123400059410ABC")
    assert (scan.kind, scan.gtin, scan.lot) == ("gs1", "09521234000594", "ABC")
    assert interpret("]C1010952123400059410ABC") == scan.__class__(**{**scan.__dict__, "raw": "]C1010952123400059410ABC",
                                                                       "symbology": "]C1"})
    dated = interpret("01095212340005941727123110ABC")
    assert (dated.expiry, dated.lot) == (dt.date(2027, 12, 31), "ABC")


def test_a_wrong_gs1_date_is_explained_in_words():
    with pytest.raises(Gs1BadDate) as error:
        interpret("]C1" + "0109521234000594" + "17271332")
    assert str(error.value).startswith("The expiry date 27-13-32 is not a date")
    assert "pattern" not in str(error.value) and "\\d" not in str(error.value)
    # Without a symbology identifier it may be an internal code: the problem is kept for the resolver.
    unmarked = interpret("0109521234000594172713321012")
    assert unmarked.kind == "text" and isinstance(unmarked.problem, Gs1BadDate)


@pytest.mark.parametrize("raw", ["²", "①①①①①①①①", "１２３４５６７８", "٤٠٠٦٣٨١٣٣٣٩٣١", "A-0３"])
def test_only_ascii_digits_are_digits(raw):
    with pytest.raises(NotAsciiDigit) as error:
        interpret(raw)
    assert "0-9" in str(error.value)


@pytest.mark.parametrize("raw", ["\ud800", "AB\x85C", "A\u200bB", "A\x00B", "\ue000X"])
def test_surrogates_c1_and_invisible_characters_are_refused_and_shown_escaped(raw):
    with pytest.raises(UnreadableScan) as error:
        interpret(raw)
    message = str(error.value)
    message.encode("utf-8")  # printable anywhere
    assert all(ch.isprintable() for ch in message)


def test_a_huge_scan_is_refused_with_a_short_message():
    with pytest.raises(ScanTooLong) as error:
        interpret("A" * 10_000)
    assert len(str(error.value)) < 200 and str(MAX_SCAN_LENGTH) in str(error.value)
    with pytest.raises(ScanError) as gs1:
        interpret("]C1" + "01" + "9" * 500)
    assert len(str(gs1.value)) < 250


def _check_answer(raw):
    try:
        scan = interpret(raw)
    except ScanError as error:
        message = str(error)
        assert message and len(message) < 400
        message.encode("utf-8")
        assert all(ch.isprintable() for ch in message)
        assert "pattern" not in message
        return
    assert scan.code
    for line in scan.describe():
        line.encode("utf-8")
    if scan.gtin is not None:
        assert scan.gtin.isascii() and scan.gtin.isdigit() and len(scan.gtin) == 14


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet=st.one_of(st.characters(exclude_categories=()), st.sampled_from(TRICKY)), max_size=60))
def test_any_unicode_is_answered_in_words(raw):
    _check_answer(raw)


@settings(max_examples=600, deadline=None)
@given(st.lists(st.sampled_from(["01", "10", "17", "15", "21", "00", "37", "3103", "(", ")", GS, "]C1", "]d2",
                                 "0952123400059", "271332", "270231", "ABC", "²"]), max_size=10),
       st.text(alphabet="0123456789ABC", max_size=20))
def test_gs1_like_input_is_answered_in_words(parts, tail):
    _check_answer("".join(parts) + tail)


@pytest.mark.parametrize("digits", ["96385074", "036000291452", "4006381333931", "04006381333931",
                                    "4006381333932", "00000000000000", "12345678"])
def test_a_bare_gtin_reads_as_the_same_code_with_or_without_a_scanners_suffix(digits):
    """A bare GTIN takes the short way (digits only, a GTIN length); the same digits with the
    Enter and the space a scanner may add take the long way and must read alike."""
    short, long = interpret(digits), interpret(f" {digits}\r\n")
    assert dataclasses.replace(long, raw=digits) == short
    assert (short.kind, short.gtin, short.problem is None) == (long.kind, long.gtin, long.problem is None)


@given(st.integers(min_value=0, max_value=10**14 - 1))
@settings(max_examples=300)
def test_a_gtins_shorter_forms_are_those_whose_dropped_digits_are_zeros(number):
    gtin14 = f"{number:014d}"
    expected = [gtin14] + [gtin14[14 - length:] for length in (13, 12, 8) if set(gtin14[:14 - length]) <= {"0"}]
    assert gtin_variants(gtin14) == expected
