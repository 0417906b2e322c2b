"""Removing personal data from what customers typed, before anything is stored.

Customers paste e-mail addresses, phone numbers, card numbers and ID numbers into the search
box ("refund dana@example.com 050-1234567"), the feedback comment and the contact form. None
of that may reach the query log, its reports, their CSV exports or a cookie. Each finding is
replaced by a placeholder that says what was there, so managers still see the shape of the
search ("refund [email] [phone]").

Text is first normalised (compatibility forms, so full-width "０５２" and "＠" are plain, and
any script's digits, e.g. Arabic-Indic, become 0-9); the result is built from that form.
Then, in order: e-mail addresses (also spaced, "(at)"/"dot" and Hebrew "שטרודל"/"נקודה"
forms), IBANs (checksum), public IP addresses, values that follow a label saying what they
are ("ת.ז.", "passport", "cvv", "born", "account", "order", "phone"...), passwords and PINs
("my pin is 4321"), one-time codes said to be one ("otp 845123"), user names after their
label, handles such as "dlevi@corp", device addresses (MAC, IMEI, serial numbers), seven or
more digits spelt out as words, names ("my name is ...", "קוראים לי ..."), dates of birth,
street addresses, card numbers (Luhn) with the expiry and security code beside them, and finally any
other run of digits long enough to be personal. Checksums come from python-stdnum.

What deliberately stays: short numbers (model numbers, years, prices, error codes, channel
numbers), recent dates, and private network addresses such as a router's 192.168.1.1, which
identify no one and are what customers search for.
"""

import ipaddress
import re
import unicodedata
from datetime import date

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.il import idnr

EMAIL = "[email]"
PHONE = "[phone]"
CARD = "[card]"
ID_NUMBER = "[id]"
NUMBER = "[number]"
IBAN = "[iban]"
PASSPORT = "[passport]"
ACCOUNT = "[account]"
ADDRESS = "[address]"
BIRTH_DATE = "[birth date]"
IP_ADDRESS = "[ip]"
EXPIRY = "[expiry]"
CVV = "[cvv]"
CREDENTIAL = "[secret]"
NAME = "[name]"
USERNAME = "[username]"
DEVICE = "[device]"

PLACEHOLDERS = (
    EMAIL,
    PHONE,
    CARD,
    ID_NUMBER,
    NUMBER,
    IBAN,
    PASSPORT,
    ACCOUNT,
    ADDRESS,
    BIRTH_DATE,
    IP_ADDRESS,
    EXPIRY,
    CVV,
    CREDENTIAL,
    NAME,
    USERNAME,
    DEVICE,
)

# Fewer digits than this are never personal on their own (quantities, years, dates as
# 12.05.2024, error codes); an unrecognised run of at least this many is removed anyway,
# since account, customer and policy numbers are personal too.
MIN_PERSONAL_DIGITS = 9
# A full date this many years old or more, even unlabelled, is taken for a date of birth.
BIRTH_DATE_MIN_AGE_YEARS = 13

# Hebrew letters a word may carry in front (and, in, to, from, that, the).
_HE_PREFIX = "[ובלמשהכ]{0,2}"
# What may stand between the digits of one number: spaces, dashes of any kind (incl. the
# Hebrew maqaf), dots, slashes, brackets, underscores, commas.
_SEP = r"[\s().\-/_,·\u2010-\u2015\u2212\u05be]"
_DIGITS_RUN = rf"\d(?:{_SEP}{{0,3}}\d)*"
# "+972 (0)52-..." and "(03) 123..." may open with a plus or a bracket.
# Letters may touch a number: Hebrew attaches prefixes to it ("ל0501234567").
_NUMBER_RUN = re.compile(rf"(?<![\d+])(?:\(\s*)?(?:\+\s*)?\(?{_DIGITS_RUN}\)?(?!\d)")
_DIGIT = re.compile(r"\d")


# --- normalisation ------------------------------------------------------------------------

_FULL_STOPS = str.maketrans({"\u3002": ".", "\uff61": ".", "\ufe52": "."})


def _ascii_digit(ch):
    return str(unicodedata.digit(ch)) if unicodedata.category(ch) == "Nd" else ch


def normalise(text):
    """Compatibility-normalised ``text`` with every decimal digit written 0-9."""
    text = unicodedata.normalize("NFKC", text).translate(_FULL_STOPS)
    if text.isascii():
        return text
    return "".join(_ascii_digit(ch) if ch.isdigit() else ch for ch in text)


def _digits(text):
    return "".join(_DIGIT.findall(text))


# --- checksums (python-stdnum) ------------------------------------------------------------


def luhn_valid(digits):
    return digits.isdigit() and luhn.is_valid(digits)


def israeli_id_valid(digits):
    """The check digit of a Teudat Zehut (9 digits, shorter ones padded with zeros)."""
    return digits.isdigit() and 5 <= len(digits) <= 9 and idnr.is_valid(digits)


def iban_valid(text):
    return stdnum_iban.is_valid(text)


# --- e-mail addresses ---------------------------------------------------------------------

_LOCAL = r"[\w.!#$%&'*+/=?^`{|}~-]"
# Written out, "at" must stand as a word ("dana at example"); bracketed it may touch.
_AT_WORD = (
    r"(?:\s*(?:\(\s*(?:at|שטרודל)\s*\)|\[\s*(?:at|שטרודל)\s*\]|\{\s*at\s*\})\s*"
    r"|\s+(?:at|שטרודל|כרוכית)\s+)"
)
_DOT_WORD = r"(?:\(\s*(?:dot|נקודה)\s*\)|\[\s*(?:dot|נקודה)\s*\]|\{\s*dot\s*\}|dot|נקודה)"
# Spaces around a plain "." are allowed only before a label that is a usual domain ending,
# so that "write to dana@example.com. Thanks" keeps its next sentence.
_TLD = r"(?:com|net|org|il|co|ac|gov|edu|info|biz|io|me|uk|us|de|fr|ru|ca|au|muni|k12|app|dev)"
_EMAIL = re.compile(
    rf"(?<!{_LOCAL})(?<!\.\s)(?>{_LOCAL}+(?:\s\.\s{_LOCAL}+)*)\s*@\s*[\w-]+"
    rf"(?:(?:\.|\s+\.\s*(?={_TLD}\b)|\s*\.\s+(?={_TLD}\b)|\s*{_DOT_WORD}\s*)[\w-]+)+",
    re.IGNORECASE,
)
# Spelled out: "dana at example dot com", "dana dot levi at gmail dot com", "dana (at)
# example.co.il", "דנה שטרודל gmail נקודה com".
# A spelled-out dot inside the name part ("dana dot levi"): spaced or bracketed, so that a
# word merely holding "dot" is not cut up (possessive, so no input makes this backtrack).
_LOCAL_DOT = r"(?:\s+(?:dot|נקודה)\s+|\s*\(\s*dot\s*\)\s*|\s*\[\s*dot\s*\]\s*)"
_EMAIL_WORDS = re.compile(
    rf"(?<!{_LOCAL})(?:{_LOCAL}++{_LOCAL_DOT})*+{_LOCAL}+{_AT_WORD}[\w-]+"
    rf"(?:(?:\s*{_DOT_WORD}\s*|\.)[\w-]+)+",
    re.IGNORECASE,
)


# --- IBAN and IP addresses ----------------------------------------------------------------

_IBAN = re.compile(r"(?<![\w])[A-Z]{2}\s?\d{2}(?:[\s\-]?[A-Z0-9]){11,32}(?![\w])", re.IGNORECASE)

_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)")
_IPV6 = re.compile(
    r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}(?:[0-9a-f]{1,4}|(?:\d{1,3}\.){3}\d{1,3})?(?![\w:])",
    re.IGNORECASE,
)
# Addresses inside a home or office network identify no one (and "192.168.1.1" is how
# customers reach their router); every other address may point at a person.
_LOCAL_NETWORKS = tuple(
    ipaddress.ip_network(n)
    for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "127.0.0.0/8", "169.254.0.0/16")
)


def _replace_iban(match):
    """The IBAN at the start of the match (the pattern may run on into the next word); one
    that fails its checksum but is as long as one is a mistyped IBAN, still theirs."""
    words = match.group().split(" ")
    for end in reversed(range(1, len(words) + 1)):
        candidate = " ".join(words[:end])
        if iban_valid(candidate) or len(_digits(candidate)) >= 14:
            return " ".join([IBAN, *words[end:]])
    return match.group()


def _is_personal_ip(text):
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return False
    if address.version == 4:
        return not (address.is_unspecified or any(address in n for n in _LOCAL_NETWORKS))
    return not (address.is_loopback or address.is_unspecified or address.is_link_local)


def _replace_ip(match):
    text = match.group()
    return IP_ADDRESS if _is_personal_ip(text) else text


# --- dates ----------------------------------------------------------------------------------

_MONTHS_EN = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS_HE = r"[בל]?(?:ינואר|פברואר|מרץ|מרס|אפריל|מאי|יוני|יולי|אוגוסט|ספטמבר|אוקטובר|נובמבר|דצמבר)"
_DATE = (
    r"(?:\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})(?!\d)"
    r"|\d{4}[./\-]\d{1,2}[./\-]\d{1,2}(?!\d)"
    rf"|\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS_EN}|{_MONTHS_HE}),?\s+\d{{4}}"
    rf"|{_MONTHS_EN}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})"
)
_FULL_DATE = re.compile(rf"(?<![\d./\-]){_DATE}", re.IGNORECASE)


def _old_enough_to_be_a_birth_date(match):
    text = match.group()
    years = re.findall(r"(?:19|20)\d{2}", text)
    if not years:
        return text
    # A year-month-day date starts with the year; otherwise it is the last one.
    year = int(years[0] if re.match(r"\d{4}", text) else years[-1])
    if 1900 <= year <= date.today().year - BIRTH_DATE_MIN_AGE_YEARS:
        return BIRTH_DATE
    return text


# --- values after a label ("ת.ז. 123456782", "passport 12345678", "cvv 123") -----------------

_FILLER = (
    r"(?:[\s:#=\-–.,]|\b(?:is|my|number|num|no|nr|of|the|was|on|at)\b"
    r"|(?<!\S)(?:הוא|היא|שלי|מספר|מס['׳]?|של|הם|ב|ה)(?!\S)|(?<!\S)[בהל]-?(?=\d))*"
)


def _labelled(labels, value, flags=re.IGNORECASE):
    return re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:{labels}))(?![^\W\d_])(?P<gap>{_FILLER})(?P<value>{value})",
        flags,
    )


_BY_LABEL = (
    (
        CVV,
        _labelled(
            r"cvv2?|cvc2?|csc|security\s+code|card\s+code|קוד\s+(?:אבטחה|סודי|CVV)"
            r"|(?:3|שלוש)\s+(?:ה)?ספרות(?:\s+(?:ש|מ)?בגב(?:\s+הכרטיס)?)?|ספרות\s+בגב\s+הכרטיס",
            r"\d{3,4}(?!\d)",
        ),
    ),
    (
        EXPIRY,
        _labelled(
            r"exp(?:iry|iration|ires|\.)?(?:\s+date)?|valid\s+(?:thru|through|until|till)"
            r"|תוקף|ת\.\s?תוקף|בתוקף\s+עד|תאריך\s+תפוגה|תפוגה",
            r"\d{1,2}\s?[/\-.]\s?(?:\d{4}|\d{2})(?!\d)",
        ),
    ),
    (
        BIRTH_DATE,
        _labelled(
            r"born|birth\s*(?:date|day)?|date\s+of\s+birth|d\.?o\.?b\.?|dob|birthday"
            r"|נולדתי|נולדה|נולד|תאריך\s+(?:ה)?לידה|ת\.\s?לידה|ת[\"״']ל|יום\s+(?:ה)?הולדת"
            r"|ילידת|יליד|שנת\s+לידה",
            rf"{_DATE}|(?:19|20)\d{{2}}(?!\d)",
        ),
    ),
    (
        PASSPORT,
        _labelled(
            r"passport|pass\s+no|דרכון",
            r"[A-Z]{0,2}\d{5,10}(?!\d)",
        ),
    ),
    (
        ID_NUMBER,
        _labelled(
            r"ת\.\s?ז\.?|ת[\"״']ז|תז|תעודת\s+(?:ה)?זהות|מספר\s+(?:ה)?זהות|זהות"
            r"|teudat\s+zehut|id\s*(?:card|number|no\.?|#)?|identity\s+(?:card|number)"
            r"|national\s+id|ssn|social\s+security(?:\s+(?:number|no\.?))?",
            r"\d(?:[\s\-]?\d){4,8}(?!\d)",
        ),
    ),
    (
        ACCOUNT,
        _labelled(
            r"(?:bank\s+)?account|acct\.?|a/c|חשבון(?:\s+(?:ה)?בנק)?|ח[\"״']ן|ח-ן|חשבון\s+עו[\"״]ש",
            rf"\d(?:{_SEP}{{0,3}}\d){{4,}}(?!\d)",
        ),
    ),
    (
        NUMBER,
        # Customer, policy, order and plate numbers point at one person even when short.
        _labelled(
            r"customer|client|member(?:ship)?|subscriber|subscription|policy|claim|order"
            r"|reference|ref\.?|tracking|booking|ticket|case|(?:license|licence|car)\s+plate"
            r"|plate|vehicle|לקוח|מנוי|פוליסה|תביעה|הזמנה|אסמכתא|משלוח|פנייה|רכב|רישוי"
            r"|לוחית(?:\s+רישוי)?",
            r"[A-Z]{0,3}\d(?:[\s\-/.]?\d){4,}(?!\d)",
        ),
    ),
    (
        PHONE,
        _labelled(
            r"phone|tel\.?|telephone|mobile|cell(?:phone)?|call\s+me|whats\s?app|sms|fax"
            r"|טלפון|טל['׳]|נייד|פלאפון|סלולרי|סלולר|וואטסאפ|ווטסאפ|פקס|להתקשר|תתקשרו|חייגו",
            rf"(?:\+\s*)?\(?\d(?:{_SEP}{{0,3}}\d){{6,}}\)?(?!\d)",
        ),
    ),
)


# --- passwords and PINs, and names, after what says they are one ---------------------------

_CREDENTIAL_LABELS = (
    r"pass(?:word|code|wd)|pwd|pw|pin(?:\s+code)?|סיסמ[האת]|קוד\s+(?:סודי|גישה|pin)|פין"
)
# Words that say something about the password rather than being it ("my password is wrong").
_NOT_A_CREDENTIAL = (
    r"(?:not|wrong|incorrect|invalid|expired|blocked|locked|lost|forgotten|correct|right|too"
    r"|case|weak|strong|long|short|required|needed|changed|reset|missing|the|a|my|still|no"
    r"|לא|שגויה|שגוי|נכונה|נכון|חסומה|חסום|ננעלה|ננעל|פגה|ארוכה|קצרה|חלשה|חזקה|עדיין|אבדה"
    r"|שונתה|מתאימה)(?![^\W\d_])"
)
_CREDENTIALS = (
    # "password is hunter2", "pin: 4321", "הסיסמה שלי היא dana85": any word after "is".
    re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:{_CREDENTIAL_LABELS}))(?![^\W\d_])"
        rf"(?P<gap>(?:\s+(?:for|of|to|on|של|ל|ב)?\s*[^\s:=]+){{0,2}}?"
        rf"(?:\s+(?:is|was|=)\s*|\s*[:=]\s*|\s+(?:שלי\s+)?(?:היא|הוא|זה|זו)\s*[:=]?\s*))"
        rf"(?!{_NOT_A_CREDENTIAL})(?P<value>[^\s\[\]]+)",
        re.IGNORECASE,
    ),
    # "pin 4321", "הסיסמה שלי 123456": without "is", only a word with a digit in it, since
    # "password reset" and "סיסמה חדשה" are questions.
    re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:{_CREDENTIAL_LABELS}))(?![^\W\d_])"
        rf"(?P<gap>\s+(?:(?:my|של(?:י|ך)|של\s+\S+)\s+)?)"
        rf"(?P<value>(?=[^\s\[\]]*\d)[^\s\[\]]{{4,}})",
        re.IGNORECASE,
    ),
)

# One-time codes sent by text or e-mail: a login to the account while they are fresh. "Error
# code 404" stays: only a code said to be sent, or named as a verification code, goes.
_ONE_TIME_CODE = _labelled(
    r"otp|one[\s\-]time\s+(?:code|password|passcode|pin)|(?:verification|confirmation|security"
    r"|login|sms|2fa|two[\s\-]factor|auth(?:entication)?|access)\s+code"
    r"|(?:the\s+)?code\s+(?:(?:they|you|that|which|i)\s+)?(?:was\s+|were\s+)?"
    r"(?:sent|texted|e-?mailed|got|received|gave)(?:\s+(?:me|to\s+me|by\s+sms))?"
    r"|קוד\s+(?:ה)?(?:אימות|חד[\s\-]פעמי|כניסה|זיהוי|SMS|הסמס)"
    r"|(?:ה)?קוד\s+(?:ש|אשר\s+)(?:קיבלתי|נשלח|שלחתם|שלחו|הגיע)(?:\s+(?:אליי|לי))?",
    r"\d(?:[\s\-]?\d){3,7}(?!\d)",
)
_USERNAME_LABELS = r"user\s*name|user\s*id|login(?:\s+(?:name|id))?|שם\s+(?:ה)?משתמש|יוזר"
_USERNAMES = (
    # "username: dlevi", "my user name is dana_levi"
    re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:{_USERNAME_LABELS}))(?![^\W\d_])"
        rf"(?P<gap>\s*[:=]\s*|\s+(?:is|was|שלי\s+הוא|הוא)\s+)"
        rf"(?!{_NOT_A_CREDENTIAL})(?P<value>[^\s\[\]]+)",
        re.IGNORECASE,
    ),
    # "user name dana_levi85": without "is", only a word that looks like a handle (a digit,
    # "_", "." or "@" in it), since "username recovery" is a question.
    re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:{_USERNAME_LABELS}))(?![^\W\d_])"
        rf"(?P<gap>\s+(?:(?:my|שלי)\s+)?)"
        rf"(?P<value>[A-Za-z][\w.@\-]*[\d_.@][\w.@\-]*)",
        re.IGNORECASE,
    ),
    # "שם משתמש danalevi": after a Hebrew label a Latin word is the handle itself.
    re.compile(
        rf"(?<![\w])(?P<label>{_HE_PREFIX}(?:שם\s+(?:ה)?משתמש|יוזר))(?![^\W\d_])"
        rf"(?P<gap>\s+(?:שלי\s+)?(?:(?:הוא|זה)\s+)?)(?P<value>[A-Za-z][\w.@\-]*)",
    ),
)
# A handle with "@" and no domain ending ("dlevi@corp") is still someone's address.
_HANDLE = re.compile(r"(?<![\w.+\-@])[\w.+\-]+@[\w\-]+(?![\w.@\-])")
# A device's own address or identity number follows one person's phone or router.
_MAC = re.compile(
    r"(?<![\w:\-])(?:[0-9A-Fa-f]{2}([:\-]))(?:[0-9A-Fa-f]{2}\1){4}[0-9A-Fa-f]{2}(?![\w:\-])"
)
_DEVICE_NUMBER = _labelled(
    r"imei|serial(?:\s+(?:number|no\.?))?|s/n|מספר\s+סידורי|מס['׳]\s+סידורי",
    r"[A-Z]{0,4}\d[A-Z0-9\-]{5,19}(?![\w])",
)
# Digits spelled out as words, seven or more in a row: a phone or account number read aloud.
_DIGIT_WORDS = (
    r"zero|oh|one|two|three|four|five|six|seven|eight|nine|double\s+[a-z]+"
    r"|ו?(?:אפס|אחת|אחד|שתיים|שתים|שניים|שלוש|שלושה|ארבע|ארבעה|חמש|חמישה|שש|שישה|שבע|שבעה"
    r"|שמונה|תשע|תשעה)"
)
_SPELLED_DIGITS = re.compile(
    rf"(?<![\w])(?:(?:{_DIGIT_WORDS})[\s,\-]+){{6,}}(?:{_DIGIT_WORDS})(?![\w])",
    re.IGNORECASE,
)

_NAME_WORD = r"[^\W\d_][\w'\-]*"
# A word after a first name that is not a surname ("my name is Dana and I...").
_NOT_A_NAME = (
    r"(?:and|or|but|from|i|i'?m|my|please|pls|thanks|thank|is|here|not|wrong|incorrect|missing"
    r"|spelt|spelled|misspelled|on|in|the|a|was|has|changed|shows?|appears?"
    r"|ו|אני|ואני|רוצה|ורוצה|יש|ויש|לא|ולא|של|עם|ועם|שלי|תודה|בבקשה|מ|ו?צריך|ו?צריכה"
    r"|מופיע|כתוב|שגוי|נכתב|רשום|השתנה|מאוית|באנגלית|בעברית)(?![\w'])"
)
_NAME = re.compile(
    rf"(?<![\w])(?P<label>my\s+name\s+is|my\s+name'?s|i\s+am\s+called|name\s*:"
    rf"|(?:ה)?שם\s+שלי(?:\s+(?:הוא|היא))?|שמי|קוראים\s+לי|השם\s*:)"
    rf"(?P<gap>\s*)(?P<value>(?!{_NOT_A_NAME}){_NAME_WORD}(?:\s+(?!{_NOT_A_NAME}){_NAME_WORD})?)",
    re.IGNORECASE,
)


def _replace_labelled(placeholder):
    def replace(match):
        return match.group("label") + match.group("gap") + placeholder

    return replace


# --- street addresses -----------------------------------------------------------------------

_HE_WORD = r"[\u05d0-\u05ea][\u05d0-\u05ea\u0591-\u05c7\"'׳״\-]*"
_EN_WORD = r"[A-Za-z][A-Za-z'.\-]*"
_HE_STREET = r"רחוב|רח['׳]|שדרות|שד['׳]|שדרת|דרך|סמטת|סמ['׳]|כיכר|ככר|מעלה|שביל|שכונת"
_EN_STREET = (
    r"(?i:street|st\.?|road|rd\.?|avenue|ave\.?|boulevard|blvd\.?|lane|ln\.?|drive|court|place"
    r"|square|sq\.?|highway|hwy\.?|terrace)|Way|Dr\.?|Ct\.?|Pl\.?"
)
_HE_CITIES = (
    r"תל[\s\-]אביב(?:[\s\-]יפו)?|ת[\"״]א|ירושלים|חיפה|באר[\s\-]שבע|ראשון[\s\-]לציון|ראשל[\"״]צ"
    r"|פתח[\s\-]תקו?וה|פ[\"״]ת|אשדוד|נתניה|חולון|בני[\s\-]ברק|רמת[\s\-]גן|רחובות|אשקלון|בת[\s\-]ים"
    r"|הרצליה|כפר[\s\-]סבא|רעננה|מודיעין|אילת|נצרת|חדרה|רמלה|לוד|עפולה|טבריה|צפת|עכו|נהריה"
    r"|כרמיאל|גבעתיים|הוד[\s\-]השרון|רמת[\s\-]השרון|נס[\s\-]ציונה|יבנה|קריית[\s\-]\S+|קרית[\s\-]\S+"
    r"|אור[\s\-]יהודה|דימונה|ערד|יקנעם|בית[\s\-]שמש|אום[\s\-]אל[\s\-]פחם|רהט|אלעד|ביתר[\s\-]עילית"
)
_EN_CITIES = (
    r"tel[\s\-]aviv(?:[\s\-]yafo|[\s\-]jaffa)?|jerusalem|haifa|be'?er[\s\-]?sheva|beersheba"
    r"|rishon[\s\-]le[\s\-]?zion|petah[\s\-]tikva|ashdod|netanya|holon|bnei[\s\-]brak"
    r"|ramat[\s\-]gan|rehovot|ashkelon|bat[\s\-]yam|herzliya|kfar[\s\-]saba|ra'?anana|modiin"
    r"|eilat|nazareth|hadera|ramla|lod|afula|tiberias|safed|acre|nahariya|karmiel|givatayim"
    r"|hod[\s\-]hasharon|ramat[\s\-]hasharon|ness?[\s\-]ziona|yavne|kiryat[\s\-][a-z]+"
    r"|london|new[\s\-]york|paris|berlin"
)
_HOUSE = r"\d{1,4}(?:\s?[א-תA-Za-z](?![^\W\d_]))?(?:\s?/\s?\d{1,4})?"
_UNIT = (
    r"(?:\s*,?\s*(?:(?:apt|apartment|flat|unit|floor|entrance|דירה|דירת|קומה|כניסה)\.?\s*"
    r"\d{1,4}|\d{5,7}(?!\d)))*"
)
_CITY_TAIL = rf"(?:\s*,?\s*(?:{_HE_PREFIX}(?:{_HE_CITIES})|(?i:{_EN_CITIES}))(?![^\W\d_]))?"
_ADDRESSES = (
    # "רחוב הרצל 12", "ברח' אבן גבירול 30 דירה 4 תל אביב"
    re.compile(
        rf"(?<![\w]){_HE_PREFIX}(?:{_HE_STREET})\s+(?:{_HE_WORD}\s+){{1,3}}{_HOUSE}{_UNIT}{_CITY_TAIL}"
    ),
    # "12 Herzl St", "12B King George Street, apt 3, Jerusalem"
    re.compile(
        rf"(?<![\w'.\-]){_HOUSE}\s+(?:{_EN_WORD}\s+){{1,3}}(?:{_EN_STREET})(?![\w]){_UNIT}{_CITY_TAIL}"
    ),
    # "Herzl St 12", "rothschild blvd. 22"
    re.compile(
        rf"(?<![\w'.\-])(?:{_EN_WORD}\s+){{1,3}}(?:{_EN_STREET})\s*{_HOUSE}(?!\d){_UNIT}{_CITY_TAIL}"
    ),
    # "הרצל 12 תל אביב", "Herzl 12, Tel Aviv"
    re.compile(
        rf"(?<![\w\"'׳״\-])(?:{_HE_WORD}\s+){{1,2}}{_HOUSE}{_UNIT}\s*,?\s*{_HE_PREFIX}(?:{_HE_CITIES})"
        rf"(?![^\W\d_])"
        rf"|(?<![\w'.\-])(?:{_EN_WORD}\s+){{1,2}}{_HOUSE}{_UNIT}\s*,?\s*(?i:{_EN_CITIES})(?![^\W\d_])"
        rf"|(?<![\w]){_HOUSE}\s+{_EN_WORD},?\s+(?i:{_EN_CITIES})(?![^\W\d_])"
    ),
)


# --- cards, and the expiry and security code typed beside them ------------------------------

_CARD_RUN = re.compile(rf"(?<!\d){_DIGITS_RUN}(?!\d)")
_EXPIRY_NEAR_CARD = re.compile(r"(?<![\d/])(?:0?[1-9]|1[0-2])\s?[/\-.]\s?(?:\d{4}|\d{2})(?![\d/])")
_CODE_AFTER = re.compile(
    rf"(?P<before>(?:{re.escape(CARD)}|{re.escape(EXPIRY)})[^\d\[\]]{{0,25}}?)(?<!\d)(?P<code>\d{{3,4}})(?![\d\w])"
)


def _replace_card(match):
    """A card number anywhere in a run of digit groups ("4111 1111 1111 1111 12/27 123"
    is one run): the longest stretch of whole groups that passes the Luhn check."""
    run = match.group()
    groups = re.split(r"(\D+)", run)
    for first in range(0, len(groups), 2):
        found = None
        digits = ""
        for last in range(first, len(groups), 2):
            digits += groups[last]
            if len(digits) > 19:
                break
            if len(digits) >= 13 and luhn_valid(digits):
                found = last
        if found is not None:
            return "".join(groups[:first]) + CARD + "".join(groups[found + 1 :])
    return run


def _cards(text):
    text = _CARD_RUN.sub(_replace_card, text)
    if CARD not in text:
        return text
    text = _EXPIRY_NEAR_CARD.sub(EXPIRY, text)
    return _CODE_AFTER.sub(lambda m: m.group("before") + CVV, text)


# --- any other number -----------------------------------------------------------------------


def _classify(run):
    """The placeholder for one run of digits, or None to keep it."""
    digits = _digits(run)
    count = len(digits)
    plain = run.strip().isdigit()
    international = run.lstrip().startswith("+") or (digits.startswith("00") and count >= 10)
    if international and 8 <= count <= 15:
        return PHONE
    if 13 <= count <= 19 and luhn_valid(digits):
        return CARD
    if digits.startswith("972") and count in (11, 12):
        return PHONE  # +972 written without the plus
    if count == 9 and israeli_id_valid(digits) and (plain or re.fullmatch(r"\d{8}-\d", run)):
        return ID_NUMBER  # 123456782, 012345674 or 12345678-2
    if digits.startswith("0") and count in (9, 10):
        return PHONE  # Israeli landline (0X-XXXXXXX) and mobile (05X-XXXXXXX)
    if digits.startswith("1") and count == 10 and digits[1:3] in ("70", "80", "59"):
        return PHONE  # 1-800, 1-700 and 1-599 business numbers
    if count == 9 and israeli_id_valid(digits):
        return ID_NUMBER
    if count == 8 and plain and israeli_id_valid(digits):
        return ID_NUMBER  # older IDs are often typed without the leading zero
    if count in (10, 11) and not plain:
        return PHONE  # "(555) 123-4567", "555.123.4567"
    if count >= MIN_PERSONAL_DIGITS:
        return NUMBER
    return None


def _numbers(text):
    def replace(match):
        run = match.group()
        parts = re.split(r"(,\s+)", run)
        found = _classify(run)
        if found in (PHONE, CARD) or len(parts) == 1:
            return found or run
        # "error 404, 500, 503" is a list of short numbers, not one long one.
        return "".join(p if i % 2 else (_classify(p) or p) for i, p in enumerate(parts))

    return _NUMBER_RUN.sub(replace, text)


def redact(text):
    """``text`` with personal data (see the module's docstring) replaced by placeholders."""
    if not text:
        return ""
    text = normalise(str(text))
    text = _EMAIL.sub(EMAIL, text)
    text = _EMAIL_WORDS.sub(EMAIL, text)
    text = _IBAN.sub(_replace_iban, text)
    text = _IPV4.sub(_replace_ip, text)
    text = _IPV6.sub(_replace_ip, text)
    for placeholder, pattern in _BY_LABEL:
        text = pattern.sub(_replace_labelled(placeholder), text)
    for pattern in _CREDENTIALS:
        text = pattern.sub(_replace_labelled(CREDENTIAL), text)
    text = _ONE_TIME_CODE.sub(_replace_labelled(CREDENTIAL), text)
    for pattern in _USERNAMES:
        text = pattern.sub(_replace_labelled(USERNAME), text)
    text = _HANDLE.sub(EMAIL, text)
    text = _MAC.sub(DEVICE, text)
    text = _DEVICE_NUMBER.sub(_replace_labelled(DEVICE), text)
    text = _SPELLED_DIGITS.sub(NUMBER, text)
    text = _NAME.sub(_replace_labelled(NAME), text)
    text = _FULL_DATE.sub(_old_enough_to_be_a_birth_date, text)
    for pattern in _ADDRESSES:
        text = pattern.sub(ADDRESS, text)
    text = _cards(text)
    return _numbers(text)


def without_placeholders(text):
    """Redacted text with its placeholders removed: what the normalised form is built from."""
    for placeholder in PLACEHOLDERS:
        text = text.replace(placeholder, " ")
    return text
