"""Every kind of personal data customers type, in the forms they type it, in English and
Hebrew, is gone from what is stored; ordinary help searches are kept word for word."""

import re
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from search import redaction
from search.redaction import redact


def _squeezed(text):
    return re.sub(r"[\W_]", "", redaction.normalise(text)).casefold()


def assert_redacted(typed, secret, placeholder):
    stored = redact(typed)
    assert placeholder in stored, stored
    assert _squeezed(secret) not in _squeezed(stored), stored


EMAILS = [
    ("refund dana@example.com please", "dana@example.com"),
    ("my mail dana @ example.com", "dana@example.com"),
    ("dana@ example .com", "dana@example.com"),
    ("full width dana＠example．com", "dana@example.com"),
    ("ideographic dana@example。com", "dana@example.com"),
    ("write to dana at example dot com", "dana at example dot com"),
    ("dana (at) example (dot) co (dot) il", "dana (at) example"),
    ("dana[at]example[dot]com", "dana[at]example"),
    ("המייל שלי dana שטרודל gmail נקודה com", "dana שטרודל gmail"),
    ("המייל dana@walla.co.il תודה", "dana@walla.co.il"),
    ("DANA.LEVI+help@Mail.CO.IL", "DANA.LEVI+help@Mail.CO.IL"),
    ("דנה.לוי@דוגמה.ישראל", "דנה.לוי@דוגמה.ישראל"),
    ("ldana@example.com.", "ldana@example.com"),
    ("john dot smith at gmail dot com", "john dot smith at gmail"),
    ("dana (dot) levi (at) walla (dot) co (dot) il", "dana (dot) levi (at) walla"),
]


@pytest.mark.parametrize(("typed", "secret"), EMAILS)
def test_email_addresses(typed, secret):
    assert_redacted(typed, secret, redaction.EMAIL)


PHONES = [
    ("call me 050-1234567", "0501234567"),
    ("052 123 4567 router", "0521234567"),
    ("052_123_4567", "0521234567"),
    ("052,123,4567", "0521234567"),
    ("052.123.4567", "0521234567"),
    ("(052) 123-4567", "0521234567"),
    ("03/1234567 landline", "031234567"),
    ("+972 52-123-4567", "521234567"),
    ("+972(0)52 1234567", "521234567"),
    ("972521234567", "972521234567"),
    ("+1 (555) 123-4567", "5551234567"),
    ("0044 20 7946 0958", "2079460958"),
    ("+44 20 7946 0958", "2079460958"),
    ("ל0501234567 בבקשה", "0501234567"),
    ("הטלפון שלי ٠٥٢١٢٣٤٥٦٧", "0521234567"),
    ("נייד ０５２－１２３４５６７", "0521234567"),
    ("טלפון: 5551234", "5551234"),
    ("phone 555 1234", "5551234"),
    ("1-800-123-456", "1800123456"),
    ("050־1234567 תתקשרו", "0501234567"),
    ("phone no 08 - 6 123 456", "086123456"),
]


@pytest.mark.parametrize(("typed", "secret"), PHONES)
def test_phone_numbers(typed, secret):
    assert_redacted(typed, secret, redaction.PHONE)


CARDS = [
    ("card 4111 1111 1111 1111 declined", "4111111111111111"),
    ("4580-1234-5678-9015", "4580123456789015"),
    ("4580123456789015", "4580123456789015"),
    ("כרטיס 5326_1000_0000_0004", "5326100000000004"),
    ("amex 3782 822463 10005", "378282246310005"),
    ("visa ４１１１１１１１１１１１１１１１", "4111111111111111"),
    ("4111.1111.1111.1111", "4111111111111111"),
    ("חיוב כפול בכרטיס 4111111111111111", "4111111111111111"),
]


@pytest.mark.parametrize(("typed", "secret"), CARDS)
def test_card_numbers(typed, secret):
    assert_redacted(typed, secret, redaction.CARD)


CARDS_WITH_EXPIRY_AND_CODE = [
    ("4111 1111 1111 1111 12/27 123", ["12/27", "123"]),
    ("4111111111111111 exp 12/2027 cvv 123", ["122027", "123"]),
    ("card 4111111111111111 expires 01-28 code 987", ["0128", "987"]),
    ("כרטיס 4111111111111111 תוקף 12/27 קוד אבטחה 123", ["1227", "123"]),
    ("4111111111111111 בתוקף עד 03/29 3 ספרות בגב 456", ["0329", "456"]),
    ("4111111111111111, 07/26, 321", ["0726", "321"]),
    ("cvc: 4321", ["4321"]),
    ("security code is 555", ["555"]),
    ("valid thru 11/30", ["1130"]),
    ("קוד סודי 7788", ["7788"]),
]


@pytest.mark.parametrize(("typed", "secrets"), CARDS_WITH_EXPIRY_AND_CODE)
def test_expiry_and_security_code_beside_a_card(typed, secrets):
    stored = redact(typed)
    for secret in secrets:
        assert _squeezed(secret) not in _squeezed(stored), stored


IDS = [
    ("ת.ז. 123456782", "123456782"),
    ('ת"ז 123456782', "123456782"),
    ("תעודת זהות 012345674", "012345674"),
    ("מספר זהות: 12345678-2", "123456782"),
    ("id 12345674", "12345674"),
    ("ID number 123456782", "123456782"),
    ("123456782", "123456782"),
    ("012345674", "012345674"),
    ("teudat zehut 123456782", "123456782"),
    ("תז 123456789", "123456789"),  # mistyped, still theirs
    ("my national id is 305 123 456", "305123456"),
]


@pytest.mark.parametrize(("typed", "secret"), IDS)
def test_israeli_id_numbers_are_ids(typed, secret):
    assert_redacted(typed, secret, redaction.ID_NUMBER)
    assert redaction.PHONE not in redact(typed)


IBANS = [
    ("IL620108000000099999999", "IL620108000000099999999"),
    ("iban IL62 0108 0000 0009 9999 999", "IL620108000000099999999"),
    ("il62-0108-0000-0009-9999-999", "IL620108000000099999999"),
    ("העברה ל IL620108000000099999999", "IL620108000000099999999"),
    ("GB82 WEST 1234 5698 7654 32", "GB82WEST12345698765432"),
    ("GB82WEST12345698765432 refund", "GB82WEST12345698765432"),
    ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("חשבון FR14 2004 1010 0505 0001 3M02 606", "FR1420041010050500013M02606"),
    ("NL91ABNA0417164300", "NL91ABNA0417164300"),
    ("ES91 2100 0418 4502 0005 1332", "ES9121000418450200051332"),
]


@pytest.mark.parametrize(("typed", "secret"), IBANS)
def test_ibans(typed, secret):
    stored = redact(typed)
    assert _squeezed(secret) not in _squeezed(stored), stored
    assert redaction.IBAN in stored or redaction.ACCOUNT in stored, stored


PASSPORTS = [
    ("passport 12345678", "12345678"),
    ("passport number 23456789", "23456789"),
    ("passport no. A1234567", "A1234567"),
    ("my passport is 3456789", "3456789"),
    ("דרכון 12345678", "12345678"),
    ("מספר דרכון 23456789", "23456789"),
    ("הדרכון שלי 34567890", "34567890"),
    ("בדרכון 45678901", "45678901"),
    ("Passport: 987654321", "987654321"),
    ("PASSPORT#AB123456", "AB123456"),
]


@pytest.mark.parametrize(("typed", "secret"), PASSPORTS)
def test_passport_numbers(typed, secret):
    assert_redacted(typed, secret, redaction.PASSPORT)


ACCOUNTS = [
    ("bank account 12-345-678901", "12345678901"),
    ("account number 123456", "123456"),
    ("acct 987654", "987654"),
    ("a/c 55512", "55512"),
    ("חשבון 123456", "123456"),
    ("מספר חשבון 12-600-123456", "12600123456"),
    ("חשבון בנק 10 800 99999", "1080099999"),
    ('ח"ן 445566', "445566"),
    ("לחשבון 778899 לא הגיע", "778899"),
    ("account # 00123456", "00123456"),
]


@pytest.mark.parametrize(("typed", "secret"), ACCOUNTS)
def test_bank_accounts(typed, secret):
    assert_redacted(typed, secret, redaction.ACCOUNT)


ADDRESSES = [
    ("12 Herzl St", "Herzl"),
    ("change address to 12 Herzl Street", "Herzl"),
    ("12B King George Street apt 3 Jerusalem", "King George"),
    ("Herzl St 12", "Herzl"),
    ("rothschild blvd. 22 tel aviv", "rothschild"),
    ("Herzl 12, Tel Aviv", "Herzl"),
    ("רחוב הרצל 12", "הרצל"),
    ("רח' הרצל 12 דירה 4", "הרצל"),
    ("ברחוב אבן גבירול 30 תל אביב", "גבירול"),
    ("הרצל 12 תל אביב", "הרצל"),
    ("שדרות רוטשילד 22", "רוטשילד"),
    ("משלוח לדרך מנחם בגין 132", "בגין"),
    ("ויצמן 5, באר שבע", "ויצמן"),
    ("22 Baker Street, London", "Baker"),
]


@pytest.mark.parametrize(("typed", "secret"), ADDRESSES)
def test_street_addresses(typed, secret):
    assert_redacted(typed, secret, redaction.ADDRESS)


BIRTH_DATES = [
    ("born 12.05.1985", "12051985"),
    ("DOB 1985-05-12", "19850512"),
    ("date of birth: 12/05/85", "120585"),
    ("birthday 3 May 1990", "3may1990"),
    ("born on May 3rd, 1990", "may3rd1990"),
    ("תאריך לידה 12/05/1985", "12051985"),
    ("נולדתי ב-12.5.1985", "1251985"),
    ("יליד 1985", "1985"),
    ("נולדתי ב 3 במאי 1990", "3במאי1990"),
    ("12/05/1985", "12051985"),
    ("ת. לידה 01-01-1970", "01011970"),
]


@pytest.mark.parametrize(("typed", "secret"), BIRTH_DATES)
def test_dates_of_birth(typed, secret):
    assert_redacted(typed, secret, redaction.BIRTH_DATE)


IPS = [
    ("my ip 84.229.12.7 is blocked", "84.229.12.7"),
    ("8.8.8.8", "8.8.8.8"),
    ("blocked from 203.0.113.45", "203.0.113.45"),
    ("כתובת IP 93.172.5.1", "93.172.5.1"),
    ("84.229.12.7:8080", "84.229.12.7"),
    ("ipv6 2001:db8::1", "2001:db8::1"),
    ("2a02:6680:1101:9a2c:1d4e:5b6f:7a8b:9c0d", "2a02:6680:1101:9a2c"),
    ("הכתובת שלי 2001:0db8:85a3:0000:0000:8a2e:0370:7334", "2001:0db8:85a3"),
    ("IP ２０３．０．１１３．９", "203.0.113.9"),
    ("from ::ffff:84.229.12.7", "84.229.12.7"),
]


@pytest.mark.parametrize(("typed", "secret"), IPS)
def test_ip_addresses(typed, secret):
    assert_redacted(typed, secret, redaction.IP_ADDRESS)


SECRETS = [
    ("my pin is 4321", "4321"),
    ("pin: 4321", "4321"),
    ("the pin for my card is 9876", "9876"),
    ("password is Hunter2!", "Hunter2!"),
    ("my wifi password is sunshine", "sunshine"),
    ("pw=abc123", "abc123"),
    ("PASSWORD: Tr0ub4dor", "Tr0ub4dor"),
    ("הסיסמה שלי 123456", "123456"),
    ("הסיסמה שלי היא dana1985", "dana1985"),
    ("הסיסמה לוויפי היא 12345678", "12345678"),
    ("קוד גישה: 8642", "8642"),
    ("otp 845123", "845123"),
    ("the code they sent me is 845 123", "845123"),
    ("verification code: 5521", "5521"),
    ("one-time password 90817263", "90817263"),
    ("קוד האימות 845123", "845123"),
    ("הקוד שקיבלתי 7741", "7741"),
    ("קוד חד פעמי: 112233", "112233"),
]


@pytest.mark.parametrize(("typed", "secret"), SECRETS)
def test_passwords_and_pins_typed_with_what_they_are(typed, secret):
    assert_redacted(typed, secret, redaction.CREDENTIAL)


NAMES = [
    ("my name is Dana Cohen and I need help", "Dana Cohen"),
    ("my name is dana", "dana"),
    ("hi, my name's Avi Levi", "Avi Levi"),
    ("קוראים לי דנה לוי ואני רוצה לבטל", "דנה לוי"),
    ("שמי יוסי", "יוסי"),
    ("השם שלי הוא משה כהן", "משה כהן"),
]


@pytest.mark.parametrize(("typed", "secret"), NAMES)
def test_names_typed_with_what_they_are(typed, secret):
    assert_redacted(typed, secret, redaction.NAME)


USERNAMES = [
    ("username: dlevi", "dlevi"),
    ("my user name is dana_levi", "dana_levi"),
    ("user name dana_levi85", "dana_levi85"),
    ("login dlevi@corp", "dlevi@corp"),
    ("שם משתמש danalevi", "danalevi"),
    ("שם המשתמש שלי הוא dana.l", "dana.l"),
]


@pytest.mark.parametrize(("typed", "secret"), USERNAMES)
def test_user_names_typed_with_what_they_are(typed, secret):
    assert_redacted(typed, secret, redaction.USERNAME)


DEVICES = [
    ("mac 00:1A:2B:3C:4D:5E", "001A2B3C4D5E"),
    ("router mac a4-2b-b0-11-22-33 blocked", "a42bb0112233"),
    ("imei 356938035643809", "356938035643809"),
    ("serial number SN84A21B7709", "SN84A21B7709"),
    ("מספר סידורי 4471923300", "4471923300"),
]


@pytest.mark.parametrize(("typed", "secret"), DEVICES)
def test_device_addresses_and_numbers(typed, secret):
    assert_redacted(typed, secret, redaction.DEVICE)


SPOKEN = [
    ("my number is five two seven six five four three two one", "five two seven six five four"),
    ("call oh five two, one two three, four five six seven", "five two one two three four"),
    ("הטלפון שלי אפס חמש שתיים שבע שש חמש ארבע שלוש", "אפס חמש שתיים שבע שש"),
]


@pytest.mark.parametrize(("typed", "secret"), SPOKEN)
def test_digits_spelt_out_as_words(typed, secret):
    assert_redacted(typed, secret, redaction.NUMBER)


def test_social_security_numbers_are_ids():
    assert_redacted("ssn 078-05-1120", "078051120", redaction.ID_NUMBER)
    assert_redacted("social security number 078051120", "078051120", redaction.ID_NUMBER)


def test_handles_without_a_domain_ending_are_addresses():
    assert_redacted("it says dlevi@corp is unknown", "dlevi@corp", redaction.EMAIL)


REFERENCE_NUMBERS = [
    ("customer number 55512345", "55512345"),
    ("order 12345", "12345"),
    ("order #123456789", "123456789"),
    ("policy 98765432", "98765432"),
    ("car plate 12-345-67", "1234567"),
    ("מספר לקוח 5551234", "5551234"),
    ("מספר הזמנה 123456", "123456"),
    ("לוחית רישוי 123-45-678", "12345678"),
]


@pytest.mark.parametrize(("typed", "secret"), REFERENCE_NUMBERS)
def test_customer_order_policy_and_plate_numbers(typed, secret):
    assert_redacted(typed, secret, redaction.NUMBER)


ORDINARY = [
    "reset password",
    "router model 2024",
    "error 404",
    "error 404, 500, 503",
    "ערוץ 12",
    "pay bill of 150 shekels",
    "windows 10 update",
    "iphone 15 pro max",
    "router 192.168.1.1",
    "ip 10.0.0.1",
    "12.05.2024",
    "invoice march 2024",
    "error 0x80070005",
    "router wrt54g",
    "3 4 5 items",
    "פקס 12",
    'מסלול 2 ב-49.90 ש"ח',
    "שעות פעילות 8:00-17:00",
    "חבילה של 100 ג'יגה",
    "איך מאפסים סיסמה",
    "internet at home is slow",
    "password at least 8 characters",
    "step 3 of 5",
    "5G coverage",
    "firmware 1.2.3",
    "*2727",
    "born to run",
    "my account is locked",
    "חשבון חודשי",
    "cvv",
    "נולדתי מחדש",
    "100 Mbps plan",
    "page 2 of 10",
    "channel 12 at 8 pm",
    "קוד שגיאה 503",
    "top 10 tips",
    "1 more way to pay",
    "3 easy steps",
    "תוקף הכרטיס",
    "ID verification failed",
    "password reset",
    "wifi password",
    "my password is not working",
    "password is case sensitive",
    "password must be 8 characters",
    "change pin",
    "what is a pin",
    "pin code for card",
    "סיסמה חדשה",
    "הסיסמה שלי לא עובדת",
    "change my name",
    "name on card",
    "my name is wrong on the bill",
    "השם שלי לא מופיע",
    "order status",
    "claim 2024 status",
    "tv 55 inch",
    "otp not received",
    "verification code not received",
    "the code they sent me doesn't work",
    "קוד אימות לא הגיע",
    "קוד אימות 2 דקות",
    "error code 0x80070005",
    "code 1234 error",
    "username already taken",
    "username recovery",
    "forgot username",
    "login with google",
    "login 2fa",
    "שם משתמש לא תקין",
    "mac address filtering",
    "mac os 14",
    "imei check",
    "serial number location",
    "sales@ address",
    "@ sign",
    "step one two three four",
    "1 2 3 4 5 6 7",
    "ssn meaning",
    "router 192.168.1.1 login admin",
]


@pytest.mark.parametrize("typed", ORDINARY)
def test_ordinary_help_searches_stay_word_for_word(typed):
    assert redact(typed) == typed


def test_placeholders_can_be_taken_out_again():
    stored = redact("dana@example.com 050-1234567 born 12.05.1985")
    assert redaction.without_placeholders(stored).split() == ["born"]


@pytest.mark.parametrize("value", [None, "", 0, "\x00", "\ud800", "a" * 5000, "1" * 5000])
def test_any_input_gives_a_string(value):
    assert isinstance(redact(value), str)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=500))
def test_any_text_is_handled(text):
    assert isinstance(redact(text), str)


@pytest.mark.parametrize(
    "hostile",
    ["1 " * 2500, "12-" * 1600, "a." * 2500, "a . " * 1250, "1/1/" * 1250, "(1) " * 1200],
)
def test_hostile_text_is_redacted_in_bounded_time(hostile):
    # A few hundred milliseconds on a busy machine; quadratic patterns took minutes here.
    started = time.perf_counter()
    redact(hostile)
    assert time.perf_counter() - started < 5
