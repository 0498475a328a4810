"""Location check digits: ISO 7064 MOD 97-10 over the code, as on an IBAN."""

from __future__ import annotations

import pytest

from app.core.checkdigits import location_check_digits


def test_two_digits_that_make_the_code_divisible_by_97():
    for code in ("A-01-01", "A-02-01", "B-03-01", "DOCK-1", "Z-99-99-9"):
        check = location_check_digits(code)
        assert len(check) == 2 and check.isdigit()
        digits = "".join(str(int(char, 36)) for char in code if char.isalnum())
        assert int(digits + check) % 97 == 1


def test_neighbouring_bins_differ():
    # The bin next to (or above) the right one never has the same check: a wrong bin is caught.
    for aisle in range(1, 10):
        for level in range(1, 9):
            here = location_check_digits(f"A-{aisle:02d}-{level:02d}")
            assert here != location_check_digits(f"A-{aisle:02d}-{level + 1:02d}")
            assert here != location_check_digits(f"A-{aisle + 1:02d}-{level:02d}")


@pytest.mark.parametrize("code", ["a-01-01", "A0101", "A-01-01"])
def test_case_and_separators_do_not_matter(code):
    assert location_check_digits(code) == location_check_digits("A-01-01")
