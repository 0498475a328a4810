"""GS1 modulo-10 check digits (GTIN-8/12/13/14, SSCC-18, GLN) and location check digits."""

from __future__ import annotations


def gs1_check_digit(body: str) -> int:
    """Check digit for the digits of ``body`` (everything but the check digit)."""
    if not (body.isascii() and body.isdigit()):  # "①" or "５" are not digits of a barcode
        raise ValueError(f"not all digits: {body[:32]!r}")
    # Weights 3,1,3,1... from the rightmost digit of the body (sums of ASCII codes, less '0's).
    codes = body.encode()[::-1]
    odd, even = codes[0::2], codes[1::2]
    total = 3 * (sum(odd) - 48 * len(odd)) + sum(even) - 48 * len(even)
    return (10 - total % 10) % 10


def is_valid_gs1(code: str) -> bool:
    """True when ``code`` is all digits and its last digit is the right check digit."""
    return len(code) >= 2 and code.isascii() and code.isdigit() and gs1_check_digit(code[:-1]) == int(code[-1])


def with_check_digit(body: str) -> str:
    return body + str(gs1_check_digit(body))


def make_sscc(extension_digit: int, company_prefix: str, serial: int) -> str:
    """SSCC-18: extension digit + company prefix + serial reference, padded to 17, + check."""
    serial_len = 17 - 1 - len(company_prefix)
    if serial_len < 1 or serial >= 10**serial_len:
        raise ValueError("serial reference does not fit the company prefix")
    body = f"{extension_digit}{company_prefix}{serial:0{serial_len}d}"
    return with_check_digit(body)


def location_check_digits(code: str) -> str:
    """The two check digits of a location code, printed large on its label: the worker types
    or speaks them to confirm the location (the voice-picking convention). ISO 7064 MOD 97-10
    over the code's letters and digits, letters counted 10-35 as in an IBAN."""
    digits = "".join([_BASE36.get(char) or str(int(char, 36)) for char in code.upper() if char.isalnum()])
    return f"{98 - int(digits + '00') % 97:02d}"


_BASE36 = {char: str(int(char, 36)) for char in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
