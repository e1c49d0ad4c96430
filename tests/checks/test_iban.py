"""Hidden checks for `iban`: iban_valid() and find_ibans().

Test data:
- REGISTRY_EXAMPLES are the "IBAN electronic format example" of each country in the SWIFT
  IBAN Registry (see ATTRIBUTION.md). They are examples, not anyone's account.
- GB82 WEST 1234 5698 7654 32 is the made-up IBAN of Rosetta Code's IBAN task.
- IBANs called "synthetic" were made up for these checks, with check digits computed so that
  the mod-97 test passes; they show what the other rules must catch.
"""

from __future__ import annotations

import time

REGISTRY_EXAMPLES = [
    "AD1200012030200359100100",
    "AE070331234567890123456",
    "AL47212110090000000235698741",
    "AT611904300234573201",
    "AZ21NABZ00000000137010001944",
    "BA391290079401028494",
    "BE68539007547034",
    "BG80BNBG96611020345678",
    "BH67BMAG00001299123456",
    "BI4210000100010000332045181",
    "BR1800360305000010009795493C1",
    "BY13NBRB3600900000002Z00AB00",
    "CH9300762011623852957",
    "CR05015202001026284066",
    "CY17002001280000001200527600",
    "CZ6508000000192000145399",
    "DE89370400440532013000",
    "DJ2100010000000154000100186",
    "DK5000400440116243",
    "DO28BAGR00000001212453611324",
    "EE382200221020145685",
    "EG380019000500000000263180002",
    "ES9121000418450200051332",
    "FI2112345600000785",
    "FK88SC123456789012",
    "FO6264600001631634",
    "FR1420041010050500013M02606",
    "GB29NWBK60161331926819",
    "GE29NB0000000101904917",
    "GI75NWBK000000007099453",
    "GL8964710001000206",
    "GR1601101250000000012300695",
    "GT82TRAJ01020000001210029690",
    "HN88CABF00000000000250005469",
    "HR1210010051863000160",
    "HU42117730161111101800000000",
    "IE29AIBK93115212345678",
    "IL620108000000099999999",
    "IQ98NBIQ850123456789012",
    "IS140159260076545510730339",
    "IT60X0542811101000000123456",
    "JO94CBJO0010000000000131000302",
    "KW81CBKU0000000000001234560101",
    "KZ86125KZT5004100100",
    "LB62099900000001001901229114",
    "LC55HEMM000100010012001200023015",
    "LI21088100002324013AA",
    "LT121000011101001000",
    "LU280019400644750000",
    "LV80BANK0000435195001",
    "LY83002048000020100120361",
    "MC5811222000010123456789030",
    "MD24AG000225100013104168",
    "ME25505000012345678951",
    "MK07250120000058984",
    "MN121234123456789123",
    "MR1300020001010000123456753",
    "MT84MALT011000012345MTLCAST001S",
    "MU17BOMM0101101030300200000MUR",
    "NI45BAPR00000013000003558124",
    "NL91ABNA0417164300",
    "NO9386011117947",
    "OM810180000001299123456",
    "PK36SCBL0000001123456702",
    "PL61109010140000071219812874",
    "PS92PALS000000000400123456702",
    "PT50000201231234567890154",
    "QA58DOHB00001234567890ABCDEFG",
    "RO49AAAA1B31007593840000",
    "RS35260005601001611379",
    "RU0304452522540817810538091310419",
    "SA0380000000608010167519",
    "SC18SSCB11010000000000001497USD",
    "SD2129010501234001",
    "SE4550000000058398257466",
    "SI56263300012039086",
    "SK3112000000198742637541",
    "SM86U0322509800000000270100",
    "SO211000001001000100141",
    "ST23000100010051845310146",
    "SV62CENR00000000000000700025",
    "TL380080012345678910157",
    "TN5910006035183598478831",
    "TR330006100519786457841326",
    "UA213223130000026007233566001",
    "VA59001123000012345678",
    "VG96VPVG0000012345678901",
    "XK051212012345678906",
    "YE15CBYE0001018861234567891234",
]

ROSETTA = "GB82 WEST 1234 5698 7654 32"

WHY_MISSED = "A redactor built on this would let a real IBAN through into the log or prompt."
WHY_FALSE_ALARM = (
    "A validator that says yes to this calls text valid that no bank would accept, and a "
    "redactor built on it flags text that is not an IBAN."
)


def _print_format(iban: str) -> str:
    """The electronic format split into groups of four."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def test_accepts_registry_examples(exercise):
    """Accepts the example IBAN of every country in the SWIFT IBAN Registry"""
    for iban in REGISTRY_EXAMPLES:
        got = exercise.iban_valid(iban)
        assert got is True, (
            f"iban_valid({iban!r}) returned {got!r}, expected True: this is the registry's "
            f"example for {iban[:2]}, {len(iban)} characters, the length IBAN_LENGTHS gives "
            "for that country, and its check digits pass mod 97. (iban_valid must return the "
            "bool True.) " + WHY_MISSED
        )


def test_accepts_print_format_and_lowercase(exercise):
    """Accepts the print format in groups of four, and lowercase letters"""
    cases = [
        ROSETTA,
        "GB82WEST12345698765432",
        "gb82 west 1234 5698 7654 32",
        "Gb82WeSt12345698765432",
        "DE89 3704 0044 0532 0130 00",
        "de89370400440532013000",
        "NO93 8601 1117 947",
        "BE68 5390 0754 7034",
        "fr14 2004 1010 0505 0001 3m02 606",
        _print_format("RU0304452522540817810538091310419"),
        _print_format("LC55HEMM000100010012001200023015"),
        _print_format("MT84MALT011000012345MTLCAST001S").lower(),
    ]
    for iban in cases:
        got = exercise.iban_valid(iban)
        assert got is True, (
            f"iban_valid({iban!r}) returned {got!r}, expected True: groups of four separated "
            "by single spaces (the last group may be shorter) is how IBANs are printed, and "
            "lowercase ASCII letters count as uppercase. People paste IBANs both ways. "
            + WHY_MISSED
        )


def test_rejects_typos(exercise):
    """Rejects one wrong character or two swapped digits, as mod 97 requires"""
    cases = [
        ("GB82 WEST 1243 5698 7654 32", "two neighbouring digits swapped (34 became 43)"),
        ("GB82 TEST 1234 5698 7654 32", "one wrong letter (W became T)"),
        ("GB82 WEST 1234 5698 7654 33", "the last digit raised by one"),
        ("GB28 WEST 1234 5698 7654 32", "the check digits swapped"),
    ]
    for iban in (
        "DE89370400440532013000",
        "NO9386011117947",
        "FR1420041010050500013M02606",
        "SC18SSCB11010000000000001497USD",
        "RU0304452522540817810538091310419",
    ):
        last = str((int(iban[-1]) + 1) % 10) if iban[-1].isdigit() else "A"
        changed = iban[:-1] + last
        cases.append((changed, f"the registry example {iban} with its last character changed"))
        i = next(
            i
            for i in range(4, len(iban) - 1)
            if iban[i].isdigit() and iban[i + 1].isdigit() and iban[i] != iban[i + 1]
        )
        swapped = iban[:i] + iban[i + 1] + iban[i] + iban[i + 2 :]
        cases.append((swapped, f"the registry example {iban} with two neighbouring digits swapped"))
    for iban, what in cases:
        got = exercise.iban_valid(iban)
        assert got is False, (
            f"iban_valid({iban!r}) returned {got!r}, expected False: {what}. The mod 97-10 "
            "check catches every single wrong digit and every swap of two neighbouring digits. "
            "Move the first four characters to the end, turn letters into 10..35, and the "
            "number mod 97 must be 1. " + WHY_FALSE_ALARM
        )


def test_rejects_wrong_length_or_country(exercise):
    """Rejects a wrong length for the country, or an unknown country, even when mod 97 passes"""
    cases = [
        ("DE5137040044053201300", "21 characters, but German IBANs have 22 (synthetic)"),
        ("DE543704004405320130001", "23 characters, but German IBANs have 22 (synthetic)"),
        ("DE51 3704 0044 0532 0130 0", "21 characters in print format (synthetic)"),
        ("US5112345678901234567890", "US is not in the IBAN registry (synthetic)"),
        ("GB29NWBK6016133192681", "the UK example with its last character missing"),
        ("NO93860111179470", "the Norwegian example with a 0 added (16 characters, NO has 15)"),
        ("AA", "two letters only"),
        ("GB82", "a country code and check digits with no account number"),
    ]
    for iban, what in cases:
        got = exercise.iban_valid(iban)
        assert got is False, (
            f"iban_valid({iban!r}) returned {got!r}, expected False: {what}. The synthetic ones "
            "pass mod 97, but each country has one fixed IBAN length (IBAN_LENGTHS). Mod 97 "
            "alone accepts about one string in 97 of any length, and the length is also what "
            "tells find_ibans where an IBAN ends. " + WHY_FALSE_ALARM
        )


def test_rejects_never_issued_check_digits(exercise):
    """Rejects check digits 00, 01 and 99 even when mod 97 passes"""
    cases = [
        ("GB99WEST12345698765417", "GB02WEST12345698765417"),
        ("GB00WEST12345698765356", "GB97WEST12345698765356"),
        ("GB01WEST12345698765338", "GB98WEST12345698765338"),
    ]
    for never_issued, issued in cases:
        got = exercise.iban_valid(issued)
        assert got is True, (
            f"iban_valid({issued!r}) returned {got!r}, expected True: a synthetic UK IBAN, 22 "
            f"characters, whose check digits {issued[2:4]} pass mod 97. " + WHY_MISSED
        )
        got = exercise.iban_valid(never_issued)
        assert got is False, (
            f"iban_valid({never_issued!r}) returned {got!r}, expected False: the same account "
            f"as {issued!r} with check digits {never_issued[2:4]}. Both pass mod 97, but banks "
            "compute check digits as 98 minus a remainder mod 97, so they are always 02 to 98: "
            "00, 01 and 99 are never issued (REJECTED_CHECK_DIGITS). " + WHY_FALSE_ALARM
        )


def test_rejects_lookalike_characters(exercise):
    """Rejects look-alike letters and digits, including ones that .upper() turns into ASCII"""
    cases = [
        ("G\u0412" + ROSETTA[2:], "a Cyrillic capital Ve (U+0412) instead of the Latin B"),
        ("GB82 WES\u03a4 1234 5698 7654 32", "a Greek capital Tau (U+03A4) instead of T"),
        (
            "\u0131t60x0542811101000000123456",
            "a dotless i (U+0131): 'ı'.upper() is the ASCII 'I', so upper-casing first hides it",
        ),
        ("GB82 we\u017ft 1234 5698 7654 32", "a long s (U+017F): 'ſ'.upper() is the ASCII 'S'"),
        (
            "GB82 WE\ufb06 1234 5698 7654 32",
            "the ligature 'ﬆ' (U+FB06): its .upper() is the two letters 'ST'",
        ),
        (
            "GB82 WEST \uff11\uff12\uff13\uff14 5698 7654 32",
            "fullwidth digits, which str.isdigit() and int(ch, 36) accept",
        ),
        ("\uff27\uff22" + "82WEST12345698765432", "fullwidth letters G and B"),
        ("GB82 WEST 1234 5698 7654 3\u0662", "an Arabic-Indic two as the last digit"),
    ]
    for iban, what in cases:
        got = exercise.iban_valid(iban)
        assert got is False, (
            f"iban_valid({iban!r}) returned {got!r}, expected False: the input contains {what}. "
            "Only ASCII letters and digits belong in an IBAN: check str.isascii() before you "
            "upper-case or convert anything. A validator must say yes only to the exact string "
            "it checked; a masker that looks for A-Z and 0-9 would leave these characters in "
            "place."
        )


def test_rejects_other_formats(exercise):
    """Rejects other spacing, separators and invisible characters"""
    cases = [
        ("GB82  WEST 1234 5698 7654 32", "two spaces in a row"),
        (" GB82WEST12345698765432", "a leading space"),
        ("GB82WEST12345698765432 ", "a trailing space"),
        ("GB82 WEST 1234 5698 7654 32\n", "a trailing newline"),
        ("GB82-WEST-1234-5698-7654-32", "hyphens"),
        ("GB82\tWEST\t1234\t5698\t7654\t32", "tabs"),
        ("GB82\u00a0WEST\u00a01234\u00a05698\u00a07654\u00a032", "no-break spaces"),
        ("GB82\u200bWEST12345698765432", "a zero-width space"),
        ("GB82 WEST 12345 698 7654 32", "a group of five"),
        ("GB82WEST 1234 5698 7654 32", "a first group of eight"),
        ("G B82WEST12345698765432", "a space inside the country code"),
        ("IBAN GB82WEST12345698765432", "a label in front"),
    ]
    for iban, what in cases:
        got = exercise.iban_valid(iban)
        assert got is False, (
            f"iban_valid({iban!r}) returned {got!r}, expected False: the input has {what}. "
            "Accept exactly two shapes: no spaces at all, or groups of four separated by single "
            "spaces with a last group of one to four. Text that needs cleaning up should be "
            "normalised on purpose, before detection, not guessed at inside the validator."
        )


def test_rejects_empty_overlong_and_non_text(exercise):
    """Returns False for empty, overlong and non-text input, quickly"""
    cases = [
        ("", "an empty string"),
        ("    ", "spaces only"),
        ("GB82WEST12345698765432" + "0" * 13, "35 characters, more than any IBAN"),
        ("GB82" + "1" * 10_000, "10,004 characters"),
        (ROSETTA + " " + "1234 " * 2_000, "a print-format string of 10,000 characters"),
    ]
    for iban, what in cases:
        started = time.perf_counter()
        got = exercise.iban_valid(iban)
        elapsed = time.perf_counter() - started
        assert got is False, (
            f"iban_valid({iban!r:.60}) returned {got!r}, expected False: {what}. No country's "
            "IBAN has that many characters (IBAN_LENGTHS, at most 34 in ISO 13616)."
        )
        assert elapsed < 0.5, (
            f"iban_valid(<{what}>) took {elapsed:.2f} s; check the length before building a "
            "huge number from untrusted input."
        )
    for value in (None, b"GB82WEST12345698765432", 82, ["GB82WEST12345698765432"]):
        got = exercise.iban_valid(value)
        assert got is False, (
            f"iban_valid({value!r}) returned {got!r}, expected False: it is not a str. A "
            "validator runs on untrusted data inside a filter; it answers no rather than "
            "crashing the logging path."
        )


def test_finds_ibans_in_text(exercise):
    """Finds IBANs in chat messages and log lines, exactly as written"""
    cases = [
        (
            "Please refund to DE89 3704 0044 0532 0130 00, thanks!",
            ["DE89 3704 0044 0532 0130 00"],
        ),
        ("iban=GB29NWBK60161331926819 amount=12.50", ["GB29NWBK60161331926819"]),
        ("my iban is gb82 west 1234 5698 7654 32 :)", ["gb82 west 1234 5698 7654 32"]),
        ('{"iban": "NL91ABNA0417164300"}', ["NL91ABNA0417164300"]),
        ("IBAN: NO93 8601 1117 947.", ["NO93 8601 1117 947"]),
        ("(BE68539007547034)", ["BE68539007547034"]),
    ]
    for text, expected in cases:
        got = exercise.find_ibans(text)
        assert got == expected, (
            f"find_ibans({text!r}) returned {got!r}, expected {expected!r}: the IBAN starts "
            "after a space, quote, colon or bracket, has the length its country needs, passes "
            "mod 97, and is followed by punctuation, a space or the end of the text. It must "
            "come back exactly as written so that the caller can replace that exact text. "
            + WHY_MISSED
        )


def test_find_stops_where_the_iban_ends(exercise):
    """Ends each IBAN at its country's length, even when words or numbers follow"""
    cases = [
        ("BE68 5390 0754 7034 1234 is the reference", ["BE68 5390 0754 7034"]),
        ("DE89 3704 0044 0532 0130 00 12 EUR", ["DE89 3704 0044 0532 0130 00"]),
        (
            "GB82 WEST 1234 5698 7654 32 GB29 NWBK 6016 1331 9268 19",
            ["GB82 WEST 1234 5698 7654 32", "GB29 NWBK 6016 1331 9268 19"],
        ),
    ]
    for text, expected in cases:
        got = exercise.find_ibans(text)
        assert got == expected, (
            f"find_ibans({text!r}) returned {got!r}, expected {expected!r}: the country code "
            "fixes the length (BE: 16, DE and GB: 22), so the print format has exactly that many "
            "characters plus one space per group boundary. A pattern that grabs every following "
            "group of four swallows the next number and then fails the check. " + WHY_MISSED
        )


def test_find_ignores_invalid_and_embedded(exercise):
    """Ignores invalid IBANs and IBAN-like text inside longer words"""
    cases = [
        ("refund to GB82WEST12345698765433", "the check digits do not match"),
        ("refund to GB82 WEST 1243 5698 7654 32", "two digits are swapped"),
        ("ref XGB82WEST12345698765432", "it follows a letter"),
        ("ref GB82WEST12345698765432EUR", "it is followed by letters"),
        ("ref GB82WEST12345698765432_1", "it is followed by an underscore"),
        ("ref 9GB82WEST12345698765432", "it follows a digit"),
        ("ref DE5137040044053201300", "it has 21 characters and German IBANs have 22"),
        ("ref US5112345678901234567890", "US has no IBANs"),
        ("ref GB99WEST12345698765417", "its check digits are 99, which are never issued"),
        ("ref G\u0412" + "82WEST12345698765432", "it has a Cyrillic letter"),
    ]
    for text, what in cases:
        got = exercise.find_ibans(text)
        assert got == [], (
            f"find_ibans({text!r}) returned {got!r}, expected []: {what}. find_ibans reports "
            "only strings that iban_valid accepts and that do not touch a letter, digit or "
            "underscore on either side. " + WHY_FALSE_ALARM
        )


def test_find_returns_every_iban_in_order(exercise):
    """Returns every IBAN in order of appearance, repeats included"""
    text = (
        "Old account: CH93 0076 2011 6238 5295 7\n"
        "New account: IT60X0542811101000000123456 (please update)\n"
        "Confirm: CH93 0076 2011 6238 5295 7 closed; MT84MALT011000012345MTLCAST001S stays."
    )
    expected = [
        "CH93 0076 2011 6238 5295 7",
        "IT60X0542811101000000123456",
        "CH93 0076 2011 6238 5295 7",
        "MT84MALT011000012345MTLCAST001S",
    ]
    got = exercise.find_ibans(text)
    assert got == expected, (
        f"find_ibans({text!r}) returned {got!r}, expected {expected!r}: four IBANs in the order "
        "they appear, the repeated one twice. The caller redacts each occurrence; a set or a "
        "sorted list loses that."
    )
    assert isinstance(got, list), f"find_ibans returned a {type(got).__name__}, expected a list."


def test_find_empty_and_ibanless_text(exercise):
    """Returns [] for empty text and for text without IBANs"""
    for text in ("", " ", "\n", "no bank details here", "GB is a country code, 82 a number"):
        got = exercise.find_ibans(text)
        assert got == [], (
            f"find_ibans({text!r}) returned {got!r}, expected []: there is no IBAN in it. Most "
            "messages contain none; they must pass through unchanged."
        )


def test_find_long_text_stays_fast(exercise):
    """Handles long text quickly"""
    iban = "DE89 3704 0044 0532 0130 00"
    cases = [
        ("Lorem ipsum GB12 dolor sit amet. " * 6_000 + iban, "200,000 characters of prose"),
        ("AB12 " * 20_000 + iban, "20,000 IBAN-like fragments"),
    ]
    for text, what in cases:
        started = time.perf_counter()
        got = exercise.find_ibans(text)
        elapsed = time.perf_counter() - started
        assert got == [iban], (
            f"find_ibans(<{what}, then {iban!r}>) returned {got!r:.200}, expected {[iban]!r}: "
            "only the IBAN at the end is one."
        )
        assert elapsed < 1.0, (
            f"find_ibans(<{what}, then {iban!r}>) took {elapsed:.2f} s, expected well under "
            "a second. The country code tells you the only two lengths worth trying; a redactor "
            "on the logging path that slows down on long input is a denial-of-service risk."
        )
