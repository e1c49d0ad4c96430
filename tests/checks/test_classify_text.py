"""Hidden checks for `classify_text`.

AKIAIOSFODNN7EXAMPLE is the access key ID from AWS's documentation, the other key
IDs are made up (right shape, no account behind them), 4242 4242 4242 4242,
5555 5555 5555 4444 and 3782 822463 10005 are Stripe test cards (the numbers next to
them, and the Luhn-invalid ones, are made up), example.com/.org are reserved by RFC 2606,
+1 202 555 0143 uses the 555-01xx range reserved for fiction in North America, and
+44 20 7946 0958 is in the range Ofcom reserves for drama (see ATTRIBUTION.md). The
RFC 1918 ranges come from RFC 1918.
"""

from __future__ import annotations

import time

AWS_KEY_ID = "AKIAIOSFODNN7EXAMPLE"
VISA = "4242 4242 4242 4242"
MASTERCARD = "5555-5555-5555-4444"
AMEX = "3782 822463 10005"  # 15 digits
# Made-up key IDs of the right shape (AWS's IAM docs list the prefixes).
TEMP_KEY_ID = "ASIAY34FZKBOKMUTVV7A"
BEARER_KEY_ID = "ABIAZ7VXQG3R5T2LWMBN"
CONTEXT_KEY_ID = "ACCAQ2WE3RT4YU5IO6PL"
OTHER_KEY_ID = "AKIAZ7VXQG3R5T2LWMBN"


def _classify(exercise, text: str) -> str:
    return exercise.classify_text(text)


def _check(exercise, text: str, expected: str, why: str) -> None:
    got = _classify(exercise, text)
    assert got == expected, (
        f"classify_text({text!r}) returned {got!r}, expected {expected!r}: {why}"
    )


def test_public_text(exercise):
    """Calls ordinary text public, including empty text and near misses"""
    cases = [
        ("", "empty text contains nothing sensitive"),
        ("How do I reverse a list in Python?", "an ordinary question"),
        ("Our confidentiality policy is on the website.", "'confidentiality' is not the "
         "marker word 'confidential'"),
        ("Acme Corp released version 1.10.0.1 today.", "a company name and a version with "
         "five dotted numbers, which is not an IPv4 address"),
        ("Order 4242 4242 4242 4241 shipped.", "16 digits that fail the Luhn check"),
        ("Order 1234 5678 9012 3456 7890", "20 digits in five groups, and no stretch of "
         "13 to 19 of them, in whole groups, passes the Luhn check (has_card says False)"),
        ("The public DNS resolver 8.8.8.8 answered.", "a public IPv4 address"),
        ("-----BEGIN PUBLIC KEY-----", "a PUBLIC key header"),
        ("-----BEGIN CERTIFICATE-----", "a certificate header"),
        ("The key prefix AKIA means a long-term key.", "'AKIA' alone is not a key ID"),
    ]
    for text, why in cases:
        _check(exercise, text, "public", why + ". Over-classifying everything teaches people "
               "to ignore the label.")


def test_restricted_secrets(exercise):
    """Calls private keys, AWS access key IDs and card numbers restricted"""
    cases = [
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIEow...", "an RSA private key"),
        ("-----BEGIN OPENSSH PRIVATE KEY-----", "an OpenSSH private key"),
        ("-----BEGIN EC PRIVATE KEY-----", "an EC private key"),
        ("-----BEGIN PRIVATE KEY-----", "a PKCS#8 private key"),
        ("-----BEGIN ENCRYPTED PRIVATE KEY-----", "an encrypted private key (still a key "
         "file, and the passphrase is often nearby)"),
        (f"aws_access_key_id = {AWS_KEY_ID}", "an AWS access key ID in a config line"),
        (AWS_KEY_ID, "AWS's documentation placeholder key ID: a classifier cannot know it "
         "is fake, and attackers test keys they find within minutes"),
        (f"card {VISA}, exp 12/34", "a Stripe test Visa number that passes Luhn"),
        (f"card={MASTERCARD}", "a Stripe test Mastercard number that passes Luhn"),
    ]
    for text, why in cases:
        _check(exercise, text, "restricted", why + ". Restricted data must never be pasted "
               "into any AI tool.")


def test_card_next_to_other_numbers(exercise):
    """Finds a card number next to an expiry date, a code or another number"""
    cases = [
        (f"card {VISA} 12/34", "a card followed by its expiry date; one regex match over "
         "'4242 4242 4242 4242 12' takes 18 digits, which fail the Luhn check"),
        (f"{VISA} 123", "a card followed by a three-digit security code"),
        (f"Amex {AMEX} 1234", "a 15-digit card followed by four more digits"),
        (f"ref 123 {VISA}", "a reference number, then a card"),
        (f"cards: {AMEX} {MASTERCARD}", "two cards in a row"),
    ]
    for text, why in cases:
        _check(exercise, text, "restricted", why + ". Call has_card(text) on the normalised "
               "text: it tries every stretch of 13 to 19 digits in whole groups, so the "
               "numbers around a card cannot hide it.")


def test_restricted_key_formats(exercise):
    """Calls every AWS key ID prefix and PGP, SSH.com and PuTTY key files restricted"""
    cases = [
        (f"AWS_ACCESS_KEY_ID={TEMP_KEY_ID}", "a temporary (STS) key ID, prefix ASIA"),
        (f"token id {BEARER_KEY_ID}", "an STS service bearer token's key ID, prefix ABIA"),
        (f"id: {CONTEXT_KEY_ID}", "a context-specific credential's key ID, prefix ACCA"),
        (f"aws_key_{OTHER_KEY_ID}", "a key ID after '_': still its own token"),
        (f'{{"keys": "staging\\n{OTHER_KEY_ID}"}}', "a key ID right after an escaped "
         "'\\n' in a JSON string"),
        ("-----BEGIN PGP PRIVATE KEY BLOCK-----", "a PGP private key block"),
        ("---- BEGIN SSH2 ENCRYPTED PRIVATE KEY ----", "an SSH.com private key"),
        ("PuTTY-User-Key-File-3: ssh-ed25519", "a PuTTY private key file (.ppk)"),
    ]
    for text, why in cases:
        _check(exercise, text, "restricted", why + ". AWS_ACCESS_KEY_RE and PRIVATE_KEY_RE "
               "cover these; run both on the normalised text. A gate that knows only AKIA "
               "and PEM headers lets the other credentials through.")


def test_not_mistaken_for_keys(exercise):
    """Does not call key-like strings of the wrong shape restricted"""
    cases = [
        ("AKIAIOSFODNN7EXAMPL", "19 characters: one short of an access key ID"),
        ("AKIAIOSFODNN7EXAMPLEX", "21 characters: part of a longer token, not a key ID"),
        ("akiaiosfodnn7example", "lower case: AWS key IDs are upper case"),
    ]
    for text, why in cases:
        _check(exercise, text, "public", why + " (AWS_ACCESS_KEY_RE).")


def test_confidential_data(exercise):
    """Calls emails, phone numbers and the word confidential confidential"""
    cases = [
        ("Please reply to ann.lee@example.com", "an email address"),
        ("Call +1 202 555 0143 after 5pm", "an international phone number"),
        ("Call +44-20-7946-0958", "a phone number with hyphens"),
        ("CONFIDENTIAL: Q3 numbers", "the marker in capitals"),
        ("Confidential - do not forward", "the marker capitalised"),
        ("this is strictly confidential.", "the marker in lower case"),
        ("Marked cOnFiDeNtIaL by legal", "the marker in mixed case"),
    ]
    for text, why in cases:
        _check(exercise, text, "confidential", why + ". Personal data and marked documents "
               "may only go to a local model under this course's policy.")


def test_internal_hosts_and_private_addresses(exercise):
    """Calls internal host names and RFC 1918 addresses internal"""
    cases = [
        ("ssh build-07.corp", "a .corp host name"),
        ("open https://grafana.eu.internal/d/abc", "a .internal host name in a URL"),
        ("psql -h DB01.CORP -p 5432", "a .corp host name in capitals"),
        ("gateway 10.0.0.1", "10.0.0.0/8"),
        ("10.255.255.255 is the last one", "the top of 10.0.0.0/8"),
        ("redis at 172.16.0.5:6379", "172.16.0.0/12, with a port"),
        ("172.31.255.254", "the top of 172.16.0.0/12"),
        ("router 192.168.1.1/24", "192.168.0.0/16, with a prefix length"),
    ]
    for text, why in cases:
        _check(exercise, text, "internal", why + ". Internal names and addresses map your "
               "network for whoever reads the prompt.")


def test_addresses_outside_rfc1918(exercise):
    """Does not call invalid or non-RFC 1918 addresses internal"""
    cases = [
        ("10.0.0.300", "300 is not a valid octet, so this is no address at all"),
        ("172.15.255.255", "just below 172.16.0.0/12"),
        ("172.32.0.1", "just above 172.16.0.0/12 (which ends at 172.31.255.255)"),
        ("192.169.0.1", "outside 192.168.0.0/16"),
        ("127.0.0.1", "loopback: the same on every machine (is_private says True, RFC 1918 "
         "says no)"),
        ("169.254.169.254", "link-local, the same well-known address in every cloud"),
        ("100.64.0.1", "shared address space (RFC 6598), not RFC 1918"),
        ("010.0.0.1", "a leading zero: not an address as Python's ipaddress reads them"),
        ("see corp.example.com", "a public domain that merely starts with 'corp'"),
    ]
    for text, why in cases:
        _check(exercise, text, "public", why + ". Check every octet (0-255) and the three "
               "RFC 1918 networks exactly.")


def test_highest_level_wins(exercise):
    """Returns the highest level present, wherever it appears in the text"""
    cases = [
        (f"mail ann@example.com the key {AWS_KEY_ID}", "restricted", "an email and a key"),
        (f"host build.corp, card {VISA}", "restricted", "an internal host and a card"),
        ("10.0.0.7 belongs to bob@example.org", "confidential", "an RFC 1918 address and "
         "an email"),
        ("status ok on 192.168.0.10", "internal", "public prose and an internal address"),
        ("CONFIDENTIAL\n" + "x " * 500 + AWS_KEY_ID, "restricted", "a marker, filler, then "
         "a key at the very end"),
    ]
    for text, expected, what in cases:
        _check(exercise, text, expected, f"the text contains {what}; the highest level "
               "wins. Stopping at the first thing you find, or checking levels in the wrong "
               "order, lets the most sensitive data through with a lower label.")


def test_normalises_before_matching(exercise):
    """Sees through zero-width characters and fullwidth letters"""
    cases = [
        ("CONFI\u200bDENTIAL", "confidential", "a zero-width space (U+200B)"),
        ("CONFI\u00adDENTIAL", "confidential", "a soft hyphen (U+00AD)"),
        ("CON\u2060FIDENTIAL", "confidential", "a word joiner (U+2060)"),
        ("\ufeffconfidential", "confidential", "a byte order mark (U+FEFF)"),
        ("CONF\U000e0041IDENTIAL", "confidential", "a Unicode tag character (U+E0041)"),
        ("ＣＯＮＦＩＤＥＮＴＩＡＬ", "confidential", "fullwidth letters"),
        ("AKIA\u200bIOSFODNN7EXAMPLE", "restricted", "a zero-width space inside the key"),
        ("ann\u200d@example.com", "confidential", "a zero-width joiner in the address"),
        ("4242\u200b4242\u200b4242\u200b4242", "restricted", "zero-width spaces between "
         "the groups of a card number"),
        ("１０.０.０.１", "internal", "fullwidth digits"),
    ]
    for text, expected, what in cases:
        _check(exercise, text, expected, f"the text hides the evidence with {what}. Remove "
               "characters of category Cf, then apply NFKC, before any rule runs: text "
               "copied from chats and PDFs carries such characters, and attackers add them "
               "on purpose.")


def test_rejects_non_text(exercise):
    """Raises TypeError for a value that is not a str"""
    for value in (b"CONFIDENTIAL", None, 4242424242424242):
        try:
            got = exercise.classify_text(value)
        except TypeError:
            continue
        raise AssertionError(
            f"classify_text({value!r}) returned {got!r}, expected TypeError: a classifier "
            "that guesses on bytes or numbers can call a secret 'public'. Fail loudly."
        )


def test_long_text_stays_fast(exercise):
    """Classifies a long text quickly"""
    text = "lorem 10.0.0 ipsum 4242 dolor sit.amet +1 2 " * 10000 + "ann@example.com"
    started = time.perf_counter()
    got = _classify(exercise, text)
    elapsed = time.perf_counter() - started
    assert got == "confidential", (
        f"classify_text(<440,000 characters of filler, then an email address>) returned "
        f"{got!r}, expected 'confidential': the filler holds only fragments (three-part "
        "numbers, short digit groups), and the address at the end decides."
    )
    assert elapsed < 1.0, (
        f"classify_text(<440,000 characters>) took {elapsed:.1f} s, expected well under a "
        "second (the reference solution needs a few tenths at most). A check that runs "
        "before every prompt must not slow people down, or they route around it."
    )
