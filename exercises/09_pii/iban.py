r"""Validate IBANs with the ISO 7064 mod 97-10 check, and find them in text.

The scenario
------------

The same support assistant as in `luhn`: customers paste bank details into chat
("please refund to DE89 3704 0044 0532 0130 00"). An International Bank Account
Number identifies one person's or company's account, and the redactor in front of
your logs and your model has to find it. IBANs carry two check digits; checking them
is what separates an IBAN from any other run of letters and digits.

What to implement
-----------------

    iban_valid(iban: str) -> bool
    find_ibans(text: str) -> list[str]

`iban_valid(iban)` is True exactly when all of these hold, and False otherwise (it
never raises, whatever it is given: None and bytes give False):

1. Format. Either the electronic format, with no spaces at all
   ("GB82WEST12345698765432"), or the print format: groups of exactly four
   characters separated by ONE space, the last group one to four characters
   ("GB82 WEST 1234 5698 7654 32"). Nothing else: no space at the start or the end,
   no double spaces, tabs, hyphens or zero-width characters.
2. Characters. ASCII letters and digits only. Lowercase letters are accepted and
   treated as uppercase ("gb82 west ..." is fine: people type IBANs that way in
   chat, and a redactor must not miss them). Check that every character is ASCII
   BEFORE you call .upper(): "ı".upper() is "I", "ſ".upper() is "S" and "ﬆ".upper()
   is "ST", and the Cyrillic "В" only looks like a Latin "B".
3. Structure. Two letters (the country code), two digits (the check digits), then
   letters and digits. The country code must be a key of IBAN_LENGTHS, and the IBAN
   without spaces must have exactly that many characters (GB: 22, DE: 22, NO: 15).
   Every length in the table is between 15 and 34, the maximum ISO 13616 allows.
4. The check digits are not "00", "01" or "99" (REJECTED_CHECK_DIGITS). Banks
   compute them as 98 minus a remainder mod 97, so they are always 02 to 98; the
   other three can pass step 5 by accident but are never issued.
5. The mod 97-10 check (ISO 7064): move the first four characters to the end,
   replace every letter by two digits (A=10, B=11, ..., Z=35), read the result as
   one integer; the IBAN is valid when that integer mod 97 is 1. Python's int has
   no size limit, so you can build the whole number as a string and call int().

This is a detector for a redactor, and it differs on purpose from a library such as
python-stdnum (`stdnum.iban`) that a payment form would use. Such a library cleans the
input first (removes spaces, hyphens and dots anywhere, turns fullwidth digits into
ASCII) where iban_valid answers only for the exact text it will mask; it accepts the
check digits 00, 01 and 99 when mod 97 works out; and it also checks which positions of
the account part must be digits or letters, and a few countries' national check digits.
iban_valid does not check the national layout: the country's length and mod 97 are
enough to tell IBANs apart from other text.

`find_ibans(text)` returns every IBAN in `text` for which iban_valid is True, exactly
as written, in order of appearance:

1. A candidate starts with two letters and two digits that do not follow a letter,
   a digit or an underscore of any script (the regex `\w`): at the start of the
   text, or after a space, a colon, a quote...
2. Its country code gives its length L (IBAN_LENGTHS); an unknown code is no IBAN.
   So only two candidates start there: the next L characters (electronic format)
   and the next L + (L - 1) // 4 characters (print format: L characters plus one
   space between groups of four).
3. A candidate counts when iban_valid accepts it and the character right after it
   is not a letter, digit or underscore (a space and more words may follow).
4. Continue scanning after each IBAN found; never report one inside another.

Examples
--------

>>> iban_valid("GB82 WEST 1234 5698 7654 32")
True
>>> iban_valid("GB82 WEST 1243 5698 7654 32")     # two digits swapped
False
>>> iban_valid("de89370400440532013000")          # lowercase is accepted
True
>>> iban_valid("DE51 3704 0044 0532 0130 0")      # mod 97 is right, but a German IBAN has 22
False
>>> find_ibans("Refund to DE89 3704 0044 0532 0130 00, not to GB82WEST12345698765433.")
['DE89 3704 0044 0532 0130 00']

(GB82 WEST 1234 5698 7654 32 is the made-up IBAN of Rosetta Code's IBAN task;
DE89 3704 0044 0532 0130 00 is the example for Germany in the SWIFT IBAN Registry.
Neither is someone's account.)

Why it matters
--------------

OWASP LLM02:2025 lists financial details among the sensitive information an AI
feature can leak, and the GDPR counts an identification number that points to a
person as personal data. Like a card number, an IBAN should not sit in plain text in
your logs or travel to a hosted model when the task does not need it.

A validator must say yes only to the exact string it checked. One that upper-cases
or normalises look-alike characters first answers "valid" for text that no bank
would accept and that your masking code (which looks for A-Z and 0-9) will not touch.
"""

from __future__ import annotations

import re  # noqa: F401  (useful for find_ibans)

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

REJECTED_CHECK_DIGITS = frozenset({"00", "01", "99"})


def iban_valid(iban: str) -> bool:
    """True when `iban` is a well-formed IBAN whose check digits are right."""
    # TODO: return False for anything that is not a str.
    # TODO: accept the electronic format or groups of four with single spaces; remove them.
    # TODO: ASCII letters and digits only (check before .upper()), then the country code,
    #       the length from IBAN_LENGTHS and REJECTED_CHECK_DIGITS.
    # TODO: the mod 97-10 check.
    raise NotImplementedError("TODO: implement iban_valid")


def find_ibans(text: str) -> list[str]:
    """Every valid IBAN in `text`, exactly as written, in order of appearance."""
    # TODO: find where candidates start, try the two shapes the country's length allows,
    #       keep the ones iban_valid accepts that are not followed by a letter or digit.
    raise NotImplementedError("TODO: implement find_ibans")
