"""Reference solution for `iban`: validate IBANs with ISO 7064 mod 97-10 and find them in text."""

from __future__ import annotations

import re

# IBAN length for each country code, from the SWIFT IBAN Registry, which SWIFT keeps for
# ISO 13616: 89 countries in release 102 (June 2026), whose newest entries (Yemen, Honduras)
# took effect in July and October 2024.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BI": 27, "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27,
    "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HN": 28, "HR": 21, "HU": 28,
    "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22,
    "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23,
    "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24,
    "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}

# Check digits are issued as 98 - (remainder mod 97), so they are always 02..98. These three
# can still pass the mod-97 test for some account numbers, but no bank ever issues them.
REJECTED_CHECK_DIGITS = frozenset({"00", "01", "99"})

# Where a candidate may start: two ASCII letters and two ASCII digits that do not follow a
# letter, digit or underscore of any script (\w is Unicode-aware for str patterns).
_START = re.compile(r"(?<!\w)[A-Za-z]{2}[0-9]{2}")
_WORD_CHAR = re.compile(r"\w")


def _electronic_form(iban: str) -> str | None:
    """`iban` without its spaces, or None unless it is in electronic or print format."""
    if " " not in iban:
        return iban
    # Print format: groups of exactly four, single spaces, a last group of one to four.
    groups = iban.split(" ")
    if any(len(group) != 4 for group in groups[:-1]) or not 1 <= len(groups[-1]) <= 4:
        return None  # double, leading or trailing spaces leave an empty group
    return "".join(groups)


def iban_valid(iban: str) -> bool:
    """True when `iban` is a well-formed IBAN whose check digits are right; never raises."""
    if not isinstance(iban, str):
        return False
    compact = _electronic_form(iban)
    # ASCII first, and only then upper(): "ı".upper() == "I", "ſ".upper() == "S" and
    # "ﬆ".upper() == "ST", so upper-casing first would turn look-alikes into valid text.
    if compact is None or not compact.isascii() or not compact.isalnum():
        return False
    compact = compact.upper()
    country, check_digits = compact[:2], compact[2:4]
    if not (country.isalpha() and check_digits.isdigit()):
        return False
    if IBAN_LENGTHS.get(country) != len(compact) or check_digits in REJECTED_CHECK_DIGITS:
        return False
    # ISO 7064 MOD 97-10: move the first four characters to the end, turn every letter into
    # two digits (int(ch, 36) gives A=10 ... Z=35), and the whole number mod 97 must be 1.
    # Python's integers have no size limit, so the 60-odd digits need no chunking.
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def find_ibans(text: str) -> list[str]:
    """Every valid IBAN in `text`, exactly as written, in order of appearance."""
    found: list[str] = []
    resume = 0  # never look for a new IBAN inside one already found
    for start in _START.finditer(text):
        if start.start() < resume:
            continue
        length = IBAN_LENGTHS.get(start.group()[:2].upper())
        if length is None:
            continue
        # The country fixes the length, so there are exactly two shapes to try.
        for width in (length, length + (length - 1) // 4):
            end = start.start() + width
            candidate = text[start.start() : end]
            if _WORD_CHAR.match(text, end) is None and iban_valid(candidate):
                found.append(candidate)
                resume = end
                break
    return found
