"""Removing personal data from what customers typed, before anything is stored.

Customers paste e-mail addresses, phone numbers, card numbers and ID numbers into the search
box ("refund dana@example.com 050-1234567"). None of that may reach the query log, its
reports or their CSV exports. Each finding is replaced by a placeholder that says what was
there, so managers still see the shape of the search.
"""

import re

EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card]"
ID_NUMBER = "[id]"
NUMBER = "[number]"

PLACEHOLDERS = (EMAIL, PHONE, CARD, ID_NUMBER, NUMBER)

# Deliberately loose: anything@anything.tld, including Unicode local parts and IDNs.
_EMAIL = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
# A run of digits with the separators people type inside numbers: spaces, dashes, dots,
# slashes and brackets, optionally led by "+" (international dialling).
# Letters may touch it: Hebrew attaches prefixes to numbers ("ל0501234567").
_NUMBER_RUN = re.compile(r"(?<![\d+])(?:\+\s*)?\(?\d[\d\s().\-/]*\d\)?(?!\d)")
_DIGIT = re.compile(r"\d")

# Fewer digits than this are never personal on their own (quantities, years, dates as
# 12.05.2024, error codes); an unrecognised run of at least this many is removed anyway,
# since account, customer and policy numbers are personal too.
MIN_PERSONAL_DIGITS = 9


def _digits(text):
    return "".join(str(int(d)) for d in _DIGIT.findall(text))


def luhn_valid(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


def israeli_id_valid(digits):
    """The check digit of a Teudat Zehut (9 digits, shorter ones padded with zeros)."""
    if not 5 <= len(digits) <= 9:
        return False
    total = 0
    for i, ch in enumerate(digits.zfill(9)):
        n = int(ch) * (1 + i % 2)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


def _classify(run):
    """The placeholder for one run of digits, or None to keep it."""
    digits = _digits(run)
    count = len(digits)
    international = run.lstrip().startswith("+") or (digits.startswith("00") and count >= 10)
    if international and 8 <= count <= 15:
        return PHONE
    if 13 <= count <= 19 and luhn_valid(digits):
        return CARD
    if digits.startswith("972") and count in (11, 12):
        return PHONE  # +972 written without the plus
    if digits.startswith("0") and count in (9, 10):
        return PHONE  # Israeli landline (0X-XXXXXXX) and mobile (05X-XXXXXXX)
    if count == 9 and israeli_id_valid(digits):
        return ID_NUMBER
    if count == 8 and run.strip().isdigit() and israeli_id_valid(digits):
        return ID_NUMBER  # older IDs are often typed without the leading zero
    if count >= MIN_PERSONAL_DIGITS:
        return NUMBER
    return None


def _replace_run(match):
    return _classify(match.group()) or match.group()


def redact(text):
    """``text`` with e-mail addresses, phone, card and ID numbers replaced by placeholders."""
    if not text:
        return ""
    text = _EMAIL.sub(EMAIL, text)
    return _NUMBER_RUN.sub(_replace_run, text)


def without_placeholders(text):
    """Redacted text with its placeholders removed: what the normalised form is built from."""
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, " ")
    return text
