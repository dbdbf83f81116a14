#!/usr/bin/env python3
"""Generate the labelled "names" PI test corpus (600 documents, JSON lines on stdout).

    python3 scripts/gen-names-corpus.py > testdata/pii-names.jsonl

Deterministic (fixed seed). Standard library plus `faker` and `python-stdnum`.
Format: the dev corpus's (/work/shared/corpus/README.md): one JSON object per line,
{"id", "template", "lang", "text", "spans": [{"start","end","bstart","end","type"}]},
start/end = code-point offsets, bstart/bend = UTF-8 byte offsets, spans sorted and never
overlapping. Counts per type and per template, and all check results, go to stderr.

Emphasis: Latin-script person names (PERSON_NAME_EN) in ~60 % mainly-English documents,
written in many real-world layouts; ~40 % Chinese and mixed documents (PERSON_NAME_ZH,
ADDRESS_ZH, CN_* types, Chinese names beside romanised ones). Hard negatives are frequent.

Labelling rules (kept consistently; every rule below is applied by construction)
================================================================================
PERSON_NAME_EN -- any Latin-script personal name of a person-like individual, whatever its
origin or romanisation (English, Hispanic, Arabic, Indian, African, European, Vietnamese with
or without diacritics, Korean, Japanese, pinyin, Cantonese and Wade-Giles romanisations):
  * Full names, given names alone (greetings "Hi Sarah,", sign-offs "-- Mike", "Thanks, Wei")
    and surnames alone when they refer to a person ("Mr. Smith" -> "Smith", "Okafor scored",
    "BERZON, Circuit Judge", the individual parties of a case name "Okafor v. Brennan").
  * The span covers given names, middle names and middle initials, particles (de la, van der,
    bin, bint, al-, Ó, Mac), hyphenated and apostrophe parts, and a quoted nickname written
    INSIDE the name (`Robert "Bobby" Jones` is one span). A nickname written on its own is a
    span of its own.
  * Generational suffixes (Jr., Sr., II, III, IV) are INSIDE the span, including the joining
    comma (`John Smith, Jr.`). Post-nominal letters (PhD, MD, RN, Esq., CPA, MBA) and titles or
    honorifics (Mr., Ms., Dr., Prof., Rev., Judge, Officer, Coach, Sir, Capt.) are OUTSIDE.
  * Inverted names are one span: `Smith, John A.`, airline `SMITH/JOHN` (the MR/MS after it is
    outside), Vancouver-style `Smith JR`, APA `Smith, J. R.`, BibTeX `Smith, John`.
  * People sharing a surname written jointly get separate spans: `John and Mary Whitaker` ->
    `John`, `Mary Whitaker`; `Mr. and Mrs. Thomas Carter` -> `Thomas Carter`. A maiden name in
    parentheses splits a name: `Mary (Carter) Jones` -> `Mary`, `Carter`, `Jones`; `née Carter`
    -> `Carter`.
  * Initials with a surname (`J. R. Smith`, `Y. Fan`, `V MANZANO`) and a given name with a
    surname initial (`Tyler M.`) are names; the period of a final initial is inside the span.
  * Names with OCR noise are labelled as they appear (`SMlTH`, `J0HN`); a name spelled out
    letter by letter in a transcript (`R-U-I-Z`) is labelled too.
  * A chat mention rendered as a display name (`@Sarah Chen`, `@李娜`) is a name; the span
    excludes the `@`.
  NOT labelled: @handles, usernames and account ids (`@schen`, `jdoe42`, `sarah_chen`,
  `rustacean42`), even when derived from a name; e-mail addresses (the whole address is EMAIL,
  no name inside it); names inside URLs; organisations, law firms, brands, products,
  buildings, streets, places, ships, storms, laws, prizes, diseases, statistical methods and
  other eponyms containing personal names (`Morgan Stanley`, `Johnson & Johnson`, `Martin Luther
  King Jr. Blvd`, `Jackson, Mississippi`, `Parkinson's disease`, `Kaplan-Meier`, `Nobel
  Prize`, `李宁` the brand, `中山路`); masked or anonymised names (`J*** S****`, `王某`,
  `张某某`, `李**`); template placeholders (`[Candidate Name]`, `{{first_name}}`); pet names;
  job titles alone; titles of books and films; ordinary words that are also surnames.
PERSON_NAME_ZH -- Chinese-character personal names, including minority names joined with `·`
  (one span). A surname with a title or kinship/status word (王先生, 李女士, 张总, 刘老师,
  陈医生, 老王, 小李) -> the surname alone is labelled; the title is outside.
DATE_OF_BIRTH -- only a full date (day, month, year) explicitly given as a birth date
  ("DOB", "Date of birth", "born on March 3, 1941", "出生日期", "1980年5月3日出生"). Ages,
  birth years alone and other dates are not labelled.
ADDRESS_ZH -- street-level Chinese address in Chinese characters (province/city optional),
  up to and including building/unit/room. City- or district-only mentions are not labelled;
  US/UK street addresses are not in the schema and never labelled.
Phones: CN_MOBILE / CN_LANDLINE as in the README (prefix +86/86/0086, separators and format
  brackets inside; extensions outside). US/UK/other phone numbers are not in the schema and are
  never labelled; 400-/95xxx service numbers are negatives.
BANK_CARD -- full, Luhn-valid card numbers (separators inside); masked cards, Luhn-invalid
  card-like numbers, gift-card and order numbers are negatives. IBAN -- valid IBANs, compact or
  grouped. US_SSN -- full valid-format SSNs; masked (`***-**-1234`) and EINs (`12-3456789`)
  are negatives. IP_ADDRESS -- IPv4/IPv6; version strings and OIDs are negatives. EMAIL -- the
  whole address. CN_RESIDENT_ID (valid checksum and region), CN_PASSPORT, CN_LICENSE_PLATE,
  GPS_COORDINATE as in the dev corpus.

Checks (fail hard): every span re-read from code-point and byte offsets equals the inserted
value; spans sorted and non-overlapping; values re-validated per type (Luhn, IBAN, RIC, SSN,
e-mail/IP syntax, name character sets). Warnings: name tokens or full Chinese names that occur
outside any span and outside an intentional hard-negative region, and "Mr./Dr. X" or "X先生"
patterns whose name is not labelled (a document that warns is regenerated; the count is
reported).
"""
import collections
import datetime
import ipaddress
import json
import random
import re
import sys
import unicodedata

from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric as std_ric
from stdnum.us import ssn as std_ssn

SEED = 61127
N_DOCS = 600
R = random.Random(SEED)

# ---------------------------------------------------------------------------------------------
# marked-text builder
# ---------------------------------------------------------------------------------------------
EN, ZH = "PERSON_NAME_EN", "PERSON_NAME_ZH"
TYPES = ["CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "BANK_CARD", "EMAIL", "CN_PASSPORT",
         "CN_LICENSE_PLATE", "PERSON_NAME_ZH", "PERSON_NAME_EN", "ADDRESS_ZH", "IP_ADDRESS",
         "GPS_COORDINATE", "US_SSN", "IBAN", "DATE_OF_BIRTH"]
_CTRL = re.compile(r"[\x01-\x05]")


def L(v, t):
    """Mark `v` as a labelled value of type `t`."""
    assert t in TYPES, t
    v = str(v)
    assert v and not _CTRL.search(v), repr(v)
    assert v == v.strip(), repr(v)
    return f"\x01{t}\x02{v}\x03"


def N(v):
    return L(v, EN)


def Z(v):
    return L(v, ZH)


def NEG(v):
    """An intentional hard negative: stays unlabelled, exempt from the leak check."""
    v = str(v)
    assert "\x01" not in v
    return f"\x04{v}\x05"


def render(marked):
    out, spans, negs, stack = [], [], [], []
    pos, i, n = 0, 0, len(marked)
    while i < n:
        c = marked[i]
        if c == "\x01":
            j = marked.index("\x02", i)
            k = marked.index("\x03", j)
            typ, val = marked[i + 1:j], marked[j + 1:k]
            spans.append((pos, pos + len(val), typ, val))
            out.append(val)
            pos += len(val)
            i = k + 1
        elif c == "\x04":
            stack.append(pos)
            i += 1
        elif c == "\x05":
            negs.append((stack.pop(), pos))
            i += 1
        else:
            out.append(c)
            pos += 1
            i += 1
    assert not stack
    return "".join(out), spans, negs


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------
def ch(seq):
    return R.choice(seq)


def maybe(p=0.5):
    return R.random() < p


def rint(a, b):
    return R.randint(a, b)


def wch(pairs):
    tot = sum(w for _, w in pairs)
    x = R.uniform(0, tot)
    for v, w in pairs:
        x -= w
        if x <= 0:
            return v
    return pairs[-1][0]


def sample(seq, k):
    return R.sample(list(seq), k)


def fold(s):
    """ASCII-fold for e-mail local parts."""
    s = s.replace("ø", "o").replace("Ø", "O").replace("ł", "l").replace("Ł", "L").replace("đ", "d")
    s = s.replace("Đ", "D").replace("ß", "ss").replace("æ", "ae").replace("ı", "i").replace("œ", "oe")
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if not unicodedata.combining(c))


def slug(s):
    return re.sub(r"[^a-z]", "", fold(s).lower())


FK = {}
for _i, _loc in enumerate(["en_US", "en_GB", "en_IE", "en_IN", "es_MX", "es_ES", "de_DE", "fr_FR", "nl_NL",
                           "pl_PL", "it_IT", "pt_BR", "tr_TR", "ga_IE", "sv_SE", "yo_NG", "zu_ZA", "tw_GH",
                           "ja_JP", "zh_CN"]):
    FK[_loc] = Faker(_loc)
    FK[_loc].seed_instance(SEED + _i)


def dt(y0=2019, y1=2025):
    start = datetime.date(y0, 1, 1).toordinal()
    end = datetime.date(y1, 12, 31).toordinal()
    return datetime.date.fromordinal(rint(start, end))


def dob_date(a=1938, b=2006):
    return dt(a, b)


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
MON3 = [m[:3] for m in MONTHS]
WDAY = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def fdate(d, style=None):
    style = style or ch(["us", "iso", "long", "dmy", "med", "us2"])
    if style == "us":
        return f"{d.month:02d}/{d.day:02d}/{d.year}"
    if style == "us1":
        return f"{d.month}/{d.day}/{d.year}"
    if style == "us2":
        return f"{d.month}/{d.day}/{d.year % 100:02d}"
    if style == "iso":
        return d.isoformat()
    if style == "long":
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"
    if style == "dmy":
        return f"{d.day:02d}/{d.month:02d}/{d.year}"
    if style == "dlong":
        return f"{d.day} {MONTHS[d.month - 1]} {d.year}"
    if style == "med":
        return f"{MON3[d.month - 1]} {d.day}, {d.year}"
    if style == "dmed":
        return f"{d.day:02d}-{MON3[d.month - 1].upper()}-{d.year}"
    if style == "zh":
        return f"{d.year}年{d.month}月{d.day}日"
    if style == "zh0":
        return f"{d.year}年{d.month:02d}月{d.day:02d}日"
    if style == "dot":
        return f"{d.year}.{d.month:02d}.{d.day:02d}"
    if style == "slash":
        return f"{d.year}/{d.month:02d}/{d.day:02d}"
    raise ValueError(style)


def hm(ampm=None):
    h, m = rint(7, 21), rint(0, 59)
    if ampm is None:
        ampm = maybe()
    if ampm:
        return f"{(h - 1) % 12 + 1}:{m:02d} {'AM' if h < 12 else 'PM'}"
    return f"{h:02d}:{m:02d}"


def ts_iso(d=None):
    d = d or dt(2022, 2025)
    return f"{d.isoformat()}T{rint(0, 23):02d}:{rint(0, 59):02d}:{rint(0, 59):02d}" + ch(["Z", ".%03dZ" % rint(0, 999), "+08:00", "-05:00"])


def digits(n):
    return "".join(str(rint(0, 9)) for _ in range(n))


def hexs(n):
    return "".join(ch("0123456789abcdef") for _ in range(n))


def uuid():
    return f"{hexs(8)}-{hexs(4)}-4{hexs(3)}-{ch('89ab')}{hexs(3)}-{hexs(12)}"


def version():
    return ch([f"{rint(1, 12)}.{rint(0, 30)}.{rint(0, 40)}", f"v{rint(1, 5)}.{rint(0, 20)}.{rint(0, 9)}",
               f"{rint(1, 9)}.{rint(0, 9)}.{rint(0, 9)}.{rint(1000, 99999)}", f"{rint(1, 4)}.{rint(0, 9)}.{rint(0, 9)}-rc.{rint(1, 4)}",
               f"{rint(10, 24)}.{rint(1, 12)}.{rint(300, 4000)}"])


# ---------------------------------------------------------------------------------------------
# value generators (labelled types)
# ---------------------------------------------------------------------------------------------
def luhn_num(prefix, length):
    body = prefix + digits(length - len(prefix) - 1)
    return body + luhn.calc_check_digit(body)


def card_number(kind=None):
    kind = kind or ch(["visa", "visa", "mc", "amex", "unionpay", "unionpay19", "discover"])
    if kind == "visa":
        n = luhn_num("4", 16)
    elif kind == "mc":
        n = luhn_num(ch(["51", "52", "53", "54", "55", "2221", "2720"]), 16)
    elif kind == "amex":
        n = luhn_num(ch(["34", "37"]), 15)
        return ch([n, f"{n[:4]} {n[4:10]} {n[10:]}", f"{n[:4]}-{n[4:10]}-{n[10:]}"])
    elif kind == "discover":
        n = luhn_num("6011", 16)
    elif kind == "unionpay19":
        n = luhn_num(ch(["621700", "622848", "621226", "623668"]), 19)
        return ch([n, n, f"{n[:4]} {n[4:8]} {n[8:12]} {n[12:16]} {n[16:]}"])
    else:
        n = luhn_num(ch(["622202", "622588", "620522", "625807", "622262", "621483"]), 16)
    sep = ch(["", " ", " ", "-"])
    return sep.join(n[i:i + 4] for i in range(0, 16, 4)) if sep else n


def bad_luhn(n=16):
    while True:
        x = digits(n)
        if x[0] != "0" and not luhn.is_valid(x):
            return x


def masked_card():
    last = digits(4)
    return ch([f"**** **** **** {last}", f"•••• {last}", f"XXXX-XXXX-XXXX-{last}", f"ending in {last}",
               f"{ch(['4', '5'])}{digits(3)} **** **** {last}", f"x{last}"])


IBAN_FMT = {"DE": "8n10n", "GB": "4a6n8n", "FR": "5n5n11n2n", "NL": "4a10n", "ES": "4n4n2n10n", "IE": "4a6n8n",
            "AT": "5n11n", "IT": "1a5n5n12n", "CH": "5n12n", "BE": "3n7n2n", "PL": "8n16n", "PT": "4n4n11n2n",
            "SE": "3n16n1n", "DK": "4n9n1n", "FI": "3n11n", "LU": "3n13n"}


def iban(cc=None, grouped=None):
    cc = cc or ch(list(IBAN_FMT))
    for _ in range(2000):
        bban = ""
        for cnt, kind in re.findall(r"(\d+)([an])", IBAN_FMT[cc]):
            for _ in range(int(cnt)):
                bban += ch("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if kind == "a" else str(rint(0, 9))
        cd = std_iban.calc_check_digits(cc + "00" + bban)
        s = cc + cd + bban
        if std_iban.is_valid(s):
            if grouped is None:
                grouped = maybe(0.6)
            return " ".join(s[i:i + 4] for i in range(0, len(s), 4)) if grouped else s
    raise RuntimeError(cc)


def ssn():
    while True:
        a = rint(1, 899)
        if a == 666:
            continue
        s = f"{a:03d}-{rint(1, 99):02d}-{rint(1, 9999):04d}"
        if std_ssn.is_valid(s):
            return s


def masked_ssn():
    return ch([f"***-**-{digits(4)}", f"XXX-XX-{digits(4)}", f"xxx-xx-{digits(4)}"])


def ein():
    return f"{rint(10, 99)}-{digits(7)}"


def ipv4(private=None):
    if private is None:
        private = maybe(0.35)
    if private:
        return ch([f"10.{rint(0, 255)}.{rint(0, 255)}.{rint(1, 254)}", f"192.168.{rint(0, 255)}.{rint(1, 254)}",
                   f"172.{rint(16, 31)}.{rint(0, 255)}.{rint(1, 254)}"])
    while True:
        a = rint(11, 223)
        if a not in (127, 100, 169, 172, 192, 10):
            return f"{a}.{rint(0, 255)}.{rint(0, 255)}.{rint(1, 254)}"


def ipv6():
    groups = [hexs(4).lstrip("0") or "0" for _ in range(8)]
    if maybe(0.5):
        return f"2001:db8:{groups[2]}:{groups[3]}::{groups[7]}" if maybe(0.3) else f"2a02:{groups[1]}:{groups[2]}:{groups[3]}::{groups[6]}:{groups[7]}"
    return ":".join(groups)


def ip():
    return ipv6() if maybe(0.2) else ipv4()


def us_phone():
    a = ch(["212", "312", "415", "617", "646", "702", "713", "206", "303", "404", "503", "512", "602", "919", "971", "984"])
    b, c = rint(200, 989), digits(4)
    return ch([f"({a}) {b}-{c}", f"{a}-{b}-{c}", f"+1 {a} {b} {c}", f"{a}.{b}.{c}", f"+1 ({a}) {b}-{c}", f"{a}-555-01{digits(2)}"])


def uk_phone():
    return ch([f"+44 20 7{digits(3)} {digits(4)}", f"020 7{digits(3)} {digits(4)}", f"+44 7{digits(3)} {digits(6)}",
               f"0161 {digits(3)} {digits(4)}"])


def intl_phone():
    return ch([us_phone, us_phone, uk_phone, lambda: f"+49 30 {digits(8)}", lambda: f"+33 1 {digits(2)} {digits(2)} {digits(2)} {digits(2)}",
               lambda: f"+61 2 {digits(4)} {digits(4)}", lambda: f"+91 {rint(70, 99)}{digits(3)} {digits(5)}"])()


# --- China ---
CN_MOB_PREFIX = ["130", "131", "132", "133", "135", "136", "137", "138", "139", "145", "147", "150", "151", "152",
                 "153", "155", "156", "157", "158", "159", "166", "170", "173", "175", "176", "177", "178", "180",
                 "181", "182", "183", "185", "186", "187", "188", "189", "191", "193", "195", "198", "199"]
FW = str.maketrans("0123456789", "０１２３４５６７８９")


def cn_mobile(style=None):
    n = ch(CN_MOB_PREFIX) + digits(8)
    style = style or wch([("plain", 6), ("sp", 2), ("dash", 1), ("+86", 2), ("+86sp", 1), ("86", 0.5), ("0086", 0.5), ("fw", 0.3)])
    return {"plain": n, "sp": f"{n[:3]} {n[3:7]} {n[7:]}", "dash": f"{n[:3]}-{n[3:7]}-{n[7:]}", "+86": f"+86{n}",
            "+86sp": f"+86 {n[:3]} {n[3:7]} {n[7:]}", "86": f"86-{n}", "0086": f"0086 {n}", "fw": n.translate(FW)}[style]


def masked_mobile():
    n = ch(CN_MOB_PREFIX) + digits(8)
    return ch([f"{n[:3]}****{n[7:]}", f"{n[:3]}*****{n[8:]}", f"尾号{n[7:]}"])


AREA = {"北京": "010", "上海": "021", "天津": "022", "重庆": "023", "广州": "020", "深圳": "0755", "杭州": "0571",
        "南京": "025", "成都": "028", "武汉": "027", "西安": "029", "沈阳": "024", "苏州": "0512", "青岛": "0532",
        "厦门": "0592", "长沙": "0731", "郑州": "0371", "济南": "0531", "合肥": "0551", "昆明": "0871", "宁波": "0574",
        "东莞": "0769", "大连": "0411", "福州": "0591", "南宁": "0771"}


def cn_landline(city=None):
    code = AREA.get(city) or ch(list(AREA.values()))
    n = digits(8) if len(code) == 3 else digits(ch([7, 8]))
    if n[0] in "01":
        n = str(rint(2, 8)) + n[1:]
    style = wch([("dash", 5), ("paren", 2), ("+86", 1), ("sp", 1)])
    if style == "dash":
        return f"{code}-{n}"
    if style == "paren":
        return f"({code}){n}"
    if style == "+86":
        return f"+86 {code[1:]} {n[:-4]} {n[-4:]}"
    return f"{code} {n[:-4]} {n[-4:]}"


RIC_REGIONS = ["110101", "110105", "110108", "310104", "310115", "310112", "440305", "440106", "440104", "330106",
               "330110", "510107", "510104", "420106", "320102", "320506", "610113", "370202", "350203", "430104",
               "210102", "120101", "410105", "530102", "450103", "360102", "130102", "220102", "230103", "620102",
               "520102", "650102", "150102", "340104", "441900", "330203", "370102", "350102"]


def cn_id(d=None):
    d = d or dob_date(1950, 2004)
    for _ in range(100):
        body = ch(RIC_REGIONS) + d.strftime("%Y%m%d") + digits(3)
        n = body + std_ric.calc_check_digit(body + "0")
        if std_ric.is_valid(n):
            return n
    raise RuntimeError


def fake_id18():
    """18-digit order numbers with a wrong check digit (hard negative)."""
    while True:
        body = ch(RIC_REGIONS) + dt(1960, 2003).strftime("%Y%m%d") + digits(3)
        x = str((int(std_ric.calc_check_digit(body + "0").replace("X", "10")) + rint(1, 9)) % 10)
        if not std_ric.is_valid(body + x):
            return body + x


def cn_passport():
    return ch([f"E{digits(8)}", f"E{ch('ABCDEFGHJKLMNPQRSTUVWXYZ')}{digits(7)}", f"G{digits(8)}"])


PLATE_PROV = "京沪津渝冀晋辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云陕甘青宁新蒙藏"
PLATE_L = "ABCDEFGHJKLMNPQRSTUVWXY"


def plate():
    p, c = ch(PLATE_PROV), ch("ABCDEFGHJKLMN")
    if maybe(0.25):
        tail = ch("DF") + digits(5) if maybe() else ch("DF") + ch(PLATE_L) + digits(4)
    else:
        tail = "".join(ch(PLATE_L + "0123456789" * 2) for _ in range(5))
        if not re.search(r"\d", tail):
            tail = tail[:4] + str(rint(0, 9))
    sep = wch([("", 6), ("·", 1), (" ", 1)])
    return f"{p}{c}{sep}{tail}"


def gps():
    lat, lng = R.uniform(18.5, 45.5), R.uniform(98.0, 125.0)
    k = ch([4, 5, 6])
    return ch([f"{lat:.{k}f},{lng:.{k}f}", f"{lat:.{k}f}, {lng:.{k}f}"])


# Chinese addresses ---------------------------------------------------------------------------
CN_GEO = [("", "北京市", ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"]),
          ("", "上海市", ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区", "长宁区"]),
          ("", "天津市", ["和平区", "南开区", "河西区"]), ("", "重庆市", ["渝中区", "江北区", "渝北区"]),
          ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"]), ("广东省", "深圳市", ["南山区", "福田区", "宝安区", "龙岗区"]),
          ("浙江省", "杭州市", ["西湖区", "余杭区", "滨江区", "拱墅区"]), ("浙江省", "宁波市", ["鄞州区", "海曙区"]),
          ("江苏省", "南京市", ["鼓楼区", "玄武区", "建邺区"]), ("江苏省", "苏州市", ["姑苏区", "吴中区", "相城区"]),
          ("四川省", "成都市", ["武侯区", "锦江区", "青羊区", "成华区"]), ("湖北省", "武汉市", ["洪山区", "江汉区", "武昌区"]),
          ("山东省", "青岛市", ["市南区", "崂山区", "黄岛区"]), ("山东省", "济南市", ["历下区", "市中区"]),
          ("福建省", "厦门市", ["思明区", "湖里区"]), ("福建省", "福州市", ["鼓楼区", "台江区"]),
          ("河南省", "郑州市", ["金水区", "二七区", "中原区"]), ("陕西省", "西安市", ["雁塔区", "碑林区", "未央区"]),
          ("湖南省", "长沙市", ["岳麓区", "芙蓉区", "天心区"]), ("辽宁省", "大连市", ["中山区", "沙河口区"]),
          ("辽宁省", "沈阳市", ["和平区", "沈河区"]), ("安徽省", "合肥市", ["蜀山区", "包河区"]), ("云南省", "昆明市", ["五华区", "盘龙区"]),
          ("广西壮族自治区", "南宁市", ["青秀区", "兴宁区"]), ("新疆维吾尔自治区", "乌鲁木齐市", ["天山区", "沙依巴克区"]),
          ("河北省", "石家庄市", ["长安区", "裕华区"]), ("江西省", "南昌市", ["东湖区", "红谷滩区"]),
          ("黑龙江省", "哈尔滨市", ["南岗区", "道里区"]), ("广东省", "东莞市", ["南城街道", "松山湖"])]
ROADS = ["人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "黄河路", "文化路", "学府路", "科技路",
         "建国路", "文三路", "南京东路", "淮海中路", "天府大道", "深南大道", "珠江路", "五一路", "青年路", "胜利街",
         "友谊路", "延安西路", "东风路", "光明街", "工业大道", "滨江路", "花园路", "朝阳北路", "复兴路", "迎宾大道",
         "世纪大道", "高新南七道", "中关村大街", "金融街", "体育西路", "环城北路", "丰泽街", "幸福里", "桃源路",
         "望京西路", "星湖街", "江汉路", "民主路", "北京西路", "湖滨路"]
ESTATES = ["阳光花园", "华润城", "万科城", "碧桂园", "绿地中心", "金茂大厦", "保利中心", "龙湖天街", "星河湾", "锦绣华庭",
           "世纪花园", "幸福小区", "翠苑一区", "丽都公寓", "国贸大厦", "软件园", "创业大厦", "银泰城", "东方明珠花园", "梧桐苑"]


def cn_address(level=None, geo=None):
    prov, city, dists = geo or ch(CN_GEO)
    dist = ch(dists)
    level = level or wch([("full", 4), ("city", 4), ("dist", 1)])
    head = {"full": prov + city + dist, "city": city + dist, "dist": dist}[level]
    road = ch(ROADS)
    num = f"{rint(1, 999)}号"
    if maybe(0.15):
        num = f"{rint(1, 999)}弄{rint(1, 80)}号"
    tail = wch([("", 2), ("estate", 4), ("tower", 2), ("floor", 1)])
    if tail == "estate":
        tail = f"{ch(ESTATES)}{rint(1, 30)}栋{rint(1, 6)}单元{rint(1, 33)}{rint(1, 8):02d}室" if maybe() else f"{ch(ESTATES)}{rint(1, 20)}号楼{rint(1, 30)}{rint(1, 6):02d}"
    elif tail == "tower":
        tail = f"{ch(ESTATES)}{ch('ABCD')}座{rint(2, 40)}{rint(1, 20):02d}室"
    elif tail == "floor":
        tail = f"{rint(1, 30)}楼"
    return head + road + num + tail, city


def cn_city_only():
    prov, city, dists = ch(CN_GEO)
    return ch([city, city + ch(dists), prov + city if prov else city])


# ---------------------------------------------------------------------------------------------
# Chinese names
# ---------------------------------------------------------------------------------------------
ZH_SUR = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"), ("黄", "Huang"),
          ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"), ("朱", "Zhu"),
          ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("罗", "Luo"), ("高", "Gao"), ("郑", "Zheng"),
          ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"),
          ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"),
          ("袁", "Yuan"), ("潘", "Pan"), ("于", "Yu"), ("蒋", "Jiang"), ("蔡", "Cai"), ("余", "Yu"), ("杜", "Du"),
          ("叶", "Ye"), ("程", "Cheng"), ("苏", "Su"), ("魏", "Wei"), ("吕", "Lyu"), ("丁", "Ding"), ("任", "Ren"),
          ("沈", "Shen"), ("姚", "Yao"), ("卢", "Lu"), ("姜", "Jiang"), ("崔", "Cui"), ("钟", "Zhong"), ("谭", "Tan"),
          ("陆", "Lu"), ("汪", "Wang"), ("范", "Fan"), ("金", "Jin"), ("石", "Shi"), ("廖", "Liao"), ("贾", "Jia"),
          ("夏", "Xia"), ("韦", "Wei"), ("付", "Fu"), ("方", "Fang"), ("白", "Bai"), ("邹", "Zou"), ("孟", "Meng"),
          ("熊", "Xiong"), ("秦", "Qin"), ("邱", "Qiu"), ("江", "Jiang"), ("尹", "Yin"), ("薛", "Xue"), ("段", "Duan"),
          ("雷", "Lei"), ("侯", "Hou"), ("龙", "Long"), ("史", "Shi"), ("陶", "Tao"), ("黎", "Li"), ("贺", "He"),
          ("顾", "Gu"), ("毛", "Mao"), ("郝", "Hao"), ("龚", "Gong"), ("邵", "Shao"), ("万", "Wan"), ("钱", "Qian"),
          ("严", "Yan"), ("武", "Wu"), ("戴", "Dai"), ("孔", "Kong"), ("向", "Xiang"), ("汤", "Tang"),
          ("欧阳", "Ouyang"), ("司马", "Sima"), ("上官", "Shangguan"), ("诸葛", "Zhuge"), ("司徒", "Situ")]
ZH_SUR_W = [8, 8, 8, 6, 6, 4, 4, 3, 3, 3, 3, 2, 2, 2] + [1] * (len(ZH_SUR) - 19) + [0.15] * 5
ZH_GIV = [("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"), ("强", "qiang"),
          ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"), ("艳", "yan"), ("杰", "jie"), ("娟", "juan"),
          ("涛", "tao"), ("明", "ming"), ("超", "chao"), ("秀", "xiu"), ("霞", "xia"), ("平", "ping"), ("刚", "gang"),
          ("英", "ying"), ("华", "hua"), ("文", "wen"), ("辉", "hui"), ("建", "jian"), ("国", "guo"), ("玲", "ling"),
          ("红", "hong"), ("鹏", "peng"), ("宇", "yu"), ("浩", "hao"), ("子", "zi"), ("轩", "xuan"), ("梓", "zi"),
          ("涵", "han"), ("欣", "xin"), ("怡", "yi"), ("佳", "jia"), ("琪", "qi"), ("晨", "chen"), ("睿", "rui"),
          ("博", "bo"), ("雨", "yu"), ("思", "si"), ("嘉", "jia"), ("俊", "jun"), ("晓", "xiao"), ("海", "hai"),
          ("婷", "ting"), ("雪", "xue"), ("慧", "hui"), ("颖", "ying"), ("志", "zhi"), ("永", "yong"), ("春", "chun"),
          ("晶", "jing"), ("振", "zhen"), ("宁", "ning"), ("斌", "bin"), ("鑫", "xin"), ("凯", "kai"), ("亮", "liang"),
          ("倩", "qian"), ("丹", "dan"), ("琳", "lin"), ("瑶", "yao"), ("璐", "lu"), ("昊", "hao"), ("然", "ran"),
          ("诺", "nuo"), ("泽", "ze"), ("天", "tian"), ("铭", "ming"), ("彤", "tong"), ("萱", "xuan"), ("悦", "yue"),
          ("源", "yuan"), ("可", "ke"), ("馨", "xin"), ("晗", "han"), ("蕾", "lei"), ("薇", "wei"), ("翔", "xiang"),
          ("旭", "xu"), ("东", "dong"), ("峰", "feng"), ("成", "cheng"), ("飞", "fei"), ("云", "yun"), ("兰", "lan"),
          ("梅", "mei"), ("凤", "feng"), ("燕", "yan"), ("莉", "li"), ("桂", "gui"), ("玉", "yu"), ("德", "de"),
          ("新", "xin"), ("家", "jia"), ("立", "li"), ("少", "shao"), ("秋", "qiu"), ("雅", "ya"), ("静", "jing"),
          ("金", "jin"), ("宏", "hong")]
_PY = dict(ZH_GIV)
ZH_GIV1 = [(c, _PY[c]) for c in "子梓浩宇欣佳嘉思雨晓俊志永建国文海春秀桂玉德新家立秋雅天明晨睿博凯云兰梅丽红金振宏"]
ZH_GIV2 = [(c, _PY[c]) for c in "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚英华文辉玲红鹏宇浩轩涵欣怡琪晨睿博婷雪慧颖宁斌鑫凯亮倩丹琳瑶璐昊然诺泽铭彤萱悦源馨晗蕾薇翔旭东峰成飞云兰梅凤燕莉"]
ZH_MINORITY = [("阿依古丽·买买提", "Ayiguli Maimaiti"), ("古丽娜尔·吐尔逊", "Gulnar Tursun"), ("艾力·阿不都", "Eli Abdu"),
               ("买买提江·热合曼", "Memetjan Rahman"), ("扎西·次仁", "Tashi Tsering"), ("迪丽娜·艾山", "Dilina Aishan"),
               ("巴特尔·乌力吉", "Bater Wuliji"), ("努尔兰·哈斯木", "Nurlan Hasim")]


class ZhName:
    """A Chinese name with pinyin. `sur` is what a title attaches to (王先生)."""

    def __init__(self):
        self.minority = None
        i = R.choices(range(len(ZH_SUR)), weights=ZH_SUR_W)[0]
        self.sur, self.sur_py = ZH_SUR[i]
        k = 2 if maybe(0.7) else 1
        if len(self.sur) == 2:
            k = ch([1, 2])
        giv = [ch(ZH_GIV1), ch(ZH_GIV2)] if k == 2 else [ch(ZH_GIV2)]
        while len(giv) == 2 and giv[0][0] == giv[1][0]:
            giv[1] = ch(ZH_GIV2)
        self.giv = "".join(g[0] for g in giv)
        self.giv_py = "".join(g[1] for g in giv).capitalize()
        self.giv_py_hy = "-".join(g[1] for g in giv).capitalize()
        self.zh = self.sur + self.giv
        self.gender = ch("MF")

    def py(self, style=None):
        if self.minority:
            return self.minority
        style = style or wch([("gs", 4), ("sg", 3), ("SG", 2), ("GS", 0.5)])
        if style == "gs":
            return f"{self.giv_py} {self.sur_py}"
        if style == "sg":
            return f"{self.sur_py} {self.giv_py}"
        if style == "SG":
            return f"{self.sur_py.upper()} {self.giv_py}"
        if style == "GS":
            return f"{self.giv_py} {self.sur_py.upper()}"
        if style == "hy":
            return f"{self.giv_py_hy} {self.sur_py}"
        if style == "CAPS":
            return f"{self.sur_py.upper()} {self.giv_py.upper()}"
        raise ValueError(style)


def zh_name(minority=0.03):
    n = ZhName()
    if maybe(minority):
        n.zh, n.minority = ch(ZH_MINORITY)
        n.sur = n.zh.split("·")[0]
    return n


def zh_names(k, minority=0.03):
    """k distinct names; surnames distinct too (so 王先生 is unambiguous) while k <= 10."""
    out = []
    while len(out) < k:
        n = zh_name(minority)
        if n.zh in {o.zh for o in out}:
            continue
        if k <= 10 and n.sur in {o.sur for o in out}:
            continue
        out.append(n)
    return out


# ---------------------------------------------------------------------------------------------
# Latin-script persons
# ---------------------------------------------------------------------------------------------
IRISH_SUR = ["O'Brien", "O'Connor", "O'Sullivan", "McCarthy", "McAllister", "MacDonald", "O'Neill", "Fitzgerald",
             "O'Hara", "McKenna", "MacLeod", "O'Donnell", "McGrath", "D'Arcy", "Ní Bhriain", "Ó Súilleabháin"]
ARAB_M = ["Mohammed", "Muhammad", "Ahmed", "Omar", "Khalid", "Yusuf", "Hassan", "Tariq", "Faisal", "Karim", "Samir",
          "Ibrahim", "Mustafa", "Walid", "Nabil", "Rami", "Ziad", "Hamza", "Bilal", "Anas"]
ARAB_F = ["Fatima", "Aisha", "Layla", "Noor", "Mariam", "Yasmin", "Huda", "Salma", "Leila", "Zainab", "Amira",
          "Rania", "Dalia", "Hala", "Reem", "Noura", "Samira", "Lina"]
ARAB_SUR = ["Al-Rashid", "al-Farsi", "Al Mansouri", "Haddad", "Khoury", "Nasser", "El-Amin", "Abdullah", "Saleh",
            "Al-Harbi", "Al-Qahtani", "Benjelloun", "El Idrissi", "Chraibi", "Hamdan", "Aziz", "Mansour", "Sabbagh",
            "Abu-Ghazaleh", "Al-Zahrani", "Darwish", "Ben Youssef", "Shalaby", "Kassab"]
IND_M = ["Rajesh", "Arjun", "Vikram", "Anil", "Suresh", "Rohan", "Aditya", "Karthik", "Venkatesh", "Sanjay", "Harpreet",
         "Gurpreet", "Amit", "Nikhil", "Pranav", "Rahul", "Siddharth", "Manoj", "Deepak", "Imran"]
IND_F = ["Priya", "Ananya", "Lakshmi", "Deepa", "Kavya", "Meera", "Sunita", "Pooja", "Neha", "Divya", "Aishwarya",
         "Shreya", "Nandini", "Harleen", "Swati", "Radhika", "Fatima", "Sneha"]
IND_SUR = ["Sharma", "Patel", "Iyer", "Reddy", "Nair", "Kumar", "Subramanian", "Menon", "Gupta", "Chatterjee",
           "Banerjee", "Desai", "Joshi", "Rao", "Krishnan", "Singh", "Kaur", "Mehta", "Pillai", "Venkataraman",
           "Bhattacharya", "Naidu", "D'Souza", "Fernandes", "Qureshi", "Mukherjee", "Ramaswamy", "Chaudhary"]
AFR = [("Chinonso", "Okafor", "M"), ("Ngozi", "Eze", "F"), ("Chukwuemeka", "Nwosu", "M"), ("Wanjiru", "Kamau", "F"),
       ("Otieno", "Odhiambo", "M"), ("Abebe", "Bekele", "M"), ("Tsion", "Haile", "F"), ("Fatoumata", "Diallo", "F"),
       ("Mamadou", "Traoré", "M"), ("Aminata", "Sow", "F"), ("Kwame", "Mensah", "M"), ("Akosua", "Boateng", "F"),
       ("Oluwaseun", "Adeyemi", "M"), ("Adaeze", "Obi", "F"), ("Thabo", "Nkosi", "M"), ("Nomvula", "Dlamini", "F"),
       ("Kofi", "Asante", "M"), ("Amara", "Nwachukwu", "F"), ("Tendai", "Moyo", "M"), ("Chiamaka", "Okonkwo", "F"),
       ("Babajide", "Ogunleye", "M"), ("Yetunde", "Afolabi", "F"), ("Jabari", "Mwangi", "M"), ("Zawadi", "Achieng", "F"),
       ("Sekou", "Keita", "M"), ("Mariama", "Bah", "F"), ("Emeka", "Chukwu", "M"), ("Folasade", "Adebayo", "F")]
VN_SUR = [("Nguyễn", "Nguyen"), ("Trần", "Tran"), ("Lê", "Le"), ("Phạm", "Pham"), ("Hoàng", "Hoang"), ("Huỳnh", "Huynh"),
          ("Phan", "Phan"), ("Vũ", "Vu"), ("Võ", "Vo"), ("Đặng", "Dang"), ("Bùi", "Bui"), ("Đỗ", "Do"), ("Ngô", "Ngo"),
          ("Dương", "Duong")]
VN_MID = [("Văn", "Van", "M"), ("Thị", "Thi", "F"), ("Hữu", "Huu", "M"), ("Minh", "Minh", "M"), ("Ngọc", "Ngoc", "F"),
          ("Đức", "Duc", "M"), ("Thanh", "Thanh", "F")]
VN_GIV = [("An", "An"), ("Bảo", "Bao"), ("Hùng", "Hung"), ("Lan", "Lan"), ("Linh", "Linh"), ("Mai", "Mai"),
          ("Hương", "Huong"), ("Tuấn", "Tuan"), ("Dũng", "Dung"), ("Thảo", "Thao"), ("Trang", "Trang"), ("Quang", "Quang"),
          ("Khoa", "Khoa"), ("Phúc", "Phuc"), ("Hạnh", "Hanh"), ("Vy", "Vy"), ("Long", "Long"), ("Nam", "Nam")]
KR_SUR = ["Kim", "Lee", "Park", "Choi", "Jung", "Kang", "Cho", "Yoon", "Jang", "Lim", "Han", "Oh", "Seo", "Shin", "Kwon",
          "Hwang", "Ahn", "Song", "Yoo", "Hong", "Baek", "Moon"]
KR_GIV = ["Min-jun", "Seo-yeon", "Ji-hoon", "Ha-eun", "Do-yoon", "Ji-woo", "Soo-jin", "Hyun-woo", "Eun-ji", "Jae-won",
          "Yeon-woo", "Sung-min", "Min-seo", "Joon-ho", "Seung-hyun", "Hye-jin", "Dong-hyun", "Ye-jin", "Tae-yang"]
HK_SUR = ["Chan", "Wong", "Cheung", "Lau", "Leung", "Ho", "Ng", "Lam", "Tsang", "Yeung", "Chow", "Kwok", "Tang", "Fung",
          "Yip", "Mak", "Tse", "Lai", "Chu", "Siu"]
HK_GIV = ["Ka-wai", "Siu-ming", "Wing-yan", "Tai-man", "Chi-keung", "Hoi-ling", "Man-kit", "Pui-shan", "Kwok-leung",
          "Ka-yan", "Chun-kit", "Wai-lun", "Suet-ying", "Ho-yin", "Mei-kuen"]
HK_ENG = ["Kelvin", "Winnie", "Kenneth", "Ivy", "Raymond", "Connie", "Alvin", "Queenie", "Terence", "Vivian", "Eric",
          "Natalie", "Jacky", "Fiona", "Wilson", "Cathy"]
TW_SUR = ["Chen", "Lin", "Huang", "Chang", "Wang", "Wu", "Liu", "Tsai", "Yang", "Hsu", "Cheng", "Hsieh", "Kuo", "Hung",
          "Chiu", "Chou", "Yeh", "Tseng"]
TW_GIV = ["Yi-hsuan", "Chih-wei", "Mei-ling", "Chia-hao", "Shu-fen", "Ya-ting", "Chun-hung", "Hsin-yi", "Po-han",
          "Yu-ting", "Chien-ming", "Pei-chun", "Tsung-han", "I-ching", "Wen-chieh"]
SG_NAMES = ["Tan Boon Huat", "Lim Wei Ling", "Ong Kah Hui", "Teo Siew Ling", "Goh Jia Hui", "Koh Beng Seng",
            "Lee Mei Xuan", "Chua Kok Wah", "Ng Hui Min", "Tay Soon Keat"]
SG_GIV = ["Boon", "Huat", "Wei", "Ling", "Kah", "Hui", "Siew", "Jia", "Beng", "Seng", "Mei", "Xuan", "Kok", "Wah", "Min", "Soon",
          "Keat", "Choon", "Eng", "Yong", "Li", "Ying", "Chee", "Keong"]
ENG_FOR_CN = ["Kevin", "Jason", "Tony", "Lily", "Grace", "Cindy", "Eric", "Jack", "Vivian", "Amy", "Leo", "Coco",
              "Frank", "Sunny", "Mandy", "Bruce", "Iris", "Alan", "Echo", "Sean"]
NICKS = {"Robert": "Bobby", "William": "Bill", "Elizabeth": "Liz", "James": "Jim", "Katherine": "Kate",
         "Margaret": "Peggy", "Richard": "Dick", "Thomas": "Tommy", "Jennifer": "Jen", "Michael": "Mike",
         "Christopher": "Chris", "Patricia": "Trish", "Joseph": "Joe", "Anthony": "Tony", "Edward": "Ted",
         "Rebecca": "Becky", "Daniel": "Danny", "Samuel": "Sam", "Alexander": "Alex", "Charles": "Chuck",
         "Deborah": "Debbie", "Susan": "Sue", "Theodore": "Teddy", "Nicholas": "Nick", "Abigail": "Abby",
         "Oluwaseun": "Seun", "Chukwuemeka": "Emeka", "Venkatesh": "Venky", "Mohammed": "Mo", "Gregory": "Greg", "Timothy": "Tim",
         "Benjamin": "Ben", "Jonathan": "Jon", "Matthew": "Matt", "Stephen": "Steve", "Steven": "Steve", "Kimberly": "Kim",
         "Jessica": "Jess", "Victoria": "Tori", "Andrew": "Drew", "Donald": "Donnie", "Raymond": "Ray", "Douglas": "Doug",
         "Gerald": "Jerry", "Lawrence": "Larry", "Frederick": "Fred", "Harold": "Hal", "Dorothy": "Dot", "Barbara": "Barb"}
SUFFIXES = ["Jr.", "Sr.", "II", "III", "IV"]
ORIGIN_W = [("anglo", 38), ("hispanic", 10), ("cn", 7), ("hk", 2), ("tw", 2), ("sg", 1), ("indian", 8), ("african", 6),
            ("arab", 5), ("viet", 4), ("korean", 4), ("japanese", 3), ("euro", 10)]
EURO_LOC = ["de_DE", "fr_FR", "nl_NL", "pl_PL", "it_IT", "pt_BR", "tr_TR", "ga_IE", "sv_SE", "es_ES"]


class Person:
    """A Latin-script person. Rendering methods return plain strings; templates wrap them in N()."""

    def __init__(self, origin=None, gender=None):
        self.origin = origin = origin or wch(ORIGIN_W)
        self.gender = gender = gender or ch("MF")
        self.middle, self.suffix, self.nick, self.zh = "", "", "", None
        self.eastern = False  # natural order surname-first
        fm = "male" if gender == "M" else "female"
        if origin == "anglo":
            f = FK[ch(["en_US", "en_US", "en_US", "en_GB", "en_IE"])]
            self.given = getattr(f, f"first_name_{fm}")()
            self.last = f.last_name()
            if maybe(0.08):
                self.last = ch(IRISH_SUR)
            elif maybe(0.05):
                self.last = f"{f.last_name()}-{f.last_name()}"
            self.middle = getattr(f, f"first_name_{fm}")() if maybe(0.5) else ""
            if gender == "M" and maybe(0.07):
                self.suffix = ch(SUFFIXES)
            if self.given in NICKS and maybe(0.6):
                self.nick = NICKS[self.given]
            elif maybe(0.12):
                self.nick = ch(["Buddy", "Skip", "Sonny", "Chip", "Butch", "Red", "Hank"] if gender == "M" else ["Dee", "Kiki", "Bunny", "Sissy", "Birdie", "Tootie"])
        elif origin == "hispanic":
            f = FK[ch(["es_MX", "es_ES"])]
            self.given = getattr(f, f"first_name_{fm}")()
            self.last = f.last_name()
            r = R.random()
            if r < 0.35:
                self.last = f"{self.last} {f.last_name()}"
            elif r < 0.45:
                self.last = ch(["de la Cruz", "del Río", "de los Santos", "de la Fuente", "del Valle", "de León"])
            elif r < 0.5:
                self.last = f"{self.last}-{f.last_name()}"
        elif origin in ("cn", "hk", "tw", "sg"):
            z = zh_name(minority=0)
            self.zhn = z
            if origin == "cn":
                self.given, self.last, self.zh = z.giv_py, z.sur_py, z.zh
                self.eastern = maybe(0.5)
                if maybe(0.15):
                    self.given = ch(ENG_FOR_CN)
                    self.eastern = False
            elif origin == "hk":
                self.last, self.given = ch(HK_SUR), ch(HK_GIV)
                self.eastern = True
                if maybe(0.5):
                    self.given, self.eastern = ch(HK_ENG), False
            elif origin == "tw":
                self.last, self.given = ch(TW_SUR), ch(TW_GIV)
                self.eastern = maybe(0.5)
            else:
                self.last = ch([x.split(" ")[0] for x in SG_NAMES])
                self.given = " ".join(ch(SG_GIV) for _ in range(2))
                while len(set(self.given.split(" "))) < 2:
                    self.given = " ".join(ch(SG_GIV) for _ in range(2))
                self.eastern = True
        elif origin == "indian":
            if maybe(0.5):
                f = FK["en_IN"]
                self.given = getattr(f, f"first_name_{fm}")()
                self.last = f.last_name()
            else:
                self.given = ch(IND_M if gender == "M" else IND_F)
                self.last = ch(IND_SUR)
                if self.last == "Kaur":
                    self.gender = "F"
                    self.given = ch(["Harpreet", "Harleen", "Simran", "Jaspreet"])
                if maybe(0.15):
                    self.middle = ch(["Kumar", "Lakshmi", "Venkata", "Sai", "Prakash"])
        elif origin == "african":
            if maybe(0.6):
                g, _, gg = ch([x for x in AFR if x[2] == gender])
                self.given, self.last = g, ch(AFR)[1]
            else:
                f = FK[ch(["yo_NG", "zu_ZA", "tw_GH"])]
                self.given, self.last = f.first_name(), f.last_name()
        elif origin == "arab":
            self.given = ch(ARAB_M if gender == "M" else ARAB_F)
            self.last = ch(ARAB_SUR)
            if maybe(0.15):
                self.middle = ("bin " if gender == "M" else "bint ") + ch(ARAB_M)
        elif origin == "viet":
            dia = maybe(0.45)
            s, m, g = ch(VN_SUR), ch([x for x in VN_MID if x[2] == gender]), ch(VN_GIV)
            k = 0 if dia else 1
            self.last, self.middle, self.given = s[k], m[k], g[k]
            self.eastern = maybe(0.6)
        elif origin == "korean":
            self.last, self.given = ch(KR_SUR), ch(KR_GIV)
            if maybe(0.3):
                self.given = self.given.replace("-", "").capitalize()
            self.eastern = maybe(0.4)
        elif origin == "japanese":
            f = FK["ja_JP"]
            self.given = getattr(f, f"first_romanized_name_{fm}")()
            self.last = f.last_romanized_name()
            self.eastern = maybe(0.25)
        else:  # euro
            loc = ch(EURO_LOC)
            f = FK[loc]
            try:
                self.given = getattr(f, f"first_name_{fm}")()
            except AttributeError:
                self.given = f.first_name()
            self.last = f.last_name()
            if loc == "fr_FR" and maybe(0.2):
                self.given = ch(["Jean-Luc", "Marie-Claire", "Jean-Baptiste", "Anne-Sophie", "Pierre-Yves", "Marie-Hélène"])
        self.given = self.given.strip()
        self.last = self.last.strip()
        self.mid_init = maybe(0.6)
        self.suf_sep = ch([" ", ", "]) if self.suffix in ("Jr.", "Sr.") else " "
        assert self.given and self.last and not re.search(r"[\d\x00-\x1f]", self.given + self.last), (self.given, self.last)

    # --- renderings -------------------------------------------------------------------------
    def fl(self):
        """Given + surname in this person's usual order."""
        if self.eastern:
            return f"{self.last} {self.given}" if self.origin not in ("viet",) else f"{self.last} {self.middle} {self.given}".replace("  ", " ")
        return f"{self.given} {self.last}"

    def full(self, middle=True, suffix=True, initial=None):
        if self.eastern:
            return self.fl()
        m = ""
        if middle and self.middle and self.origin not in ("viet",):
            m = self.middle
            if initial or (initial is None and self.origin == "anglo" and self.mid_init):
                m = self.middle[0] + "."
        s = f"{self.given} {m + ' ' if m else ''}{self.last}"
        if suffix and self.suffix:
            s += self.suf_sep + self.suffix
        return s

    def first(self):
        return self.given

    def sur(self):
        return self.last

    def caps(self):
        return self.full(suffix=True).upper()

    def inv(self, middle=True):
        """Smith, John A."""
        m = f" {self.middle[0]}." if (middle and self.middle and self.origin == "anglo") else ""
        s = f"{self.last}, {self.given}{m}"
        if self.suffix:
            s += f" {self.suffix}"
        return s

    def initials(self, spaced=True):
        out = []
        for part in self.given.split(" "):
            out.append("-".join(x[0].upper() + "." for x in part.split("-") if x))
        if self.middle and self.origin == "anglo":
            out.append(self.middle[0] + ".")
        return (" " if spaced else "").join(out)

    def ieee(self):
        return f"{self.initials(maybe(0.7))} {self.last}"

    def apa(self):
        return f"{self.last}, {self.initials(True)}"

    def vanc(self):
        ini = "".join(p[0].upper() for p in re.split(r"[ -]", self.given) if p)
        if self.middle and self.origin == "anglo":
            ini += self.middle[0]
        return f"{self.last} {ini}"

    def pnr(self):
        return f"{fold(self.last).upper().replace(' ', '').replace(chr(39), '').replace('-', '')}/{fold(self.given).upper().replace(' ', '').replace('-', '')}"

    def with_nick(self):
        if not self.nick:
            return self.full()
        q = ch([('"', '"'), ("“", "”"), ("'", "'")])
        return f"{self.given} {q[0]}{self.nick}{q[1]} {self.last}"

    def title(self, academic=False):
        if academic and maybe(0.5):
            return ch(["Dr.", "Prof."])
        return "Mr." if self.gender == "M" else wch([("Ms.", 16), ("Mrs.", 3), ("Miss", 1)])

    def pron(self):
        return ("he", "him", "his") if self.gender == "M" else ("she", "her", "her")

    def email(self, domain=None):
        g, l_ = slug(self.given), slug(self.last)
        if not l_ or not g:
            l_ = l_ or "user"
            g = g or "x"
        local = ch([f"{g}.{l_}", f"{g[0]}{l_}", f"{g}{l_[0]}", f"{g}_{l_}", f"{g}.{l_}{rint(1, 99)}", f"{l_}.{g}", f"{g}{rint(70, 99)}"])
        return f"{local}@{domain or ch(FREEMAIL)}"

    def handle(self):
        g, l_ = slug(self.given), slug(self.last)
        return ch([f"{g[0]}{l_}", f"{g}.{l_}", f"{g}{l_[:1]}", f"{g}_{l_}", f"{l_}{g[0]}", f"{g}{rint(1, 999)}"])


FREEMAIL = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.com", "aol.com", "gmx.de",
            "fastmail.com", "yahoo.co.uk", "live.com"]


DOC_NAMES = set()  # given names and surnames already used in the current document


def people(k, origin=None, **kw):
    """k persons whose given names and surnames are distinct from each other and from everyone
    else in the current document (so lone references are unambiguous)."""
    out = []
    tries = 0
    while len(out) < k:
        tries += 1
        p = Person(origin=origin if not callable(origin) else origin(), **kw)
        toks = {p.given, p.last, p.given.split(" ")[0], p.last.split(" ")[-1]}
        if tries < 500 and (toks & DOC_NAMES or p.given == p.last or p.last in SURNAME_WORDS or p.given in SURNAME_WORDS
                            or p.middle in SURNAME_WORDS):
            continue
        DOC_NAMES.update(toks)
        out.append(p)
    return out


def person(**kw):
    return people(1, **kw)[0]


# surnames that are ordinary English words: kept out of generated persons so that the leak
# check stays exact; they appear on purpose as words (hard negatives, wrapped in NEG()).
SURNAME_WORDS = {"Rose", "Hunter", "Black", "Young", "King", "Price", "Brown", "White", "Green", "Baker", "Cook",
                 "Mason", "Carpenter", "Bishop", "Banks", "Little", "Long", "Rich", "May", "Will", "Bill", "Mark",
                 "Grace", "Hope", "Joy", "Faith", "Dawn", "Summer", "April", "June", "August", "Penny", "Sterling",
                 "Frank", "Miles", "Chase", "Page", "Hill", "Wood", "Stone", "Lane", "Ward", "Rivers", "Fields",
                 "Gay", "Love", "Bell", "Nash", "Hale", "Day", "Small", "Best", "Strong", "Sharp", "Law", "Church",
                 "Marsh", "Bush", "Ball", "Short", "Power", "Glass", "Cross", "West", "North", "Street", "House",
                 "Case", "Booth", "Cash", "Story", "Holiday", "Major", "Gentry", "Parks", "Knight", "Archer", "Fisher",
                 "Porter", "Gardner", "Walker", "Fox", "Wolf", "Bird", "Hawk", "Swan", "Crane", "Long", "Olive",
                 "Ivy", "Iris", "Jade", "Ruby", "Amber", "Crystal", "Skye", "River", "Sunny", "Echo", "Hero",
                 "Sale", "Lord", "Judge", "Nurse", "Sergeant", "Dean", "Guy", "Hill", "Sun", "Song", "Moon", "Long",
                 "Do", "Ho", "Han", "Wing", "Oh", "Ma", "An", "Lan", "Nam", "Dung", "Le"}


# ---------------------------------------------------------------------------------------------
# organisations, places and other hard negatives
# ---------------------------------------------------------------------------------------------
SURNAME_COS = ["Morgan Stanley", "Johnson & Johnson", "Baker Hughes", "Goldman Sachs", "Procter & Gamble", "Ernst & Young",
               "Marks & Spencer", "Harley-Davidson", "Rolls-Royce", "Dow Jones", "Merrill Lynch", "Smith & Wesson",
               "Wells Fargo", "Charles Schwab", "Edward Jones", "Barnes & Noble", "Black & Decker", "Pratt & Whitney",
               "Lockheed Martin", "Tiffany & Co.", "Johnson Controls", "Hewlett Packard Enterprise", "Booz Allen Hamilton",
               "McKinsey & Company", "Sherwin-Williams", "Dr Pepper", "Ben & Jerry's", "Jack Daniel's", "Kellogg's",
               "John Deere", "Walt Disney Company", "Ford Motor Company", "Marriott International", "Hilton Worldwide",
               "Dell Technologies", "Bristol Myers Squibb", "Eli Lilly", "Thermo Fisher Scientific", "Estée Lauder",
               "Ralph Lauren", "Calvin Klein", "Tommy Hilfiger", "Louis Vuitton", "Hugo Boss", "Levi Strauss & Co.",
               "Carl Zeiss", "Robert Bosch GmbH", "Philip Morris", "Charles River Laboratories", "Ben Sherman",
               "Johnnie Walker", "Fred Perry", "Paul Smith", "Ted Baker", "Jimmy Choo", "Coldwell Banker",
               "Keller Williams", "Sotheby's", "Christie's", "Raymond James", "Stanley Black & Decker", "Arthur D. Little",
               "Boston Scientific", "Abbott Laboratories", "Campbell Soup Company", "Wendy's", "McDonald's",
               "Trader Joe's", "Macy's", "Nordstrom", "Dillard's", "Kohl's", "Lowe's", "Walgreens", "Hershey"]
LAW_FIRMS = ["Skadden, Arps, Slate, Meagher & Flom", "Latham & Watkins", "Sullivan & Cromwell", "Davis Polk & Wardwell",
             "Cleary Gottlieb", "Kirkland & Ellis", "Jones Day", "Baker McKenzie", "Wachtell, Lipton, Rosen & Katz",
             "Cravath, Swaine & Moore", "Gibson Dunn", "Morrison & Foerster", "Freshfields Bruckhaus Deringer",
             "Clifford Chance", "Allen & Overy", "Simpson Thacher", "Paul, Weiss", "Milbank", "Ropes & Gray",
             "Quinn Emanuel", "Hogan Lovells", "Norton Rose Fulbright", "Herbert Smith Freehills", "Slaughter and May"]
HOSPITALS = ["Johns Hopkins Hospital", "Mayo Clinic", "Cedars-Sinai Medical Center", "Mount Sinai", "Cleveland Clinic",
             "Brigham and Women's Hospital", "St. Mary's Hospital", "St. Jude Children's Research Hospital",
             "Guy's and St Thomas'", "Massachusetts General Hospital", "Kaiser Permanente", "Dana-Farber Cancer Institute",
             "Vanderbilt University Medical Center", "Sloan Kettering", "Royal Marsden", "Addenbrooke's Hospital"]
UNIS = ["Stanford University", "Johns Hopkins University", "Harvard University", "Yale University", "Duke University",
        "Vanderbilt University", "Brown University", "Rice University", "Carnegie Mellon University", "Cornell University",
        "Georgetown University", "George Washington University", "Washington University in St. Louis", "Purdue University",
        "University of Michigan", "Imperial College London", "King's College London", "McGill University",
        "Trinity College Dublin", "ETH Zürich", "National University of Singapore", "University of Toronto",
        "Tsinghua University", "Fudan University", "Seoul National University", "University of Nairobi", "Emory University"]
STREETS = ["Martin Luther King Jr. Blvd", "Washington Street", "Lincoln Avenue", "Jefferson Davis Hwy", "Franklin Street",
           "Adams Ave", "Madison Avenue", "Kennedy Blvd", "Cesar Chavez Ave", "Victoria Road", "Hamilton Place",
           "Elm Street", "Oak Lane", "Maple Drive", "Jackson Street", "Monroe Street", "Grant Avenue", "Roosevelt Road",
           "Sherman Way", "Lafayette Street", "Wilson Blvd", "Harrison Ave", "Dr. Martin Luther King Jr. Way",
           "John F. Kennedy Blvd", "Ronald Reagan Pkwy", "Abbey Road", "Baker Street", "Churchill Way", "Hunter Street",
           "King Street", "Price Avenue", "Rose Lane", "Young Street", "Pine Street", "Cedar Ct", "Market Street",
           "Sunset Blvd", "Peachtree St NE", "Bishop Road", "Mason Street"]
CITIES = ["Jackson, Mississippi", "Jackson, MS", "Georgetown, TX", "Houston, TX", "Charlotte, NC", "Austin, TX",
          "Lincoln, Nebraska", "Madison, WI", "Eugene, OR", "Florence, AL", "Victoria, TX", "St. Louis, MO",
          "San Jose, CA", "Dallas, TX", "Jacksonville, FL", "Pittsburgh, PA", "Hamilton, OH", "Raleigh, NC",
          "Louisville, KY", "Columbus, OH", "Portland, OR", "Denver, CO", "Boise, ID", "Tucson, AZ", "Albany, NY",
          "Washington, DC", "Wellington, FL", "Marion, IA", "Frederick, MD", "Troy, MI", "Santa Clara, CA",
          "Fort Collins, CO", "Lawrence, KS", "Warren, OH", "Bismarck, ND", "Elizabeth, NJ", "Charleston, SC",
          "Augusta, GA", "Lafayette, LA", "Cleveland, OH"]
UK_CITIES = ["Manchester", "Leeds", "Bristol", "Nottingham", "Edinburgh", "Cardiff", "Sheffield", "Reading", "Brighton"]
ST_ABBR = {"Mississippi": "MS", "Nebraska": "NE", "Texas": "TX", "Oregon": "OR"}
STATES = ["TX", "CA", "NY", "IL", "WA", "MA", "GA", "NC", "OH", "PA", "FL", "CO", "OR", "MN", "VA", "AZ"]
SHIPS = ["USS Ronald Reagan", "Queen Mary 2", "HMS Victory", "MV Ever Given", "RMS Titanic", "USS Abraham Lincoln",
         "Crown Princess", "Carnival Elation"]
STORMS = ["Hurricane Katrina", "Hurricane Ian", "Storm Ciarán", "Typhoon Haiyan", "Tropical Storm Helene",
          "Hurricane Harvey", "Storm Eunice", "Hurricane Milton"]
LAWS_PRIZES = ["Nobel Prize", "Pulitzer Prize", "Sarbanes-Oxley Act", "Dodd-Frank Act", "Fulbright scholarship",
               "Rhodes Scholarship", "Turing Award", "Fields Medal", "Heisman Trophy", "Stanley Cup", "Ryder Cup",
               "Davis Cup", "Marshall Scholarship", "Gates Millennium Scholarship", "Lasker Award", "Booker Prize",
               "Magnitsky Act", "Taft-Hartley Act", "Glass-Steagall Act", "Higgs boson", "Hubble Space Telescope"]
DISEASES = ["Parkinson's disease", "Alzheimer's disease", "Crohn's disease", "Hodgkin lymphoma", "Down syndrome",
            "Tourette syndrome", "Huntington's disease", "Bell's palsy", "Graves' disease", "Hashimoto's thyroiditis",
            "Raynaud's phenomenon", "Cushing's syndrome", "Addison's disease", "Guillain-Barré syndrome",
            "Ménière's disease", "Sjögren's syndrome", "Lyme disease", "Kawasaki disease"]
CHARITIES = ["Parkinson's Foundation", "Alzheimer's Association", "Crohn's & Colitis Foundation", "Huntington's Disease Society",
             "Lyme Disease Association", "National Down Syndrome Society", "Tourette Association", "Graves' Disease Foundation"]
EPONYM_METHODS = ["Kaplan-Meier", "Bonferroni correction", "Fisher's exact test", "Gaussian process", "Markov chain",
                  "Pearson correlation", "Student's t-test", "Wilcoxon signed-rank test", "Cox proportional hazards",
                  "Bayesian inference", "Levenshtein distance", "Dijkstra's algorithm", "Fourier transform",
                  "Monte Carlo simulation", "Tukey's HSD", "Mann-Whitney U test", "Kruskal-Wallis test",
                  "Newton-Raphson method", "Bland-Altman plot", "Cohen's kappa", "Hodrick-Prescott filter"]
BOOKS = ["Pride and Prejudice", "The Great Gatsby", "To Kill a Mockingbird", "The Old Man and the Sea",
         "Gone with the Wind", "The Grapes of Wrath", "Brave New World", "The Road", "Beloved", "Middlemarch",
         "One Hundred Years of Solitude", "The Remains of the Day", "Atonement", "Never Let Me Go", "The Kite Runner",
         "Where the Crawdads Sing", "Educated", "Sapiens", "The Goldfinch", "Little Fires Everywhere"]
FILMS = ["Casablanca", "The Godfather", "Chinatown", "Parasite", "Spirited Away", "Moonlight", "Arrival", "Inception",
         "Jaws", "Heat", "The Departed", "Lost in Translation", "No Country for Old Men", "Titanic"]
GOODS = ["Ford Mustang", "Dyson V15", "Tesla Model 3", "Gillette Fusion", "Dr. Martens boots", "Levi's 501",
         "Wilson Pro Staff", "Mercedes-Benz GLC", "Porsche Cayenne", "Honda Civic", "Chevrolet Silverado",
         "Herman Miller Aeron", "KitchenAid mixer", "Dewalt drill", "Maytag washer", "Hamilton Beach blender"]
PRODUCTS = ["Ford Mustang", "Dyson V15", "Tesla Model 3", "Gillette Fusion", "Heinz ketchup", "Dr. Martens boots",
            "Levi's 501", "Wilson Pro Staff", "Boeing 737 MAX", "Mercedes-Benz GLC", "Porsche Cayenne",
            "Ferrari Roma", "McLaren Artura", "Cadbury Dairy Milk", "Jack Daniel's Old No. 7", "Honda Civic",
            "Lamborghini Urus", "Chevrolet Silverado", "Dodge Ram", "Hyatt Regency", "Ritz-Carlton", "Hilton Garden Inn",
            "Marriott Courtyard", "Oreo", "Graham crackers", "Earl Grey tea", "Caesar salad", "Eggs Benedict",
            "Beef Wellington", "Margherita pizza", "Baby Ruth", "Mrs. Fields cookies", "Uncle Ben's rice"]
BUILDINGS = ["Chrysler Building", "Rockefeller Center", "Carnegie Hall", "Wrigley Field", "Kennedy Center",
             "Lincoln Memorial", "Smithsonian", "Jefferson Memorial", "Hoover Dam", "Fenway Park",
             "Madison Square Garden", "Royal Albert Hall", "Eiffel Tower", "Franklin Institute", "Getty Center",
             "Walker Art Center", "Guggenheim Museum", "Frick Collection"]
BOT_HANDLES = ["@devops-bot", "@dependabot", "@github-actions", "@channel", "@here", "@oncall-sre", "@release-bot",
               "@renovate", "@codecov", "@jira-bot", "@everyone", "@platform-team", "@security-team", "@sre-oncall",
               "@pagerduty", "@standup-bot"]
JOB_TITLES = ["the Chief Executive Officer", "our Data Protection Officer", "the Registrar", "the Head of People",
              "the General Counsel", "the Hiring Manager", "the Site Supervisor", "the Charge Nurse",
              "the Compliance Officer", "the Principal", "the Store Manager", "the Dean of Students", "the Treasurer",
              "the Account Executive", "the on-call engineer", "the Facilities Coordinator"]
PLACEHOLDERS = ["[Candidate Name]", "{{first_name}}", "{{ customer.full_name }}", "<NAME>", "[Your Name]",
                "FIRSTNAME LASTNAME", "%RECIPIENT_NAME%", "$employee_name", "[Employee Name]", "{name}",
                "${user.displayName}", "[[Name]]", "(name)", "____________________"]
FIRM_WORDS = ["Group", "Partners", "Holdings", "Labs", "Systems", "Logistics", "Analytics", "Health", "Capital",
              "Foods", "Software", "Realty", "Engineering", "Biotech", "Insurance", "Media", "Solutions"]
FIRM_HEADS = ["Northwind", "Brightlane", "Cobalt Ridge", "Harbor & Pine", "Meridian", "Tallgrass", "Quayside",
              "Blue Heron", "Ironbark", "Larkspur", "Vantage Point", "Silverleaf", "Oakmont", "Redwood Bay", "Copperline",
              "Granite Peak", "Clearwater", "Summit Trail", "Lumen", "Foxglove", "Bramble", "Kestrel", "Juniper",
              "Saltmarsh", "Evergreen", "Bluebird", "Westbrook", "Hollow Creek", "Sable", "Tidewater", "Aster", "Quill"]


def company():
    return f"{ch(FIRM_HEADS)} {ch(FIRM_WORDS)}" + ch(["", "", " Inc", " LLC", " Ltd"])


def domain_of(co):
    w = [re.sub(r"[^a-z]", "", x) for x in co.lower().split(" ")]
    w = [x for x in w if x and x not in ("inc", "llc", "ltd", "co")]
    base = w[0] if (len(w) == 1 or maybe(0.5)) else w[0] + ch(["", "-"]) + w[1]
    return base + ch([".com", ".io", ".co", ".net", ".com", ".co.uk"])


def fk_company():
    """Faker-style company made of surnames ("Henderson, Jackson and Williams") - a hard negative."""
    return NEG(FK["en_US"].company())


def us_address(one_line=True):
    st = f"{rint(10, 9899)} {ch(STREETS)}"
    if maybe(0.3):
        st += ch([f", Apt {rint(1, 40)}{ch('ABCD')}", f", Suite {rint(100, 990)}", f" #{rint(2, 30)}"])
    city = ch(CITIES)
    c0, c1 = city.split(", ")
    city = f"{c0}, {ST_ABBR.get(c1, c1)}"
    z = f"{rint(10000, 99899)}"
    return NEG(f"{st}, {city} {z}" if one_line else f"{st}\n{city} {z}")


def order_no():
    return ch([f"#{rint(100000, 9999999)}", f"PO-{rint(2021, 2025)}-{digits(5)}", f"ORD-{digits(8)}",
               f"INV-{digits(6)}", f"{ch('ABCDEFGHJK')}{ch('ABCDEFGHJK')}{digits(7)}", f"SO{digits(10)}"])


def tracking_no():
    return ch([f"1Z{hexs(6).upper()}{digits(10)}", f"9400 1{digits(3)} {digits(4)} {digits(4)} {digits(4)} {digits(2)}",
               f"{digits(12)}", f"JD{digits(16)}", f"SF{digits(12)}"])


def amount(a=20, b=5000):
    return f"{R.uniform(a, b):,.2f}"


# ---------------------------------------------------------------------------------------------
# templates
# ---------------------------------------------------------------------------------------------
TEMPLATES = []


def tpl(name, n, lang):
    def deco(fn):
        TEMPLATES.append((name, n, lang, fn))
        return fn
    return deco


POSTNOM = ["PhD", "MD", "RN", "Esq.", "CPA", "MBA", "PE", "FACS", "DDS", "MSc", "JD", "PMP", "SHRM-CP"]
JOBS = ["Senior Account Manager", "Operations Lead", "Director of Finance", "Paralegal", "Product Manager",
        "Procurement Specialist", "Engineering Manager", "HR Business Partner", "Office Manager", "Project Coordinator",
        "Staff Software Engineer", "Regional Sales Director", "Controller", "Customer Success Manager",
        "Clinical Research Coordinator", "Supply Chain Analyst", "Marketing Director", "Associate Attorney",
        "Talent Acquisition Partner", "VP, Business Development", "Facilities Manager", "Data Scientist"]


def signature(p, co=None, email=None, phone=True, post=None, job=None):
    co = co or company()
    lines = [N(p.full()) + (f", {post}" if post else "")]
    lines.append(f"{job or ch(JOBS)}" + ch([f" | {co}", f", {co}", f"\n{co}"]))
    if phone:
        lines.append(ch(["", "T: ", "Direct: ", "Mobile: ", "p. "]) + intl_phone())
    if email:
        lines.append(L(email, "EMAIL"))
    return "\n".join(lines)


def mail_date(d=None):
    d = d or dt(2021, 2025)
    return f"{WDAY[d.weekday()][:3]}, {d.day} {MON3[d.month - 1]} {d.year} {rint(7, 20):02d}:{rint(0, 59):02d}:{rint(0, 59):02d} {ch(['-0500', '-0400', '+0000', '+0100', '-0700', '+0800'])}"


def quote(block):
    return "\n".join(("> " + ln) if ln else ">" for ln in block.split("\n"))


def greeting(p, formal=False):
    if formal:
        return ch([f"Dear {p.title()} {N(p.sur())},", f"Dear {N(p.full(middle=False))},"])
    return ch([f"Hi {N(p.first())},", f"Hello {N(p.first())},", f"{N(p.first())},", f"Hey {N(p.first())} -", f"Good morning {N(p.first())},"])


def signoff(p, short=True):
    nm = N(p.first()) if short else N(p.full(middle=False))
    return ch(["Thanks,", "Best,", "Cheers,", "Regards,", "Best regards,", "Thank you,", "Many thanks,"]) + "\n" + nm


def email_body(a, b, c):
    """A short body written by `a` to `b` mentioning third person `c`."""
    neg = ch([NEG(ch(SURNAME_COS)) + " account", "the " + NEG(ch(HOSPITALS)) + " contract", "the " + NEG(ch(STREETS)) + " site",
              "the " + NEG(ch(GOODS)) + " order", "our " + NEG(ch(CITIES).split(",")[0]) + " office"])
    return ch([
        f"Following up on {neg}: {N(c.full(middle=False))} confirmed the revised figures this morning, so we can send the SOW to legal today. Can you take a last look before 3pm?",
        f"Quick update on {neg}. I spoke with {c.title()} {N(c.sur())} and {c.pron()[0]} is fine with moving the kickoff to {ch(WDAY[:5])}. I've put a hold on everyone's calendar.",
        f"Attached is the signed agreement for {neg}. {N(c.first())} from procurement still needs a W-9 (EIN {ein()}) before they can release the first payment.",
        f"Thanks for the call yesterday. As discussed, {N(c.full())} will take over {neg} while I'm on leave. Please copy {c.pron()[1]} on anything urgent.",
        f"Sorry for the delay - I was out sick. The numbers for {neg} look right to me, but {N(c.first())} flagged a discrepancy on line 14 (order {order_no()}). Could you double-check?",
        f"Looping in {N(c.full(middle=False))} ({L(c.email(), 'EMAIL')}), who handles {neg} on our side. {N(c.first())}, see the thread below.",
    ])


@tpl("t_email_thread", 9, "en")
def t_email_thread():
    a, b, c = people(3)
    co_a, co_b = company(), company()
    dom_a, dom_b = domain_of(co_a), domain_of(co_b)
    ea, eb = a.email(dom_a), b.email(dom_b)
    d = dt(2021, 2025)
    subj = ch(["Q3 renewal", "Kickoff next week", "Invoice 4471 question", "Updated SOW", "Site visit", "Contract redlines",
               "Intro", "Onboarding checklist", "Follow-up from today's call"])
    first = f"{greeting(a)}\n\n{email_body(b, a, c)}\n\n{signoff(b)}"
    if maybe(0.6):
        first += "\n\n" + signature(b, co_b, eb if maybe(0.4) else None)
    reply = f"{greeting(b)}\n\n" + ch([
        f"Works for me. I'll ask {N(c.first())} to send the deck over before then.",
        "Thanks - reviewed and approved on our side. One small change: please make the invoice out to the parent entity.",
        f"Got it. Just to confirm, is {N(c.full(middle=False))} still the point of contact after the 15th?",
        "Looks good. Let's lock it in. I'll send a calendar invite shortly.",
        f"I'll check with {c.title()} {N(c.sur())} and get back to you by end of day.",
    ]) + f"\n\n{signoff(a)}"
    if maybe(0.7):
        reply += "\n\n" + signature(a, co_a, ea if maybe(0.3) else None, post=ch(POSTNOM) if maybe(0.15) else None)
    if maybe(0.2):
        reply += "\n\nSent from my iPhone"
    d0 = d - datetime.timedelta(days=rint(0, 3))
    if maybe(0.55):
        qh = f"On {WDAY[d0.weekday()][:3]}, {MON3[d0.month - 1]} {d0.day}, {d0.year} at {hm(True)} {N(b.full(middle=False))} <{L(eb, 'EMAIL')}> wrote:"
    else:
        qh = (f"-----Original Message-----\nFrom: {N(b.inv(middle=False))} <{L(eb, 'EMAIL')}>\nSent: {WDAY[d0.weekday()]}, {MONTHS[d0.month - 1]} {d0.day}, {d0.year} {hm(True)}\n"
              f"To: {N(a.inv(middle=False))} <{L(ea, 'EMAIL')}>\nSubject: {subj}")
    hdr = f"From: {N(a.full(middle=False))} <{L(ea, 'EMAIL')}>\nTo: {N(b.full(middle=False))} <{L(eb, 'EMAIL')}>\n"
    if maybe(0.4):
        hdr += f"Cc: {N(c.full(middle=False))} <{L(c.email(dom_b), 'EMAIL')}>\n"
    hdr += f"Date: {mail_date(d)}\nSubject: Re: {subj}\n"
    body = f"{hdr}\n{reply}\n\n{qh}\n{quote(first)}"
    if maybe(0.3):
        body += "\n\n" + ch(["CONFIDENTIALITY NOTICE: This e-mail and any attachments are for the exclusive and confidential use of the intended recipient.",
                            "This message may contain privileged information. If you received it in error, please notify the sender and delete it."])
    return body


@tpl("t_email_forward", 8, "en")
def t_email_forward():
    a, b, c, d_, e = people(5)
    co = company()
    dom = domain_of(co)
    c_mail = c.email(dom)
    d = dt(2021, 2025)
    inner_to = [c, d_] if maybe(0.5) else [c]
    fwd = ch(["---------- Forwarded message ---------", "Begin forwarded message:", "-------- Original Message --------"])
    to_line = ", ".join(f"{N(x.full(middle=False))} <{L(c_mail if x is c else x.email(dom), 'EMAIL')}>" for x in inner_to)
    subj, body = ch([
        ("Reference check", f"I'm writing on behalf of {N(a.full())}, who interned with us last summer. {a.pron()[0].capitalize()} asked me to send the reference directly. Happy to talk by phone at {us_phone()}."),
        ("Lease renewal", f"The lease for unit 4B on {NEG(ch(STREETS))} is up on {fdate(dt(2024, 2026), 'long')}. Please let me know by the 1st whether you plan to renew. {N(a.first())} in our office can walk you through the new terms."),
        ("Booth assignment", f"Your booth is #{rint(100, 480)} in Hall C. Load-in starts at 7am; please bring photo ID. {N(a.full(middle=False))} is the floor manager on the day."),
        ("Volunteer schedule", f"Attached is the schedule for the {NEG(ch(CHARITIES))} walk on Saturday. Check-in is at the {NEG(ch(BUILDINGS))} entrance; {N(a.first())} will have the T-shirts."),
    ])
    inner = (f"{fwd}\nFrom: {N(b.full(middle=False))} <{L(b.email(), 'EMAIL')}>\nDate: {WDAY[d.weekday()][:3]}, {MON3[d.month - 1]} {d.day}, {d.year} at {hm(True)}\n"
             f"Subject: {subj}\nTo: {to_line}\n\n")
    inner += f"{greeting(c)}\n\n{body}\n\n{signoff(b, short=maybe())}"
    top = (f"{N(e.first())} - " if maybe(0.5) else "") + ch(["FYI, see below.", "Forwarding for visibility.", "Can you handle this one?", "See below - please advise.", "Thoughts?"])
    hdr = f"From: {N(c.full(middle=False))} <{L(c_mail, 'EMAIL')}>\nTo: {N(e.full(middle=False))} <{L(e.email(dom), 'EMAIL')}>\nSubject: Fwd: {subj}\n" if maybe(0.5) else ""
    return f"{hdr}{'' if not hdr else chr(10)}{top}\n\n{N(c.first())}\n\n{inner}"


def slack_time():
    return hm(True)


@tpl("t_slack_export", 8, "en")
def t_slack_export():
    ps = people(rint(3, 5))
    outs = people(3)
    ch_name = ch(["#eng-platform", "#customer-escalations", "#sales-emea", "#design-crit", "#incident-4172", "#hiring-backend", "#ops"])
    lines = [f"{ch_name} — exported {fdate(dt(2023, 2025), 'iso')}", ""]
    style = ch(["bracket", "plain"])
    bot = ch(BOT_HANDLES[:3] + BOT_HANDLES[6:])
    msgs = [
        lambda a, b, c: f"@{N(b.full(middle=False))} can you take a look at the failing deploy? {NEG(bot)} says build {version()} is red",
        lambda a, b, c: f"heads up: {N(c.first())} is OOO until Monday, ping me instead",
        lambda a, b, c: f"thanks @{N(b.first())}! :pray:",
        lambda a, b, c: f"customer on the call was {N(c.full(middle=False))} from {NEG(ch(SURNAME_COS))}, they want the SSO fix before renewal",
        lambda a, b, c: f"{NEG('@here')} standup moved to 10:30, {N(c.first())} is presenting the Q3 numbers",
        lambda a, b, c: f"I think {N(b.first())} already fixed that in PR #{rint(1000, 9999)}",
        lambda a, b, c: f"lol yes. {N(c.first())}'s dog ate the whiteboard marker again",
        lambda a, b, c: f"who owns the {NEG(ch(['Kaplan-Meier', 'Levenshtein', 'Dijkstra']))} service now? was {N(c.full(middle=False))} but {c.pron()[0]} moved teams",
        lambda a, b, c: f"login failures spiking from {L(ip(), 'IP_ADDRESS')}, blocking for now",
        lambda a, b, c: f"+1 to what {N(b.first())} said",
        lambda a, b, c: f"can someone add {L(c.email(), 'EMAIL')} to the shared drive? {c.pron()[0]} starts tomorrow",
        lambda a, b, c: "ok merging",
    ]
    t0 = rint(8 * 60, 15 * 60)
    for mf in sample(msgs, rint(5, 9)):
        a, b = sample(ps, 2)
        c = ch(outs)
        m = mf(a, b, c)
        t0 += rint(0, 25)
        tm = f"{(t0 // 60 - 1) % 12 + 1}:{t0 % 60:02d} {'AM' if t0 < 720 else 'PM'}"
        if style == "bracket":
            lines.append(f"[{tm}] {N(a.full(middle=False))}: {m}")
        else:
            lines.append(f"{N(a.full(middle=False))}  {tm}\n{m}")
        if maybe(0.2):
            lines.append(ch([":+1: 3", ":eyes: 1", ":white_check_mark: 2", f"  ↳ {rint(2, 6)} replies"]))
    return "\n".join(lines)


@tpl("t_teams_chat", 6, "en")
def t_teams_chat():
    ps = people(rint(2, 4))
    lines = [ch(["Meeting chat", "Chat transcript", "Microsoft Teams – conversation export"])]
    if maybe(0.5):
        lines.append(f"Participants: " + "; ".join(N(p.inv(middle=False)) + (" (External)" if maybe(0.2) else "") for p in ps))
    lines.append("")
    d = dt(2023, 2025)
    t0 = rint(8 * 60, 16 * 60)
    for _ in range(rint(4, 8)):
        a, b = sample(ps, 2)
        t0 += rint(0, 6)
        nm = N(a.inv(middle=False)) + (ch([" (Contractor)", " (Guest)", ""]) if maybe(0.2) else "") if maybe(0.6) else N(a.full(middle=False))
        msg = ch([f"Is {N(b.first())} joining? I only see {rint(3, 9)} people in the lobby",
                  "Sharing my screen now",
                  f"{N(b.first())} you're on mute",
                  f"Can we add the {NEG(ch(DISEASES))} cohort data to the appendix?",
                  f"I'll send the recording to {N(b.full(middle=False))} afterwards",
                  "Dropping for another call, will catch up on the notes",
                  f"Agree with {N(b.first())}. Let's revisit after the {NEG(ch(SURNAME_COS))} audit",
                  f"Recording started by {N(a.full(middle=False))}",
                  "Link: https://contoso.sharepoint.com/sites/finance/Shared%20Documents/Q2-forecast.xlsx"])
        lines.append(f"{nm}  {d.month}/{d.day} {(t0 // 60 - 1) % 12 + 1}:{t0 % 60:02d} {'AM' if t0 < 720 else 'PM'}\n{msg}")
    return "\n".join(lines)


@tpl("t_discord_log", 6, "en")
def t_discord_log():
    ps = people(3)
    users = [p.handle() for p in ps]
    users = [u if maybe(0.5) else ch(["xX", "the_", "", "real"]) + u + ch(["", "_", "gg", str(rint(1, 99))]) for u in users]
    others = people(2)
    lines = [f"#{ch(['general', 'lfg', 'off-topic', 'book-club', 'help', 'mods-only'])}"]
    conv = [
        f"my {'brother' if others[0].gender == 'M' else 'sister'} {N(others[0].first())} is coming to the lan too if that's ok",
        f"has anyone read {NEG(ch(BOOKS))}? picking next month's book",
        f"watched {NEG(ch(FILMS))} again last night, still holds up",
        f"lol {NEG(ch(['@everyone', '@here']))} pizza is here",
        f"ok so {N(others[1].full(middle=False))} from the league office emailed about the bracket",
        "brb",
        "gg wp",
        f"the {NEG(ch(PRODUCTS))} giveaway ends friday",
        f"ask {N(others[0].first())}, {others[0].pron()[0]} runs the spreadsheet",
        "can a mod pin the rules pls",
        ch([f"{NEG('Hunter')} class is busted after the patch", f"{NEG('Young')} players need more ranked games imo",
            f"{NEG('Price')} check: is the 4070 worth it or wait", f"{NEG('Black')} Friday bundle is live", f"{NEG('King')} of the hill at 9?"]),
    ]
    day = ch(['Today', 'Yesterday', fdate(dt(2024, 2025), 'us')])
    t0 = rint(9 * 60, 20 * 60)
    for m in sample(conv, rint(5, 8)):
        u = ch(users)
        t0 += rint(1, 40)
        lines.append(f"{u} — {day} at {(t0 // 60 - 1) % 12 + 1}:{t0 % 60:02d} {'AM' if t0 < 720 else 'PM'}\n{m}")
    return "\n".join(lines)


@tpl("t_meeting_minutes", 8, "en")
def t_meeting_minutes():
    ps = people(rint(5, 8))
    chair, sec = ps[0], ps[1]
    body = ch(["Board of Directors", "Parent-Teacher Association", "Neighborhood Association", "Steering Committee",
               "Safety Committee", "Finance Committee", "Library Board of Trustees"])
    d = dt(2022, 2025)
    t_open = hm(True)
    out = [f"{body} – Minutes of Meeting", f"{fdate(d, 'long')}, {t_open}, {ch(['Conference Room B', 'Zoom', 'Community Hall', NEG(ch(BUILDINGS)) + ' annex'])}", ""]
    style = ch(["list", "inline", "table"])
    att = ps[:-1] if len(ps) > 5 else ps
    roles = {id(chair): "Chair", id(sec): "Secretary", id(ps[2]): "Treasurer"}
    if style == "list":
        out.append("Present:")
        for p in att:
            role = f" ({roles[id(p)]})" if id(p) in roles and maybe(0.8) else ""
            out.append(f"  - {N(p.full(middle=maybe(0.3)))}{role}")
    elif style == "inline":
        out.append("Attendees: " + ", ".join(N(p.full(middle=False)) for p in att) + ".")
    else:
        out.append("Name | Role | Present")
        for p in att:
            out.append(f"{N(p.full(middle=False))} | {roles.get(id(p), ch(['Member', 'Member', 'Observer']))} | {ch(['Y', 'Y', 'Y', 'remote'])}")
    if len(ps) > 5:
        out.append(f"Apologies: {N(ps[-1].full(middle=False))}")
    out.append(f"Chair: {chair.title()} {N(chair.sur())}   Minutes: {N(sec.full(middle=False))}")
    out.append("")
    a, b, c = sample(att, 3)
    items = [
        f"1. Call to order. {N(chair.sur())} opened the meeting at {t_open}; quorum confirmed.",
        f"2. Minutes of the previous meeting were approved (moved {N(a.sur())}, seconded {N(b.sur())}).",
        f"3. Treasurer's report: balance ${amount(2000, 90000)}; {N(c.first())} noted that the {NEG(ch(SURNAME_COS))} sponsorship has not been received.",
        f"4. {ch(['Playground repairs', 'Vendor selection', 'Holiday schedule', 'Snow removal contract', 'Roof bids'])}: {N(b.full(middle=False))} presented three quotes. {N(a.sur())} asked whether the lowest bid included disposal.",
        f"5. Action items:\n   - {N(a.first())} to circulate the revised budget by {fdate(d + datetime.timedelta(days=7), 'med')}\n   - {N(c.sur())} / {N(b.sur())}: follow up with the city about {NEG(ch(STREETS))}",
        f"6. Adjourned at {hm(True)}. Next meeting {fdate(d + datetime.timedelta(days=28), 'long')}.",
    ]
    out += items
    if maybe(0.5):
        out.append(f"\nRespectfully submitted,\n{N(sec.full())}, Secretary")
    return "\n".join(out)


@tpl("t_hr_offer", 6, "en")
def t_hr_offer():
    cand, mgr, hr = people(3)
    co = company()
    d = dt(2023, 2025)
    start = d + datetime.timedelta(days=rint(14, 45))
    addr = us_address(False)
    text = (f"{co}\n{fdate(d, 'long')}\n\n{cand.title()} {N(cand.full())}\n{addr}\n\n"
            f"Re: Offer of Employment\n\nDear {N(cand.first()) if maybe(0.5) else cand.title() + ' ' + N(cand.sur())},\n\n"
            f"We are delighted to offer you the position of {ch(JOBS)}, reporting to {N(mgr.full(middle=False))}, {ch(['Director of Engineering', 'VP of Sales', 'Head of Operations', 'Chief Financial Officer'])}. "
            f"Your start date will be {fdate(start, 'long')} and your annual base salary will be ${rint(58, 240)},000, paid bi-weekly.\n\n"
            f"This offer is contingent on a background check and proof of eligibility to work. Please bring your Social Security card "
            + (f"(SSN on file: {L(ssn(), 'US_SSN')})" if maybe(0.4) else f"(we have {masked_ssn()} on file)")
            + f" and complete Form I-9 on your first day.\n\n"
            f"Benefits begin on the first of the month following your start date. {N(hr.first())} in People Operations will contact you about enrollment.\n\n"
            f"Please sign and return this letter by {fdate(d + datetime.timedelta(days=7), 'long')}.\n\nSincerely,\n\n{N(hr.full())}\n{ch(['HR Business Partner', 'Talent Acquisition Lead', 'Director, People Operations'])}\n{L(hr.email(domain_of(co)), 'EMAIL')}\n\n"
            f"Accepted: ______________________  Date: __________\n            {N(cand.full())}")
    return text


@tpl("t_hr_termination", 6, "en")
def t_hr_termination():
    emp, mgr, hr, wit = people(4)
    co = company()
    d = dt(2022, 2025)
    text = (f"PRIVATE & CONFIDENTIAL\n\n{fdate(d, ch(['long', 'dlong']))}\n\n{N(emp.full())}\nEmployee ID: {rint(10000, 99999)}\n\n"
            f"Dear {emp.title()} {N(emp.sur())},\n\n"
            f"This letter confirms our discussion of {fdate(d, 'long')}, attended by you, {N(mgr.full(middle=False))} and {N(hr.full(middle=False))}. "
            f"{ch(['Your employment with ' + co + ' will end', 'Your position has been eliminated as part of a restructuring and your employment will end', 'Following the disciplinary hearing, your employment will terminate'])} "
            f"effective {fdate(d + datetime.timedelta(days=rint(0, 30)), 'long')}.\n\n"
            f"You will receive your final pay, including {rint(2, 19)} days of accrued vacation, by direct deposit to the account ending {digits(4)}. "
            f"Severance of ${rint(3, 40)},{digits(3)} will be paid once the release agreement is signed. Please return your laptop and badge to {ch(['the Facilities Coordinator', 'reception', N(wit.first()) + ' at reception'])}.\n\n"
            f"If you have questions about COBRA continuation, contact {N(hr.first())} at {L(hr.email(domain_of(co)), 'EMAIL')}.\n\n"
            f"Yours sincerely,\n\n{N(mgr.full())}\n{ch(JOBS)}\n\ncc: Personnel file; {N(hr.full(middle=False))}\nWitness: {N(wit.full(middle=False))}")
    return text


@tpl("t_reference_letter", 6, "en")
def t_reference_letter():
    cand, ref = people(2)
    cand_p = cand.pron()
    uni = NEG(ch(UNIS))
    dept, sem, topic = ch([("Chemistry", "organic synthesis", "reaction yields"), ("Economics", "econometrics", "county-level housing prices"),
                           ("Computer Science", "distributed systems", "sensor drift in edge devices"), ("Public Health", "epidemiology", "county-level mortality data"),
                           ("Civil Engineering", "hydrology", "flood risk after " + NEG(ch(STORMS)))])
    text = (f"{uni}\nDepartment of {dept}\n\n{fdate(dt(2023, 2025), 'long')}\n\n"
            f"To Whom It May Concern:\n\n"
            f"It is my pleasure to recommend {N(cand.full())} for {ch(['admission to your graduate program', 'the position of research assistant', 'the ' + NEG(ch(['Fulbright scholarship', 'Rhodes Scholarship', 'Marshall Scholarship', 'Gates Millennium Scholarship']))])}. "
            f"I have known {cand.title()} {N(cand.sur())} for {rint(2, 5)} years, first as a student in my seminar on {sem} and later as a research assistant in my lab.\n\n"
            f"{N(cand.first())} is one of the most {ch(['diligent', 'creative', 'careful', 'generous'])} students I have taught. {cand_p[2].capitalize()} senior thesis, which used a {NEG(ch(EPONYM_METHODS))} approach to study {topic}, was awarded departmental honors. "
            f"{ch(['When a co-author left the project', 'During a difficult semester'])}, {cand_p[0]} took on the data cleaning without being asked.\n\n"
            f"I recommend {cand_p[1]} without reservation. Please contact me at {L(ref.email(), 'EMAIL')} or {us_phone()} if I can be of further help.\n\n"
            f"Sincerely,\n\n{N(ref.full())}{', ' + ch(['PhD', 'Ph.D.', 'MD', 'MPH']) if maybe(0.6) else ''}\n{ch(['Associate Professor', 'Professor', 'Assistant Professor', 'Director of Undergraduate Studies'])}")
    return text



REPORTERS = ["F.3d", "F.4th", "F. Supp. 3d", "Cal. App. 5th", "N.E.3d", "S.W.3d", "P.3d", "A.3d", "N.W.2d", "So. 3d"]
COURTS = [("9th Cir.", "NINTH"), ("2d Cir.", "SECOND"), ("5th Cir.", "FIFTH"), ("7th Cir.", "SEVENTH"), ("D.C. Cir.", "DISTRICT OF COLUMBIA"),
          ("4th Cir.", "FOURTH"), ("11th Cir.", "ELEVENTH")]


STORES = ["Trader Joe's", "Walgreens", "Kohl's", "Lowe's", "Macy's", "Dillard's", "Wendy's", "McDonald's"]


STATE_REPORTER_COURTS = {"Cal. App. 5th": ["Cal. Ct. App."], "N.E.3d": ["Mass.", "Ill. App. Ct.", "Ohio", "N.Y."], "S.W.3d": ["Tex. App.", "Ky.", "Mo. Ct. App."],
                         "P.3d": ["Colo.", "Wash.", "Utah", "Or."], "A.3d": ["Pa. Super. Ct.", "N.J.", "Md."], "N.W.2d": ["Minn.", "Wis.", "Iowa"],
                         "So. 3d": ["Fla. Dist. Ct. App.", "La. Ct. App.", "Ala."]}


def case_cite(p1, p2=None):
    """A case citation with individual parties p1 (and p2 or an organisation)."""
    other = N(p2.sur()) if p2 else NEG(ch([company(), ch(SURNAME_COS), "United States", "City of " + ch(["Jackson", "Houston", "Madison", "Lincoln", "Columbus"]),
                                             "Commissioner", "State Farm Mut. Auto. Ins. Co."]))
    rep = ch(REPORTERS)
    c = ch(COURTS)[0] if rep[:2] == "F." else ch(STATE_REPORTER_COURTS[rep])
    if rep.startswith("F. Supp"):
        c = ch(["S.D.N.Y.", "N.D. Cal.", "D. Mass.", "N.D. Ill.", "E.D. Pa."])
    first = rint(1, 1400)
    yr = rint(2021, 2024) if "4th" in rep else rint(1996, 2021)
    return f"{N(p1.sur())} v. {other}, {rint(1, 99) if '4th' in rep else rint(100, 999)} {rep} {first}, {first + rint(1, 30)} ({c} {yr})"


@tpl("t_court_opinion", 8, "en")
def t_court_opinion():
    pl, df, j1, j2, j3, dj, w = people(7)
    co = company()
    cc, circ = ch(COURTS)
    d = dt(2021, 2025)
    ind_def = maybe(0.5)
    cap = (f"UNITED STATES COURT OF APPEALS\nFOR THE {circ} CIRCUIT\n\n"
           f"{N(pl.caps())},\n        Plaintiff-Appellant,\n\n    v.\n\n{co.upper()}" + (f"; {N(df.caps())}" if ind_def else "") +
           f",\n        Defendant{'s' if ind_def else ''}-Appellee{'s' if ind_def else ''}.\n\nNo. {rint(19, 24)}-{rint(10000, 99999)}\nD.C. No. {rint(1, 5)}:{rint(18, 23)}-cv-{digits(5)}\n\nOPINION\n\n"
           f"Appeal from the United States District Court\n{N(dj.full())}, District Judge, Presiding\n\nArgued and Submitted {fdate(d, 'long')}\n\n"
           f"Before: {N(j1.sur().upper())}, {N(j2.sur().upper())}, and {N(j3.sur().upper())}, Circuit Judges.\n\nOpinion by Judge {N(j2.sur())}\n\n")
    pp = pl.pron()
    body = (f"{N(j2.sur().upper())}, Circuit Judge:\n\n"
            f"{N(pl.full())} appeals the district court's grant of summary judgment to {co}" + (f" and {N(df.full(middle=False))}" if ind_def else "") +
            f" on {pp[2]} claims of retaliation. {N(pl.sur())} worked as a {ch(['dispatcher', 'warehouse supervisor', 'claims adjuster', 'line cook'])} from {rint(2012, 2018)} until {rint(2019, 2021)}. "
            + (f"{N(df.sur())}, {pp[2]} supervisor, " if ind_def else "Her supervisor " if pl.gender == 'F' else "His supervisor ")
            + f"issued two written warnings shortly after {N(pl.sur())} complained to human resources. Applying the {NEG('McDonnell Douglas')} burden-shifting framework, "
            f"the district court held that {N(pl.sur())} had not shown pretext. We have jurisdiction under 28 U.S.C. § 1291, and we reverse.\n\n"
            f"A plaintiff may show pretext \"either directly by persuading the court that a discriminatory reason more likely motivated the employer or indirectly by showing that the employer's proffered explanation is unworthy of credence.\" "
            f"{case_cite(*people(2))}. In {case_cite(person())}, the court held that temporal proximity alone can suffice. "
            f"Here, the testimony of co-worker {N(w.full(middle=False))} that {N(df.sur()) if ind_def else 'the supervisor'} said {pp[0]} \"needed to go\" creates a genuine dispute of material fact. "
            f"See also {N(person().sur())} v. {NEG(ch(SURNAME_COS))}, {rint(100, 999)} F.3d {rint(1, 999)} ({cc} {rint(2000, 2020)}).\n\nREVERSED and REMANDED.")
    if maybe(0.4):
        body += f"\n\n{N(j3.sur().upper())}, Circuit Judge, dissenting:\n\nI would affirm. {N(w.sur())}'s account is uncorroborated hearsay."
    return cap + body


@tpl("t_state_court_filing", 7, "en")
def t_state_court_filing():
    pl, df, att, att2 = people(4)
    firm = NEG(ch(LAW_FIRMS) + ch([" LLP", "", " LLP"]))
    st, county = ch([("NEW YORK", "KINGS"), ("NEW YORK", "QUEENS"), ("CALIFORNIA", "LOS ANGELES"), ("ILLINOIS", "COOK"), ("TEXAS", "HARRIS"),
                     ("WASHINGTON", "KING"), ("OREGON", "WASHINGTON"), ("MISSOURI", "JACKSON"), ("OHIO", "FRANKLIN"), ("INDIANA", "MARION"),
                     ("CALIFORNIA", "SANTA CLARA"), ("TEXAS", "TRAVIS")])
    kind = ch(["marriage", "civil", "probate"])
    fdom = slug(firm.strip("\x04\x05").split(" ")[0].rstrip(",")) + ch([".com", "law.com", ".law"])
    head = f"{N(att.full())} (SBN {rint(100000, 349999)})\n{L(att.email(fdom), 'EMAIL')}\n{firm}\n{us_address(False)}\nTelephone: {us_phone()}\nAttorney for {'Plaintiff' if kind == 'civil' else 'Petitioner'} {N(pl.caps())}\n\n"
    if st in ("CALIFORNIA", "WASHINGTON"):
        court = f"SUPERIOR COURT OF THE STATE OF {st}\nCOUNTY OF {NEG(county)}\n\n"
    elif st == "NEW YORK":
        court = f"SUPREME COURT OF THE STATE OF NEW YORK\nCOUNTY OF {NEG(county)}\n\n"
    elif st == "TEXAS":
        court = f"IN THE DISTRICT COURT OF {NEG(county)} COUNTY, TEXAS\n{rint(11, 400)}TH JUDICIAL DISTRICT\n\n"
    else:
        court = f"IN THE CIRCUIT COURT OF {NEG(county)} COUNTY, {st}\n\n"
    if kind == "marriage":
        cap = f"In re the Marriage of\n{N(pl.caps())},\n        Petitioner,\nand\n{N(df.caps())},\n        Respondent.\n\nCase No. {ch(['FL', 'D', 'DR'])}{digits(6)}\n\nDECLARATION OF {N(pl.caps())} IN SUPPORT OF REQUEST FOR ORDER\n\n"
        body = (f"I, {N(pl.full())}, declare:\n\n1. I am the Petitioner in this action. {N(df.full(middle=False))} and I were married on {fdate(dt(2005, 2018), 'long')} and separated on {fdate(dt(2019, 2023), 'long')}.\n"
                f"2. Our children attend {NEG(ch(['Lincoln Elementary', 'Washington Middle School', 'Jefferson High School', 'Roosevelt Academy']))}. Since the separation, Respondent has exercised visitation on alternate weekends.\n"
                f"3. Respondent's attorney, {N(att2.full(middle=False))}, has not responded to my counsel's letter of {fdate(dt(2023, 2025), 'long')}.\n\n"
                f"I declare under penalty of perjury under the laws of the State of {st.title()} that the foregoing is true and correct.\n\nDated: {fdate(dt(2023, 2025), 'us')}\n\n______________________\n{N(pl.full())}")
    else:
        co = company()
        dec = kind == "probate"
        cap = (f"{'In the Matter of the Estate of' if dec else ''}\n{N(pl.caps()) if not dec else N(df.caps())}{',' if not dec else ', Deceased.'}\n"
               + ("" if dec else f"        Plaintiff,\n    v.\n{NEG(co.upper())}, a Delaware corporation; and DOES 1 through 20,\n        Defendants.\n")
               + f"\nCase No. {rint(20, 25)}{ch(['CV', 'PR', 'L'])}{digits(6)}\n\n")
        if dec:
            body = (f"PETITION FOR LETTERS OF ADMINISTRATION\n\nPetitioner {N(pl.full())} alleges:\n\n1. Decedent {N(df.full())} died on {fdate(dt(2022, 2025), 'long')} at {NEG(ch(HOSPITALS))}, a resident of {NEG(ch(CITIES))}.\n"
                    f"2. Decedent was born on {L(fdate(dob_date(1930, 1960), ch(['long', 'us'])), 'DATE_OF_BIRTH')}. Decedent's Social Security number was {L(ssn(), 'US_SSN')}.\n"
                    f"3. Petitioner is the decedent's {ch(['daughter', 'son', 'spouse', 'nephew'])} and is entitled to priority for appointment.\n\nRespectfully submitted,\n{N(att.full())}, Attorney for Petitioner")
        else:
            body = (f"COMPLAINT FOR DAMAGES\n\nPlaintiff {N(pl.full())} (\"{N(pl.sur())}\") alleges as follows:\n\n"
                    f"1. Plaintiff is an individual residing in {NEG(ch(CITIES))}.\n2. Defendant {NEG(co)} operates a distribution center on {NEG(ch(STREETS))}.\n"
                    f"3. On {fdate(dt(2021, 2022), 'long')}, {N(pl.sur())} was injured when a forklift operated by Defendant's employee, {N(df.full(middle=False))}, struck {pl.pron()[1]}.\n"
                    f"4. {N(pl.sur())} was treated at {NEG(ch(HOSPITALS))} and has been diagnosed with a traumatic brain injury.\n\nDated: {fdate(dt(2023, 2025), 'long')}\n\n{firm}\nBy: /s/ {N(att.full(middle=False))}")
    return head + court + cap + body


@tpl("t_police_blotter", 8, "en")
def t_police_blotter():
    out = [ch(["POLICE BLOTTER", "Police log", f"{NEG(ch(CITIES).split(',')[0])} Police Department — Daily Activity Log", "Sheriff's Office arrest report"])]
    style = ch(["narr", "narr", "booking"])
    d = dt(2023, 2025)
    if style == "booking":
        out.append(f"Bookings for {fdate(d, 'us')}\nNAME | DOB | AGE | BOOKED | CHARGE | ARRESTING OFFICER")
        for p in people(rint(4, 7)):
            b = dob_date(1960, 2004)
            off = person()
            out.append(f"{N(p.inv(middle=True).upper())} | {L(fdate(b, 'us'), 'DATE_OF_BIRTH')} | {d.year - b.year} | {fdate(d, 'us1')} {rint(0, 23):02d}:{rint(0, 59):02d} | "
                       f"{ch(['DUI', 'POSS CONTROLLED SUBST', 'THEFT <$500', 'DISORDERLY CONDUCT', 'FTA WARRANT', 'ASSAULT 4', 'DWLS 3RD'])} | {N(off.sur().upper())} #{rint(100, 999)}")
        return "\n".join(out)
    t0 = rint(0, 600)
    for _ in range(rint(3, 5)):
        p, o, v = people(3)
        t0 += rint(30, 400)
        if t0 >= 1440:
            t0 -= 1440
            d = d + datetime.timedelta(days=1)
        hh, mm = divmod(t0, 60)
        t = f"{MON3[d.month - 1]}. {d.day}, {(hh - 1) % 12 + 1}:{mm:02d} {'a.m.' if hh < 12 else 'p.m.'}"
        blk = f"{rint(1, 49)}00 block of {NEG(ch(STREETS))}"
        ent = ch([
            f"{t} — Officers responded to a report of a disturbance in the {blk}. {N(p.with_nick() if p.nick else p.full())}, {rint(19, 67)}, of {NEG(ch(CITIES).split(',')[0])}, was arrested on a charge of {ch(['disorderly conduct', 'criminal mischief', 'resisting arrest'])}.",
            f"{t} — A resident of the {blk} reported that someone had taken a {NEG(ch(GOODS))} from an unlocked garage. No suspects.",
            f"{t} — {ch(['Officer', 'Sgt.', 'Deputy', 'Det.'])} {N(o.full(middle=False))} stopped a vehicle for speeding on {NEG(ch(STREETS))}. The driver, {N(p.full(middle=False))}, {rint(18, 70)}, was cited for driving with a suspended license.",
            f"{t} — {N(v.full(middle=False))} reported that {v.pron()[2]} wallet was stolen at the {NEG(ch(STORES))} parking lot. Loss estimated at ${rint(40, 900)}.",
            f"{t} — Welfare check in the {blk}. Caller said a neighbor, {N(p.full(middle=False))}, had not been seen for days. {p.pron()[0].capitalize()} was found safe.",
            f"{t} — {N(p.full())}, {rint(20, 60)}, was charged with assault after a fight outside a bar. {ch(['Officer', 'Sgt.'])} {N(o.sur())} said the victim, {N(v.full(middle=False))}, was treated at the scene.",
            f"{t} — Loose dog reported near {NEG(ch(BUILDINGS))}. Animal control returned \"{NEG(ch(['Max', 'Bella', 'Duke', 'Daisy', 'Rocky', 'Luna']))}\" to the owner.",
        ])
        out.append(ent)
    return "\n\n".join(out)


@tpl("t_obituary", 8, "en")
def t_obituary():
    dec = person(origin=wch([("anglo", 6), ("hispanic", 1), ("euro", 1), ("african", 1), ("viet", 0.5), ("korean", 0.5), ("arab", 0.5), ("indian", 0.5)]))
    og = dec.origin
    if og == "anglo" and not dec.nick and maybe(0.6):
        dec.nick = NICKS.get(dec.given) or ch(["Buddy", "Skip", "Sonny", "Chip"] if dec.gender == "M" else ["Dee", "Bunny", "Birdie", "Sissy"])
    sp = person(origin=og if maybe(0.7) else "anglo", gender="F" if dec.gender == "M" else "M")
    fa_, mo_ = person(origin=og, gender="M"), person(origin=og, gender="F")
    c1, c2, sib = people(3, origin=og)
    c2sp, pastor = people(2)
    born = dob_date(1925, 1960)
    died = dt(2022, 2025)
    dp = dec.pron()
    nm = dec.with_nick() if dec.nick else dec.full()
    church_s, off_t = ch([("St. Mary's Catholic Church", "Father"), ("First Baptist Church", "Pastor"), ("St. Paul's Lutheran Church", "Pastor"),
                          ("Grace Methodist Church", "Rev."), ("Holy Trinity Episcopal Church", "the Rev."), ("St. Joseph's Parish", "Father")])
    church = NEG(church_s)
    maiden, maiden2 = people(2, origin=og)
    born_s = ch([f"was born on {L(fdate(born, 'long'), 'DATE_OF_BIRTH')}", f"was born {L(fdate(born, 'long'), 'DATE_OF_BIRTH')}"])
    txt = (f"{N(nm)}\n{ch([str(born.year) + ' – ' + str(died.year), fdate(born, 'med') + ' - ' + fdate(died, 'med')]) if maybe(0.7) else ''}\n\n"
           f"{N(dec.full(middle=False))}, {died.year - born.year - (1 if (died.month, died.day) < (born.month, born.day) else 0)}, of {NEG(ch(CITIES))}, passed away peacefully on {fdate(died, 'long')}, surrounded by {dp[2]} family. "
           f"{dp[0].capitalize()} {born_s} in {NEG(ch(CITIES).split(',')[0])} to {N(fa_.first())} and {N(mo_.first())} ({N(maiden.sur())}) {N(dec.sur())}.\n\n")
    txt = txt.replace("\n\n\n", "\n\n")
    if dec.nick:
        txt += f"Known to everyone as \"{N(dec.nick)}\", {dp[0]} never missed a Sunday dinner. "
    if dec.gender == "F":
        txt += f"{N(dec.first())} married {N(sp.full(middle=False))} in {rint(born.year + 18, born.year + 30)}"
    else:
        txt += f"{N(dec.first())} married {N(sp.first())} (née {N(maiden2.sur())}) in {rint(born.year + 18, born.year + 30)}"
    txt += (f". {dp[0].capitalize()} worked for {rint(20, 40)} years at {NEG(ch(SURNAME_COS))} and later volunteered with the {NEG(ch(CHARITIES))}. "
            f"{dp[0].capitalize()} loved {ch(['fishing on Lake Travis', 'the Chicago Cubs', 'gardening, especially roses', 'crossword puzzles', NEG(ch(BOOKS)) + ', which ' + dp[0] + ' reread every summer'])}.\n\n"
            f"{dp[0].capitalize()} is survived by {dp[2]} children, {N(c1.first() + ' ' + dec.sur())} ({N(c2sp.first())}) and {N(c2.full(middle=False))}; "
            f"{rint(2, 9)} grandchildren; and {dp[2]} {'brother' if sib.gender == 'M' else 'sister'}, {N(sib.first())}. {dp[0].capitalize()} was preceded in death by {dp[2]} {'wife' if dec.gender == 'M' else 'husband'}"
            f"{', ' + N(sp.first()) if dec.gender == 'M' else ''}.\n\n"
            f"A funeral service will be held at {ch(['10 a.m.', '11 a.m.', '2 p.m.'])} {WDAY[rint(0, 5)]} at {church}, {us_address()}, with {off_t} {N(pastor.full(middle=False))} officiating. "
            f"In lieu of flowers, donations may be made to {NEG(ch(HOSPITALS))}.")
    return txt


@tpl("t_wedding", 6, "en")
def t_wedding():
    a = person(gender="F")
    b = person(gender=ch("MMF"))
    fa, fb = people(2, origin="anglo", gender="M")
    mo, off = person(origin="anglo", gender="F"), person(origin="anglo")
    a_full, b_full = a.full(), b.full()
    met = ch(["a friend's " + NEG("Super Bowl") + " party", "a " + NEG("Habitat for Humanity") + " build",
              "a " + NEG(ch(["Pulitzer Prize", "Fulbright"])) + " alumni event", "a hiking club"])
    venue = NEG(ch(["the Ritz-Carlton", "Rockefeller Center's Rainbow Room", "St. Patrick's Cathedral", "the Frick Collection", "Carnegie Hall's Zankel lobby",
                    "the Biltmore Estate", "Lake Travis Chapel"]))
    txt = (f"{N(a_full)} and {N(b_full)} were married {ch(['Saturday', 'Sunday', 'on ' + fdate(dt(2023, 2025), 'long')])} at {venue}. "
           f"{ch(['The Rev.', 'Judge', 'Rabbi'])} {N(off.full())} officiated.\n\n"
           f"The bride, {rint(26, 38)}, is {ch(['a senior associate at ' + NEG(ch(LAW_FIRMS)), 'a pediatric nurse at ' + NEG(ch(HOSPITALS)), 'a vice president at ' + NEG(ch(SURNAME_COS)), 'a high school chemistry teacher'])}. "
           f"She graduated from {NEG(ch(UNIS))}. She is the daughter of {ch(['Mr. and Mrs. ' + N(fa.full(middle=False)), N(mo.first()) + ' and ' + N(fa.full(middle=False)), N(mo.full(middle=False)) + ' and ' + N(fa.full(middle=False))])} of {NEG(ch(CITIES))}.\n\n"
           f"The {'groom' if b.gender == 'M' else 'bride'}, {rint(27, 40)}, is {ch(['a software engineer at ' + NEG(ch(['Dell Technologies', 'Hewlett Packard Enterprise', 'Boston Scientific'])), 'a resident physician in cardiology', 'an architect', 'a firefighter with the ' + NEG(ch(['Jackson', 'Houston', 'Columbus'])) + ' Fire Department'])}. "
           f"{'He' if b.gender == 'M' else 'She'} is the {'son' if b.gender == 'M' else 'daughter'} of {N(fb.full(middle=False))} of {NEG(ch(CITIES))}.\n\n"
           f"The couple met in {rint(2014, 2021)} at {met}. "
           f"{N(a.first())} will keep her name" + ch(["", f"; {N(b.first())} will take hers"]) + ".")
    return txt



@tpl("t_sports_roster", 7, "en")
def t_sports_roster():
    mw = ch(["Men", "Women"])
    sport = ch(["basketball", "soccer", "volleyball", "baseball" if mw == "Men" else "softball"])
    school = NEG(ch(["Georgetown", "Jackson State", "Lincoln University", "Washington State", "James Madison", "George Mason",
                     "Wake Forest", "Baylor", "Vanderbilt", "Brown", "Rice"]))
    pos = {"basketball": ["G", "F", "C", "G/F"], "soccer": ["GK", "D", "M", "F"], "baseball": ["RHP", "LHP", "C", "INF", "OF"], "softball": ["RHP", "LHP", "C", "INF", "OF", "UT"],
           "volleyball": ["OH", "MB", "S", "L", "OPP"]}[sport]
    ps = people(rint(8, 13), gender="M" if mw == "Men" else "F")
    for p in ps:
        if p.origin == "anglo" and not p.nick and maybe(0.25):
            p.nick = NICKS.get(p.given) or ch(["Red", "Chip", "Skip"] if mw == "Men" else ["Dee", "Kiki", "Birdie"])
    coach, asst = people(2)
    out = [f"{school} {mw}'s {sport.title()} — {rint(2023, 2025)} Roster", "",
           ch(["No. | Name | Pos. | Ht. | Yr. | Hometown / High School", "#\tName\tPos\tHt\tCl.\tHometown"])]
    sep = " | " if "|" in out[-1] else "\t"
    nums = sample(range(0, 55), len(ps))
    for n, p in sorted(zip(nums, ps), key=lambda x: x[0]):
        nm = N(p.full(middle=False)) if maybe(0.85) else N(p.inv(middle=False))
        if p.nick and p.origin == "anglo" and maybe(0.6):
            nm = N(f"{p.given} \"{p.nick}\" {p.last}")
        hi = rint(66, 80) if mw == "Men" else rint(62, 75)
        ht = f"{hi // 12}-{hi % 12}"
        yr = ch(["Fr.", "So.", "Jr.", "Sr.", "R-Fr.", "Gr."])
        home = NEG(ch(CITIES)) + " / " + NEG(ch(["Lincoln HS", "Jackson Prep", "Washington-Lee", "Kennedy Catholic", "St. John's", "Hamilton Southeastern", "Brother Rice"]))
        out.append(sep.join([str(n), nm, ch(pos), ht, yr, home]))
    out.append("")
    out.append(f"Head Coach: {N(coach.full())}\nAssistant Coaches: {N(asst.full(middle=False))}, {N(person().full(middle=False))}")
    if maybe(0.5):
        out.append(f"Athletic Trainer: {N(person().full(middle=False))}, ATC")
    return "\n".join(out)


@tpl("t_match_report", 8, "en")
def t_match_report():
    ps = people(6)
    h, a = ch([("Riverside United", "Northgate Rovers"), ("Portland Thorns", "NJ/NY Gotham"), ("Bay FC", "Houston Dash"),
               ("Millbrook Tigers", "Eastfield Hawks"), ("Hamilton Tiger-Cats", "Ottawa Redblacks"), ("Wake Forest", "Duke")])
    s1, s2 = rint(1, 4), rint(0, 3)
    m = [rint(3, 88) for _ in range(4)]
    m.sort()
    p = ps
    txt = (f"{NEG(h)} {s1}, {NEG(a)} {s2}\n\n"
           f"{N(p[0].full(middle=False))} opened the scoring in the {m[0]}th minute, {ch(['heading in', 'volleying home', 'curling in'])} a cross from {N(p[1].full(middle=False))}. "
           f"{N(p[1].sur())} added a second {m[1] - m[0]} minutes later after {N(p[2].sur())}'s shot was parried by {NEG(a)} keeper {N(p[3].full(middle=False))}.\n\n"
           f"\"{ch(['We talked at halftime about staying compact', 'The lads showed real character', 'Credit to the players, that was a hard shift'])},\" said {NEG(h)} coach {N(p[4].full(middle=False))}. "
           f"\"{N(p[0].first())} has been brilliant all season.\"\n\n"
           f"{N(p[5].full(middle=False))} pulled one back for the visitors from the penalty spot in the {m[2]}th minute after a foul by {N(p[2].sur())}. ")
    txt += (f"{NEG('Young')} {ch(['defender', 'midfielder'])} {N(person().full(middle=False))}, just 17, came on for the last twenty minutes. " if maybe(0.5) else "")
    txt += (f"The {NEG(ch(['Hunter Cup', 'King Memorial Trophy', 'Price Shield']))} {ch(['semifinal', 'final', 'quarterfinal'])} is next {ch(WDAY)} at {NEG(ch(['Wrigley Field', 'Fenway Park', 'Gillette Stadium', 'Lincoln Financial Field', 'Hampden Park', 'Providence Park', 'Allianz Field']))}.\n\n"
            f"Attendance: {rint(1200, 24000):,}. Referee: {N(person().full(middle=False))}.")
    return txt


JOURNALS = ["Journal of Applied Statistics", "Annals of Internal Medicine", "Nature Communications", "PLOS ONE",
            "IEEE Transactions on Software Engineering", "The Lancet Regional Health", "Journal of Finance",
            "Environmental Science & Technology", "Neurology", "ACM Computing Surveys", "BMJ Open", "Physical Review Letters",
            "Journal of Economic Perspectives", "Cell Reports", "American Journal of Epidemiology"]
PAPER_TOPICS = [("Long-term outcomes of deep brain stimulation in {D}", "neurology"),
                ("A {M} approach to survival estimation in heterogeneous cohorts", "stats"),
                ("Sensor drift correction using {M}", "eng"), ("Housing supply elasticity in mid-sized US cities", "econ"),
                ("Gut microbiome composition in patients with {D}", "med"), ("Fault localization in large monorepos", "se"),
                ("Heat-related mortality during {S}", "env"), ("Early screening for {D} in primary care", "med")]


COHORTS = ["Framingham Heart Study", "Nurses' Health Study", "Whitehall II cohort", "UK Biobank", "Rotterdam Study"]


def paper_title():
    t, _ = ch(PAPER_TOPICS)
    return t.replace("{D}", NEG(ch(DISEASES))).replace("{M}", NEG(ch(EPONYM_METHODS))).replace("{S}", NEG(ch(STORMS)))


@tpl("t_paper_header", 7, "en")
def t_paper_header():
    aus = people(rint(3, 6), origin=lambda: wch([("anglo", 3), ("cn", 3), ("indian", 2), ("korean", 1), ("euro", 2), ("hispanic", 1), ("african", 1), ("japanese", 1), ("arab", 1)]))
    for a_ in aus:
        a_.eastern = False
    aff_of = [rint(1, 3) for _ in aus]
    used = sorted(set(aff_of))
    remap = {k: i for i, k in enumerate(used, 1)}
    aff_of = [remap[k] for k in aff_of]
    affs = sample(UNIS, len(used))
    sup = {1: "¹", 2: "²", 3: "³"}
    style = ch(["sup", "num", "plain"])
    corr = ch(aus)
    parts = []
    for a_, k in zip(aus, aff_of):
        nm = N(a_.full(middle=True, initial=True))
        parts.append(nm + (sup[k] if style == "sup" else f"{k}" if style == "num" else "") + ("*" if a_ is corr and style != "plain" else ""))
    au_line = ", ".join(parts[:-1]) + (", and " if maybe(0.5) else " and ") + parts[-1] if len(parts) > 1 else parts[0]
    txt = f"{paper_title()}\n\n{au_line}\n\n"
    for i, u in enumerate(affs, 1):
        txt += (sup[i] if style == "sup" else str(i) if style == "num" else f"({i}) ") + f"Department of {ch(['Statistics', 'Neurology', 'Computer Science', 'Economics', 'Epidemiology'])}, {NEG(u)}\n"
    txt += f"*Correspondence: {N(corr.full(middle=False))}, {L(corr.email(ch(['stanford.edu', 'ucl.ac.uk', 'nus.edu.sg', 'tsinghua.edu.cn', 'mit.edu', 'umich.edu'])), 'EMAIL')}\n\n"
    txt += (f"Abstract\nWe analysed {rint(120, 9000)} participants using {NEG(ch(EPONYM_METHODS))} and {NEG(ch(EPONYM_METHODS))}. "
            f"Results were consistent with earlier work by {N(person().sur())} and colleagues [{rint(1, 30)}] and with the {NEG(ch(COHORTS))}.\n\n"
            f"Received {fdate(dt(2022, 2024), 'dlong')}; accepted {fdate(dt(2024, 2025), 'dlong')}. Handling editor: {N(person().full(middle=False))}.\n"
            f"Acknowledgements: We thank {N(person().full(middle=False))} for technical assistance. Funded by the {NEG(ch(['Bill & Melinda Gates Foundation', 'Wellcome Trust', 'Howard Hughes Medical Institute', 'Robert Wood Johnson Foundation', 'Alfred P. Sloan Foundation']))}.")
    return txt


def bib_entry(style, aus):
    t = paper_title()
    j, y, v, pg = ch(JOURNALS), rint(1998, 2025), rint(3, 140), rint(1, 900)
    if style == "apa":
        names = [N(a.apa()) for a in aus]
        au = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", & " + names[-1]
        return f"{au} ({y}). {t}. {j}, {v}({rint(1, 12)}), {pg}–{pg + rint(5, 20)}. https://doi.org/10.{rint(1000, 9999)}/{hexs(6)}"
    if style == "mla":
        a0 = aus[0]
        au = N(a0.inv(middle=False)) + (", and " + N(aus[1].full(middle=False)) if len(aus) == 2 else ", et al" if len(aus) > 2 else "")
        return f"{au}. \"{t}.\" {j}, vol. {v}, no. {rint(1, 12)}, {y}, pp. {pg}-{pg + rint(5, 20)}."
    if style == "chicago":
        a0 = aus[0]
        rest = [N(a.full(middle=False)) for a in aus[1:]]
        au = N(a0.inv(middle=False)) + ("" if not rest else ", " + ", ".join(rest[:-1]) + (", and " if len(rest) > 1 else "and ") + rest[-1] if len(rest) > 1 else ", and " + rest[0])
        return f"{au}. {y}. \"{t}.\" {j} {v} ({rint(1, 12)}): {pg}–{pg + rint(5, 20)}."
    if style == "ieee":
        names = [N(a.ieee()) for a in aus]
        au = names[0] if len(names) == 1 else ", ".join(names[:-1]) + ", and " + names[-1]
        return f"{au}, \"{t},\" {j}, vol. {v}, no. {rint(1, 12)}, pp. {pg}–{pg + rint(5, 20)}, {MON3[rint(0, 11)]}. {y}."
    if style == "vanc":
        names = [N(a.vanc()) for a in aus[:6]]
        return f"{', '.join(names)}{', et al' if len(aus) > 6 else ''}. {t}. {j}. {y};{v}({rint(1, 12)}):{pg}-{pg + rint(5, 20)}."
    # bibtex
    key = slug(aus[0].last) + str(y)
    au = " and ".join(N(a.inv(middle=False)) for a in aus)
    return f"@article{{{key},\n  author  = {{{au}}},\n  title   = {{{t}}},\n  journal = {{{j}}},\n  year    = {{{y}}},\n  volume  = {{{v}}},\n  pages   = {{{pg}--{pg + rint(5, 20)}}}\n}}"


@tpl("t_bibliography", 7, "en")
def t_bibliography():
    style = ch(["apa", "mla", "chicago", "ieee", "vanc", "bibtex"])
    head = {"apa": "References", "mla": "Works Cited", "chicago": "Bibliography", "ieee": "REFERENCES", "vanc": "References", "bibtex": "% refs.bib"}[style]
    out = [head, ""]
    pool = people(14, origin=lambda: wch([("anglo", 4), ("cn", 3), ("indian", 1), ("korean", 1), ("euro", 2), ("hispanic", 1), ("japanese", 1), ("african", 1), ("arab", 1)]))
    for p_ in pool:
        p_.eastern = False
    ents = []
    for _ in range(rint(4, 6)):
        aus = sample(pool, rint(1, 4))
        ents.append(bib_entry(style, aus))
    if style in ("apa", "mla", "chicago"):
        ents.sort(key=lambda e: render(e)[0].lower())
    for i, e in enumerate(ents, 1):
        out.append((f"[{i}] " if style == "ieee" else f"{i}. " if style == "vanc" else "") + e)
    return "\n".join(out)


@tpl("t_press_release", 7, "en")
def t_press_release():
    ceo, vp, contact, partner = people(4)
    co = company()
    city = NEG(ch(CITIES))
    d = dt(2022, 2025)
    role = ch(['Chief Operating Officer', 'Chief Financial Officer', 'President of North America', 'Chief Technology Officer'])
    txt = (f"FOR IMMEDIATE RELEASE\n\n{co} {ch(['Appoints', 'Names'])} {N(vp.full(middle=False))} {role}"
           + ch(["", f"; Expands Partnership with {NEG(ch(SURNAME_COS))}"]) +
           f"\n\n{city.upper() if maybe(0.3) else city}, {fdate(d, 'long')} /PRNewswire/ -- {co} today announced that {N(vp.full())} will join the company as "
           f"{role}, effective {fdate(d + datetime.timedelta(days=30), 'long')}. "
           f"{vp.title()} {N(vp.sur())} joins from {NEG(ch(SURNAME_COS))}, where {vp.pron()[0]} led {ch(['global supply chain', 'investor relations', 'the consumer health division'])} for {rint(5, 15)} years. "
           f"{vp.pron()[0].capitalize()} succeeds {N(partner.full(middle=False))}, who is retiring after {rint(10, 30)} years.\n\n"
           f"\"{N(vp.first())} brings exactly the operational discipline we need as we scale,\" said {N(ceo.full())}, Chief Executive Officer of {co}. "
           f"\"I also want to thank {N(partner.first())} for two decades of leadership.\"\n\n"
           f"\"I'm thrilled to join a team with such a strong culture,\" said {N(vp.sur())}.\n\n"
           f"About {co}\n{co} is a {ch(['logistics', 'healthcare analytics', 'specialty foods', 'cybersecurity'])} company headquartered in {NEG(ch(CITIES))}. "
           f"Its products include {NEG(ch(['the Lincoln', 'the Hamilton', 'the Franklin', 'the Jefferson']))} {ch(['platform', 'series', 'suite'])}.\n\n"
           f"Media Contact:\n{N(contact.full(middle=False))}\n{L(contact.email(domain_of(co)), 'EMAIL')}\n{us_phone()}\n\n###")
    return txt


@tpl("t_real_estate", 6, "en")
def t_real_estate():
    agent, agent2 = people(2)
    brokerage = NEG(ch(["Keller Williams Realty", "Coldwell Banker", "Sotheby's International Realty", "Berkshire Hathaway HomeServices",
                        "Compass", "RE/MAX Elite", "Howard Hanna", "Douglas Elliman", "William Raveis", "Baird & Warner"]))
    beds, baths = rint(2, 6), ch(["1", "1.5", "2", "2.5", "3", "3.5"])
    txt = (f"{ch(['JUST LISTED', 'NEW PRICE', 'OPEN HOUSE SUN 1-4PM', 'Coming Soon'])}: {us_address()}\n"
           f"${rint(189, 2400) * 1000 + rint(0, 9) * 100:,} | {beds} bd | {baths} ba | {rint(900, 4800):,} sqft | MLS# {digits(8)}\n\n"
           f"{ch(['Charming', 'Sun-filled', 'Fully renovated', 'Mid-century'])} {ch(['colonial', 'craftsman', 'ranch', 'townhome', 'Victorian'])} "
           f"{ch(['steps from', 'minutes from', 'walking distance to'])} {NEG(ch(['Georgetown', 'Lincoln Park', 'Washington Square', 'Jackson Heights', 'Madison Park', 'Hamilton Heights']))}. "
           f"{ch(['Hunter green shutters', 'Rose garden in back', 'King-size primary suite', 'Price includes all appliances'])}, "
           f"{ch(['new ' + NEG('Carrier') + ' HVAC (2022)', 'quartz counters and ' + NEG('KitchenAid') + ' appliances', 'two-car garage', 'finished basement'])}. "
           f"Zoned for {NEG(ch(['Lincoln Elementary', 'Roosevelt High', 'Jefferson Middle', 'Kennedy Academy']))}.\n\n"
           f"Listed by: {N(agent.full(middle=False))}" + ch(["", ", REALTOR®", ", Broker Associate"]) + f", {brokerage}\n"
           f"{us_phone()} | {L(agent.email(), 'EMAIL')}\n")
    if maybe(0.5):
        txt += f"Co-listed with {N(agent2.full(middle=False))}. "
    txt += ch(["Showings by appointment.", f"Contact {N(agent.first())} for a private tour.", "Information deemed reliable but not guaranteed."])
    return txt


@tpl("t_medical_referral", 8, "en")
def t_medical_referral():
    pt, dr_to, dr_from, nurse = people(4)
    b = dob_date(1940, 2005)
    vd = dt(2023, 2025)
    age = vd.year - b.year - ((vd.month, vd.day) < (b.month, b.day))
    clinic = ch(["Westbrook Family Medicine", "Summit Trail Internal Medicine", "Clearwater Primary Care", "Foxglove Family Practice"])
    dx, sx, dept = ch([("Parkinson's disease", "a resting tremor of the right hand for eight months", "Neurology"),
                       ("Crohn's disease", "intermittent abdominal pain, diarrhea and weight loss", "Gastroenterology"),
                       ("Hashimoto's thyroiditis", "fatigue, cold intolerance and weight gain", "Endocrinology"),
                       ("Graves' disease", "palpitations, heat intolerance and a fine tremor", "Endocrinology"),
                       ("Raynaud's phenomenon", "episodic color change of the fingers in the cold", "Rheumatology"),
                       ("Ménière's disease", "episodic vertigo with tinnitus in the left ear", "Otolaryngology")])
    txt = (f"{clinic}\n{us_address()}\nTel {us_phone()}  Fax {us_phone()}\n\n{fdate(vd, 'long')}\n\n"
           f"{ch(['Dr.', 'Dr.', 'Prof.'])} {N(dr_to.full(middle=False))}\n{dept} Department, {NEG(ch(HOSPITALS))}\n\n"
           f"RE: {N(pt.full())}   DOB: {L(fdate(b, ch(['us', 'us', 'dmy', 'med'])), 'DATE_OF_BIRTH')}   MRN: {digits(7)}\n\n"
           f"Dear Dr. {N(dr_to.sur())},\n\n"
           f"Thank you for seeing {pt.title()} {N(pt.sur())}, a {age}-year-old {'man' if pt.gender == 'M' else 'woman'} with suspected {NEG(dx)}. "
           f"{pt.pron()[0].capitalize()} reports {sx}. "
           f"Family history is notable for {NEG(ch(DISEASES))} in {pt.pron()[2]} {ch(['mother', 'father', 'maternal grandmother'])}.\n\n"
           f"Current medications: {ch(['levothyroxine 50 mcg', 'metformin 500 mg BID', 'lisinopril 10 mg', 'none'])}. Allergies: {ch(['penicillin', 'NKDA', 'sulfa drugs'])}.\n"
           f"Insurance: {ch(['Aetna', 'BlueCross BlueShield', 'UnitedHealthcare', 'Cigna', 'Kaiser Permanente'])}, member ID {ch('ABCDEFGHJK')}{digits(9)}.\n\n"
           f"Please contact my nurse, {N(nurse.full(middle=False))}, RN, with any questions.\n\n"
           f"Sincerely,\n{N(dr_from.full())}, {ch(['MD', 'DO', 'MD, FACP'])}\nNPI {digits(10)}")
    return txt


@tpl("t_pharmacy_label", 6, "en")
def t_pharmacy_label():
    pt, dr, rph = people(3)
    store = NEG(ch(["Walgreens", "CVS Pharmacy", "Rite Aid", "Kroger Pharmacy", "Walmart Pharmacy", "Hy-Vee Pharmacy"]))
    drug = ch(["AMOXICILLIN 500MG CAP", "ATORVASTATIN 20MG TAB", "SERTRALINE 50MG TAB", "LISINOPRIL 10MG TAB", "METFORMIN ER 750MG",
               "CARBIDOPA/LEVODOPA 25-100MG", "PREDNISONE 10MG TAB", "ALBUTEROL HFA 90MCG"])
    d = dt(2023, 2025)
    pt_nm = N(pt.inv(middle=True).upper()) if maybe(0.6) else N(pt.caps())
    txt = (f"{store} #{rint(1000, 19999)}\n{us_address()}  {us_phone()}\n"
           f"Rx# {digits(7)}    Date: {fdate(d, 'us')}\n{pt_nm}\n" + (f"DOB: {L(fdate(dob_date(1940, 2008), 'us'), 'DATE_OF_BIRTH')}\n" if maybe(0.5) else "") +
           f"{drug}\nTAKE 1 {ch(['TABLET', 'CAPSULE'])} BY MOUTH {ch(['TWICE DAILY', 'ONCE DAILY AT BEDTIME', 'EVERY 8 HOURS UNTIL GONE', 'DAILY WITH FOOD'])}\n"
           f"QTY: {rint(14, 90)}   REFILLS: {rint(0, 5)}   DISCARD AFTER: {fdate(d + datetime.timedelta(days=365), 'us')}\n"
           f"PRESCRIBER: {ch(['DR. ', ''])}{N(dr.full(middle=False).upper()) if maybe(0.5) else N(dr.initials(False).replace('.', '')[:1] + ' ' + dr.sur().upper())}\n"
           f"RPH: {N(rph.sur().upper()) if maybe(0.5) else N(rph.initials(False).replace('.', '') + ' ' + rph.sur().upper())}\n"
           f"{ch(['MFG: TEVA', 'MFG: AUROBINDO', 'MFG: MYLAN', 'MFG: ZYDUS'])}   NDC {digits(5)}-{digits(4)}-{digits(2)}\n"
           f"CAUTION: Federal law prohibits the transfer of this drug to any person other than the patient for whom it was prescribed.")
    return txt


@tpl("t_report_card", 6, "en")
def t_report_card():
    st, teacher, principal, parent = people(4)
    parent_sur = st.sur()
    grade = rint(2, 11)
    lvl = "Elementary" if grade <= 5 else "Middle" if grade <= 8 else "High"
    subjects = ["English Language Arts", "Mathematics", "Science", "Social Studies", "Physical Education", "Art", "Music", "Spanish"]
    txt = (f"{NEG(ch(['Lincoln', 'Washington', 'Jefferson', 'Roosevelt', 'Kennedy', 'Hamilton', 'Madison']) + ' ' + lvl + ' School')}\n"
           f"Report Card — {ch(['Quarter 2', 'Semester 1', 'Term 3', 'Final'])} {rint(2023, 2025)}\n\n"
           f"Student: {N(st.inv(middle=False)) if maybe(0.4) else N(st.full(middle=False))}    Grade: {grade}    Student ID: {digits(7)}\n"
           f"Homeroom: {teacher.title()} {N(teacher.sur())}\n\n")
    for sub in sample(subjects, rint(4, 6)):
        txt += f"{sub:<24}{ch(['A', 'A-', 'B+', 'B', 'B-', 'C+', 'C', 'P', 'M'])}\n"
    txt += (f"\nAbsences: {rint(0, 9)}   Tardies: {rint(0, 6)}\n\n"
            f"Comments: {N(st.first())} {ch(['is a pleasure to have in class', 'has made steady progress in reading', 'needs to turn in homework on time', 'participates eagerly in discussions'])}. "
            f"{ch(['Encourage', 'Please encourage'])} {st.pron()[1]} to read {ch(['for 20 minutes each night', NEG(ch(BOOKS)) + ' over the break'])}. — {teacher.title()} {N(teacher.sur())}\n\n"
            f"Principal: {N(principal.full(middle=False))}\n"
            f"Parent/Guardian signature: ______________  ({N(parent.first() + ' ' + parent_sur)})")
    return txt


@tpl("t_support_ticket", 8, "en")
def t_support_ticket():
    cust, agent, lead = people(3)
    prod = ch(["Router X2", "SmartThermo", "Acme Cloud Backup", "Bluebird Payments", "Kestrel VPN"])
    tid = f"{ch(['CS', 'SUP', 'TKT', 'INC'])}-{digits(6)}"
    ts = ts_iso()
    txt = (f"Ticket {tid} | Priority: {ch(['P2', 'P3', 'High', 'Normal'])} | Status: {ch(['Open', 'Pending customer', 'Escalated', 'Solved'])}\n"
           f"Requester: {N(cust.full(middle=False))} <{L(cust.email(), 'EMAIL')}>\n"
           f"Assignee: {N(agent.full(middle=False))} (Tier {rint(1, 2)})\nCreated: {ts}\nProduct: {prod} {version()}\n\n"
           f"--- Customer wrote ---\n" + ch([
               f"I was charged twice for order {order_no()}. Card on file is {masked_card()}. Please refund the duplicate.",
               f"The app keeps logging me out. My IP is {L(ip(), 'IP_ADDRESS')} if that helps. This is the third time I've contacted you.",
               f"Please update my payment card to {L(card_number(), 'BANK_CARD')}, exp {rint(1, 12):02d}/{rint(26, 31)}. The old one was stolen.",
               f"My {NEG(ch(GOODS))} arrived damaged. Tracking {tracking_no()}. I want a replacement, not store credit.",
               f"I cancelled within the 14-day window. Please refund to my bank account, IBAN {L(iban(ch(['DE', 'FR', 'NL', 'IE', 'ES', 'BE'])), 'IBAN')}, not to the card.",
           ]) + f"\n{ch(['Thanks', 'Regards', '-'])} {N(cust.first())}\n\n"
           f"--- Internal note ({N(agent.first())}) ---\n" + ch([
               f"Verified identity (last 4 of card, billing ZIP). Escalating to {N(lead.full(middle=False))} for refund approval > $100.",
               f"Customer is on legacy plan. {N(lead.first())} says we can waive the fee this once.",
               f"Duplicate of {tid[:-1]}{rint(0, 9)}. Merged. Do NOT paste full card numbers into tickets.",
           ]) + f"\n\n--- Reply sent {ts[:10]} ---\nHi {N(cust.first())},\n\nThanks for your patience. {ch(['The refund has been issued and should appear in 5-7 business days.', 'I have reset your session tokens; please log in again.', 'A replacement ships today.'])}\n\nBest,\n{N(agent.first())} | Customer Care")
    return txt



@tpl("t_call_transcript", 8, "en")
def t_call_transcript():
    cust, agent, sup = people(3)
    b = dob_date(1945, 2003)
    co = ch(["Oakmont Credit Union", "Silverleaf Insurance", "Bluebird Wireless", "Clearwater Energy", "Redwood Bay Bank"])
    spell = "-".join(fold(cust.last).upper().replace(" ", "").replace("'", "")) if len(cust.last) <= 9 and maybe(0.5) else None
    lines = [f"Call recording transcript — {co}", f"Call ID {uuid()} | {ts_iso()} | Duration {rint(3, 19)}:{rint(0, 59):02d}", ""]
    spouse = person(gender="M" if cust.gender == "F" else "F")
    issue = ch([(f"I see a charge I don't recognize from {NEG(ch(STORES))}, about ${rint(40, 400)}.", "I'm sorry about that. Let me pull up the transaction.",
                 "dispute", "I've opened the dispute; you'll see a provisional credit within two business days."),
                ("My card was declined at the pharmacy even though I have money in the account.", "I can help with that. One moment while I check.",
                 "override", "I've lifted the fraud hold, so the card should work now."),
                (f"My {'husband' if spouse.gender == 'M' else 'wife'}, {N(spouse.full(middle=False))}, is on the account too and {spouse.pron()[0]} can't log in.",
                 "I can help with that. One moment while I check.", "password reset", f"I've reset access for {N(spouse.first())}; a link is on its way.")])
    A = f"AGENT ({N(agent.first())})" if maybe(0.5) else "Agent"
    C = "Caller" if maybe(0.5) else "Customer"
    conv = [
        (A, f"Thank you for calling {co}, my name is {N(agent.first())}. May I have your full name, please?"),
        (C, f"Yes, it's {N(cust.full(middle=False))}." + (f" That's {N(cust.sur())}, {N(spell)}." if spell else "")),
        (A, f"Thank you, {cust.title()} {N(cust.sur())}. For verification, can you confirm your date of birth?"),
        (C, f"{L(fdate(b, ch(['long', 'us1'])), 'DATE_OF_BIRTH')}."),
        (A, "And the last four digits of your Social Security number?"),
        (C, f"{digits(4)}."),
        (A, "Great, you're verified. How can I help today?"),
        (C, issue[0]),
        (A, issue[1]),
        (A, f"I'm going to bring in my supervisor, {N(sup.full(middle=False))}, to approve the {issue[2]}."),
        ("Supervisor", f"Hi {N(cust.first())}, this is {N(sup.first())}. {issue[3]}"),
        (C, ch(["Thank you so much.", "Okay. Appreciate it.", "Great, thanks."])),
    ]
    for who, what in conv:
        lines.append(f"{who}: {what}")
    lines.append(f"\n[Disposition: resolved | Agent ID {rint(10000, 99999)} | QA reviewer: {N(person().full(middle=False))}]")
    return "\n".join(lines)


def commit_msg():
    return ch(["Fix race in session cache eviction", "Bump serde from 1.0.197 to 1.0.203", "Add retry with jitter to webhook sender",
               "Refactor billing adapter; drop legacy Price v1 endpoint", "docs: clarify CODEOWNERS for /infra",
               "Handle Hunter v2 API pagination", "Revert \"Enable HTTP/3 by default\"", "Use Kaplan-Meier estimator in churn report",
               "chore(deps): update rust crate tokio to v1.38.0", "Normalize Young's modulus units in the solver"])


@tpl("t_git_log", 8, "en")
def t_git_log():
    devs = people(rint(3, 5), origin=lambda: wch([("anglo", 3), ("cn", 2), ("indian", 2), ("euro", 2), ("korean", 1), ("hispanic", 1), ("japanese", 1), ("viet", 1)]))
    dom = ch(["acme.io", "northwind.dev", "example.com", "kestrel.tech", "users.noreply.github.com"])
    out = []
    emails = {id(a): (a.email(dom) if dom != "users.noreply.github.com" else f"{rint(100000, 99999999)}+{a.handle()}@users.noreply.github.com") for a in devs}
    dates = sorted((dt(2023, 2025) for _ in range(5)), reverse=True)
    for k in range(rint(3, 5)):
        a = ch(devs)
        d = dates[k]
        email = emails[id(a)]
        msg = commit_msg()
        if "Price" in msg or "Hunter" in msg or "Young" in msg or "Kaplan" in msg:
            for w in ("Price", "Hunter", "Young's", "Kaplan-Meier"):
                msg = msg.replace(w, NEG(w))
        blk = (f"commit {hexs(40)}\nAuthor: {N(a.full(middle=False))} <{L(email, 'EMAIL')}>\n"
               f"Date:   {WDAY[d.weekday()][:3]} {MON3[d.month - 1]} {d.day} {rint(0, 23):02d}:{rint(0, 59):02d}:{rint(0, 59):02d} {d.year} {ch(['+0000', '-0700', '+0800', '+0530', '+0100'])}\n\n    {msg}\n")
        tr = []
        if maybe(0.4):
            c = ch([x for x in devs if x is not a])
            tr.append(f"    Co-authored-by: {N(c.full(middle=False))} <{L(emails[id(c)], 'EMAIL')}>")
        if maybe(0.3):
            c = ch([x for x in devs if x is not a])
            tr.append(f"    Reviewed-by: {N(c.full(middle=False))}")
        if maybe(0.3):
            tr.append(f"    Signed-off-by: {N(a.full(middle=False))} <{L(email, 'EMAIL')}>")
        if maybe(0.3):
            tr.append(f"    Reported-by: {NEG(ch(['@pagerduty', '@sre-oncall', '@security-team', '@release-bot', '@jira-bot']))}")
        if tr:
            blk += "\n" + "\n".join(tr) + "\n"
        out.append(blk)
    if maybe(0.3):
        counts = sorted((rint(3, 400) for _ in devs), reverse=True)
        out.append("$ git shortlog -sn\n" + "\n".join(f"{k:>6}  {N(x.full(middle=False))}" for k, x in zip(counts, devs)))
    return "\n".join(out)


@tpl("t_codeowners", 6, "en")
def t_codeowners():
    devs = people(rint(3, 5))
    handles = [d.handle() for d in devs]
    dom = ch(["acme.io", "northwind.dev", "quill.app"])
    mails = [d.email(dom) for d in devs]
    lead = devs[0]
    out = [ch([f"# CODEOWNERS — maintained by {N(lead.full(middle=False))} (platform team)", "# Lines starting with '#' are comments.",
               f"# Contact {N(lead.first())} before changing ownership rules."]),
           "# Each line is a file pattern followed by one or more owners.", "",
           f"*                       @{ch(['acme', 'northwind', 'quill'])}/core-reviewers",
           f"/infra/                 @{handles[0]} @{ch(['acme', 'northwind'])}/sre",
           f"/billing/**             @{handles[1]} {L(mails[2], 'EMAIL')}",
           f"/docs/                  {NEG(ch(['@docs-bot', '@tech-writers']))} @{handles[-1]}",
           f"*.tf                    @{handles[2 % len(handles)]}",
           f"/services/search/       @{handles[1]}  # {N(devs[1].first())} owns relevance tuning",
           ""]
    if maybe(0.6):
        out += ["--- MAINTAINERS ---"] + [f"{N(d.full(middle=False))} <{L(m, 'EMAIL')}> (@{h})" for d, h, m in zip(devs, handles, mails)]
    return "\n".join(out)


@tpl("t_issue_tracker", 8, "en")
def t_issue_tracker():
    rep, asg, c1, c2 = people(4)
    h_asg = asg.handle()
    key = f"{ch(['PLAT', 'WEB', 'OPS', 'PAY', 'MOB'])}-{rint(100, 9999)}"
    cd1 = dt(2024, 2025)
    cd2 = cd1 + datetime.timedelta(days=rint(0, 20))
    ver = version()
    txt = (f"{key}: {ch(['Checkout fails with 502 behind proxy', 'Search returns stale results after reindex', 'Crash on Android 14 when opening camera', 'CSV export drops rows with quotes'])}\n"
           f"Type: Bug   Priority: {ch(['Major', 'Critical', 'Minor'])}   Status: {ch(['In Progress', 'Open', 'Code Review'])}\n"
           f"Reporter: {N(rep.full(middle=False))}   Assignee: {N(asg.full(middle=False))}\n"
           f"Affects Version: {ver}   Labels: regression, {ch(['customer-reported', 'p1-escalation', 'flaky'])}\n\n"
           f"Description:\nSince {ver} the {ch(['gateway', 'indexer', 'app', 'export job'])} fails for some tenants. Repro from {L(ipv4(True), 'IP_ADDRESS')}:\n"
           f"```\n{ts_iso()} ERROR upstream=10.0.{rint(0, 9)}.{rint(1, 9)}:8443 req={uuid()} status=502\n```\n"
           f"Customer contact: {N(c1.full(middle=False))} ({NEG(ch(SURNAME_COS))}).\n\n"
           f"Comments:\n{N(asg.full(middle=False))} — {fdate(cd1, 'med')}\n/assign @{h_asg}\nI can reproduce on staging. {NEG(ch(['@devops-bot', '@jira-bot']))} please attach logs.\n\n"
           f"{N(c2.full(middle=False))} — {fdate(cd2, 'med')}\n{ch(['Same here', 'Seeing this too'])} on build {version()}. cc @{c1.handle()} @{rep.handle()}\n\n"
           f"{N(rep.first())}: {ch(['thanks, will verify after the deploy', 'customer confirmed the workaround', 'any ETA?'])}")
    return txt


@tpl("t_invoice", 8, "en")
def t_invoice():
    attn, acct, signer = people(3)
    seller, buyer = company(), company()
    eu = maybe(0.6)
    items = [(x, rint(1, 20), R.uniform(40, 2500)) for x in sample(["Consulting services", "Annual license", "Onsite training", "Hunter green paint (5 gal)",
                                                                 "Rose quartz tiles", "Black walnut slab", "Support plan – Gold", "Freight",
                                                                 "Installation labor"], rint(2, 4))]
    lines = [f"{seller}\n{us_address(False) if not eu else NEG(str(rint(1, 300)) + ' ' + ch(['Kingsway', 'Victoria Street', 'Baker Street', 'Churchill Place']) + ', ' + ch(UK_CITIES))}",
             f"\nINVOICE {order_no() if maybe() else 'No. ' + digits(6)}\nDate: {fdate(dt(2023, 2025), ch(['long', 'dmy', 'iso']))}   Due: Net 30\n",
             ch(["BILL TO:", "Bill To:", "Bill to"]) + f"\n{buyer}\nAttn: {N(attn.full(middle=False))}" + (f", Accounts Payable" if maybe(0.5) else "") + f"\n{us_address(False)}\n",
             f"{'Description':<32}{'Qty':>5}{'Unit ':>7}{NEG('Price')}{'Amount':>12}"]
    tot = 0
    for d_, q, pr in items:
        d2 = d_
        for w in ("Hunter", "Rose", "Black"):
            if d_.startswith(w):
                d2 = NEG(w) + d_[len(w):]
        lines.append(f"{d2:<{32 + (2 if d2 != d_ else 0)}}{q:>5}{pr:>12,.2f}{q * pr:>12,.2f}")
        tot += q * pr
    lines.append(f"{'TOTAL':>49}{tot:>12,.2f}")
    if eu:
        lines.append(f"\nPayment by bank transfer to {seller}\nIBAN: {L(iban(ch(['GB', 'DE', 'NL', 'IE', 'FR', 'ES'])), 'IBAN')}   BIC: {ch(['DEUTDEFF', 'NWBKGB2L', 'INGBNL2A', 'BOFIIE2D'])}\nReference: {order_no()}")
    else:
        lines.append(f"\nRemit to: {seller}, ABA {digits(9)}, Acct {digits(10)}\nQuestions? Contact {N(acct.full(middle=False))} at {L(acct.email(domain_of(seller)), 'EMAIL')}")
    lines.append(f"\nAuthorized by: {N(signer.full(middle=False))}")
    return "\n".join(lines)


@tpl("t_purchase_order", 6, "en")
def t_purchase_order():
    req, appr, vend_c, recv = people(4)
    buyer = company()
    vendor = NEG(ch(["Baker & Taylor", "Grainger", "Fisher Scientific", "Johnson Controls", "Sherwin-Williams", "McMaster-Carr", "Uline"]))
    txt = (f"PURCHASE ORDER  {order_no()}\n{buyer}\n\nVendor: {vendor}\nVendor contact: {N(vend_c.full(middle=False))}, {L(vend_c.email(), 'EMAIL')}\n\n"
           f"Ship to:\n{buyer} – Receiving Dock 3\nAttn: {N(recv.full(middle=False))}\n{us_address(False)}\n\n"
           f"Requested by: {N(req.full())} ({ch(['Facilities', 'Lab Operations', 'IT', 'Marketing'])})\nApproved by: {N(appr.full(middle=False))}, {ch(['Controller', 'Director of Operations', 'CFO'])}\n"
           f"Cost center: {rint(1000, 9999)}-{rint(10, 99)}   Budget code: {ch('ABCDEFG')}{digits(4)}\n\n"
           f"Line 1: {ch(['Nitrile gloves, case of 1000', 'Pallet jack, 5500 lb', 'Toner cartridges (4-pack)', 'Paint, exterior, 5 gal'])}  qty {rint(1, 40)}  ${amount(20, 900)}\n"
           f"Line 2: Freight  ${amount(10, 200)}\n\nTerms: Net 45. Please reference the PO number on all invoices. Deliveries after 3pm will be refused.")
    return txt


@tpl("t_shipping_label", 6, "en")
def t_shipping_label():
    to, frm = people(2)
    carrier = ch(["UPS GROUND", "FedEx 2Day", "USPS PRIORITY MAIL", "DHL EXPRESS"])
    txt = (f"{carrier}\n{rint(1, 30)} LBS   1 OF 1\n\nSHIP FROM:\n{N(frm.caps()) if maybe(0.6) else NEG(company().upper())}\n{NEG(render(us_address(False))[0].upper())}\n\n"
           f"SHIP TO:\n{N(to.caps())}\n" + (f"C/O {NEG(company().upper())}\n" if maybe(0.3) else "") + f"{NEG(render(us_address(False))[0].upper())}\n"
           f"{'PHONE: ' + us_phone() if maybe(0.5) else ''}\n\nTRACKING #: {tracking_no()}\nREF 1: {order_no()}\nREF 2: {ch(['GIFT', 'RETURN', 'NO SIGNATURE REQ', 'FRAGILE'])}\n"
           f"BILLING: P/P   DIMS: {rint(5, 30)}x{rint(5, 30)}x{rint(2, 20)} IN")
    return txt.replace("\n\n\nTRACKING", "\n\nTRACKING")


AIRLINES = [("UA", "United Airlines"), ("DL", "Delta Air Lines"), ("BA", "British Airways"), ("CX", "Cathay Pacific"), ("SQ", "Singapore Airlines"),
            ("LH", "Lufthansa"), ("AA", "American Airlines"), ("KE", "Korean Air"), ("CA", "Air China")]
AIRPORTS = ["JFK", "LAX", "SFO", "ORD", "LHR", "HKG", "SIN", "FRA", "ICN", "PEK", "PVG", "SEA", "BOS", "IAD", "DFW", "NRT"]


@tpl("t_flight_booking", 8, "en")
def t_flight_booking():
    pax = people(rint(1, 3))
    code, airline = ch(AIRLINES)
    pnr = "".join(ch("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    a1, a2 = sample(AIRPORTS, 2)
    d = dt(2024, 2026)
    out = [f"{airline} — {ch(['Booking confirmation', 'E-ticket itinerary receipt', 'Your trip confirmation'])}", f"Confirmation code: {pnr}", ""]
    if maybe(0.5):
        out.append(f"Dear {pax[0].title()} {N(pax[0].sur())},\nThank you for booking with us.\n")
    out.append("PASSENGER(S)")
    for p in pax:
        t = "MR" if p.gender == "M" else ch(["MS", "MRS"])
        ff = f"  FF {code}{digits(9)}" if maybe(0.4) else ""
        out.append(f"  {N(p.pnr())} {t}   E-TKT {rint(1, 299):03d}{digits(10)}{ff}")
    out.append("")
    out.append(f"FLIGHT {code}{rint(10, 2999)}  {d.day:02d}{MON3[d.month - 1].upper()}  {a1} {rint(0, 23):02d}{rint(0, 59):02d}  →  {a2} {rint(0, 23):02d}{rint(0, 59):02d}  Class {ch('YBMHQKLVJC')}  Seat {rint(1, 60)}{ch('ABCDEFHJK')}")
    out.append(f"Baggage: {ch(['1PC', '2PC', '23KG', '0PC'])}   Status: HK")
    out.append(f"\nContact: {L(pax[0].email(), 'EMAIL')}   {ch([us_phone(), intl_phone()])}")
    if maybe(0.4):
        out.append(f"Form of payment: {ch(['VI', 'CA', 'AX'])}XXXXXXXXXXXX{digits(4)}")
    if maybe(0.3):
        out.append(f"Secure Flight: DOB {L(fdate(dob_date(1950, 2010), 'dmed'), 'DATE_OF_BIRTH')}  Gender {pax[0].gender}  Redress No. {digits(7)}")
    out.append(f"\nBooked by: {ch([N(person().full(middle=False)) + ' (travel agent)', 'online', 'mobile app'])}")
    return "\n".join(out)


@tpl("t_hotel_booking", 6, "en")
def t_hotel_booking():
    g, g2, mgr = people(3)
    hotel = NEG(ch(["Hilton Garden Inn", "Marriott Courtyard", "Hyatt Regency", "The Ritz-Carlton", "Four Seasons", "Holiday Inn Express", "Kimpton Hotel Monaco"])
                + " " + ch(["Downtown", "Airport", "Georgetown", "Union Square", "Riverfront"]))
    d = dt(2024, 2026)
    n = rint(1, 6)
    full_card = maybe(0.25)
    txt = (f"{hotel}\nReservation Confirmation #{digits(9)}\n\nGuest: {N(g.full(middle=False)) if maybe(0.5) else N(g.inv(middle=False))}\n"
           + (f"Additional guest: {N(g2.full(middle=False))}\n" if maybe(0.5) else "") +
           f"Arrival: {fdate(d, 'long')}   Departure: {fdate(d + datetime.timedelta(days=n), 'long')}   Nights: {n}\n"
           f"Room: {ch(['King', 'Two Queens', 'King Suite', 'Deluxe King'])}, {ch(['non-smoking', 'city view', 'high floor requested'])}\nRate: ${rint(129, 620)}.00 per night + tax\n"
           f"Loyalty: {NEG(ch(['Marriott Bonvoy', 'Hilton Honors', 'World of Hyatt', 'IHG One Rewards']))} #{digits(9)}\n"
           f"Guarantee: {L(card_number(ch(['visa', 'mc', 'amex'])), 'BANK_CARD') if full_card else ch(['Visa', 'Mastercard', 'Amex']) + ' ' + masked_card()}\n"
           f"Email: {L(g.email(), 'EMAIL')}\n\nSpecial requests: {ch(['late check-in', 'crib in room', 'feather-free pillows', 'near elevator'])}\n\n"
           f"We look forward to welcoming you, {N(g.first())}.\n{N(mgr.full(middle=False))}, Front Office Manager")
    return txt


@tpl("t_guest_list", 6, "en")
def t_guest_list():
    ev = ch(["Wedding reception", "Retirement dinner", "Gala", "Bar mitzvah", "50th anniversary party", "Holiday party"])
    out = [f"{ev} — guest list (final)", "", ch(["Table | Guest(s) | RSVP | Meal", "Name, Party size, RSVP, Notes"])]
    tab = "|" in out[-1]
    for i in range(rint(6, 10)):
        p = person()
        kind = ch(["single", "couple_mr", "couple_and", "plus", "family", "doctor"])
        if kind == "single":
            g = N(p.full(middle=False))
            n = 1
        elif kind == "couple_mr":
            p = person(gender="M")
            g = f"Mr. and Mrs. {N(p.full(middle=False))}"
            n = 2
        elif kind == "couple_and":
            q = person(gender=ch("MF"))
            g = f"{N(q.first())} and {N(p.full(middle=False))}"
            n = 2
        elif kind == "plus":
            g = f"{N(p.full(middle=False))} + guest"
            n = 2
        elif kind == "family":
            g = f"The {N(p.sur())} family"
            n = rint(3, 5)
        else:
            g = f"Dr. {N(p.full(middle=False))}, {ch(['MD', 'PhD', 'DDS'])} and {N(person().first())}"
            n = 2
        if tab:
            out.append(f"{rint(1, 12)} | {g} | {ch(['Yes', 'Yes', 'No', 'Pending'])} | {ch(['Chicken', 'Fish', 'Vegetarian', 'Kids meal', '—'])}")
        else:
            out.append(f"\"{g}\",{n},{ch(['Y', 'Y', 'N', '?'])},{ch(['', 'nut allergy', 'wheelchair access', 'seat near ' + N(person().first()), ''])}")
    out.append(f"\nPlaceholder row: {NEG(ch(PLACEHOLDERS))} — delete before printing place cards")
    return "\n".join(out)



@tpl("t_donor_list", 6, "en")
def t_donor_list():
    org = ch(["Friends of the Library", "Riverside Food Bank", "Youth Orchestra", "Animal Rescue League", "Hospice Foundation"])
    out = [f"{org} — Thank You to Our {rint(2023, 2025)} Donors", ""]
    tiers = [("Benefactors ($10,000+)", 2), ("Patrons ($5,000–$9,999)", 3), ("Sustainers ($1,000–$4,999)", 4), ("Friends ($100–$999)", 6)]
    for tier, k in tiers:
        out.append(tier)
        ents = []
        for _ in range(rint(2, k)):
            p = person()
            kind = ch(["p", "p", "couple", "found", "anon", "memory", "co", "initial"])
            if kind == "p":
                ents.append(N(p.full()))
            elif kind == "couple":
                q = person()
                ents.append(f"{N(q.first())} and {N(p.full(middle=False))}")
            elif kind == "found":
                ents.append(NEG(ch(["The Hartwell Family Foundation", "Bill & Melinda Gates Foundation", "Robert Wood Johnson Foundation",
                                    "The Kresge Foundation", "W. K. Kellogg Foundation", "Carnegie Corporation of New York",
                                    "The Annenberg Foundation", "Walton Family Foundation"])))
            elif kind == "anon":
                ents.append("Anonymous (2)" if maybe(0.3) else "Anonymous")
            elif kind == "memory":
                ents.append(f"{ch(['In memory of', 'In honor of'])} {N(p.full(middle=False))}" + (f", given by {N(person().full(middle=False))}" if maybe(0.5) else ""))
            elif kind == "co":
                ents.append(NEG(ch(SURNAME_COS + LAW_FIRMS)))
            else:
                ents.append(N(f"{p.initials(True)} {p.last}"))
        out.append("  " + "\n  ".join(ents) if maybe(0.5) else "  " + " · ".join(ents))
        out.append("")
    out.append("We make every effort to list names correctly. Please report errors to the development office.")
    return "\n".join(out)


@tpl("t_church_bulletin", 6, "en")
def t_church_bulletin():
    pastor, assoc, music, read1, read2, sick1, sick2, bapt = people(8)
    church = NEG(ch(["St. Paul's Lutheran Church", "Grace Community Church", "St. Mary Magdalene Parish", "First Presbyterian Church", "Holy Cross Episcopal"]))
    d = dt(2024, 2025)
    txt = (f"{church}\nSunday Bulletin — {fdate(d, 'long')}\n\nPastor: Rev. {N(pastor.full())}\nAssociate Pastor: {ch(['Rev.', 'Pastor', 'Deacon'])} {N(assoc.full(middle=False))}\n"
           f"Music Director: {N(music.full(middle=False))}\n\n"
           f"ORDER OF WORSHIP\nPrelude\nHymn 378 \"{NEG('Amazing Grace')}\"\nFirst Reading: Isaiah 40:1-11 — {N(read1.full(middle=False))}\nSecond Reading: Romans 8:18-25 — {N(read2.full(middle=False))}\n"
           f"Sermon: \"{ch(['Faith in the Waiting', 'Hope Deferred', 'The Lost Sheep', 'Rivers of Living Water'])}\" — Pastor {N(pastor.sur())}\nThe {NEG('Lord')}'s Supper\n\n"
           f"PRAYER LIST\nPlease keep in your prayers: {N(sick1.full(middle=False))} (recovering from surgery), the family of {N(sick2.full(middle=False))}, "
           f"and all those affected by {NEG(ch(STORMS))}.\n\n"
           f"ANNOUNCEMENTS\n• We welcome baby {N(bapt.first())}, baptized last Sunday.\n• Youth group meets Wednesday at 6:30 in {NEG(ch(['Wesley Hall', 'Fellowship Hall', 'Luther Hall', 'Calvin Room']))}.\n"
           f"• {ch(['Bible study', 'Choir practice', 'Food pantry volunteers'])}: contact {N(assoc.first())} at {L(assoc.email(), 'EMAIL')}.\n"
           f"• Offering last week: ${rint(1800, 9000):,}. Thank you for your generosity.")
    return txt


@tpl("t_linkedin_profile", 6, "en")
def t_linkedin_profile():
    me, rec1, rec2, end1 = people(4)
    co1, co2 = company(), ch([NEG(ch(SURNAME_COS)), company()])
    txt = (f"{N(me.full(middle=False))}" + (f" ({N(me.nick)})" if me.nick else "") + f" · {ch(['1st', '2nd', '3rd+'])}\n"
           f"{ch(JOBS)} at {co1} | ex-{co2} | {ch(['MBA', 'PMP', 'CPA'])}\n{NEG(ch(CITIES))} · {rint(200, 500)}+ connections\n\n"
           f"About\n{ch(['Operator turned product lead.', 'I build teams that ship.', 'Supply-chain nerd.', 'Helping startups scale finance.'])} "
           f"Previously at {co2}; {NEG(ch(UNIS))} alum. {ch(['Mentor with ' + NEG('Big Brothers Big Sisters') + '.', 'Ask me about ' + NEG(ch(BOOKS)) + '.', ''])}\n\n"
           f"Experience\n{ch(JOBS)} — {co1}\n{MON3[rint(0, 11)]} {rint(2019, 2023)} – Present\n{ch(JOBS)} — {co2}\n{MON3[rint(0, 11)]} {rint(2012, 2018)} – {MON3[rint(0, 11)]} {rint(2019, 2022)}\n\n"
           f"Skills\n{ch(['Forecasting', 'SQL', 'Negotiation', 'Python', 'Stakeholder management'])} · Endorsed by {N(end1.full(middle=False))} and {rint(3, 40)} others\n\n"
           f"Recommendations\n{N(rec1.full(middle=False))}\n{ch(JOBS)} at {company()}\n{fdate(dt(2021, 2025), 'long')}, {N(rec1.first())} managed {N(me.first())} directly\n"
           f"\"{N(me.first())} is the person you want in the room when things go sideways. {me.pron()[0].capitalize()} rebuilt our {ch(['vendor onboarding', 'month-end close', 'pricing model'])} in six weeks.\"\n\n"
           f"{N(rec2.full(middle=False))}\n\"Worked with {N(me.first())} on the {NEG(ch(SURNAME_COS))} rollout. Calm, precise, generous with credit.\"")
    return txt


@tpl("t_dating_profile", 5, "en")
def t_dating_profile():
    me = person(origin=lambda: wch([("anglo", 4), ("hispanic", 1), ("indian", 1), ("korean", 1), ("african", 1), ("euro", 1)]))
    me.eastern = False
    sib = person()
    uname = me.handle() if maybe(0.5) else ch(["sunny", "trailrunner", "bookworm", "coffeeandcode", "wanderlust"]) + str(rint(7, 99))
    txt = (f"{N(me.first())}, {rint(24, 45)}\n{ch(['2 miles away', '5 miles away', 'Lives in ' + NEG(ch(CITIES).split(',')[0])])} · {ch(['Nurse', 'Teacher', 'Engineer', 'Chef', 'Paramedic', 'Architect'])}\n"
           f"@{uname}\n\n"
           f"About me: {ch([('Dog mom' if me.gender == 'F' else 'Dog dad') + ' to a beagle named ' + NEG(ch(['Biscuit', 'Rosie', 'Bella', 'Max'])), 'Weekend hiker', 'Former college rower', 'Amateur baker'])}. "
           f"{ch(['Looking for someone who will argue with me about ' + NEG(ch(BOOKS)) + '.', 'My ' + ('brother' if sib.gender == 'M' else 'sister') + ' ' + N(sib.first()) + ' made me write this.', 'Fluent in sarcasm.'])}\n"
           f"Favorite film: {NEG(ch(FILMS))}\n"
           f"Green flags: {ch(['kindness to waiters', 'a good playlist', 'knows the ' + NEG('Heimlich') + ' maneuver'])}\n"
           f"Prompt — Two truths and a lie: {ch(['I met a ' + NEG('Nobel Prize') + ' winner', 'I have been to all 50 states', 'I can juggle'])}; I hate {NEG('Earl Grey')}; I was born on a leap day.")
    return txt


ADVICE = ["Small claims court is your friend.", "Check your state's statute on this.", "Get it in writing."]


@tpl("t_forum_post", 6, "en")
def t_forum_post():
    op, rep1, mention, pro = people(4)
    u_op = ch([op.handle(), "rustacean42", "gardenguru_77", "throwaway_" + digits(4), "old_timer_sam"])
    u_rep = ch([rep1.handle(), "turbo_diesel", "QuietCoder", "night_owl88", "SaltyPelican"])
    forum, title, body, last, advice = ch([
        ("r/personalfinance", "Landlord keeping my deposit - what are my options?",
         f"My landlord, {N(mention.full(middle=False))}, says the carpet damage was pre-existing. I have photos from move-in.",
         "I have photos from move-in.", f"Small claims court is your friend. {N(mention.sur())} has to itemize deductions within 21 days in most states."),
        ("Home Improvement Forum", "Recommend a roofer near Lincoln Park?",
         f"Our contractor, {N(mention.full(middle=False))}, quoted $14k for a roof that is only twelve years old. I got two other quotes.",
         "I got two other quotes.", f"Get it in writing. I used {N(pro.full(middle=False))} (no affiliation) and they were great."),
        ("Stack Exchange: Travel", "Visa denied after name mismatch on passport",
         f"The consulate officer, {N(mention.full(middle=False))}, said my surname was spelled differently on the invitation letter.",
         "my surname was spelled differently", "Ask the inviting party to reissue the letter with the exact passport spelling."),
        ("Garden Web", "Tomatoes wilting despite watering",
         f"My neighbor, {N(mention.full(middle=False))}, thinks it is blight. I water every morning.",
         "I water every morning.", f"Sounds like fusarium wilt. {N(pro.first())} at the county extension office can test a sample."),
    ])
    txt = (f"{forum}\nPosted by {u_op} · {rint(2, 23)}h\n\n{title}\n\n{body} Any advice appreciated.\n\n"
           f"Edit: {ch(['thanks everyone!', 'update below', 'not selling anything, relax'])}\n\n"
           f"-- \n{N(op.first())}" + (f" | {NEG(ch(['Sent from my Pixel', 'Tapatalk', 'Currently reading: ' + ch(BOOKS)]))}" if maybe(0.5) else "") + "\n\n"
           f"Reply from {u_rep}:\n> Originally Posted by {u_op}\n> {last}\n\n{advice}\n"
           f"{N(rep1.first()) if maybe(0.5) else ''}")
    return txt.rstrip()


@tpl("t_csv_export", 8, "en")
def t_csv_export():
    k = rint(4, 8)
    ps = people(k)
    kind = ch(["crm", "hr", "members", "tsv"])
    if kind == "crm":
        out = ["id,first_name,last_name,email,phone,company,created_at"]
        for p in ps:
            co = company() if maybe(0.7) else NEG(ch(SURNAME_COS))
            co = f'"{co}"' if "," in render(co)[0] or maybe(0.2) else co
            out.append(f"{rint(1000, 99999)},{N(p.first())},{N(p.sur())},{L(p.email(), 'EMAIL')},{us_phone()},{co},{ts_iso()[:19]}")
    elif kind == "hr":
        out = ["EmployeeID,\"Name (Last, First)\",Department,Hire Date,SSN,Manager"]
        mgrs = people(2)
        for p in ps:
            out.append(f"E{digits(5)},\"{N(p.inv(middle=True))}\",{ch(['Finance', 'Ops', 'Engineering', 'Sales'])},{fdate(dt(2010, 2024), 'us')},{L(ssn(), 'US_SSN') if maybe(0.6) else masked_ssn()},{N(ch(mgrs).full(middle=False))}")
    elif kind == "members":
        out = ["\"Member Name\",\"Date of Birth\",\"Email\",\"Membership\",\"Emergency Contact\""]
        for p in ps:
            ec = person()
            out.append(f"\"{N(p.full())}\",\"{L(fdate(dob_date(1950, 2006), 'us'), 'DATE_OF_BIRTH')}\",\"{L(p.email(), 'EMAIL')}\",\"{ch(['Gold', 'Silver', 'Family', 'Student'])}\",\"{N(ec.full(middle=False))} {us_phone()}\"")
    else:
        out = ["user_id\tdisplay_name\tusername\tlast_login_ip\tcountry"]
        for p in ps:
            out.append(f"{rint(10000, 999999)}\t{N(p.full(middle=False))}\t{p.handle()}\t{L(ip(), 'IP_ADDRESS')}\t{ch(['US', 'GB', 'IN', 'DE', 'NG', 'CN', 'KR', 'MX', 'VN'])}")
        out.append(f"{rint(10000, 999999)}\t{NEG('Test User')}\ttest_user\t127.0.0.1\tUS")
    return "\n".join(out)


@tpl("t_json_records", 8, "en")
def t_json_records():
    ps = people(rint(2, 4))
    if maybe(0.5):
        recs = []
        for p in ps:
            r = [f'"id": "{uuid()}"', f'"name": {{"first": "{N(p.first())}", "last": "{N(p.sur())}"}}' if maybe(0.5) else f'"full_name": "{N(p.full(middle=False))}"',
                 f'"email": "{L(p.email(), "EMAIL")}"', f'"last_ip": "{L(ip(), "IP_ADDRESS")}"', f'"plan": "{ch(["free", "pro", "team"])}"',
                 f'"app_version": "{version()}"']
            if maybe(0.4):
                r.append(f'"dob": "{L(dob_date(1950, 2006).isoformat(), "DATE_OF_BIRTH")}"')
            if maybe(0.3):
                r.append(f'"payment": {{"card": "{L(card_number(), "BANK_CARD") if maybe(0.4) else masked_card()}", "iban": "{L(iban(grouped=False), "IBAN")}"}}')
            if maybe(0.3):
                r.append(f'"created_by": "{NEG(ch(["@devops-bot", "system", "import-job", "admin"]))}"')
            recs.append("  {" + ", ".join(r) + "}")
        return "[\n" + ",\n".join(recs) + "\n]"
    out = ["# users.yaml — exported by admin-cli " + version(), "users:"]
    for p in ps:
        out += [f"  - username: {p.handle()}", f"    display_name: \"{N(p.full(middle=False))}\"", f"    email: {L(p.email(), 'EMAIL')}",
                f"    manager: {N(ch([q for q in ps if q is not p]).full(middle=False))}" if len(ps) > 1 else "    manager: null",
                f"    ssn: \"{L(ssn(), 'US_SSN')}\"" if maybe(0.3) else f"    roles: [{ch(['admin', 'viewer', 'editor'])}]"]
    return "\n".join(out)


@tpl("t_kv_log", 8, "en")
def t_kv_log():
    ps = people(rint(2, 3))
    em = {id(p): p.email() for p in ps}
    hd = {id(p): p.handle() for p in ps}
    svc = ch(["auth", "billing", "crm-sync", "mailer", "kyc"])
    out = []
    for _ in range(rint(4, 7)):
        p = ch(ps)
        ts = ts_iso()
        ev = ch(["login_success", "login_failed", "profile_update", "payment_authorized", "email_sent", "kyc_submitted"])
        kv = [f"ts={ts}", f"level={ch(['INFO', 'WARN', 'INFO', 'ERROR'])}", f"svc={svc}", f"event={ev}"]
        if maybe(0.6):
            kv.append(f'user="{N(p.full(middle=False))}"')
        else:
            kv.append(f"user_id={rint(10000, 999999)}")
        kv.append(f"email={L(em[id(p)], 'EMAIL')}" if maybe(0.6) else f"username={hd[id(p)]}")
        kv.append(f"ip={L(ip(), 'IP_ADDRESS')}")
        if ev == "payment_authorized":
            kv.append(f"card={masked_card().replace(' ', '')}" if maybe(0.6) else f"pan={L(re.sub('[ -]', '', card_number()), 'BANK_CARD')}")
        if ev == "kyc_submitted":
            kv.append(f"ssn={L(ssn(), 'US_SSN')}" if maybe(0.5) else f"dob={L(dob_date(1950, 2005).isoformat(), 'DATE_OF_BIRTH')}")
        kv.append(f"trace_id={hexs(32)}")
        kv.append(f"ver={version()}")
        out.append(" ".join(kv))
    if maybe(0.4):
        out.append(f"ts={ts_iso()} level=INFO svc={svc} msg=\"cron run by {NEG('@devops-bot')}\" build={version()} oid=1.3.6.1.4.1.{rint(1000, 60000)}.{rint(1, 9)}")
    return "\n".join(out)


def ocr_noise(s, rate=0.25):
    table = {"I": "l", "O": "0", "l": "1", "rn": "m", "m": "rn", "e": "c", "S": "5", "B": "8"}
    out = s
    for a, b in table.items():
        if a in out and maybe(rate):
            i = out.find(a)
            out = out[:i] + b + out[i + len(a):]
    return out


@tpl("t_ocr_form", 8, "en")
def t_ocr_form():
    p, ec, dr = people(3)
    b = dob_date(1945, 2005)
    name_s = ocr_noise(p.full(middle=True, initial=True).upper() if maybe(0.5) else p.full(middle=False))
    dob_s = fdate(b, "us")
    if maybe(0.4):
        dob_s = dob_s.replace("/", " / ", 1)
    txt = (f"{ch(['PATIENT REGISTRATION FORM', 'APPLICATION FOR EMPLOYMENT', 'NEW MEMBER ENROLLMENT', 'TENANT APPLICATION'])}\n"
           f"|  Please print clearly  |  Page 1 of {rint(2, 4)}  |\n\n"
           f"N ame (Last, First, MI): {N(ocr_noise(p.inv(middle=True).upper()))}\n"
           f"Preferred name: {N(p.first()) if maybe(0.5) else '_____'}\n"
           f"Date of Bir th: {L(dob_s, 'DATE_OF_BIRTH')}     Sex: {p.gender}\n"
           f"Soc. Sec. No.: {L(ssn(), 'US_SSN') if maybe(0.6) else masked_ssn()}\n"
           f"Address: {NEG(render(us_address())[0].upper())}\n"
           f"Phone: {us_phone()}    E-mail: {L(p.email(), 'EMAIL')}\n\n"
           f"EMERGENCY CONTACT\nName: {N(ocr_noise(ec.full(middle=False)))}   Relationship: {ch(['Spouse', 'Friend', 'Sibling'] + (['Father', 'Son', 'Brother'] if ec.gender == 'M' else ['Mother', 'Daughter', 'Sister']))}\n"
           f"{ch(['Primary care physician', 'Referred by', 'Previous employer contact'])}: {ch(['Dr. ', ''])}{N(ocr_noise(dr.full(middle=False)))}\n\n"
           f"Signature: {N(name_s)}          Date: {fdate(dt(2020, 2025), 'us')}\n"
           f"FOR OFFICE USE ONLY  ld verified [x]  Init: ____")
    return txt


@tpl("t_caps_legal_notice", 6, "en")
def t_caps_legal_notice():
    a, b, trustee, att = people(4, origin=lambda: wch([("anglo", 4), ("hispanic", 2), ("african", 1), ("viet", 1), ("euro", 1)]))
    for x in (a, b):
        x.eastern = False
    d = dt(2023, 2025)
    kind = ch(["default", "probate", "name"])
    if kind == "default":
        txt = (f"NOTICE OF DEFAULT AND ELECTION TO SELL UNDER DEED OF TRUST\nT.S. NO. {digits(8)}-{ch(['CA', 'TX', 'WA'])}   APN {digits(3)}-{digits(3)}-{digits(2)}\n\n"
               f"IMPORTANT NOTICE: IF YOUR PROPERTY IS IN FORECLOSURE BECAUSE YOU ARE BEHIND IN YOUR PAYMENTS, IT MAY BE SOLD WITHOUT ANY COURT ACTION.\n\n"
               f"TRUSTOR: {N(a.caps())} AND {N(b.caps())}, {ch(['HUSBAND AND WIFE', 'AS JOINT TENANTS', 'A MARRIED COUPLE'])}\n"
               f"BENEFICIARY: {NEG(ch(['WELLS FARGO BANK, N.A.', 'MORGAN STANLEY PRIVATE BANK', 'CHARLES SCHWAB BANK', 'RAYMOND JAMES BANK']))}\n"
               f"PROPERTY ADDRESS: {NEG(render(us_address())[0].upper())}\n"
               f"THE AMOUNT DUE AS OF {fdate(d, 'long').upper()} IS ${amount(8000, 90000)}.\n\n"
               f"DATED: {fdate(d, 'us')}   {NEG(ch(['QUALITY LOAN SERVICE CORP.', 'CLEAR RECON CORP', 'BARRETT DAFFIN FRAPPIER TURNER & ENGEL']))}, TRUSTEE\nBY: {N(trustee.caps())}, {ch(['TRUSTEE SALE OFFICER', 'AUTHORIZED SIGNATORY'])}")
    elif kind == "probate":
        txt = (f"NOTICE TO CREDITORS\nSUPERIOR COURT OF WASHINGTON IN AND FOR THE COUNTY OF {NEG(ch(['KING', 'FRANKLIN', 'LINCOLN', 'GRANT']))}\n\n"
               f"IN THE MATTER OF THE ESTATE OF {N(a.caps())}, DECEASED.   NO. {rint(23, 25)}-4-{digits(5)}-{rint(1, 9)} SEA\n\n"
               f"THE PERSONAL REPRESENTATIVE NAMED BELOW HAS BEEN APPOINTED AS PERSONAL REPRESENTATIVE OF THIS ESTATE. ANY PERSON HAVING A CLAIM AGAINST THE DECEDENT MUST, BEFORE THE TIME THE CLAIM WOULD BE BARRED, PRESENT THE CLAIM.\n\n"
               f"DATE OF FIRST PUBLICATION: {fdate(d, 'long').upper()}\nPERSONAL REPRESENTATIVE: {N(b.caps())}\nATTORNEY FOR PERSONAL REPRESENTATIVE: {N(att.caps())}, {NEG(ch(LAW_FIRMS).upper())}")
    else:
        newn = person(origin="anglo", gender=a.gender)
        txt = (f"ORDER TO SHOW CAUSE FOR CHANGE OF NAME\nCASE NUMBER: {ch(['NC', 'CV'])}{digits(6)}\n\n"
               f"TO ALL INTERESTED PERSONS: PETITIONER {N(a.caps())} FILED A PETITION WITH THIS COURT FOR A DECREE CHANGING NAMES AS FOLLOWS:\n"
               f"PRESENT NAME: {N(a.caps())}\nPROPOSED NAME: {N(a.given.upper() + ' ' + newn.last.upper())}\n\n"
               f"THE COURT ORDERS that all persons interested in this matter appear before this court at the hearing indicated below.\n"
               f"DATE: {fdate(d, 'us')}  TIME: 8:30 A.M.  DEPT.: {rint(1, 60)}\n\n{N(att.caps())}\nJUDGE OF THE SUPERIOR COURT")
    return txt



@tpl("t_payroll_form", 6, "en")
def t_payroll_form():
    emp, hr = people(2)
    eu = maybe(0.5)
    d = dt(2023, 2025)
    if eu:
        txt = (f"EMPLOYEE BANK DETAILS FORM (EU payroll)\n\nEmployee name: {N(emp.full(middle=False))}\nEmployee no.: {digits(6)}\n"
               f"Date of birth: {L(fdate(dob_date(1960, 2003), ch(['dmy', 'dlong'])), 'DATE_OF_BIRTH')}\n"
               f"Account holder (if different): {N(person().full(middle=False)) if maybe(0.3) else 'same'}\n"
               f"IBAN: {L(iban(ch(['DE', 'FR', 'NL', 'ES', 'IT', 'IE', 'BE', 'AT', 'PT'])), 'IBAN')}\nBIC/SWIFT: {ch(['COBADEFFXXX', 'BNPAFRPP', 'ABNANL2A', 'CAIXESBB', 'AIBKIE2D'])}\n\n"
               f"Effective from payroll period: {MONTHS[d.month - 1]} {d.year}\nSigned: {N(emp.full(middle=False))}   Date: {fdate(d, 'dmy')}\n"
               f"Received by HR: {N(hr.full(middle=False))}")
    else:
        txt = (f"DIRECT DEPOSIT AUTHORIZATION\n\nEmployee Name: {N(emp.full())}\nSocial Security Number: {L(ssn(), 'US_SSN')}\n"
               f"Bank name: {NEG(ch(['Wells Fargo', 'Charles Schwab Bank', 'Chase', 'Bank of America', 'Navy Federal']))}\nRouting #: {digits(9)}   Account #: {digits(rint(8, 12))}   Type: {ch(['Checking', 'Savings'])}\n"
               f"Amount: {ch(['Entire net pay', '100%', '$500 per pay period, remainder to checking'])}\n\n"
               f"I authorize {company()} (EIN {ein()}) to deposit my pay automatically.\n\nEmployee signature: {N(emp.full(middle=False))}   Date: {fdate(d, 'us')}\n"
               f"Payroll use only — entered by {N(hr.first())} {fdate(d + datetime.timedelta(days=2), 'us2')}; old account ending {digits(4)} closed")
    return txt


@tpl("t_conference_program", 6, "en")
def t_conference_program():
    ps = people(rint(6, 9), origin=lambda: wch([("anglo", 3), ("cn", 2), ("indian", 1), ("african", 1), ("euro", 2), ("korean", 1), ("hispanic", 1), ("arab", 1), ("japanese", 1)]))
    for p in ps:
        p.eastern = False
    d = dt(2024, 2026)
    venue = NEG(ch(["Hilton Chicago", "Marriott Marquis", "the Kennedy Center", "the Walter E. Washington Convention Center", "McCormick Place"]))
    out = [f"{ch(['DataSci Summit', 'Regional Health Policy Forum', 'OpenInfra Days', 'Midwest Supply Chain Conference'])} {d.year}", f"{fdate(d, 'long')} · {venue}", ""]
    t = 8 * 60 + 30
    i = 0
    sessions = ["Opening keynote", "Panel: " + ch(["Regulating AI in hospitals", "Resilient supply chains after " + NEG(ch(STORMS)), "Open source sustainability"]),
                "Talk", "Talk", "Lunch", "Fireside chat", "Lightning talks", "Closing remarks"]
    titles = sample(["Scaling " + NEG("Kaplan-Meier") + " to a billion rows", "What " + NEG("Hurricane Ian") + " taught us about inventory",
                     "Lessons from the " + NEG("Mayo Clinic") + " data platform", "Postgres at " + NEG(ch(SURNAME_COS)), "Beyond " + NEG("Bayesian") + " A/B tests",
                     "Migrating off " + NEG("Oracle") + " without downtime", "Forecasting demand with " + NEG("Markov") + " models"], 5)
    for sname in sessions:
        hh, mm = divmod(t, 60)
        if sname == "Lunch":
            out.append(f"{hh:02d}:{mm:02d}  Lunch — {NEG(ch(['Lincoln Room', 'Franklin Ballroom', 'Hamilton Terrace']))}")
        elif sname.startswith("Panel"):
            mod, *pan = ps[i:i + 4]
            i += 4
            out.append(f"{hh:02d}:{mm:02d}  {sname}\n       Moderator: {N(mod.full(middle=False))} ({NEG(ch(UNIS))})\n       Panelists: " + ", ".join(N(x.full(middle=False)) for x in pan))
        elif i < len(ps):
            p = ps[i]
            i += 1
            title = titles.pop()
            out.append(f"{hh:02d}:{mm:02d}  {sname}: \"{title}\"\n       {ch(['Dr. ', 'Prof. ', '', ''])}{N(p.full(middle=False))}, {ch(JOBS)}, {company()}")
        t += ch([30, 45, 60])
    out.append(f"\nProgram chair: {N(ps[-1].full(middle=False))} · Questions: {L(ps[-1].email(), 'EMAIL')}")
    return "\n".join(out)


@tpl("t_vet_visit", 5, "en")
def t_vet_visit():
    owner, vet, tech = people(3)
    pet = ch(["Max", "Bella", "Luna", "Charlie", "Daisy", "Cooper", "Biscuit", "Rocky", "Duke", "Sadie", "Winston", "Penny"])
    species, wt = ch([("Canine, Labrador Retriever", (55, 80)), ("Feline, DSH", (7, 14)), ("Canine, Beagle", (18, 30)),
                      ("Canine, Golden Retriever", (55, 75)), ("Feline, Maine Coon", (10, 20))])
    txt = (f"{ch(['Bramble Veterinary Hospital', 'Kestrel Animal Clinic', 'Juniper Pet Care'])}\nVisit summary — {fdate(dt(2024, 2025), 'long')}\n\n"
           f"Patient: {NEG(pet)} ({species})   Owner: {N(owner.inv(middle=False))}\n"
           f"Owner phone: {us_phone()}   Email: {L(owner.email(), 'EMAIL')}\n\n"
           f"Reason for visit: {ch(['annual wellness exam', 'vomiting x2 days', 'limping on left hind leg', 'ear scratching'])}.\n"
           f"Weight: {rint(*wt)} lb. Temp 101.{rint(0, 9)} F. {NEG(pet)} was {ch(['bright and alert', 'a little anxious but cooperative', 'very wiggly'])}.\n"
           f"Vaccines given: {ch(['DHPP, Rabies (3yr)', 'FVRCP', 'Bordetella', 'none today'])}.\n\n"
           f"Plan: {ch(['recheck in 2 weeks', 'bland diet for 3 days', 'radiographs if no improvement', 'start ear drops BID'])}. Call us if {NEG(pet)} stops eating.\n\n"
           f"Veterinarian: Dr. {N(vet.full(middle=False))}, DVM\nTechnician: {N(tech.first())}\n"
           f"Thank you for trusting us with {NEG(pet)}'s care, {N(owner.first())}!")
    return txt


NEG_DOCS = [
    lambda: (f"Release notes — version {version()}\n\n- Fixed crash when importing files from {NEG('Dropbox')}\n- The {NEG('Hamilton')} theme is now the default\n"
             f"- Upgraded {NEG('Jackson')} (JSON library) to {version()}\n- Removed support for {NEG('Internet Explorer')} 11\n- Build {version()} signed with key {hexs(16).upper()}\n"
             f"Known issue: exports to {NEG('Baker Hughes')} SFTP endpoints time out after {rint(30, 120)}s."),
    lambda: (f"NATIONAL WEATHER SERVICE — {NEG(ch(['Jackson', 'Houston', 'Charleston', 'Wilmington', 'Mobile']))} {ch(['MS', 'TX', 'SC', 'NC', 'AL'])}\n"
             f"{NEG(ch(STORMS))} advisory #{rint(5, 40)}\nMaximum sustained winds {rint(60, 150)} mph. Hurricane warnings remain in effect from {NEG('Morgan City')} to {NEG('Grand Isle')}.\n"
             f"Residents of {NEG('Georgetown')} and {NEG('Charleston')} counties should complete preparations. Next advisory at {hm(True)}."),
    lambda: (f"Top 10 titles checked out this month\n" + "\n".join(f"{i}. {NEG(b)}" for i, b in enumerate(sample(BOOKS, 6), 1)) +
             f"\nStaff pick: {NEG(ch(FILMS))} (DVD, Criterion Collection)\nThe library will be closed for {NEG('Martin Luther King Jr. Day')} and {NEG('Presidents Day')}."),
    lambda: (f"Product catalog — spring {rint(2024, 2026)}\nSKU {digits(6)}  {NEG('Dr. Martens')} 1460 boots, black  ${amount(120, 200)}\nSKU {digits(6)}  {NEG('Levi Strauss & Co.')} 501 Original  ${amount(50, 110)}\n"
             f"SKU {digits(6)}  {NEG('Wilson')} Pro Staff 97  ${amount(180, 260)}\nSKU {digits(6)}  {NEG('Hamilton Beach')} blender  ${amount(30, 90)}\n{NEG('Price')} match guarantee. Sample gift card {bad_luhn(16)} is for display only."),
    lambda: (f"Travel guide: three days in the {NEG('Carolinas')}\nDay 1: Walk {NEG('King Street')} in {NEG('Charleston')}, then the {NEG('Gibbes Museum')}.\nDay 2: Drive to {NEG('Wilmington')}; tour the {NEG('USS North Carolina')} battleship.\n"
             f"Day 3: {NEG('Raleigh')} — the {NEG('North Carolina Museum of Art')} and dinner on {NEG('Fayetteville Street')}. Stay at the {NEG('Hilton Garden Inn')} near {NEG('Duke')}."),
    lambda: (f"Job posting: {ch(JOBS)}\nReports to: {NEG(ch(JOB_TITLES))}\nLocation: {NEG(ch(CITIES))} (hybrid)\n"
             f"We are an equal opportunity employer. Experience with {NEG(ch(['Salesforce', 'Workday', 'SAP', 'Oracle']))} preferred. Apply with your résumé addressed to {NEG(ch(PLACEHOLDERS))}.\n"
             f"Dear {NEG(ch(PLACEHOLDERS))}, thank you for your interest — this is an automated message. Reference {order_no()}."),
    lambda: (f"Museum wall text\n{NEG('Rockefeller')} Wing, Gallery {rint(100, 400)}\nThe {NEG('Frick Collection')} loaned this work in {rint(1960, 2010)}. Acquired with funds from the {NEG('Annenberg Foundation')} and the {NEG('Mellon Foundation')}.\n"
             f"Audio guide stop {rint(100, 999)}. Photography without flash is permitted. The {NEG('Rose')} Garden closes at dusk."),
    lambda: (f"Medical glossary\n{NEG(ch(DISEASES))}: a disorder named after the physician who first described it.\n{NEG(ch(DISEASES))}: see also {NEG(ch(DISEASES))}.\n"
             f"{NEG('Heimlich maneuver')}: abdominal thrusts used to clear an obstructed airway.\n{NEG('Apgar score')}: a quick assessment of a newborn.\n{NEG('Glasgow Coma Scale')}: scored 3–15."),
    lambda: (f"Lorem ipsum dolor sit amet, consectetur adipiscing elit.\nName: {NEG(ch(PLACEHOLDERS))}\nEmail: {NEG('[email protected]')}\nPhone: (555) 555-5555\nCard: {NEG('4111 1111 1111 1112')}\n"
             f"SSN: {NEG('000-00-0000')}\nThis is sample data for the form designer. Replace {NEG('{{first_name}}')} and {NEG('{{last_name}}')} before sending."),
    lambda: (f"Parking & traffic notice\n{NEG('Washington Street')} between {NEG('Lincoln Ave')} and {NEG('Martin Luther King Jr. Blvd')} will be closed {fdate(dt(2024, 2026), 'long')} for the {NEG('Susan G. Komen')} 5K.\n"
             f"Detour via {NEG('Jefferson Davis Hwy')}. Shuttle from {NEG('Wrigley Field')} lot B. Contact the {NEG('Office of Special Events')}, ref. {order_no()}."),
    lambda: (f"Cocktail menu\n{NEG('Tom Collins')} — gin, lemon, soda  $14\n{NEG('Bloody Mary')} — vodka, tomato, celery salt  $13\n{NEG('Shirley Temple')} (zero proof)  $7\n"
             f"{NEG('Arnold Palmer')}  $6\n{NEG('Eggs Benedict')}, {NEG('Caesar salad')}, {NEG('Beef Wellington')} available until 11pm. {NEG('Earl Grey')} panna cotta."),
    lambda: (f"Fleet status\n{NEG(ch(SHIPS))}: in port, berth {rint(1, 40)}\n{NEG(ch(SHIPS))}: en route, ETA {fdate(dt(2024, 2026), 'iso')}\n{NEG('Queen Elizabeth')}: dry dock until Q{rint(1, 4)}\n"
             f"Vessel IMO {digits(7)}, MMSI {digits(9)}. Pilot boarding at {NEG('Cape Henry')}."),
    lambda: (f"Award announcement\nThe {NEG(ch(LAWS_PRIZES[:12]))} committee will announce this year's recipients on {fdate(dt(2024, 2026), 'long')}.\n"
             f"Past topics include {NEG('Higgs boson')} detection and {NEG('CRISPR')}. Nominations close at 23:59 UTC; submission portal version {version()}."),
]


@tpl("t_negatives_en", 12, "en")
def t_negatives_en():
    k = ch([1, 1, 2])
    return "\n\n".join(f() for f in sample(NEG_DOCS, k))


@tpl("t_news_article", 7, "en")
def t_news_article():
    ps = people(5)
    rep = ps[4]
    city = NEG(ch(CITIES))
    txt = (f"{ch(['Local', 'Business', 'Education', 'Community'])} | {fdate(dt(2024, 2025), 'long')}\n\n"
           f"{ch(['School board approves', 'City council delays vote on', 'Residents push back against', 'Nonprofit launches'])} {ch(['new bus routes', 'a downtown parking plan', 'library expansion', 'free tax clinic'])}\n"
           f"By {N(rep.full(middle=False))}{ch(['', ', Staff Writer'])}\n\n"
           f"{city} — {N(ps[0].with_nick() if ps[0].nick else ps[0].full())}, {ch(['a retired teacher', 'a small-business owner', 'a nurse at ' + NEG(ch(HOSPITALS)), 'a father of three'])}, has lived on {NEG(ch(STREETS))} for {rint(5, 40)} years. "
           f"\"{ch(['Nobody asked us', 'This will change everything for our kids', 'We just want the buses to run on time'])},\" {N(ps[0].sur())} said.\n\n"
           f"Council member {N(ps[1].full(middle=False))} said the plan {ch(['would cost about $2 million', 'was drafted with input from ' + NEG(ch(SURNAME_COS)), 'mirrors one adopted in ' + NEG(ch(CITIES).split(',')[0])])}. "
           f"{N(ps[1].sur())}'s opponent in the fall election, {N(ps[2].full(middle=False))}, called it {ch(['rushed', 'a giveaway', 'overdue'])}.\n\n"
           + ch([f"{NEG('Young')} families were well represented at the meeting. ", f"{NEG('Price')} increases for parking permits were on the agenda too. ",
                 f"{NEG('King')} County officials declined to comment. ", f"{NEG('Hunter')} Street merchants said they were not consulted. "]) +
           f"A spokeswoman for {NEG(ch(JOB_TITLES))}'s office referred questions to {N(ps[3].full(middle=False))}" + ch(["", ", who did not return calls"]) + ".\n\n"
           f"The next public hearing is {fdate(dt(2025, 2026), 'long')} at the {NEG(ch(['Lincoln', 'Jefferson', 'Roosevelt']) + ' Community Center')}.\n\n"
           f"Contact {N(rep.first())} at {L(rep.email(ch(['dailyherald.com', 'thecourier.net', 'metronews.org'])), 'EMAIL')}.")
    return txt


@tpl("t_insurance_claim", 6, "en")
def t_insurance_claim():
    insd, clmt, adj, wit = people(4)
    d = dt(2023, 2025)
    lt, desc = ch([("Auto collision", "Insured vehicle rear-ended at a red light; other driver was"), ("Water damage", "Pipe burst in upstairs bathroom; discovered by neighbor"),
                   ("Theft", "Bicycle stolen from garage; reported by"), ("Hail", "Hail damage to roof; inspected by contractor")])
    txt = (f"{ch(['Silverleaf Insurance', 'Granite Peak Mutual', 'Bluebird Casualty'])} — First Notice of Loss\nClaim #: {ch('ABCDEFGHJK')}{digits(9)}\nPolicy #: {ch(['HO', 'PA', 'CA'])}-{digits(8)}\n\n"
           f"Insured: {N(insd.full())}\nDOB: {L(fdate(dob_date(1950, 2000), ch(['us', 'iso'])), 'DATE_OF_BIRTH')}   SSN: {L(ssn(), 'US_SSN') if maybe(0.4) else masked_ssn()}\n"
           f"Claimant: {N(clmt.full(middle=False)) if maybe(0.6) else 'same as insured'}\nDate of loss: {fdate(d, 'us')}   Loss type: {lt}\n"
           f"Location: {us_address()}\n\nDescription: {desc} "
           f"{N(wit.full(middle=False))}. {ch(['Police report filed.', 'Photos attached.', 'No injuries reported.'])}\n"
           f"Payment method on file: {L(card_number(), 'BANK_CARD') if maybe(0.35) else masked_card()}\n\n"
           f"Assigned adjuster: {N(adj.full(middle=False))}, {ch(['CPCU', 'AIC', ''])}".rstrip(", ") + f"\nAdjuster email: {L(adj.email(), 'EMAIL')}\nNotes: {N(adj.first())} to call insured within 24h.")
    return txt


@tpl("t_honor_roll", 5, "en")
def t_honor_roll():
    school = NEG(ch(["Lincoln", "Washington", "Jefferson", "Roosevelt", "Kennedy", "Hamilton", "Madison"]) + " " + ch(["Middle", "High"]) + " School")
    out = [f"{school} — {ch(['Fall', 'Spring'])} {rint(2023, 2025)} Honor Roll", ""]
    for g in sample([6, 7, 8] if "Middle" in render(school)[0] else [9, 10, 11, 12], 2):
        out.append(f"Grade {g} — {ch(['High Honors', 'Honors', 'Principal’s List'])}")
        names = [N(p.full(middle=False)) if maybe(0.8) else N(p.inv(middle=False)) for p in people(rint(5, 9))]
        out.append(", ".join(names) if maybe(0.5) else "\n".join(names))
        out.append("")
    out.append(f"Congratulations! Certificates will be presented by Principal {N(person().full(middle=False))} at the assembly.")
    return "\n".join(out)


@tpl("t_signin_sheet", 5, "en")
def t_signin_sheet():
    ps = people(rint(5, 9))
    ev = ch(["Volunteer orientation", "Visitor log — Building C", "CPR class", "Open house", "Town hall"])
    out = [f"{ev} — sign-in sheet — {fdate(dt(2024, 2025), 'us')}", "", "Name                     | Time in | Email / Phone            | Host"]
    hosts = people(2)
    t = rint(8 * 60, 10 * 60)
    for p in ps:
        t += rint(1, 20)
        nm = p.full(middle=False) if maybe(0.7) else (p.first() + " " + p.last[0] + ".")
        contact = L(p.email(), "EMAIL") if maybe(0.6) else us_phone()
        out.append(f"{N(nm)}{' ' * max(1, 25 - len(nm))}| {t // 60:02d}:{t % 60:02d}   | {contact} | {N(ch(hosts).first())}")
    out.append(f"Badge printer: {NEG('Zebra ZD421')} fw {version()}")
    return "\n".join(out)



# ---------------------------------------------------------------------------------------------
# Chinese and mixed templates
# ---------------------------------------------------------------------------------------------
ZH_BRANDS = ["李宁", "王老吉", "周大福", "张小泉", "马应龙", "海底捞", "老干妈", "杨国福麻辣烫", "张亮麻辣烫", "陈李济", "胡庆余堂",
             "同仁堂", "全聚德", "周黑鸭", "王守义十三香", "谭木匠", "李锦记", "黄飞红", "曹氏鸭脖"]
ZH_PLACES = ["中山公园", "鲁迅公园", "中关村", "王府井", "张江高科", "陆家嘴", "周庄", "黄山", "白云山", "中山大学", "逸夫楼", "孔子学院",
             "岳麓书院", "杜甫草堂", "武侯祠", "郑州东站", "徐家汇", "鼓浪屿"]
ZH_LAWFIRMS = ["北京市金杜律师事务所", "上海市方达律师事务所", "北京市君合律师事务所", "广东华商律师事务所", "北京大成律师事务所", "浙江天册律师事务所"]
ZH_TITLES = ["先生", "女士", "总", "经理", "老师", "医生", "律师", "主任", "师傅"]


def zh_extra(existing):
    """One more Chinese name, distinct (full name and surname) from `existing`."""
    while True:
        n = zh_name()
        if n.zh not in {e.zh for e in existing} and n.sur not in {e.sur for e in existing}:
            return n


def zco():
    return NEG(FK["zh_CN"].company())


def zdate(d=None, style=None):
    return fdate(d or dt(2022, 2025), style or ch(["zh", "iso", "slash", "zh0"]))


def ztime():
    return f"{rint(7, 22):02d}:{rint(0, 59):02d}"


def zsur(n, title=None):
    """王先生 -> Z(王) + 先生."""
    t = title or (("先生" if n.gender == "M" else "女士") if maybe(0.7) else ch(ZH_TITLES[2:]))
    if n.minority:
        return Z(n.zh) + t
    return Z(n.sur) + t


@tpl("t_wechat_group_zh", 14, "zh")
def t_wechat_group_zh():
    ns = zh_names(rint(4, 6))
    estate = ch(ESTATES)
    disp = {}
    for n in ns:
        disp[id(n)] = ch([Z(n.zh), f"{rint(1, 20)}-{rint(1, 30)}{rint(1, 4):02d} {Z(n.zh)}", f"{rint(1, 20)}栋{Z(n.zh)}", Z(n.zh), f"{ch(ENG_FOR_CN)}_{Z(n.zh)}"])
    wuye = ns[-1]
    disp[id(wuye)] = f"物业-{ch(['小', '老'])}{Z(wuye.sur)}"
    addr, city = cn_address("dist")
    d = dt(2023, 2025)
    out = [f"【{estate}业主{rint(1, 3)}群】聊天记录 {zdate(d, 'iso')}"]
    a, b, c = ns[0], ns[1], ns[2]
    msgs = [
        (a, f"各位邻居，{rint(1, 20)}栋楼下的快递柜又坏了，有没有人联系一下物业？"),
        (b, f"@{Z(a.zh)} 我刚打了物业电话{L(cn_landline(city.rstrip('市')), 'CN_LANDLINE')}，说下午来修"),
        (wuye, f"收到，维修师傅{ch(['下午三点', '半小时后', '明天上午'])}到。另外提醒一下，{L(plate(), 'CN_LICENSE_PLATE')}的车主请挪一下车，挡住消防通道了。"),
        (c, f"是我家的，马上下来！不好意思。"),
        (a, f"谁家的猫跑丢了？橘色的，在{ch(['东门', '3号楼', '地库入口'])}附近"),
        (b, f"团购的{NEG(ch(ZH_BRANDS))}到了，放在{Z(c.sur)}{'阿姨' if c.gender == 'F' else '叔叔'}家门口，大家自己去拿"),
        (ns[3], f"有需要家教的吗？我女儿在{NEG(ch(['中山大学', '浙江大学', '复旦大学', '武汉大学']))}读研，周末有空，联系{L(cn_mobile(), 'CN_MOBILE')}"),
        (wuye, f"@所有人 本周六上午停水，请提前储水。有问题联系{zsur(ns[4 if len(ns) > 5 else 3], '经理')}。"),
        (c, f"收到[抱拳]"),
        (a, f"我的快递被人拿错了，收件地址{L(addr, 'ADDRESS_ZH')}，手机尾号{digits(4)}，麻烦看到的说一声"),
    ]
    t0 = rint(7 * 60, 19 * 60)
    for i in sorted(sample(range(len(msgs)), rint(5, 8))):
        who, m = msgs[i]
        t0 += rint(1, 30)
        out.append(f"{disp[id(who)]} {t0 // 60 % 24:02d}:{t0 % 60:02d}\n{m}")
    return "\n".join(out)


@tpl("t_minutes_zh", 11, "zh")
def t_minutes_zh():
    ns = zh_names(rint(5, 8))
    host, rec = ns[0], ns[1]
    d = dt(2023, 2025)
    kind = ch(["项目周会", "部门例会", "供应商评审会", "安全生产专题会", "校友会筹备会"])
    out = [f"{kind}会议纪要", f"时间：{zdate(d, 'zh')} {ztime()}", f"地点：{ch(['3楼大会议室', '腾讯会议', NEG(ch(ZH_PLACES)) + '旁的培训中心', '公司B座1205'])}",
           f"主持人：{Z(host.zh)}", f"记录人：{Z(rec.zh)}", "参会人员：" + ch(["、", "，", " "]).join(Z(n.zh) for n in ns[:-1])]
    if maybe(0.6):
        out.append(f"缺席：{Z(ns[-1].zh)}（{ch(['请假', '出差', '病假'])}）")
    x, y, z = ns[2], ns[3], ns[4 % len(ns)]
    out += ["", "一、会议议题",
            f"1. {Z(x.zh)}汇报了上周{ch(['接口联调', '供应商交付', '消防检查', '预算执行'])}进展，{ch(['整体按计划推进', '存在两周延期', '发现三处隐患'])}。",
            f"2. {zsur(y, '总')}提出，{NEG(ch(ZH_BRANDS))}项目的合同需在月底前完成法务审核。",
            f"3. 讨论了{ch(['年会场地', '新办公室装修', '服务器采购'])}方案，{Z(z.zh)}建议{ch(['压缩预算', '重新招标', '分两期实施'])}。",
            "", "二、决议及待办",
            f"| 事项 | 负责人 | 截止日期 |", f"| 更新项目排期 | {Z(x.zh)} | {zdate(d + datetime.timedelta(days=7), 'iso')} |",
            f"| 联系{zco()} | {Z(y.zh)} | {zdate(d + datetime.timedelta(days=10), 'iso')} |",
            f"| 提交采购申请 | {Z(z.zh)} | {zdate(d + datetime.timedelta(days=14), 'iso')} |", "",
            f"下次会议：{zdate(d + datetime.timedelta(days=7), 'zh')}，如有问题请联系{Z(rec.zh)}（{L(cn_mobile(), 'CN_MOBILE')}，{L(rec.py('gs').lower().replace(' ', '.') + '@' + ch(['company.cn', 'corp.com.cn', 'qq.com', '163.com']), 'EMAIL')}）。"]
    return "\n".join(out)


@tpl("t_waybill_zh", 11, "zh")
def t_waybill_zh():
    s, r = zh_names(2)
    a1, c1 = cn_address("full")
    a2, c2 = cn_address(ch(["full", "city"]))
    carrier, pre = ch([("顺丰速运", "SF"), ("中通快递", "ZT"), ("圆通速递", "YT"), ("京东物流", "JD"), ("EMS", "E"), ("韵达快递", "YD")])
    mask = maybe(0.4)
    rmob = masked_mobile() if mask else L(cn_mobile(ch(["plain", "plain", "sp"])), "CN_MOBILE")
    rname = (Z(r.sur) + "*" * len(r.giv)) if mask and maybe(0.5) else Z(r.zh)
    if mask and "*" in render(rname)[0]:
        rname = NEG(r.sur + "*" * len(r.giv))
    txt = (f"{carrier}  {ch(['标快', '特快', '电商标快', '次日达'])}\n运单号：{pre}{digits(ch([12, 13, 15]))}\n"
           f"{ch(['目的地代码', '分拣码'])}：{rint(100, 999)}-{rint(10, 99)}-{ch('ABCDEF')}{rint(1, 9)}\n\n"
           f"收件人：{rname}  {rmob}\n收件地址：{L(a2, 'ADDRESS_ZH')}\n\n"
           f"寄件人：{Z(s.zh)}  {L(cn_mobile(), 'CN_MOBILE') if maybe(0.7) else L(cn_landline(c1.rstrip('市')), 'CN_LANDLINE')}\n寄件地址：{L(a1, 'ADDRESS_ZH')}\n\n"
           f"托寄物：{ch(['文件', '衣物', '电子产品', '食品', '书籍'])}  重量：{R.uniform(0.2, 12):.1f}kg  付款方式：{ch(['寄付月结', '到付', '寄付现结'])}\n"
           f"月结卡号：{digits(10)}  订单号：{fake_id18() if maybe(0.3) else digits(16)}\n"
           f"签收人：__________  {ch(['已验视', '未验视'])}  客服热线：{ch(['95338', '95311', '95554', '11183', '400-111-1111'])}")
    return txt


@tpl("t_judgment_zh", 11, "zh")
def t_judgment_zh():
    pl, df, att, judge, clerk, rep = zh_names(6)
    b = dob_date(1960, 2000)
    addr, city = cn_address("full")
    firm = NEG(ch(ZH_LAWFIRMS))
    co = zco()
    prov_, city_, dists_ = ch(CN_GEO)
    court = f"{city_}中级人民法院" if maybe(0.3) else f"{city_}{ch(dists_)}人民法院"
    criminal = maybe(0.3)
    case_kind, pay_kind = ch([("劳动争议", "工资"), ("房屋租赁合同纠纷", "押金及租金"), ("买卖合同纠纷", "货款"), ("民间借贷纠纷", "借款本金")])
    if criminal:
        vic = ch(["王", "李", "张", "刘", "陈", "杨"])
        txt = (f"{court}\n刑事判决书\n（{d_year()}）{PROV_ABBR[prov_ or city_]}0{rint(100, 199)}刑初{rint(100, 999)}号\n\n"
               f"公诉机关{city_}{ch(dists_)}人民检察院。\n被告人{NEG(vic + '某')}，男，{rint(1970, 2000)}年出生，汉族，初中文化，无业。因涉嫌盗窃罪于{zdate(dt(2023, 2024), 'zh')}被刑事拘留。\n"
               f"辩护人{Z(att.zh)}，{firm}律师。\n\n"
               f"经审理查明：{zdate(dt(2023, 2024), 'zh')}，被告人{NEG(vic + '某')}在{NEG(ch(ZH_PLACES))}附近盗窃被害人{NEG(ch(['张', '赵', '孙', '周']) + '某某')}电动车一辆，价值人民币{rint(1500, 9000)}元。\n"
               f"本院认为，被告人{NEG(vic + '某')}以非法占有为目的，秘密窃取他人财物，数额较大，其行为已构成盗窃罪。\n\n"
               f"审判员　{Z(judge.zh)}\n{zdate(dt(2024, 2025), 'zh')}\n书记员　{Z(clerk.zh)}")
        return txt
    txt = (f"{court}\n民事判决书\n（{d_year()}）{PROV_ABBR[prov_ or city_]}0{rint(100, 199)}民初{rint(1000, 29999)}号\n\n"
           f"原告：{Z(pl.zh)}，{'男' if pl.gender == 'M' else '女'}，{L(fdate(b, 'zh'), 'DATE_OF_BIRTH')}出生，汉族，住{L(addr, 'ADDRESS_ZH')}。\n"
           + (f"公民身份号码：{L(cn_id(b), 'CN_RESIDENT_ID')}。\n" if maybe(0.5) else "") +
           f"委托诉讼代理人：{Z(att.zh)}，{firm}律师。\n"
           f"被告：{co}，住所地{L(cn_address('full')[0], 'ADDRESS_ZH')}。\n法定代表人：{Z(rep.zh)}，该公司总经理。\n"
           + (f"被告：{Z(df.zh)}，{'男' if df.gender == 'M' else '女'}，{rint(1965, 2000)}年出生，汉族，住{cn_city_only()}。\n" if maybe(0.5) else "") +
           f"\n原告{Z(pl.zh)}与被告{co}{case_kind}一案，本院于{zdate(dt(2023, 2024), 'zh')}立案后，依法适用简易程序，公开开庭进行了审理。"
           f"原告{Z(pl.zh)}及其委托诉讼代理人{Z(att.zh)}到庭参加诉讼。\n\n"
           f"判决如下：\n一、被告{co}于本判决生效之日起十日内支付原告{Z(pl.zh)}{pay_kind}{rint(8000, 300000)}元；\n二、驳回原告{Z(pl.zh)}的其他诉讼请求。\n"
           f"案件受理费{rint(50, 3000)}元，由被告负担。\n\n审判员　{Z(judge.zh)}\n{zdate(dt(2024, 2025), 'zh')}\n书记员　{Z(clerk.zh)}")
    return txt


PROV_ABBR = {"北京市": "京", "上海市": "沪", "天津市": "津", "重庆市": "渝", "广东省": "粤", "浙江省": "浙", "江苏省": "苏", "四川省": "川",
             "湖北省": "鄂", "山东省": "鲁", "福建省": "闽", "河南省": "豫", "陕西省": "陕", "湖南省": "湘", "辽宁省": "辽", "安徽省": "皖",
             "云南省": "云", "广西壮族自治区": "桂", "新疆维吾尔自治区": "新", "河北省": "冀", "江西省": "赣", "黑龙江省": "黑"}


def d_year():
    return str(rint(2022, 2025))


@tpl("t_medical_zh", 11, "zh")
def t_medical_zh():
    pt, dr, fam, dr2 = zh_names(4)
    b = dob_date(1940, 2004)
    vd = dt(2024, 2025)
    age = vd.year - b.year - ((vd.month, vd.day) < (b.month, b.day))
    cc, dx, dept, why = ch([("右手静止性震颤8个月", "帕金森病？", "神经内科", "DBS术前评估"), ("反复上腹痛伴体重下降3月", "克罗恩病待排", "消化内科", "结肠镜及病理检查"),
                            ("多饮多尿1年", "2型糖尿病", "内分泌科", "调整胰岛素方案"), ("胸闷气短2周", "冠心病待排", "心血管内科", "冠脉造影"),
                            ("乏力、怕冷半年", "桥本甲状腺炎", "内分泌科", "甲状腺穿刺"), ("发热咳嗽3天", "社区获得性肺炎", "呼吸内科", "胸部CT复查")])
    hosp = ch(["市第一人民医院", "协和医院", "华西医院", "中山大学附属第三医院", "省人民医院", "瑞金医院"])
    addr, _ = cn_address()
    kind = ch(["record", "referral"])
    head = "门诊病历" if kind == "record" else "双向转诊单（转出）"
    txt = (f"{NEG(hosp)} {head}\n门诊号：{digits(10)}  科室：{dept}  就诊日期：{zdate(vd, 'iso')}\n\n"
           f"姓名：{Z(pt.zh)}　性别：{'男' if pt.gender == 'M' else '女'}　年龄：{age}岁\n"
           f"出生日期：{L(fdate(b, ch(['iso', 'zh', 'slash'])), 'DATE_OF_BIRTH')}\n"
           + (f"身份证号：{L(cn_id(b), 'CN_RESIDENT_ID')}\n" if maybe(0.6) else f"医保卡号：{digits(10)}\n") +
           f"联系电话：{L(cn_mobile(), 'CN_MOBILE')}　现住址：{L(addr, 'ADDRESS_ZH')}\n"
           f"家属：{Z(fam.zh)}（{ch(['配偶', '女儿', '儿子'] if age > 40 else ['配偶', '母亲', '父亲'])}）{L(cn_mobile(), 'CN_MOBILE')}\n\n"
           f"主诉：{cc}。\n"
           f"既往史：{ch(['高血压10年', '否认', '2型糖尿病', '甲状腺功能减退'])}。家族史：{ch(['父亲患帕金森病', '母亲有阿尔茨海默病', '无特殊'])}。\n"
           f"初步诊断：{dx}\n")
    if kind == "referral":
        txt += f"转往：{NEG(ch(['北京协和医院', '华山医院', '湘雅医院', '齐鲁医院']))}{dept} {zsur(dr2, '主任')}\n转诊原因：需进一步{why}。\n"
    txt += f"\n医师签名：{Z(dr.zh)}　　{zdate(vd, 'zh')}"
    return txt


@tpl("t_roster_table_zh", 12, "zh")
def t_roster_table_zh():
    ns = zh_names(rint(4, 7))
    depts = ["财务部", "技术部", "市场部", "人力资源部", "运营部", "法务部"]
    style = ch(["md", "csv", "tsv"])
    cols = ["工号", "姓名", "部门", "手机号", "身份证号", "入职日期", "工资卡号"]
    if maybe(0.4):
        cols = ["工号", "姓名", "拼音", "部门", "手机号", "邮箱", "入职日期"]
    sep = {"md": " | ", "csv": ",", "tsv": "\t"}[style]
    out = [f"{ch(['员工花名册', '2024年新员工信息表', '通讯录（内部）'])}（{zdate(dt(2024, 2025), 'iso')}导出）"]
    out.append(("| " if style == "md" else "") + sep.join(cols) + (" |" if style == "md" else ""))
    if style == "md":
        out.append("|" + "---|" * len(cols))
    for n in ns:
        b = dob_date(1970, 2002)
        row = []
        for c in cols:
            row.append({"工号": f"{ch(['E', 'HR', ''])}{digits(5)}", "姓名": Z(n.zh), "拼音": N(n.py(ch(["gs", "SG", "CAPS"]))),
                        "部门": ch(depts), "手机号": L(cn_mobile(ch(["plain", "plain", "dash", "sp"])), "CN_MOBILE"),
                        "身份证号": L(cn_id(b), "CN_RESIDENT_ID") if maybe(0.8) else cn_id(b)[:6] + "********" + cn_id(b)[-4:],
                        "入职日期": zdate(dt(2015, 2024), ch(["iso", "slash"])),
                        "工资卡号": L(card_number(ch(["unionpay", "unionpay19"])), "BANK_CARD") if maybe(0.7) else masked_card(),
                        "邮箱": L(f"{n.sur_py.lower()}{n.giv_py.lower()}@{ch(['corp.cn', 'company.com.cn', 'qq.com'])}" if not n.minority else f"user{digits(5)}@qq.com", "EMAIL")}[c])
        out.append(("| " if style == "md" else "") + sep.join(row) + (" |" if style == "md" else ""))
    out.append(f"制表人：{ch(['人力资源部', Z(zh_extra(ns).zh)])}")
    return "\n".join(out)


@tpl("t_lease_zh", 10, "zh")
def t_lease_zh():
    a, b, agent = zh_names(3)
    addr, city = cn_address("full")
    b1, b2 = dob_date(1955, 1995), dob_date(1975, 2003)
    txt = (f"房屋租赁合同\n合同编号：{ch(['ZL', 'HT'])}{d_year()}{digits(6)}\n\n"
           f"出租方（甲方）：{Z(a.zh)}\n身份证号：{L(cn_id(b1), 'CN_RESIDENT_ID')}\n联系电话：{L(cn_mobile(), 'CN_MOBILE')}\n\n"
           f"承租方（乙方）：{Z(b.zh)}\n证件号码：{L(cn_id(b2), 'CN_RESIDENT_ID') if maybe(0.7) else L(cn_passport(), 'CN_PASSPORT')}\n联系电话：{L(cn_mobile(), 'CN_MOBILE')}\n\n"
           f"第一条 甲方将其拥有的位于{L(addr, 'ADDRESS_ZH')}的房屋（建筑面积{rint(35, 160)}平方米）出租给乙方居住使用。\n"
           f"第二条 租期自{zdate(dt(2024, 2025), 'zh')}起至{zdate(dt(2026, 2027), 'zh')}止。月租金人民币{rint(18, 120) * 100}元，押一付三。\n"
           f"第三条 租金支付至甲方账户：{NEG(ch(['中国工商银行', '招商银行', '中国建设银行', '中国银行']))}，卡号{L(card_number(ch(['unionpay', 'unionpay19'])), 'BANK_CARD')}，户名{Z(a.zh)}。\n"
           f"第四条 水电燃气费由乙方承担，物业费由甲方承担。\n\n"
           f"居间方：{NEG(ch(['链家', '我爱我家', '贝壳找房', '中原地产', '麦田房产']))}　经纪人：{Z(agent.zh)}　{L(cn_mobile(), 'CN_MOBILE')}\n\n"
           f"甲方（签字）：{Z(a.zh)}　　乙方（签字）：{Z(b.zh)}\n签订日期：{zdate(dt(2024, 2025), 'zh')}")
    return txt


@tpl("t_news_zh", 11, "zh")
def t_news_zh():
    rep, rep2, off, cit, cit2 = zh_names(5)
    city = ch(CN_GEO)[1]
    txt = (f"{ch(['本报讯', '新华社电', '晚报讯'])}（记者{Z(rep.zh)} 通讯员{Z(rep2.zh)}）{ch(['昨天', '近日', str(rint(1, 28)) + '日'])}，{city}{ch(['首个社区食堂', '新一批公共充电桩', '老旧小区加装电梯项目', '“一老一小”服务中心'])}正式投入使用。\n\n"
           f"“{ch(['以前吃饭要走两站路，现在下楼就到', '充电再也不用排长队了', '终于不用爬六楼了'])}。”家住{NEG(ch(ZH_PLACES))}附近的市民{zsur(cit)}告诉记者。"
           f"{ch(['退休教师', '社区志愿者', '外卖骑手'])}{Z(cit2.zh)}也表示，{ch(['价格实惠，菜品丰富', '希望能推广到更多小区', '服务很贴心'])}。\n\n"
           f"据{city}{ch(['民政局', '发改委', '住建局'])}{ch(['副局长', '相关负责人', '处长'])}{Z(off.zh)}介绍，{ch(['今年还将新建', '全市已累计建成', '明年计划再建'])}{rint(12, 80)}个同类设施。"
           f"项目由{NEG(ch(ZH_BRANDS))}等企业参与共建，{ch(['周末', '工作日'])}营业时间为{ch(['7:00-19:00', '6:30-20:00'])}。\n\n"
           f"（责任编辑：{Z(zh_extra([rep, rep2, off, cit, cit2]).zh)}）")
    return txt



@tpl("t_travel_booking_mixed", 11, "mixed")
def t_travel_booking_mixed():
    ns = zh_names(rint(1, 3), minority=0)
    code, airline = ch([("CA", "中国国际航空"), ("MU", "东方航空"), ("CZ", "南方航空"), ("HU", "海南航空"), ("CX", "国泰航空")])
    a1, a2 = sample(["PEK", "PVG", "CAN", "SZX", "CTU", "HGH", "XIY", "HKG", "NRT", "SIN", "LAX", "FRA"], 2)
    d = dt(2024, 2026)
    kind = ch(["itin", "hotel"])
    if kind == "itin":
        out = [f"{airline} 电子客票行程单 / ITINERARY RECEIPT", f"订座记录编号 PNR: {''.join(ch('ABCDEFGHJKLMNPQRSTUVWXYZ23456789') for _ in range(6))}", ""]
        for n in ns:
            intl = a1 in ("HKG", "NRT", "SIN", "LAX", "FRA") or a2 in ("HKG", "NRT", "SIN", "LAX", "FRA")
            doc = L(cn_passport(), "CN_PASSPORT") if intl else L(cn_id(), "CN_RESIDENT_ID")
            out.append(f"旅客姓名 Passenger: {Z(n.zh)} {N(n.sur_py.upper() + '/' + n.giv_py.upper())} {'MR' if n.gender == 'M' else 'MS'}")
            out.append(f"有效身份证件号码 ID No.: {doc}")
            out.append(f"票号 E-Ticket: {rint(781, 999)}-{digits(10)}")
        out += ["", f"航班 Flight {code}{rint(100, 9999)}  {d.day:02d}{MON3[d.month - 1].upper()}  {a1}-{a2}  {ztime()}  舱位 {ch('YBMHKLQ')}  行李 {ch(['20K', '23K', '2PC'])}",
                f"联系人 Contact: {Z(ns[0].zh)}  {L(cn_mobile(), 'CN_MOBILE')}  {L(ns[0].sur_py.lower() + ns[0].giv_py.lower() + str(rint(1, 99)) + '@' + ch(['163.com', 'qq.com', 'gmail.com', '126.com']), 'EMAIL')}",
                f"验证码 Check code: {digits(4)}  保险费 Insurance: XXX", f"Issued by: {NEG(ch(['携程旅行网', '去哪儿网', '飞猪旅行', 'Trip.com']))}  {zdate(d - datetime.timedelta(days=rint(3, 40)), 'iso')}"]
        return "\n".join(out)
    g = ns[0]
    fg = person(origin=lambda: wch([("anglo", 3), ("euro", 2), ("korean", 1), ("japanese", 1), ("indian", 1)]))
    addr, _ = cn_address("full")
    out = [f"{NEG(ch(['北京王府井希尔顿酒店', '上海浦东丽思卡尔顿酒店', '广州白云宾馆', '成都香格里拉大酒店', '杭州西湖国宾馆']))} 入住登记 / Registration Card",
           f"确认号 Conf. No.: {digits(9)}   房号 Room: {rint(3, 40)}{rint(1, 40):02d}", "",
           f"宾客姓名 Guest name: {Z(g.zh)} ({N(g.py(ch(['sg', 'SG', 'gs'])))})",
           f"证件类型 ID type: 居民身份证   证件号 ID No.: {L(cn_id(), 'CN_RESIDENT_ID')}",
           f"同住人 Sharer: {N(fg.full(middle=False))}, Passport {ch(['US', 'GB', 'DE', 'KR', 'JP', 'IN'])}{digits(8)}" if maybe(0.5) else f"同住人 Sharer: 无",
           f"手机 Mobile: {L(cn_mobile(), 'CN_MOBILE')}   地址 Address: {L(addr, 'ADDRESS_ZH')}",
           f"车牌 Plate (parking): {L(plate(), 'CN_LICENSE_PLATE')}" if maybe(0.4) else "车牌 Plate (parking): —",
           f"入住 Arrival: {zdate(d, 'iso')}   离店 Departure: {zdate(d + datetime.timedelta(days=rint(1, 5)), 'iso')}",
           f"付款方式 Payment: {ch(['微信支付', '支付宝', '银联 ' + masked_card(), 'Visa ' + masked_card()])}",
           f"前台 Front desk: {Z(zh_extra(ns).zh)}"]
    return "\n".join(out)


@tpl("t_bilingual_email_mixed", 13, "mixed")
def t_bilingual_email_mixed():
    fo = person(origin=lambda: wch([("anglo", 4), ("euro", 2), ("indian", 1), ("korean", 1), ("hispanic", 1)]))
    fo.eastern = False
    zs = zh_names(3, minority=0)
    a, b, c = zs
    en_a = ch(ENG_FOR_CN)
    addr, city = cn_address("full")
    a_py = a.py(ch(["gs", "sg"]))
    sig_name = ch([f"{N(en_a + ' ' + a.sur_py)} {Z(a.zh)}", f"{Z(a.zh)} {N(a_py)}", f"{N(en_a)} ({Z(a.zh)})"])
    dom = ch(["huaxin-tech.com", "szyl.com.cn", "jinhe-mfg.cn", "163.com"])
    txt = (f"From: {N(en_a + ' ' + a.sur_py)} <{L(en_a.lower() + '.' + a.sur_py.lower() + '@' + dom, 'EMAIL')}>\nTo: {N(fo.full(middle=False))} <{L(fo.email(domain_of(company())), 'EMAIL')}>\n"
           f"Cc: {N(b.py('gs'))} <{L(b.giv_py.lower() + '.' + b.sur_py.lower() + '@' + dom, 'EMAIL')}>\nSubject: RE: samples / 样品寄送\n\n"
           f"Hi {N(fo.first())},\n\nThanks for your email. {ch(['The samples were shipped today', 'Our factory will ship the samples on Monday', 'We sent the revised quotation yesterday'])}. "
           f"Please find the {ch(['tracking number SF' + digits(12), 'PI No. ' + order_no(), 'invoice ' + order_no()])} below.\n\n"
           f"For customs, our consignee details are:\n收货人：{Z(c.zh)}\n电话：{L(cn_mobile(), 'CN_MOBILE')}\n地址：{L(addr, 'ADDRESS_ZH')}\n\n"
           f"{zsur(b, '经理')}说 the price is valid until {fdate(dt(2025, 2026), 'long')}. If you have any question, please call me at {L(cn_mobile(ch(['+86sp', '+86', 'sp'])), 'CN_MOBILE')} "
           f"or our office {L(cn_landline(city.rstrip('市')), 'CN_LANDLINE')}{ch(['', '转' + str(rint(800, 8999))])}.\n\n"
           f"Best regards,\n{sig_name}\n{ch(['Sales Manager', 'Export Dept.', '外贸部'])} | {zco()}\n\n"
           f"-----Original Message-----\nFrom: {N(fo.full(middle=False))}\nSent: {fdate(dt(2024, 2025), 'long')}\n\n"
           f"Dear {N(en_a)},\nCould you send {rint(2, 10)} samples of item {ch(['A', 'B', 'HX'])}-{rint(100, 999)} to our {NEG(ch(CITIES))} office? "
           f"Please also copy {N(b.py('gs'))} on the shipping notice.\nThanks,\n{N(fo.first())}")
    return txt


@tpl("t_school_notice_zh", 10, "zh")
def t_school_notice_zh():
    st, tch, par, head = zh_names(4, minority=0.05)
    kind = ch(["notice", "grades", "award"])
    school, grade = ch([("实验小学", "三年级（2）班"), ("中山路小学", "五年级（1）班"), ("第二中学", "初二（6）班"), ("育才中学", "高一（3）班"),
                        ("外国语学校", "七年级（4）班"), ("人大附中分校", "八年级（3）班"), ("鲁迅中学", "高二（1）班")])
    school = NEG(school)
    d = dt(2024, 2025)
    if kind == "notice":
        txt = (f"{school}{grade}家长会通知\n\n各位家长：\n兹定于{zdate(d, 'zh')}（{WDAY_ZH[d.weekday()]}）{ztime()}在本班教室召开家长会，请准时参加。\n"
               f"如无法到场，请提前联系班主任{zsur(tch, '老师')}（{L(cn_mobile(), 'CN_MOBILE')}）。\n\n"
               f"特别提醒：{Z(st.zh)}同学的家长{Z(par.zh)}，请携带{ch(['体检表', '医保缴费凭证', '研学回执'])}。\n\n"
               f"{school}{grade}\n班主任：{Z(tch.zh)}\n{zdate(d - datetime.timedelta(days=rint(2, 7)), 'zh')}")
    elif kind == "grades":
        ss = zh_names(rint(4, 6))
        rows = "\n".join(f"{i} | {Z(n.zh)} | {rint(60, 100)} | {rint(60, 100)} | {rint(60, 100)}" for i, n in enumerate(ss, 1))
        txt = (f"{grade}期中考试成绩单（{d_year()}学年）\n序号 | 姓名 | 语文 | 数学 | 英语\n{rows}\n\n"
               f"注：成绩仅供家长查看，请勿外传。有疑问请联系{zsur(tch, '老师')}。")
    else:
        txt = (f"喜报\n热烈祝贺我校{grade}{Z(st.zh)}同学在{ch(['全国青少年科技创新大赛', '全市中小学生作文比赛', '省青少年羽毛球锦标赛'])}中荣获{ch(['一等奖', '二等奖', '金牌'])}！"
               f"指导教师：{Z(tch.zh)}。\n\n特此表彰。\n{school}\n校长 {Z(head.zh)}\n{zdate(dt(2024, 2025), 'zh')}")
    return txt


@tpl("t_cs_ticket_zh", 11, "zh")
def t_cs_ticket_zh():
    u, agent, lead = zh_names(3)
    addr, city = cn_address()
    fo = maybe(0.3)
    t1, t2, t3 = sorted(ztime() for _ in range(3))
    txt = (f"客服工单 #{ch(['GD', 'CS', 'TK'])}{digits(10)}\n创建时间：{zdate(dt(2024, 2025), 'iso')} {ztime()}:{rint(0, 59):02d}\n渠道：{ch(['电话', '在线客服', 'APP反馈', '微博私信'])}\n"
           f"用户：{Z(u.zh)}" + (f"（{N(u.py('gs'))}）" if fo else "") + f"　手机：{L(cn_mobile(), 'CN_MOBILE') if maybe(0.7) else masked_mobile()}\n"
           "问题描述：用户反映" +
           ch([f"外卖送错地址，正确地址为{L(addr, 'ADDRESS_ZH')}。", f"会员重复扣费，扣款银行卡{masked_card()}，要求退回。",
               f"退款三天未到账，要求退回至银行卡{L(card_number('unionpay'), 'BANK_CARD')}。", f"账号异地登录，登录IP {L(ip(), 'IP_ADDRESS')}，设备ID {uuid()}。",
               f"快递显示签收但未收到，收货地址{L(addr, 'ADDRESS_ZH')}。"]) +
           f"\n处理记录：\n{t1} 客服{Z(agent.zh)}（工号{rint(1000, 9999)}）已致电用户，{ch(['用户未接听', '已安抚', '用户要求升级处理'])}。\n"
           f"{t2} 已升级至组长{Z(lead.zh)}，预计{rint(1, 3)}个工作日内回复。\n"
           f"{t3} {Z(lead.sur)}{ch(['组长', '经理', '主管'])}备注：{ch(['已补偿优惠券20元', '已退款', '请财务核实'])}。\n"
           f"回访电话：{L(cn_mobile(), 'CN_MOBILE') if maybe(0.5) else L(cn_landline(), 'CN_LANDLINE')}　客服热线：{ch(['400-820-8820', '95188', '10086', '400-610-6868'])}")
    return txt


@tpl("t_resume_zh2", 10, "zh")
def t_resume_zh2():
    me, ref = zh_names(2)
    b = dob_date(1975, 2002)
    addr, city = cn_address(ch(["full", "city"]))
    uni = ch(["浙江大学", "华中科技大学", "四川大学", "山东大学", "中山大学", "厦门大学", "南开大学"])
    txt = (f"个 人 简 历\n\n| 姓名 | {Z(me.zh)} | 性别 | {'男' if me.gender == 'M' else '女'} |\n| 出生年月 | {L(fdate(b, ch(['zh', 'iso', 'dot'])), 'DATE_OF_BIRTH')} | 民族 | 汉 |\n"
           f"| 政治面貌 | {ch(['群众', '中共党员', '共青团员'])} | 籍贯 | {ch(CN_GEO)[1]} |\n| 手机 | {L(cn_mobile(), 'CN_MOBILE')} | 邮箱 | {L(me.sur_py.lower() + me.giv_py.lower() + '@' + ch(['163.com', 'qq.com', 'foxmail.com', '126.com']), 'EMAIL')} |\n"
           f"| 现居地址 | {L(addr, 'ADDRESS_ZH')} |||\n\n"
           f"英文名 English name: {N(me.py(ch(['gs', 'SG'])))}\n\n"
           f"教育背景\n{b.year + 18}.09-{b.year + 22}.06  {NEG(uni)}  {ch(['会计学', '计算机科学与技术', '土木工程', '英语'])}  本科\n\n"
           f"工作经历\n{b.year + 22}.07-至今  {zco()}  {ch(['财务专员', '后端开发工程师', '项目经理', '外贸业务员'])}\n"
           f"· 负责{ch(['月度结账', '订单系统重构', '海外客户开发', '施工现场管理'])}，{ch(['效率提升30%', '零差错', '年销售额1200万'])}\n\n"
           f"证书：{ch(['CPA', '软考高级', 'PMP', '英语六级'])}\n"
           f"证明人：{Z(ref.zh)}（前{ch(['直属上级', '部门经理', '导师'])}）{L(cn_mobile(), 'CN_MOBILE')}\n"
           f"身份证号：{L(cn_id(b), 'CN_RESIDENT_ID') if maybe(0.5) else '（面试时提供）'}")
    return txt


WDAY_ZH = ["星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日"]


@tpl("t_obit_wedding_zh", 10, "zh")
def t_obit_wedding_zh():
    if maybe(0.5):
        dec, son, dau, org = zh_names(4, minority=0)
        b = dob_date(1925, 1950)
        txt = (f"讣　告\n\n{ch(['我国著名', '原', '中国共产党优秀党员、'])}{NEG(ch(['市第一中学', '省建筑设计院', '市纺织厂', '铁路局']))}{ch(['退休教师', '高级工程师', '老工人'])}{Z(dec.zh)}同志，"
               f"因病医治无效，于{zdate(dt(2024, 2025), 'zh')}在{NEG(ch(['市人民医院', '协和医院', '瑞金医院']))}逝世，享年{rint(75, 98)}岁。\n\n"
               f"{Z(dec.zh)}同志{L(fdate(b, 'zh'), 'DATE_OF_BIRTH')}出生于{ch(CN_GEO)[1]}，{b.year + 20}年参加工作。"
               f"{ch(['他', '她'])}一生勤勤恳恳，深受同事爱戴。\n\n"
               f"兹定于{zdate(dt(2024, 2025), 'zh')}上午9时在{NEG(ch(['八宝山殡仪馆', '龙华殡仪馆', '银河公墓']))}举行遗体告别仪式。\n\n"
               f"联系人：{Z(son.zh)}（{ch(['长子', '次子', '侄子'])}）{L(cn_mobile(), 'CN_MOBILE')}　{Z(dau.zh)}（{ch(['长女', '女儿'])}）\n{Z(org.zh)}治丧小组敬告")
    else:
        g, br, gf, bf, mc = zh_names(5, minority=0)
        d = dt(2025, 2026)
        addr, _ = cn_address("full")
        txt = (f"婚礼请柬\n\n谨定于{zdate(d, 'zh')}（{WDAY_ZH[d.weekday()]}）为\n"
               f"{Z(g.zh)}先生 与 {Z(br.zh)}女士\n举行结婚典礼，敬备喜宴，恭请光临。\n\n"
               f"席设：{NEG(ch(['香格里拉大酒店', '希尔顿酒店', '喜来登酒店', '金陵饭店']))}{ch(['宴会厅', '二楼锦绣厅', '三楼花园厅'])}（{L(addr, 'ADDRESS_ZH')}）\n"
               f"时间：{ch(['中午11:58', '晚上18:18'])}\n\n{Z(gf.zh)} {Z(bf.zh)} 敬邀\n"
               f"证婚人：{Z(mc.zh)}　联系电话：{L(cn_mobile(), 'CN_MOBILE')}")
    return txt


@tpl("t_police_notice_zh", 10, "zh")
def t_police_notice_zh():
    off, off2, rep = zh_names(3, minority=0)
    city = ch(CN_GEO)
    d = dt(2024, 2025)
    m1 = ch(["王", "李", "张", "刘", "陈", "赵", "周"])
    dist = ch(city[2])
    txt = (f"警情通报\n\n{zdate(d, 'zh')}{ztime()}许，{city[1]}公安局{dist}分局接群众报警称，{NEG(ch(ZH_PLACES))}附近一小区内发生一起纠纷。"
           f"接警后，民警{Z(off.zh)}、{Z(off2.zh)}迅速赶到现场处置。\n\n"
           f"经初步调查，{NEG(m1 + '某')}（男，{rint(20, 60)}岁，{ch(['本地人', '外地来蓉务工人员', '无业'])}）与{NEG(ch(['张', '赵', '孙', '周', '吴']) + '某某')}（女，{rint(20, 60)}岁）"
           f"因{ch(['停车问题', '装修噪音', '债务纠纷'])}发生口角，{NEG(m1 + '某')}持{ch(['木棍', '水果刀'])}将对方打伤。伤者已送医救治，无生命危险。"
           f"目前，{NEG(m1 + '某')}已被依法刑事拘留，案件正在进一步侦办中。\n\n"
           f"报警人{zsur(rep, ch(['女士', '先生']))}表示感谢。在此提醒广大市民，遇事冷静，理性维权。如有线索请拨打110或联系办案民警{Z(off.sur)}警官。\n\n"
           f"{city[1]}公安局{dist}分局\n{zdate(d + datetime.timedelta(days=1), 'zh')}")
    return txt


@tpl("t_team_chat_mixed", 13, "mixed")
def t_team_chat_mixed():
    zs = zh_names(3, minority=0)
    fo = person(origin=lambda: wch([("anglo", 3), ("indian", 2), ("euro", 1), ("korean", 1)]))
    fo.eastern = False
    names = {}
    for z in zs:
        names[id(z)] = ch([N(z.py("gs")), N(ch(ENG_FOR_CN) + " " + z.sur_py), Z(z.zh)])
    names[id(fo)] = N(fo.full(middle=False))
    a, b, c = zs
    alias = {id(z): render(names[id(z)])[0] for z in zs}

    def ref(z):
        """How others mention z: the same display name, or the Chinese name."""
        disp = alias[id(z)]
        if re.search(r"[\u4e00-\u9fff]", disp):
            return Z(disp)
        return N(disp.split(" ")[0]) if maybe(0.6) else N(disp)

    msgs = [
        (a, f"@{ref(b)} 这个PR帮忙review一下，CI挂在 {NEG('test_kaplan_meier')} 上了"),
        (b, f"ok 我看一下，应该是 {version()} 的 regression"),
        (fo, f"Thanks {ref(a)}! Can we ship this before the {NEG('Morgan Stanley')} demo on Friday?"),
        (c, f"prod 上 {L(ipv4(True), 'IP_ADDRESS')} 这台机器 CPU 100% 了，谁在跑 batch？"),
        (a, f"我跑的，{ch(['马上', '五分钟后'])}停。{NEG('@oncall-sre')} 不用page了"),
        (fo, f"{ref(c)}, could you add {L(fo.email(), 'EMAIL')} to the 值班表? I'm on call next week"),
        (b, f"{zsur(c, '总')}刚说客户那边联系人换了，新的是 {Z(zh_extra(zs).zh)}，手机 {L(cn_mobile(), 'CN_MOBILE')}"),
        (c, f"收到 👍 周五之前我把文档更新好"),
        (fo, f"Also {ref(b)} - the customer's 收货地址 is {L(cn_address()[0], 'ADDRESS_ZH')}, please double check the 邮编"),
    ]
    out = [f"# {ch(['backend-cn', 'proj-atlas', 'sre-apac', 'data-platform'])}  ({zdate(dt(2024, 2025), 'iso')})"]
    t0 = rint(9 * 60, 18 * 60)
    for i in sorted(sample(range(len(msgs)), rint(5, 8))):
        who, m = msgs[i]
        t0 += rint(1, 15)
        out.append(f"[{t0 // 60:02d}:{t0 % 60:02d}] {names[id(who)]}: {m}")
    return "\n".join(out)


@tpl("t_bank_transfer_zh", 10, "zh")
def t_bank_transfer_zh():
    payer, payee = zh_names(2)
    bank = ch(["中国工商银行", "中国建设银行", "招商银行", "中国农业银行", "交通银行", "中国银行"])
    d = dt(2024, 2025)
    c1, c2 = card_number(ch(["unionpay", "unionpay19"])), card_number(ch(["unionpay", "unionpay19"]))
    full_payer = maybe(0.5)
    use, note = ch([("房租", f"{rint(1, 12)}月房租"), ("货款", "货款"), ("借款归还", "还款"), ("学费", "学费"), ("定金", "定金")])
    txt = (f"{NEG(bank)}电子回单\n回单编号：{digits(20)}\n交易日期：{zdate(d, 'iso')} {ztime()}:{rint(0, 59):02d}\n\n"
           f"付款人户名：{Z(payer.zh)}\n付款人账号：{L(c1, 'BANK_CARD') if full_payer else re.sub(r'[ -]', '', c1)[:6] + '******' + re.sub(r'[ -]', '', c1)[-4:]}\n"
           f"付款人开户行：{NEG(bank)}{ch(CN_GEO)[1]}{ch(['分行营业部', '支行', '科技园支行'])}\n\n"
           f"收款人户名：{Z(payee.zh)}\n收款人账号：{L(c2, 'BANK_CARD')}\n收款人开户行：{NEG(ch(['招商银行', '中国银行', '浦发银行', '中信银行']))}{ch(['深圳分行', '南山支行', '徐汇支行'])}\n\n"
           f"金额（小写）：¥{amount(200, 50000)}\n用途：{use}\n附言：{ch([Z(payer.zh) + '转账', Z(payee.sur) + ch(['先生', '女士']) + '请查收', note + ' ' + Z(payer.zh)])}\n"
           f"交易流水号：{digits(16)}\n本回单可通过柜面或网上银行验证，验证码：{hexs(8).upper()}")
    return txt


@tpl("t_property_notice_zh", 10, "zh")
def t_property_notice_zh():
    mgr, own, own2 = zh_names(3)
    estate = ch(ESTATES)
    addr, city = cn_address("city")
    txt = (f"{estate}物业服务中心 通知\n\n尊敬的各位业主：\n"
           f"近期小区地库{ch(['B1', 'B2'])}层出现车辆长期占用他人车位的情况。请以下车辆车主于{zdate(dt(2024, 2025), 'zh')}前挪车：\n"
           f"1. {L(plate(), 'CN_LICENSE_PLATE')}（{rint(1, 20)}栋{Z(own.zh)}）\n2. {L(plate(), 'CN_LICENSE_PLATE')}（车主未登记）\n"
           f"3. {L(plate(), 'CN_LICENSE_PLATE')}（{zsur(own2)}，{masked_mobile()}）\n\n"
           f"另：本周四{ztime()}-17:00对{ch(['2号楼', '5号楼', '全小区'])}进行二次供水水箱清洗，届时停水，请提前储水。\n\n"
           f"物业地址：{L(addr, 'ADDRESS_ZH')}\n报修电话：{L(cn_landline(city.rstrip('市')), 'CN_LANDLINE')}　物业经理：{Z(mgr.zh)}　{L(cn_mobile(), 'CN_MOBILE')}\n"
           f"{estate}物业服务中心\n{zdate(dt(2024, 2025), 'zh')}")
    return txt


@tpl("t_delivery_json_zh", 10, "zh")
def t_delivery_json_zh():
    out = []
    for _ in range(rint(3, 5)):
        n, rider = zh_names(2)
        addr, _ = cn_address(ch(["city", "dist"]))
        kind = ch(["order", "rider", "login"])
        if kind == "order":
            out.append(f'{{"ts":"{ts_iso()}","svc":"order-api","order_id":"{fake_id18() if maybe(0.3) else "WM" + digits(16)}","user":{{"name":"{Z(n.zh)}","mobile":"{L(cn_mobile(ch(["plain", "plain", "+86"])), "CN_MOBILE")}"}},'
                       f'"addr":"{L(addr, "ADDRESS_ZH")}","remark":"{ch(["不要辣", "放门口", "到了打电话", "少放葱，谢谢"])}","amount":{R.uniform(15, 200):.2f}}}')
        elif kind == "rider":
            out.append(f'{{"ts":"{ts_iso()}","svc":"dispatch","rider":{{"name":"{Z(rider.zh)}","id":"R{digits(8)}","plate":"{L(plate(), "CN_LICENSE_PLATE")}"}},"loc":"{L(gps(), "GPS_COORDINATE")}","eta_s":{rint(60, 1800)},"ver":"{version()}"}}')
        else:
            out.append(f'{{"ts":"{ts_iso()}","level":"{ch(["INFO", "WARN"])}","svc":"passport","event":"login","uid":{rint(100000, 99999999)},"nick":"{ch(["吃货小王", "momo", "星星", "北漂" + str(rint(1, 999))])}","ip":"{L(ip(), "IP_ADDRESS")}","ua":"Mozilla/5.0","trace":"{hexs(32)}"}}')
    return "\n".join(out)


@tpl("t_paper_header_zh", 10, "mixed")
def t_paper_header_zh():
    aus = zh_names(rint(2, 5), minority=0)
    units = sample([("清华大学计算机科学与技术系", "北京 100084"), ("浙江大学医学院附属第一医院", "杭州 310003"), ("中国科学院自动化研究所", "北京 100190"),
                    ("复旦大学公共卫生学院", "上海 200032"), ("华中科技大学土木工程与力学学院", "武汉 430074")], 3)
    aff = [rint(1, 3) for _ in aus]
    sup = "¹²³"
    title_zh, title_en, kw = ch([("基于深度学习的帕金森病步态识别方法", "Gait recognition for Parkinson's disease based on deep learning", "帕金森病；步态；深度学习"),
                                 ("城市内涝风险评估：以台风“梅花”为例", "Urban waterlogging risk assessment: the case of Typhoon Muifa", "内涝；风险评估；GIS"),
                                 ("Kaplan-Meier法在肿瘤随访研究中的应用", "Application of the Kaplan-Meier method in tumor follow-up studies", "生存分析；随访；Kaplan-Meier")])
    corr = ch(aus)
    pys = ch(["SG", "SG", "sg", "CAPS", "gs"])
    txt = (f"{NEG(title_zh)}\n\n" + "，".join(f"{Z(a.zh)}{sup[k - 1]}" + ("*" if a is corr else "") for a, k in zip(aus, aff)) + "\n"
           + "".join(f"（{i}. {NEG(u)}，{pc}）\n" for i, (u, pc) in enumerate(units, 1))
           + f"\n摘要：目的 探讨……方法 采用{NEG(ch(['Kaplan-Meier法', 'Cox比例风险模型', '贝叶斯网络', '马尔可夫链']))}……结果……结论……\n关键词：{NEG(kw)}\n\n"
           f"{NEG(title_en)}\n" + ", ".join(N(a.py(pys)) + sup[k - 1] for a, k in zip(aus, aff)) + "\n\n"
           f"基金项目：{NEG(ch(['国家自然科学基金', '国家重点研发计划', '浙江省自然科学基金']))}（{rint(61000000, 82999999)}）\n"
           f"作者简介：{Z(aus[0].zh)}（{rint(1975, 1998)}—），{'男' if aus[0].gender == 'M' else '女'}，{ch(['博士研究生', '副教授', '主治医师'])}\n"
           f"通信作者：{Z(corr.zh)}，E-mail：{L(corr.sur_py.lower() + corr.giv_py.lower() + '@' + ch(['tsinghua.edu.cn', 'zju.edu.cn', 'fudan.edu.cn', 'ia.ac.cn']), 'EMAIL')}")
    return txt


NEG_ZH = [
    lambda: f"【{NEG(ch(ZH_BRANDS))}】会员日！全场满199减50，{NEG(ch(ZH_BRANDS))}联名款限量发售。活动时间：即日起至{zdate(dt(2025, 2026), 'zh')}。客服热线{ch(['400-820-8820', '95588'])}。订单号{fake_id18()}。",
    lambda: f"周末去{NEG(ch(ZH_PLACES))}和{NEG(ch(ZH_PLACES))}逛了一圈，人山人海。晚上吃的{NEG(ch(ZH_BRANDS))}，排队两个小时。高铁票{rint(100, 600)}元，性价比还行。",
    lambda: f"系统公告：版本{version()}已发布。修复了金额显示错误、王国地图加载缓慢等问题。用户手机号已脱敏显示（如{masked_mobile()}），银行卡显示为{masked_card()}。",
    lambda: f"天气预报：受台风“{ch(['梅花', '杜苏芮', '海葵', '摩羯'])}”影响，{ch(CN_GEO)[1]}明天有大到暴雨，白天最高气温{rint(25, 36)}℃。请市民关注黄色预警信息，马上做好防范。",
    lambda: f"读书笔记：《{ch(['平凡的世界', '活着', '围城', '红楼梦', '三体'])}》第{rint(2, 30)}章。作者用了大量白描手法，语言朴实。下周读书会在{NEG(ch(ZH_PLACES))}举行，欢迎参加。",
    lambda: f"快递柜取件码：{digits(6)}，请于今日{ztime()}前到{ch(ESTATES)}{rint(1, 9)}号柜取件。运单号{ch(['SF', 'YT', 'ZT'])}{digits(13)}。如非本人操作，请忽略。服务热线{ch(['95338', '95554'])}。",
    lambda: f"菜谱：东坡肉。五花肉500克，{NEG('老干妈')}一勺，冰糖、料酒、生抽适量。小火慢炖两小时。{NEG('王守义十三香')}可选。这是{NEG('东坡')}的做法，据说源自宋代。",
    lambda: f"股市收评：沪指收涨{R.uniform(0.1, 2):.2f}%，{NEG('李宁')}、{NEG('周大福')}领涨消费板块，{NEG('海底捞')}跌{R.uniform(0.1, 5):.2f}%。成交额{rint(7000, 12000)}亿元。代码{rint(600000, 603999)}。",
]


@tpl("t_negatives_zh", 12, "zh")
def t_negatives_zh():
    return "\n\n".join(f() for f in sample(NEG_ZH, ch([1, 2, 2, 3])))


@tpl("t_sms_zh", 10, "zh")
def t_sms_zh():
    n1, n2, n3 = zh_names(3)
    msgs = [
        f"【{NEG('顺丰速运')}】您的快件{ch(['SF', ''])}{digits(13)}已到达{ch(ESTATES)}丰巢柜，取件码{digits(6)}。快递员{Z(n1.zh)} {L(cn_mobile(), 'CN_MOBILE')}",
        f"【{NEG(ch(['招商银行', '工商银行', '建设银行']))}】您尾号{digits(4)}的储蓄卡{ch(['05月', '11月'])}{rint(1, 28)}日{ztime()}支出人民币{amount(10, 5000)}元，余额{amount(100, 90000)}元。",
        f"【滴滴出行】司机{zsur(n2, '师傅')}（{L(plate(), 'CN_LICENSE_PLATE')}，{ch(['白色', '黑色', '银色'])}{ch(['比亚迪秦', '大众朗逸', '丰田卡罗拉'])}）已到达上车点，请尽快上车。",
        f"【{NEG(ch(['12306', '中国铁路']))}】订单E{digits(9)}，{Z(n3.zh)}您已购{zdate(dt(2024, 2025), 'zh')}G{rint(1, 2000)}次{rint(1, 16)}车{rint(1, 20)}{ch('ABCDF')}号，{ch(['北京南', '上海虹桥', '广州南', '杭州东'])}站{ztime()}开。",
        f"【验证码】{digits(6)}（{NEG('登录')}验证码），5分钟内有效。如非本人操作请忽略。",
        f"{Z(n1.zh)}你好，我是{Z(n2.zh)}，明天{ztime()}在{L(cn_address('city')[0], 'ADDRESS_ZH')}门口等你，有事打我电话{L(cn_mobile(), 'CN_MOBILE')}。",
        f"【{NEG('平安好医生')}】{Z(n3.zh)}，您预约的{ch(['体检', '复诊'])}时间为{zdate(dt(2024, 2025), 'zh')}{ztime()}，请携带身份证{L(cn_id(), 'CN_RESIDENT_ID') if maybe(0.3) else '原件'}。",
    ]
    out = []
    for m in sample(msgs, rint(2, 4)):
        personal = "你好，我是" in m
        sender = L(cn_mobile("plain"), "CN_MOBILE") if personal else f"{ch(['106', '95', '1069'])}{digits(ch([5, 8]))}"
        out.append(f"{sender}  {zdate(dt(2024, 2025), 'iso')} {ztime()}\n{m}")
    return "\n\n".join(out)


# === END TEMPLATES ===
# ---------------------------------------------------------------------------------------------
# checks and driver
# ---------------------------------------------------------------------------------------------
NAME_STOP = {"van", "der", "den", "de", "la", "del", "los", "las", "bin", "bint", "al", "Al", "El", "el", "Jr", "Sr",
             "II", "III", "IV", "Mac", "Ó", "Ní", "dos", "da", "di", "du", "le", "von", "ten", "ter", "y", "e"}
TITLE_RE = re.compile(r"\b(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Rev|Sgt|Det|Capt|Lt)\.?|Miss|Judge|Justice|Officer|Coach|Pastor|Father|Sister|Deputy|Trooper)[ \t]+([A-Z][\w'’-]+)")
ZH_SUR_CHARS = {s for s, _ in ZH_SUR if len(s) == 1}
ZH_TITLE_RE = re.compile(r"([\u4e00-\u9fff])(先生|女士|小姐|老师|经理|总|医生|律师|师傅|主任|阿姨|警官|同学)")
CJK_RE = re.compile(r"[\u3400-\u9fff]")
NAME_EN_RE = re.compile(r"^[^\W\d_](?:[^\W\d_]|[ .,'’\"“”/-])*[^\W\d_.\"”']?[.\"”']?$")


def in_any(a, b, ranges):
    return any(s <= a and b <= e for s, e in ranges)


def soft_problems(text, spans, negs):
    """Unlabelled occurrences of names used in the document (=> regenerate)."""
    probs = []
    covered = [(s, e) for s, e, _, _ in spans] + negs
    toks = set()
    for s, e, t, v in spans:
        if t == EN:
            for tok in re.findall(r"[^\W\d_]+", v):
                if tok in NAME_STOP or len(tok) < 2 or not tok[0].isupper():
                    continue  # lower-case parts of hyphenated names ("Tai-man") are checked via the span itself
                toks.add(tok)
                if len(tok) >= 3:
                    toks.update({tok.upper(), tok.capitalize()})
        elif t == ZH and len(v) >= 2:
            for m in re.finditer(re.escape(v), text):
                if not in_any(m.start(), m.end(), covered):
                    probs.append(f"unlabelled ZH {v!r} at {m.start()}")
    for tok in toks:
        if len(tok) < 2:
            continue
        for m in re.finditer(r"(?<![^\W\d_])" + re.escape(tok) + r"(?![^\W\d_])", text):
            if not in_any(m.start(), m.end(), covered):
                probs.append(f"unlabelled {tok!r} at {m.start()}: {text[max(0, m.start() - 20):m.end() + 20]!r}")
    for m in TITLE_RE.finditer(text):
        a, b = m.span(1)
        if not in_any(a, b, covered):
            probs.append(f"title without labelled name: {m.group(0)!r}")
    for m in ZH_TITLE_RE.finditer(text):
        if m.group(1) in ZH_SUR_CHARS and not in_any(m.start(1), m.end(1), covered):
            probs.append(f"zh title without labelled name: {text[max(0, m.start() - 3):m.end()]!r}")
    return probs


def mobile_ok(v):
    x = v.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    x = re.sub(r"[ \-()]", "", x)
    x = re.sub(r"^(\+86|0086|86)", "", x)
    return re.fullmatch(r"1[3-9]\d{9}", x) is not None


def hard_check(doc, tname):
    text = doc["text"]
    b = text.encode("utf-8")
    prev = -1
    for s in doc["spans"]:
        v = s["_value"]
        assert text[s["start"]:s["end"]] == v, (doc["id"], s, v)
        assert b[s["bstart"]:s["bend"]].decode("utf-8") == v, (doc["id"], s)
        assert s["start"] >= prev, ("overlap/unsorted", doc["id"], s)
        assert s["end"] > s["start"]
        prev = s["end"]
        t = s["type"]
        if t == "EMAIL":
            assert re.fullmatch(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+", v), v
        elif t == "IP_ADDRESS":
            ipaddress.ip_address(v)
        elif t == "BANK_CARD":
            x = re.sub(r"[ -]", "", v)
            assert x.isdigit() and 15 <= len(x) <= 19 and luhn.is_valid(x), v
        elif t == "IBAN":
            assert std_iban.is_valid(v), v
        elif t == "US_SSN":
            assert std_ssn.is_valid(v), v
        elif t == "CN_RESIDENT_ID":
            assert std_ric.is_valid(v), v
        elif t == "CN_MOBILE":
            assert mobile_ok(v), v
        elif t == "CN_LANDLINE":
            assert re.fullmatch(r"(\(0\d{2,3}\)|0\d{2,3}[- ]|\+86 \d{2,3} )\d{3,4} ?\d{4}", v), v
        elif t == "CN_PASSPORT":
            assert re.fullmatch(r"(E[A-Z0-9]\d{7}|G\d{8})", v), v
        elif t == "CN_LICENSE_PLATE":
            assert re.fullmatch(r"[" + PLATE_PROV + r"][A-Z][· ]?[A-Z0-9]{5,6}", v), v
        elif t == "GPS_COORDINATE":
            assert re.fullmatch(r"-?\d+\.\d+, ?-?\d+\.\d+", v), v
        elif t == "DATE_OF_BIRTH":
            assert re.search(r"\d", v) and len(re.findall(r"\d+", v)) >= 2 or re.search(r"[A-Za-z]", v), v
        elif t == EN:
            if tname == "t_ocr_form":
                assert not CJK_RE.search(v) and re.search(r"[A-Za-z]", v), v
            else:
                assert NAME_EN_RE.match(v) and not CJK_RE.search(v), v
        elif t == ZH:
            assert re.fullmatch(r"[\u4e00-\u9fff·]+", v), v
        elif t == "ADDRESS_ZH":
            assert CJK_RE.search(v) and re.search(r"[路街道号弄巷里]", v), v


def build(tname, lang, fn, stats):
    first_problem = None
    for attempt in range(60):
        DOC_NAMES.clear()
        marked = fn().strip("\n ")
        text, spans, negs = render(marked)
        probs = soft_problems(text, spans, negs)
        if probs:
            stats["retry"][tname] += 1
            if first_problem is None:
                first_problem = probs[0]
            stats["retry_reasons"][tname].append(probs[0])
            continue
        if lang == "en" and CJK_RE.search(text):
            lang = "mixed"
        out = []
        for s, e, t, v in spans:
            out.append({"start": s, "end": e, "bstart": len(text[:s].encode("utf-8")),
                        "bend": len(text[:e].encode("utf-8")), "type": t, "_value": v})
        stats["neg_regions"] += len(negs)
        return {"template": tname, "lang": lang, "text": text, "spans": out}
    raise RuntimeError(f"{tname}: could not build a clean document: {first_problem}")


def main():
    total = sum(n for _, n, _, _ in TEMPLATES)
    plan = []
    for name, n, lang, fn in TEMPLATES:
        plan += [(name, lang, fn)] * n
    assert len(plan) == N_DOCS, (len(plan), N_DOCS)
    R.shuffle(plan)
    stats = {"retry": collections.Counter(), "retry_reasons": collections.defaultdict(list), "neg_regions": 0}
    docs = []
    for i, (name, lang, fn) in enumerate(plan):
        d = build(name, lang, fn, stats)
        d = {"id": f"names-{i:06d}", **d}
        hard_check(d, name)
        docs.append(d)
    by_type, by_tpl, by_lang, tpl_spans = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
    for d in docs:
        by_tpl[d["template"]] += 1
        by_lang[d["lang"]] += 1
        for s in d["spans"]:
            by_type[s["type"]] += 1
            tpl_spans[d["template"]] += 1
    for d in docs:
        for s in d["spans"]:
            del s["_value"]
        print(json.dumps(d, ensure_ascii=False))
    err = sys.stderr
    print(f"documents: {len(docs)} (planned {total})  languages: {dict(by_lang)}", file=err)
    print(f"spans: {sum(by_type.values())}  intentional hard-negative regions: {stats['neg_regions']}", file=err)
    for t in TYPES:
        print(f"  {t:18s} {by_type.get(t, 0):6d}", file=err)
    print("templates (docs / spans / regenerations):", file=err)
    for name, n, lang, _ in TEMPLATES:
        print(f"  {name:28s} {lang:5s} {by_tpl[name]:4d} {tpl_spans[name]:6d} {stats['retry'][name]:4d}", file=err)
    if "-v" in sys.argv:
        for k, v in stats["retry_reasons"].items():
            for x in v[:5]:
                print(f"  retry {k}: {x}", file=err)
    print("checks passed: offsets (code points and bytes) re-read, no overlaps, per-type validation", file=err)


if __name__ == "__main__":
    main()
