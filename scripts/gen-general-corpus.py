#!/usr/bin/env python3
"""Writes testdata/pii-general.jsonl: a labelled corpus that measures how Custodian's PI detector
generalises to document layouts the development corpus (shared/corpus/pii-dev.jsonl) lacks.

    python3 scripts/gen-general-corpus.py > testdata/pii-general.jsonl

Families (the `template` field): e-mail threads, chat exports, reports and case records,
invoices and receipts, meeting minutes, CSV/TSV/Markdown/ASCII tables, forms, configuration
files and key=value logs, OCR text of scans, travel records (MRZ, PNR, hotel bookings), SMS
notices, and documents without personal data; Chinese, English and mixed. Standard library only
and one fixed seed, so the output is reproducible byte for byte. Spans are recorded while the
text is assembled (code-point and UTF-8 byte offsets), never found by searching afterwards; a
self-check at the end re-validates every labelled value (check digits, Luhn, mod 97, ranges) and
the span invariants, and a summary goes to stderr.

Same format and labelling conventions as the development corpus (shared/corpus/README.md), and:
- A surname or given name used on its own for a person (王经理, 刘总, Dear Ms. Carter, Hi Zhang,
  Cheers, Tom) is a name span; the title stays outside. A Uyghur name with its middle dot
  (古丽娜尔·吐尔逊) is one span.
- "Name <addr>": name and e-mail are separate spans; quotes and angle brackets stay outside, as do
  the quotes around CSV, JSON, TOML and .env values; "Carter, Emily" is one span.
- An IP with a port (10.8.12.34:9000) is labelled without the port; an IPv6 in brackets without them.
- An address broken over lines (OCR) is one span from its first to its last character, newlines
  included. Company, shop and hotel addresses are labelled like any street-level address.
- MRZ: the name field (ZHANG<<WEI, CARTER<<EMILY<ROSE) is PERSON_NAME_EN, the filler after it is
  not; nothing in the second MRZ line is labelled (the number is glued to its check digit).
- PNR: 1.ZHANG/WEI MR -> ZHANG/WEI; a value glued to a GDS code (NI320..., CTCM138...) is labelled
  without the code.
- Values inside URLs (paths and query strings) are never labelled.
- Landline-shaped numbers are labelled unless they are presented as a service hotline.
- Masked values (张*伟, 138****5678), dates that are not birth dates, and non-Chinese passport
  numbers are not labelled.
"""
import datetime as dt
import ipaddress
import json
import random
import re
import sys
import unicodedata
from collections import Counter
from typing import NamedTuple

SEED = 20261204
R = random.Random(SEED)

ID, MOBILE, LANDLINE, CARD, EMAIL = "CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "BANK_CARD", "EMAIL"
PASSPORT, PLATE, NAME_ZH, NAME_EN = "CN_PASSPORT", "CN_LICENSE_PLATE", "PERSON_NAME_ZH", "PERSON_NAME_EN"
ADDR, IP, GPS, SSN, IBAN, DOB = "ADDRESS_ZH", "IP_ADDRESS", "GPS_COORDINATE", "US_SSN", "IBAN", "DATE_OF_BIRTH"
TYPES = (ID, MOBILE, LANDLINE, CARD, EMAIL, PASSPORT, PLATE, NAME_ZH, NAME_EN, ADDR, IP, GPS, SSN, IBAN, DOB)


def pick(seq):
    return R.choice(seq)


def chance(p):
    return R.random() < p


def digits(n):
    return "".join(R.choice("0123456789") for _ in range(n))


# ---------------------------------------------------------------------------- span builder

CJK = re.compile(r"[\u3400-\u9fff\u3007]")


class Pi(NamedTuple):
    """A labelled piece: `text` becomes one span of `type`."""
    type: str
    text: str


class Doc:
    """A document assembled from plain strings and Pi pieces; each Pi is recorded as a span with
    code-point and UTF-8 byte offsets at the moment it is appended."""

    def __init__(self, family, lang):
        self.family, self.lang = family, lang
        self.chunks, self.spans, self.values = [], [], []
        self.chars = self.bytes = 0

    def add(self, *pieces):
        for piece in pieces:
            if isinstance(piece, Pi):
                start, bstart = self.chars, self.bytes
                self._write(piece.text)
                self.spans.append({"start": start, "end": self.chars, "bstart": bstart,
                                   "bend": self.bytes, "type": piece.type})
                self.values.append(piece.text)
            elif isinstance(piece, (list, tuple)):
                self.add(*piece)
            elif piece:
                assert isinstance(piece, str), piece
                self._write(piece)
        return self

    def line(self, *pieces):
        return self.add(*pieces, "\n")

    def lines(self, lines, prefix=""):
        for ln in lines:
            self.line(prefix.rstrip() if not ln else prefix, ln)
        return self

    def _write(self, s):
        self.chunks.append(s)
        self.chars += len(s)
        self.bytes += len(s.encode("utf-8"))

    def record(self, doc_id):
        text = "".join(self.chunks).rstrip("\n")
        for span, value in zip(self.spans, self.values):
            assert text[span["start"]:span["end"]] == value, (doc_id, value)
        lang = self.lang
        if lang == "en" and CJK.search(text):
            lang = "mixed"
        return {"id": doc_id, "template": self.family, "lang": lang, "text": text, "spans": self.spans}


def joined(items, sep):
    """Pieces of `items` with `sep` between them."""
    out = []
    for i, item in enumerate(items):
        if i:
            out.append(sep)
        out.append(item)
    return out


# ---------------------------------------------------------------------------- names

SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
            ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"),
            ("林", "Lin"), ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"),
            ("唐", "Tang"), ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"),
            ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("袁", "Yuan"),
            ("潘", "Pan"), ("蒋", "Jiang"), ("蔡", "Cai"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"),
            ("苏", "Su"), ("魏", "Wei"), ("吕", "Lyu"), ("丁", "Ding"), ("任", "Ren"), ("沈", "Shen"),
            ("姚", "Yao"), ("卢", "Lu"), ("姜", "Jiang"), ("崔", "Cui"), ("钟", "Zhong"), ("谭", "Tan"),
            ("陆", "Lu"), ("汪", "Wang"), ("范", "Fan"), ("金", "Jin"), ("石", "Shi"), ("廖", "Liao"),
            ("贾", "Jia"), ("夏", "Xia"), ("韦", "Wei"), ("方", "Fang"), ("白", "Bai"), ("邹", "Zou"),
            ("孟", "Meng"), ("熊", "Xiong"), ("秦", "Qin"), ("邱", "Qiu"), ("江", "Jiang"), ("尹", "Yin"),
            ("薛", "Xue"), ("闫", "Yan"), ("段", "Duan"), ("雷", "Lei"), ("侯", "Hou"), ("龙", "Long"),
            ("史", "Shi"), ("陶", "Tao"), ("黎", "Li"), ("贺", "He"), ("顾", "Gu"), ("毛", "Mao"),
            ("郝", "Hao"), ("龚", "Gong"), ("邵", "Shao"), ("万", "Wan"), ("钱", "Qian"), ("严", "Yan"),
            ("覃", "Qin"), ("武", "Wu"), ("戴", "Dai"), ("莫", "Mo"), ("孔", "Kong"), ("常", "Chang")]
COMPOUND_SURNAMES = [("欧阳", "Ouyang"), ("司马", "Sima"), ("上官", "Shangguan"), ("诸葛", "Zhuge"),
                     ("东方", "Dongfang"), ("皇甫", "Huangfu"), ("令狐", "Linghu"), ("慕容", "Murong"),
                     ("司徒", "Situ"), ("公孙", "Gongsun"), ("夏侯", "Xiahou"), ("尉迟", "Yuchi")]
MALE_GIVEN = [("伟", "Wei"), ("强", "Qiang"), ("磊", "Lei"), ("军", "Jun"), ("勇", "Yong"), ("杰", "Jie"),
              ("涛", "Tao"), ("明", "Ming"), ("超", "Chao"), ("刚", "Gang"), ("平", "Ping"), ("辉", "Hui"),
              ("鹏", "Peng"), ("华", "Hua"), ("飞", "Fei"), ("鑫", "Xin"), ("波", "Bo"), ("斌", "Bin"),
              ("宇", "Yu"), ("浩", "Hao"), ("凯", "Kai"), ("健", "Jian"), ("俊", "Jun"), ("帆", "Fan"),
              ("帅", "Shuai"), ("旭", "Xu"), ("宁", "Ning"), ("建", "Jian"), ("国", "Guo"), ("志", "Zhi"),
              ("晓", "Xiao"), ("文", "Wen"), ("博", "Bo"), ("轩", "Xuan"), ("天", "Tian"),
              ("海", "Hai"), ("峰", "Feng"), ("毅", "Yi"), ("鸿", "Hong"), ("嘉", "Jia"), ("振", "Zhen"),
              ("永", "Yong"), ("德", "De"), ("东", "Dong"), ("成", "Cheng"), ("荣", "Rong"), ("家", "Jia"),
              ("瑞", "Rui"), ("泽", "Ze"), ("睿", "Rui"), ("晨", "Chen")]
FEMALE_GIVEN = [("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("丽", "Li"), ("艳", "Yan"),
                ("娟", "Juan"), ("霞", "Xia"), ("秀", "Xiu"), ("玲", "Ling"), ("英", "Ying"), ("慧", "Hui"),
                ("婷", "Ting"), ("雪", "Xue"), ("琳", "Lin"), ("颖", "Ying"), ("洁", "Jie"), ("倩", "Qian"),
                ("佳", "Jia"), ("萍", "Ping"), ("红", "Hong"), ("梅", "Mei"), ("燕", "Yan"), ("兰", "Lan"),
                ("晶", "Jing"), ("欣", "Xin"), ("怡", "Yi"), ("悦", "Yue"), ("思", "Si"), ("雨", "Yu"),
                ("涵", "Han"), ("雅", "Ya"), ("诗", "Shi"), ("梦", "Meng"), ("琪", "Qi"), ("璐", "Lu"),
                ("菲", "Fei"), ("蕾", "Lei"), ("薇", "Wei"), ("妍", "Yan"), ("淑", "Shu"), ("春", "Chun"),
                ("晓", "Xiao"), ("秋", "Qiu")]
# Full names that are also ordinary words or famous people: never generated.
NOT_NAMES = {"王国", "高峰", "高明", "高超", "白雪", "江海", "金鑫", "石林", "高飞", "龙飞", "万国", "雷鸣",
             "史诗", "马超", "朱德", "李鹏", "邓小平", "毛泽东", "常春", "夏雨", "夏天", "方明", "文明",
             "金华", "黄海", "田园", "江南", "孔明", "高雅", "方平", "成家"}
TRAD = str.maketrans(dict(zip(  # simplified -> traditional, for the characters the name lists use
    "张陈刘黄赵吴杨郑许谢罗韩冯邓肖叶苏钟卢陆龚顾贺钱严闫龙马孙蒋吕谭贾韦邹万欧诸迟"
    "伟强军涛辉鹏华飞凯帅阳国晓鸿东荣泽丽艳颖洁红兰诗梦宁刚轩杰静",
    "張陳劉黃趙吳楊鄭許謝羅韓馮鄧蕭葉蘇鍾盧陸龔顧賀錢嚴閆龍馬孫蔣呂譚賈韋鄒萬歐諸遲"
    "偉強軍濤輝鵬華飛凱帥陽國曉鴻東榮澤麗豔穎潔紅蘭詩夢寧剛軒傑靜")))
# Uyghur names: given name and father's name joined by a middle dot; (romanisation, female)
MINORITY_GIVEN = {"阿卜杜": ("Abdu", False), "买买提": ("Memet", False), "艾力": ("Eli", False),
                  "古丽娜尔": ("Gulnar", True), "迪丽拜尔": ("Dilber", True), "阿依古丽": ("Aygul", True),
                  "努尔兰": ("Nurlan", False), "帕提古丽": ("Patigul", True), "艾尔肯": ("Erkin", False),
                  "热依拉": ("Reyila", True), "米热古丽": ("Mihrigul", True), "塔依尔": ("Tahir", False),
                  "玉素甫": ("Yusup", False), "阿迪力": ("Adil", False), "再努尔": ("Zeynur", True)}
MINORITY_FATHER = {"热合曼": "Rehman", "吐尔逊": "Tursun", "艾买提": "Emet", "阿不都": "Abdu", "吾斯曼": "Osman",
                   "尼亚孜": "Niyaz", "卡德尔": "Kadir", "哈力克": "Halik", "吐尔洪": "Turhun", "阿西木": "Asim",
                   "托合提": "Tohti", "肉孜": "Rozi", "买买提": "Memet"}

WEST_FEMALE = ["Emily", "Sarah", "Jessica", "Laura", "Hannah", "Olivia", "Sophie", "Claire", "Rachel",
               "Megan", "Anna", "Julia", "Chloe", "Grace", "Lucy", "Charlotte", "Amelia", "Natalie",
               "Rebecca", "Anne-Marie", "Mary-Jane", "Zoë", "Chloé", "Ingrid", "Fatima", "Priya"]
WEST_MALE = ["Tom", "James", "Michael", "David", "Daniel", "Matthew", "Andrew", "Thomas", "Lukas",
             "Markus", "Peter", "Robert", "Brian", "Jean-Luc", "Jean-Pierre", "Pierre", "Carlos", "Diego",
             "Sean", "Patrick", "Liam", "Oliver", "Henrik", "Stefan", "Jonas", "Rahul", "Ahmed"]
WEST_LAST = ["Carter", "Smith", "Johnson", "Brown", "Miller", "Wilson", "Taylor", "Becker", "Weber",
             "Schmidt", "Müller", "Dubois", "Moreau", "Martin", "García", "Fernández", "Jansen", "O'Brien",
             "O'Connor", "D'Souza", "McAllister", "MacLeod", "Smith-Jones", "Harris", "Clarke", "Walker",
             "Evans", "Thompson", "Nguyen", "Fitzgerald", "Rossi", "Novak", "Kowalski", "Lindqvist",
             "Hughes", "Patel", "Okafor", "Bennett", "Fischer", "Laurent"]
WEST_MIDDLE = {True: ["Rose", "Anne", "Marie", "Grace", "Louise", "Elizabeth", "Jane"],
               False: ["James", "Lee", "Alexander", "John", "Michael", "Paul", "Edward"]}
EN_NICKNAMES = {False: ["Kevin", "Jason", "Tony", "Eric", "Jack", "Leo", "Frank", "Henry"],
                True: ["Lily", "Cindy", "Vivian", "Amy", "Helen", "Alice", "Iris", "Coco"]}


def fold(s):
    """ASCII letters and digits of `s`, lower case (Müller -> muller, O'Brien -> obrien)."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c for c in s if c.isascii() and c.isalnum()).lower()


def mrz_fold(s):
    """Upper-case MRZ form of a name part: letters only, hyphen and space become '<'."""
    s = unicodedata.normalize("NFKD", s)
    return "".join(c.upper() if c.isascii() and c.isalpha() else "<" if c in "- " else ""
                   for c in s if not unicodedata.combining(c))


class ZhPerson:
    """A fictional Chinese person: name in hanzi and pinyin, birth date, ID number, phone, e-mail."""

    def __init__(self, female=None, compound=None):
        self.female = chance(0.5) if female is None else female
        compound = chance(0.04) if compound is None else compound
        self.sur, self.sur_py = pick(COMPOUND_SURNAMES if compound else SURNAMES)
        pool = FEMALE_GIVEN if self.female else MALE_GIVEN
        while True:
            chars = R.sample(pool, 1 if chance(0.35) else 2)
            self.given = "".join(c for c, _ in chars)
            if self.sur + self.given not in NOT_NAMES:
                break
        self.given_py = "".join(p for _, p in chars).capitalize()
        self.nick = pick(EN_NICKNAMES[self.female]) if chance(0.15) else None
        self.birth = birth_date()
        self.region_code = pick(ID_REGION_CODES)
        self.mobile = mobile_number()
        self.ethnic = R.choices(["汉", "回", "满", "壮", "苗"], [80, 5, 5, 5, 5])[0]
        self.en = self.pinyin()
        self.mail = email_for(self)
        self._id = None

    @property
    def name(self):
        return self.sur + self.given

    @property
    def trad(self):
        return self.name.translate(TRAD)

    def pinyin(self, style=None):
        s, g = self.sur_py, self.given_py
        style = style or R.choices(["Sg", "SG", "gS", "gSS", "GS", "SSGG", "nick"], [40, 14, 22, 10, 3, 4, 7])[0]
        if style == "nick" and self.nick:
            return f"{self.nick} {s}"
        return {"Sg": f"{s} {g}", "SG": f"{s.upper()} {g}", "gS": f"{g} {s}", "gSS": f"{g} {s.upper()}",
                "GS": f"{g.upper()} {s}", "SSGG": f"{s.upper()} {g.upper()}"}.get(style, f"{s} {g}")

    @property
    def id_number(self):
        if self._id is None:
            self._id = resident_id(self.region_code, self.birth, self.female)
        return self._id

    @property
    def title_zh(self):
        return "女士" if self.female else "先生"

    @property
    def title_en(self):
        return "Ms." if self.female else "Mr."

    @property
    def last(self):
        return self.sur_py

    @property
    def first(self):
        """The given name the person goes by: the English one if that is how documents write them."""
        return self.nick if self.nick and self.en.startswith(self.nick) else self.given_py

    def mrz_name(self):
        return f"{self.sur_py.upper()}<<{self.given_py.upper()}"


class WestPerson:
    """A fictional person with a western name; lives in China often enough to have a CN mobile."""

    def __init__(self, female=None):
        self.female = chance(0.5) if female is None else female
        self.first = pick(WEST_FEMALE if self.female else WEST_MALE)
        self.last = pick(WEST_LAST)
        self.middle = pick(WEST_MIDDLE[self.female])
        self.birth = birth_date()
        self.mobile = mobile_number()
        self.en = self.display()
        self.mail = email_for(self)

    def display(self, style=None):
        style = style or R.choices(["fl", "fml", "fMl", "l,f", "Fl"], [62, 8, 12, 8, 10])[0]
        f, m, l = self.first, self.middle, self.last
        return {"fl": f"{f} {l}", "fml": f"{f} {m} {l}", "fMl": f"{f} {m[0]}. {l}",
                "l,f": f"{l}, {f}", "Fl": f"{f[0]}. {l}"}[style]

    @property
    def name(self):
        return f"{self.first} {self.last}"

    @property
    def title_en(self):
        return pick(["Ms.", "Mrs."]) if self.female else "Mr."

    def mrz_name(self):
        return f"{mrz_fold(self.last)}<<{mrz_fold(self.first)}<{mrz_fold(self.middle)}"


class MinorityPerson(ZhPerson):
    """A person with a Uyghur name (古丽娜尔·吐尔逊): one PERSON_NAME_ZH span, middle dot included.
    Only used where a document writes the full name (never 'surname + title')."""

    def __init__(self):
        given = pick(list(MINORITY_GIVEN))
        roman, female = MINORITY_GIVEN[given]
        super().__init__(female=female)
        self.father = pick([f for f in MINORITY_FATHER if f != given])
        self.sur, self.given, self.sur_py, self.given_py = "", given, MINORITY_FATHER[self.father], roman
        self.nick, self.ethnic = None, pick(["维吾尔", "维吾尔", "哈萨克"])
        self.en = f"{self.given_py} {self.sur_py}"
        self.mail = email_for(self)

    @property
    def name(self):
        return f"{self.given}·{self.father}"


def resident():
    """Anyone living in mainland China, minority names included."""
    return MinorityPerson() if chance(0.1) else ZhPerson()


def zh(p):
    return Pi(NAME_ZH, p.name if isinstance(p, ZhPerson) else p)


def en(p, style=None):
    if isinstance(p, str):
        return Pi(NAME_EN, p)
    if style is not None:
        return Pi(NAME_EN, p.pinyin(style) if isinstance(p, ZhPerson) else p.display(style))
    return Pi(NAME_EN, p.en)


def anyone(west=0.45):
    return WestPerson() if chance(west) else ZhPerson()


# ---------------------------------------------------------------------------- e-mail addresses

CN_MAIL = ["163.com", "126.com", "qq.com", "foxmail.com", "sina.com", "139.com", "outlook.com", "yeah.net",
           "aliyun.com", "gmail.com"]
INTL_MAIL = ["gmail.com", "outlook.com", "yahoo.com", "proton.me", "icloud.com", "hotmail.co.uk", "web.de",
             "gmx.de", "orange.fr"]


class Org(NamedTuple):
    zh: str
    en: str
    domain: str


ORGS = [Org("华信物流有限公司", "Huaxin Logistics", "huaxin-wl.cn"),
        Org("蓝峰科技有限公司", "BluePeak Technology", "bluepeak.io"),
        Org("北辰人力资源服务有限公司", "Northstar HR Services", "northstar-hr.cn"),
        Org("通达货运代理有限公司", "Tongda Freight Forwarding", "tongda56.com"),
        Org("晨光出行科技有限公司", "Dawnride Mobility", "dawnride.cn"),
        Org("明远律师事务所", "Mingyuan Law Firm", "mingyuan-law.cn"),
        Org("星河酒店管理有限公司", "Galaxy Hotel Group", "galaxyhotels.cn"),
        Org("远航国际旅行社有限公司", "Voyager International Travel", "voyager-travel.cn"),
        Org("青禾供应链管理有限公司", "Qinghe Supply Chain", "qinghe-scm.com"),
        Org("Meridian Consulting GmbH", "Meridian Consulting", "meridian-consult.de"),
        Org("Harbor & Pine Ltd", "Harbor & Pine", "harborpine.co.uk")]


def email_for(p, domain=None):
    if isinstance(p, ZhPerson):
        if domain is None and chance(0.18):
            return f"{R.randint(10000, 3999999999)}@qq.com"
        s, g = fold(p.sur_py), p.given_py.lower()
        local = pick([f"{s}{g}", f"{g}.{s}", f"{s}.{g}", f"{s}{g[0]}", f"{s}_{g}{R.randint(1, 99)}",
                      f"{s}{g}{R.randint(70, 99)}"] + ([f"{p.nick.lower()}.{s}"] if p.nick else []))
        return f"{local}@{domain or pick(CN_MAIL)}"
    f, l = fold(p.first), fold(p.last)
    local = pick([f"{f}.{l}", f"{f[0]}{l}", f"{f}_{l}", f"{l}.{f}", f"{f}{l[0]}"])
    return f"{local}@{domain or pick(INTL_MAIL)}"


def staff(org, west=None):
    """A person working for `org`, with a company mailbox."""
    p = WestPerson() if (chance(0.2) if west is None else west) else ZhPerson()
    p.mail = email_for(p, org.domain)
    return p


# ---------------------------------------------------------------------------- dates

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]
ZH_DIGITS = "〇一二三四五六七八九"


def birth_date():
    return dt.date(1959, 1, 1) + dt.timedelta(days=R.randint(0, 365 * 46))


def some_day(year=2024):
    return dt.date(year, 1, 1) + dt.timedelta(days=R.randint(0, 360))


def zh_small_number(n):
    tens, ones = divmod(n, 10)
    return (("" if tens < 2 else ZH_DIGITS[tens]) + "十" if tens else "") + (ZH_DIGITS[ones] if ones else "")


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def fmt_date(d, style):
    y, m, dd = d.year, d.month, d.day
    return {"zh": f"{y}年{m}月{dd}日", "zh0": f"{y}年{m:02d}月{dd:02d}日",
            "zhnum": "".join(ZH_DIGITS[int(c)] for c in str(y)) + f"年{zh_small_number(m)}月{zh_small_number(dd)}日",
            "iso": f"{y}-{m:02d}-{dd:02d}", "slash": f"{y}/{m}/{dd}", "slash0": f"{y}/{m:02d}/{dd:02d}",
            "dot": f"{y}.{m:02d}.{dd:02d}", "compact": f"{y}{m:02d}{dd:02d}", "dmy": f"{dd:02d}/{m:02d}/{y}",
            "mdy": f"{m:02d}/{dd:02d}/{y}", "d_mon": f"{dd} {MONTHS[m - 1]} {y}",
            "mon_d": f"{MONTHS[m - 1]} {dd}, {y}", "ord": f"{ordinal(dd)} {MONTHS[m - 1]} {y}",
            "D_MON": f"{dd:02d} {MONTHS[m - 1][:3].upper()} {y}", "d_mon3": f"{dd} {MONTHS[m - 1][:3]} {y}",
            }[style]


ZH_DATE_STYLES = ["zh", "zh", "zh0", "zhnum", "iso", "iso", "slash", "dot", "compact"]
EN_DATE_STYLES = ["iso", "dmy", "mdy", "d_mon", "mon_d", "ord", "D_MON", "d_mon3", "slash0"]


def dob(p, style=None, zh_text=True):
    return Pi(DOB, fmt_date(p.birth, style or pick(ZH_DATE_STYLES if zh_text else EN_DATE_STYLES)))


def other_date(zh_text=True):
    """A date that is not a birth date (hard negative)."""
    return fmt_date(some_day(R.choice([2023, 2024])), pick(["zh", "iso", "slash0"] if zh_text else
                                                                ["iso", "d_mon", "mon_d", "dmy"]))


def moment():
    return dt.datetime(2024, 1, 1, 7) + dt.timedelta(days=R.randint(0, 360), minutes=R.randint(0, 15 * 60))


def stamp(zh_text=True, t=None):
    t = t or moment()
    return t.strftime("%Y-%m-%d %H:%M" if zh_text else "%a, %d %b %Y %H:%M:%S +0800")


def before(t):
    return t - dt.timedelta(minutes=R.randint(20, 3 * 24 * 60))


def clock():
    return f"{R.randint(7, 22):02d}:{R.randint(0, 59):02d}"


# ---------------------------------------------------------------------------- phones

MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "166", "170", "171", "172", "173",
                   "175", "176", "177", "178", "180", "181", "182", "183", "184", "185", "186", "187", "188",
                   "189", "191", "193", "195", "196", "197", "198", "199"]
# city -> (area code, digits of a local number)
AREA_CODES = {"北京市": ("010", 8), "上海市": ("021", 8), "天津市": ("022", 8), "重庆市": ("023", 8),
              "广州市": ("020", 8), "深圳市": ("0755", 8), "南京市": ("025", 8), "常州市": ("0519", 8),
              "扬州市": ("0514", 8), "杭州市": ("0571", 8), "宁波市": ("0574", 8), "合肥市": ("0551", 8),
              "黄山市": ("0559", 7), "马鞍山市": ("0555", 7), "郑州市": ("0371", 8), "周口市": ("0394", 7),
              "许昌市": ("0374", 7), "武汉市": ("027", 8), "长沙市": ("0731", 8), "成都市": ("028", 8),
              "济南市": ("0531", 8), "青岛市": ("0532", 8), "厦门市": ("0592", 7), "西安市": ("029", 8),
              "沈阳市": ("024", 8), "哈尔滨市": ("0451", 8), "昆明市": ("0871", 8), "林芝市": ("0894", 7),
              "南宁市": ("0771", 7), "乌鲁木齐市": ("0991", 7), "贵阳市": ("0851", 8), "石家庄市": ("0311", 8)}
# service numbers by who runs them; never labelled
HOTLINES = {"bank": ["95588", "95533", "95555", "95566", "95559"],
            "courier": ["95338", "95311", "95546", "400-820-8820"],
            "company": ["400-820-8820", "400 610 5588", "4008-123-456", "400-966-1234", "021-962288"],
            "telecom": ["10086", "10010", "10000"],
            "gov": ["12345", "12315", "12306"]}
FULLWIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789+-()ABCDEFGHIJKLMNOPQRSTUVWXYZ"}


def fullwidth(s):
    return s.translate(FULLWIDTH)


def mobile_number():
    return pick(MOBILE_PREFIXES) + digits(8)


def fmt_mobile(n, style=None):
    style = style or R.choices(["plain", "344", "3-4-4", "4-3-4", "+86 ", "+86 344", "+86-3-4-4", "(+86)",
                                "0086-", "0086 ", "86-", "+86"], [34, 12, 8, 5, 8, 8, 4, 5, 5, 3, 3, 5])[0]
    a, b, c = n[:3], n[3:7], n[7:]
    return {"plain": n, "344": f"{a} {b} {c}", "3-4-4": f"{a}-{b}-{c}", "4-3-4": f"{n[:4]}-{n[4:7]}-{c}",
            "+86 ": f"+86 {n}", "+86 344": f"+86 {a} {b} {c}", "+86-3-4-4": f"+86-{a}-{b}-{c}",
            "(+86)": f"(+86){n}", "0086-": f"0086-{n}", "0086 ": f"0086 {n}", "86-": f"86-{n}",
            "+86": f"+86{n}"}[style]


def mobile(p=None, style=None):
    return Pi(MOBILE, fmt_mobile(p.mobile if p else mobile_number(), style))


def landline(style=None, city=None):
    ac, length = AREA_CODES[city] if city else pick(list(AREA_CODES.values()))
    n = R.choice("2345678") + digits(length - 1)
    a, b = n[:length - 4], n[length - 4:]
    style = style or R.choices(["-", "sp", "()", "（）", "() -", "+86 ", "+86-", "-4-4"],
                               [40, 10, 12, 8, 6, 10, 8, 6])[0]
    text = {"-": f"{ac}-{n}", "sp": f"{ac} {a} {b}", "()": f"({ac}){n}", "（）": f"（{ac}）{n}",
            "() -": f"({ac}) {a}-{b}", "+86 ": f"+86 {ac[1:]} {a} {b}", "+86-": f"+86-{ac[1:]}-{n}",
            "-4-4": f"{ac}-{a}-{b}"}[style]
    return Pi(LANDLINE, text)


def hotline(kind="company"):
    return pick(HOTLINES[kind])


# ---------------------------------------------------------------------------- identifiers

ID_REGION_CODES = ["110101", "110105", "110108", "310104", "310115", "320102", "320412", "321084", "330106",
                   "330212", "340104", "341002", "340503", "410105", "411602", "411627", "411002", "420106",
                   "430104", "440106", "440305", "450103", "500103", "510107", "511324", "520102", "530102",
                   "610113", "620522", "650102", "210102", "230103", "130102", "140105", "350203", "360731",
                   "370202", "371721", "430524", "540402"]
ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def id_check_char(first17):
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS)) % 11]


def resident_id(region, birth, female):
    seq = digits(2) + R.choice("02468" if female else "13579")
    body = region + birth.strftime("%Y%m%d") + seq
    return body + id_check_char(body)


def fmt_id(n, style=None):
    style = style or R.choices(["plain", "6-8-4", "fw"], [86, 10, 4])[0]
    return {"plain": n, "6-8-4": f"{n[:6]} {n[6:14]} {n[14:]}", "fw": fullwidth(n)}[style]


def luhn_digit(partial):
    total = 0
    for i, ch in enumerate(reversed(partial)):
        n = int(ch) * (2 if i % 2 == 0 else 1)
        total += n - 9 if n > 9 else n
    return str(-total % 10)


def luhn_ok(num):
    return luhn_digit(num[:-1]) == num[-1]


BINS = [("622202", 19), ("622848", 19), ("621700", 19), ("622588", 16), ("621483", 16), ("622260", 17),
        ("621226", 19), ("623058", 19), ("625965", 16), ("621661", 19), ("438088", 16), ("427020", 16),
        ("524047", 16), ("518710", 16), ("552599", 16), ("402674", 16)]
BANKS = ["中国工商银行", "中国建设银行", "中国农业银行", "招商银行", "中国银行", "交通银行", "浦发银行"]


def card_number():
    bin_, length = pick(BINS)
    body = bin_ + digits(length - len(bin_) - 1)
    return body + luhn_digit(body)


def fmt_card(n, style=None):
    style = style or R.choices(["plain", "4s", "4-"], [60, 34, 6])[0]
    groups = [n[i:i + 4] for i in range(0, len(n), 4)]
    return {"plain": n, "4s": " ".join(groups), "4-": "-".join(groups)}[style]


def card(style=None):
    return Pi(CARD, fmt_card(card_number(), style))


def iban_digits(s):
    return "".join(str(int(c, 36)) for c in s)


def iban_ok(s):
    s = s.replace(" ", "")
    return int(iban_digits(s[4:] + s[:4])) % 97 == 1


def es_control(ten):
    v = 11 - sum(int(c) * w for c, w in zip(ten, [1, 2, 4, 8, 5, 10, 9, 7, 3, 6])) % 11
    return str({11: 0, 10: 1}.get(v, v))


def bban(country):
    if country == "DE":
        return R.choice("12345678") + digits(7) + digits(10)
    if country == "GB":
        return pick(["NWBK", "BARC", "LOYD", "HBUK", "MIDL"]) + digits(6) + digits(8)
    if country == "FR":
        bank, branch, acct = pick(["30004", "20041", "30003", "10278"]), digits(5), digits(11)
        key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(acct)) % 97
        return f"{bank}{branch}{acct}{key:02d}"
    if country == "NL":
        return pick(["ABNA", "INGB", "RABO", "TRIO"]) + digits(10)
    if country == "ES":
        bank, branch, acct = pick(["2100", "0049", "0182", "0081"]), digits(4), digits(10)
        return bank + branch + es_control("00" + bank + branch) + es_control(acct) + acct
    if country == "BE":
        head = digits(10)
        return head + f"{int(head) % 97 or 97:02d}"
    if country == "CH":
        return "00" + digits(3) + digits(12)
    raise ValueError(country)


IBAN_LENGTHS = {"DE": 22, "GB": 22, "FR": 27, "NL": 18, "ES": 24, "BE": 16, "CH": 21}


def iban(country=None, printed=None):
    country = country or pick(list(IBAN_LENGTHS))
    b = bban(country)
    s = f"{country}{98 - int(iban_digits(b + country + '00')) % 97:02d}{b}"
    if chance(0.55) if printed is None else printed:
        s = " ".join(s[i:i + 4] for i in range(0, len(s), 4))
    return Pi(IBAN, s)


def ssn(sep="-"):
    area = R.choice([a for a in range(1, 900) if a != 666])
    return Pi(SSN, f"{area:03d}{sep}{R.randint(1, 99):02d}{sep}{R.randint(1, 9999):04d}")


PASSPORT_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"


def passport_number():
    kind = R.choices(["E8", "EX7", "G8"], [50, 35, 15])[0]
    if kind == "E8":
        return "E" + digits(8)
    if kind == "EX7":
        return "E" + R.choice(PASSPORT_LETTERS) + digits(7)
    return "G" + digits(8)


PROVINCE_ABBR = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"


def plate():
    head = R.choice(PROVINCE_ABBR) + R.choice("ABCDEFGHJK")
    if chance(0.25):
        tail = R.choice("DF") + R.choice(PASSPORT_LETTERS + "0123456789") + digits(4)
    else:
        chars = list(digits(5))
        for i in R.sample(range(5), R.choices([0, 1, 2], [55, 32, 13])[0]):
            chars[i] = R.choice(PASSPORT_LETTERS)
        tail = "".join(chars)
    sep = R.choices(["", "·", " "], [82, 12, 6])[0]
    return Pi(PLATE, head + sep + tail)


PUBLIC_V4 = [36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120,
             121, 122, 123, 124, 125, 171, 175, 180, 182, 183, 202, 203, 210, 211, 218, 219, 220, 221, 222, 223]


def ipv4(private=None):
    private = chance(0.5) if private is None else private
    if private:
        head = pick([f"10.{R.randint(0, 255)}", f"172.{R.randint(16, 31)}", "192.168"])
        return f"{head}.{R.randint(0, 254)}.{R.randint(1, 254)}"
    return f"{pick(PUBLIC_V4)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def ipv6():
    prefix = pick([["240e"], ["2408"], ["2409"], ["2001", "da8"], ["2400", "3200"]])
    groups = prefix + [f"{R.getrandbits(16):x}" for _ in range(8 - len(prefix))]
    if chance(0.55):
        start = R.randint(len(prefix) + 1, 5)
        for i in range(start, R.randint(start + 2, 7)):
            groups[i] = "0"
        text = ":".join(groups)
        text = re.sub(r"(^|:)0(:0)+(:|$)", "::", text, count=1)
        return str(ipaddress.ip_address(text))  # canonical compressed form
    return ":".join(groups)


def ip(v6=None, private=None):
    return Pi(IP, ipv6() if (chance(0.25) if v6 is None else v6) else ipv4(private))


CITY_CENTRES = [(39.9042, 116.4074), (31.2304, 121.4737), (23.1291, 113.2644), (22.5431, 114.0579),
                (30.5728, 104.0668), (30.5928, 114.3055), (30.2741, 120.1551), (34.3416, 108.9398),
                (29.5630, 106.5516), (32.0603, 118.7969), (25.0389, 102.7183), (43.8256, 87.6168),
                (29.6520, 91.1721), (45.8038, 126.5349), (18.2528, 109.5119), (29.6490, 94.3624),
                (29.7147, 118.3375), (33.6204, 114.6496), (31.7727, 119.9464), (36.0671, 120.3826)]


def gps(order=None, sep=None):
    lat, lng = pick(CITY_CENTRES)
    lat += R.uniform(-0.2, 0.2)
    lng += R.uniform(-0.2, 0.2)
    k = R.choice([4, 5, 6, 6])
    a, b = f"{lat:.{k}f}", f"{lng:.{k}f}"
    order = order or R.choices(["latlng", "lnglat"], [60, 40])[0]
    sep = sep if sep is not None else pick([", ", ","])
    return Pi(GPS, f"{a}{sep}{b}" if order == "latlng" else f"{b}{sep}{a}")


# ---------------------------------------------------------------------------- addresses

# (province, city, short city name, [(district or county, ID region code)])
REGIONS = [
    ("", "北京市", "北京", ["朝阳区", "海淀区", "东城区", "西城区", "丰台区", "通州区"]),
    ("", "上海市", "上海", ["浦东新区", "徐汇区", "静安区", "闵行区", "黄浦区", "杨浦区"]),
    ("", "天津市", "天津", ["和平区", "南开区", "河西区"]),
    ("", "重庆市", "重庆", ["渝中区", "江北区", "渝北区", "沙坪坝区"]),
    ("广东省", "广州市", "广州", ["天河区", "越秀区", "海珠区", "白云区", "番禺区"]),
    ("广东省", "深圳市", "深圳", ["南山区", "福田区", "宝安区", "龙岗区"]),
    ("江苏省", "南京市", "南京", ["玄武区", "鼓楼区", "建邺区", "江宁区"]),
    ("江苏省", "常州市", "常州", ["武进区", "天宁区", "新北区"]),
    ("江苏省", "扬州市", "高邮", ["高邮市"]),
    ("浙江省", "杭州市", "杭州", ["西湖区", "拱墅区", "余杭区", "滨江区"]),
    ("浙江省", "宁波市", "宁波", ["海曙区", "鄞州区", "北仑区"]),
    ("安徽省", "合肥市", "合肥", ["蜀山区", "包河区", "庐阳区"]),
    ("安徽省", "黄山市", "黄山", ["屯溪区", "黄山区", "歙县"]),
    ("安徽省", "马鞍山市", "马鞍山", ["花山区", "雨山区", "当涂县"]),
    ("河南省", "郑州市", "郑州", ["金水区", "二七区", "中原区"]),
    ("河南省", "周口市", "周口", ["川汇区", "项城市", "太康县"]),
    ("河南省", "许昌市", "许昌", ["魏都区", "禹州市", "长葛市"]),
    ("湖北省", "武汉市", "武汉", ["武昌区", "江汉区", "洪山区", "汉阳区"]),
    ("湖南省", "长沙市", "长沙", ["岳麓区", "芙蓉区", "雨花区"]),
    ("四川省", "成都市", "成都", ["武侯区", "锦江区", "青羊区", "成华区"]),
    ("山东省", "济南市", "济南", ["历下区", "市中区", "槐荫区"]),
    ("山东省", "青岛市", "青岛", ["市南区", "崂山区", "黄岛区"]),
    ("福建省", "厦门市", "厦门", ["思明区", "湖里区", "集美区"]),
    ("陕西省", "西安市", "西安", ["雁塔区", "碑林区", "未央区"]),
    ("辽宁省", "沈阳市", "沈阳", ["和平区", "沈河区", "皇姑区"]),
    ("黑龙江省", "哈尔滨市", "哈尔滨", ["南岗区", "道里区", "香坊区"]),
    ("云南省", "昆明市", "昆明", ["五华区", "盘龙区", "官渡区"]),
    ("西藏自治区", "林芝市", "林芝", ["巴宜区", "工布江达县"]),
    ("广西壮族自治区", "南宁市", "南宁", ["青秀区", "兴宁区", "西乡塘区"]),
    ("新疆维吾尔自治区", "乌鲁木齐市", "乌鲁木齐", ["天山区", "沙依巴克区", "新市区"]),
    ("贵州省", "贵阳市", "贵阳", ["南明区", "云岩区", "观山湖区"]),
    ("河北省", "石家庄市", "石家庄", ["长安区", "桥西区", "裕华区"]),
]
RURAL = [("河南省", "周口市", "太康县"), ("河南省", "周口市", "郸城县"), ("安徽省", "阜阳市", "临泉县"),
         ("四川省", "南充市", "仪陇县"), ("湖南省", "邵阳市", "隆回县"), ("江西省", "赣州市", "于都县"),
         ("山东省", "菏泽市", "曹县"), ("河北省", "保定市", "涞源县"), ("云南省", "曲靖市", "会泽县"),
         ("甘肃省", "天水市", "秦安县"), ("湖北省", "黄冈市", "麻城市"), ("江苏省", "扬州市", "高邮市"),
         ("安徽省", "黄山市", "歙县")]
ROADS = ["人民路", "中山路", "解放路", "建设路", "和平路", "新华路", "胜利路", "文化路", "长江路", "黄河路",
         "学府路", "科技园路", "工业大道", "滨江大道", "东风路", "迎宾大道", "光明街", "青年路", "幸福路",
         "朝阳北路", "世纪大道", "湖滨路", "龙华路", "五一路", "八一路", "花园路", "汉中路", "体育西路",
         "金桥路", "丰收路", "北京东路", "望江路"]
ESTATES = ["阳光花园", "金色家园", "碧水湾小区", "翠苑二区", "世纪华庭", "锦绣江南", "幸福里小区",
           "万科城市花园", "绿地新都会", "龙湖春江郦城"]
BUILDINGS = ["恒信大厦", "国贸中心", "科技大厦", "环球金融中心", "时代广场", "创业园", "财富中心"]
TOWNS = ["城关镇", "新集镇", "王营镇", "石桥镇", "白沙镇", "青山镇", "柳河镇", "高桥镇", "双河镇", "龙泉镇",
         "杨柳镇", "马集镇", "黄庄镇", "朱口镇"]
XIANG = ["白果乡", "三合乡", "红星乡", "桃园乡", "龙王乡", "双庙乡"]
VILLAGES = ["何家村", "李庄村", "张湾村", "石门村", "东风村", "新民村", "红旗村", "柳树村", "前进村", "周庄村",
            "马家村", "黄土村", "王庄村", "高岭村", "大林村", "杨树村"]


def room():
    return f"{R.randint(1, 32)}{R.randint(1, 6):02d}"


def street_tail(city=""):
    road, num = pick(ROADS), R.randint(1, 999)
    if city == "上海市" and chance(0.4):
        return f"{road}{R.randint(100, 2999)}弄{R.randint(1, 60)}号{room()}室"
    return f"{road}{num}号" + R.choices([
        "", f"{pick(ESTATES)}{R.randint(1, 30)}栋{R.randint(1, 6)}单元{room()}室",
        f"{R.randint(1, 20)}号楼{R.randint(1, 4)}单元{room()}", f"{pick(BUILDINGS)}{R.randint(2, 40)}楼{room()}室",
        f"{pick(BUILDINGS)}{R.randint(2, 30)}层", f"附{R.randint(1, 12)}号", f"院{R.randint(1, 12)}号楼{room()}"],
        [22, 26, 16, 14, 8, 6, 8])[0]


def road_address(region=None):
    """A street number without building or flat: a pick-up point, an accident site."""
    prov, city, _, districts = region or pick(REGIONS)
    return R.choices([prov + city, city], [30, 70])[0] + pick(districts) + f"{pick(ROADS)}{R.randint(1, 999)}号"


def street_address(region=None):
    prov, city, _, districts = region or pick(REGIONS)
    head = R.choices([prov + city, city, ""], [45, 45, 10])[0] + pick(districts)
    return head + street_tail(city)


def village_address():
    prov, city, county = pick(RURAL)
    head = R.choices([prov + city + county, city + county, county], [50, 30, 20])[0]
    if chance(0.3):
        return f"{head}{pick(XIANG)}{pick(VILLAGES)}{R.randint(1, 120)}号"
    tail = R.choices([f"{R.randint(1, 12)}组", f"{R.randint(1, 12)}组{R.randint(1, 80)}号",
                      f"村委会{R.randint(1, 12)}组"], [50, 35, 15])[0]
    return f"{head}{pick(TOWNS)}{pick(VILLAGES)}{tail}"


TW = [("臺北市", ["大安區", "信義區", "中山區", "松山區", "內湖區"]), ("新北市", ["板橋區", "新店區", "中和區", "三重區"]),
      ("臺中市", ["西屯區", "南屯區", "北區"]), ("高雄市", ["苓雅區", "前鎮區", "左營區"]), ("桃園市", ["中壢區", "桃園區"])]
TW_ROADS = ["忠孝東路四段", "仁愛路三段", "中山北路二段", "民生東路五段", "復興南路一段", "文化路一段", "中正路",
            "三民路", "民權西路", "臺灣大道三段", "四維三路"]


def taiwan_address():
    city, districts = pick(TW)
    city = city.replace("臺", "台") if chance(0.3) else city
    lane = f"{R.randint(2, 300)}巷" if chance(0.35) else ""
    alley = f"{R.randint(1, 30)}弄" if lane and chance(0.3) else ""
    floor = R.choices(["", f"{R.randint(2, 25)}樓", f"{R.randint(2, 25)}樓之{R.randint(1, 6)}"], [20, 60, 20])[0]
    return f"{city}{pick(districts)}{pick(TW_ROADS)}{lane}{alley}{R.randint(1, 400)}號{floor}"


HK = [("香港九龍", ["旺角", "尖沙咀", "油麻地", "觀塘", "深水埗"], ["彌敦道", "亞皆老街", "觀塘道", "廣東道"]),
      ("香港", ["中環", "灣仔", "銅鑼灣", "北角"], ["皇后大道中", "軒尼詩道", "英皇道", "德輔道中"]),
      ("新界", ["沙田", "荃灣", "元朗", "大埔"], ["沙田正街", "青山公路", "大埔公路", "安寧路"])]
HK_BUILDINGS = ["中心", "大廈", "商業大廈", "廣場", "工貿中心"]


def hongkong_address():
    region, districts, roads = pick(HK)
    bld = pick(["華富", "永安", "信和", "恒豐", "新城", "金輝"]) + pick(HK_BUILDINGS) if chance(0.6) else ""
    flat = R.choice("ABCDEFGH") + "室" if chance(0.5) else f"{R.randint(1, 30)}{R.randint(1, 20):02d}室"
    return f"{region}{pick(districts)}{pick(roads)}{R.randint(1, 600)}號{bld}{R.randint(2, 40)}樓{flat}"


def macau_address():
    head = pick(["澳門氹仔", "澳門", "澳門路氹"])
    road = pick(["孫逸仙大馬路", "飛能便度街", "布拉干薩街", "高士德大馬路", "宋玉生廣場", "罅些喇提督大馬路"])
    bld = pick(["海洋花園", "濠庭都會", "金利達大廈", "南灣大廈", "百老匯花園"])
    return f"{head}{road}{R.randint(1, 400)}號{bld}{R.randint(1, 30)}樓{R.choice('ABCDEFG')}座"


def address_text(kind=None):
    kind = kind or R.choices(["street", "village"], [78, 22])[0]
    return {"street": street_address, "village": village_address, "tw": taiwan_address,
            "hk": hongkong_address, "mo": macau_address}[kind]()


def address(kind=None):
    return Pi(ADDR, address_text(kind))


def premises():
    """A street address and the city it is in, for an office phone with the matching area code."""
    region = pick(REGIONS)
    return Pi(ADDR, street_address(region)), region[1]


def wrap(text, width):
    """Hard-wrap `text` every `width` characters (how OCR returns a long field)."""
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


# ---------------------------------------------------------------------------- hard negatives

def masked_mobile():
    n = mobile_number()
    return f"{n[:3]}****{n[7:]}"


def masked_id(p):
    n = p.id_number
    return pick([f"{n[:6]}********{n[14:]}", f"{n[:4]}**********{n[14:]}", f"{n[:10]}****{n[14:]}"])


def masked_card():
    n = card_number()
    return pick([f"{n[:4]} **** **** {n[-4:]}", f"尾号{n[-4:]}", f"**** {n[-4:]}"])


def masked_name(p):
    return p.sur + "*" * len(p.given) if len(p.given) == 1 else p.sur + "*" + p.given[-1]


def not_pi(number):
    """True if a digit string can pass neither as a card number (Luhn) nor as an ID number."""
    return not luhn_ok(number) and not (len(number) == 18 and id_check_char(number[:17]) == number[17])


def serial(n, head=""):
    """An `n`-digit order, waybill or case number (hard negative): fails Luhn and the ID check."""
    while True:
        number = head + digits(n - len(head))
        if not_pi(number):
            return number


def order_number():
    return pick([serial(18, f"{R.choice([2023, 2024])}{R.randint(1, 12):02d}{R.randint(1, 28):02d}"),
                 "DD" + serial(16), "SF" + serial(13), "JD" + serial(15), "YT" + serial(15)])


def bad_id_like():
    """18 digits shaped like an ID number, with a wrong check character (not labelled)."""
    while True:
        body = pick(ID_REGION_CODES) + birth_date().strftime("%Y%m%d") + digits(3)
        number = body + R.choice("0123456789")
        if not_pi(number):
            return number


def bad_card_like():
    n = card_number()
    return n[:-1] + str((int(n[-1]) + R.randint(1, 9)) % 10)


def uuid():
    h = f"{R.getrandbits(128):032x}"
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{'89ab'[R.getrandbits(2)]}{h[17:20]}-{h[20:]}"


def hexid(n=32):
    return f"{R.getrandbits(4 * n):0{n}x}"


def version():
    return pick(["10.0.19041.1", "v1.2.3.4", "6.1.3.89210", "2.17.11", "v3.10.2.1", "4.2.0.1", "15.7.1",
                 "1.0.0.12", "v2.4.10.3"])


def user_agent():
    return pick(["Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                 "Chrome/120.0.6099.109 Safari/537.36",
                 "Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
                 "Mobile/15E148 MicroMessenger/8.0.44(0x18002c2f) NetType/WIFI Language/zh_CN",
                 "okhttp/4.12.0", "Dalvik/2.1.0 (Linux; U; Android 13; V2203A Build/TP1A.220624.014)"])


def id_url():
    return pick([f"https://shop.example.cn/order/{mobile_number()}/detail",
                 f"https://m.example.cn/u/profile?uid={mobile_number()}&from=sms",
                 f"https://api.example.cn/v2/drivers/{mobile_number()}/trips?page=2",
                 f"https://img.example.cn/avatar/{uuid()}.jpg"])


PLACE_NEGATIVES = ["黄山", "周口", "高邮", "马鞍山", "武汉", "常州", "许昌", "林芝", "金华", "周至", "白城", "高密",
                   "林州", "马尔康", "于都", "石家庄", "江门", "龙岩", "常熟", "何家村", "王庄村", "李庄村"]
WORD_NEGATIVES = ["王牌司机", "高铁接站", "周末休息", "白班", "夜班", "金额已结清", "张贴告示已完成", "马上到岗",
                  "何时复工待定", "黄牌货车", "常驻站点", "林区线路", "高速优先", "石子路段慢行", "江边卸货"]


# ---------------------------------------------------------------------------- e-mail threads

def mailbox(p, quoted=False):
    if quoted:
        return ['"', en(p) if isinstance(p, WestPerson) or chance(0.5) else zh(p), '" <', Pi(EMAIL, p.mail), ">"]
    if isinstance(p, ZhPerson) and chance(0.5):
        return [zh(p), " <", Pi(EMAIL, p.mail), ">"]
    if isinstance(p, WestPerson) and chance(0.12):
        return ['"', en(p, "l,f"), '" <', Pi(EMAIL, p.mail), ">"]
    if chance(0.1):
        return Pi(EMAIL, p.mail)
    return [en(p), " <", Pi(EMAIL, p.mail), ">"]


def en_greeting(p):
    if isinstance(p, WestPerson):
        opts = [["Hi ", en(p.first), ","], ["Dear ", p.title_en, " ", en(p.last), ","],
                ["Hello ", en(p.name), " —"], ["Morning ", en(p.first), "!"], ["Dear ", en(p.name), ","],
                ["Hey ", en(p.first), ","], ["Dr. ", en(p.last), ","]]
    else:
        opts = [["Hi ", en(p.given_py), ","], ["Hi ", en(p.sur_py), ","], ["Dear ", p.title_en, " ", en(p.sur_py), ","],
                ["Hello ", en(p.pinyin("Sg")), " —"], ["Morning ", en(p.first), "!"], ["Dear ", en(p.en), ","]]
    return pick(opts + [["Hi all,"], ["Hello team,"]])


def zh_greeting(p):
    if isinstance(p, WestPerson):
        return pick([[en(p.first), "，你好！"], ["Dear ", en(p.first), "："], ["尊敬的", en(p.name), "："]])
    return pick([[Pi(NAME_ZH, p.sur), "经理您好："], [Pi(NAME_ZH, p.sur), "总："], ["亲爱的", zh(p), "："],
                 [zh(p), "，你好！"], ["尊敬的", zh(p), p.title_zh, "："], [Pi(NAME_ZH, p.sur), "老师您好！"],
                 [zh(p), "您好，"], ["各位好："]])


JOB_TITLES_EN = ["HR Business Partner", "Operations Manager", "Accounts Payable", "Customer Care Lead",
                 "Talent Acquisition", "Fleet Coordinator", "Legal Counsel", "Finance Controller"]
JOB_TITLE_PAIRS = [("客服主管", "Customer Service Supervisor"), ("运营经理", "Operations Manager"),
                   ("人事专员", "HR Specialist"), ("财务经理", "Finance Manager"), ("调度中心组长", "Dispatch Team Lead"),
                   ("法务专员", "Legal Counsel"), ("销售总监", "Sales Director")]
JOB_TITLES_ZH = ["客服主管", "运营经理", "人事专员", "财务部 会计", "调度中心 组长", "法务专员", "行政主管"]


def en_signature(p, org):
    out = [[pick(["Best regards,", "Kind regards,", "Thanks,", "Cheers,", "Regards,"])]]
    if chance(0.3):
        out.append([en(p.first)])
    else:
        out.append([en(p)])
    out.append([pick(JOB_TITLES_EN), " | ", org.en])
    if chance(0.55):
        out.append([pick(["Mobile: ", "M: ", "Cell: "]), mobile(p, pick(["+86 344", "+86 ", "plain", "344"]))])
    if chance(0.3):
        out.append([pick(["Tel: ", "T: ", "Office: "]), landline(pick(["+86 ", "+86-", "-"])),
                    pick(["", f" ext. {R.randint(100, 8999)}"])])
    return out


def zh_signature(p, org):
    out = [[pick(["祝好！", "谢谢！", "辛苦了！", "此致\n敬礼！", "顺颂商祺"])], [zh(p)], [pick(JOB_TITLES_ZH)], [org.zh]]
    office, city = premises()
    phones = []
    if chance(0.45):
        phones.append(["电话：", landline(pick(["-", "()", "（）", "sp"]), city),
                       f"转{R.randint(800, 8999)}" if chance(0.4) else ""])
    if chance(0.6):
        phones.append(["手机：", mobile(p)])
    if phones:
        out.append(joined(phones, pick(["  ", " | "])))
    if chance(0.2):
        out.append(["地址：", office])
    return out


def topic_offer_en(sender, recip):
    zh_cand = isinstance(recip, ZhPerson)
    body = [["Congratulations again — please find attached your offer letter for the ",
             pick(["Senior Operations Analyst", "Fleet Supervisor", "Data Engineer", "Account Manager"]), " role."],
            ["Before your start date (", other_date(False), ") we need a few details for onboarding. ",
             "This is what we have on file:"],
            ["  • Full name: ", en(recip.pinyin("SSGG") if zh_cand else recip.name)],
            ["  • Date of birth: ", dob(recip, zh_text=False)]]
    if zh_cand:
        body.append(["  • Passport number: ", Pi(PASSPORT, passport_number())])
    else:
        body.append(["  • Salary account (IBAN): ", iban()])
    body += [["  • Mobile: ", mobile(recip, pick(["+86 344", "plain", "344"]))], [],
             ["If anything above is wrong, reply to this e-mail or call me on ", mobile(sender, "+86 344"), "."]]
    return ["Offer letter – ", en(recip)], body


def topic_vendor_en(sender, recip):
    holder = WestPerson()
    inv = f"INV-{R.randint(2023, 2024)}-{R.randint(100, 9999):04d}"
    body = [["As requested, our bank details for invoice ", inv, ":"],
            ["Account holder: ", en(holder, "fl")], ["IBAN: ", iban()],
            ["BIC: ", pick(["DEUTDEFFXXX", "NWBKGB2L", "BNPAFRPP", "INGBNL2A", "CAIXESBB"])],
            ["Please note that the old account ending ", digits(4), " was closed on ", other_date(False), "."],
            [pick(["Payment terms remain 30 days net.", "Let me know once the transfer is released.",
                   "Our VAT number has not changed."])]]
    return ["Re: Invoice ", inv, " – updated bank details"], body


def topic_payroll_en(sender, recip):
    emp = WestPerson()
    body = [["Please add ", en(emp, "fl"), " to the US payroll from the ", ordinal(R.randint(1, 28)),
             " of next month."],
            ["SSN: ", ssn(), pick(["", " (verified against the W-4)"])],
            ["DOB (MM/DD/YYYY): ", dob(emp, "mdy")],
            [pick(["Direct deposit details follow in a separate, encrypted message.",
                   "Withholding as per the attached form."])]]
    if chance(0.4):
        body.append(["For the record, ", en(emp.first), "'s manager is ", en(WestPerson()), "."])
    return ["Payroll setup – ", en(emp.name)], body


def topic_complaint_en(sender, recip):
    driver = ZhPerson()
    body = [["I am writing about my trip on ", other_date(False), ". Driver ", en(driver),
             " (plate ", plate(), ") ignored the navigation and took a long detour."],
            ["I was picked up at ", address("street"), " around ", clock(), "."],
            ["The app showed my position as ", gps(), " the whole time, so the route is on record."],
            ["Please call me back on ", mobile(sender, pick(["+86 344", "(+86)", "0086-", "plain"])),
             " — do not use the hotline, I have tried ", hotline(), " three times."]]
    return [pick(["Complaint about driver ", "Re: Complaint – driver "]), en(driver)], body


def topic_security_en(sender, recip):
    user = anyone()
    body = [["We saw ", str(R.randint(5, 60)), " failed logins for ", en(user), " (", Pi(EMAIL, user.mail),
             ") from ", ip(private=False), " followed by a success from ", ip(v6=True), "."],
            ["User agent: ", user_agent()],
            ["The VPN gateway ", ip(v6=False, private=True), " logged the session under request id ", uuid(), "."],
            [pick(["I have reset the password and revoked the tokens.", "Account is locked pending review."])]]
    return ["[SEC-", digits(4), "] Suspicious sign-in – ", en(user)], body


def topic_visa_en(sender, recip):
    travellers = [ZhPerson() for _ in range(R.randint(1, 3))]
    body = [["Please prepare the invitation letters for the following delegates (details as in the passports):"]]
    for i, t in enumerate(travellers, 1):
        body.append([f"{i}. ", en(t.pinyin("SSGG")), ", passport ", Pi(PASSPORT, passport_number()),
                     ", born ", dob(t, pick(["D_MON", "d_mon", "iso"]))])
    body.append(["Arrival is planned for ", other_date(False), "; the hotel is booked under ", en(travellers[0]), "."])
    return ["Visa invitation – ", en(travellers[0])], body


EN_TOPICS = [topic_offer_en, topic_vendor_en, topic_payroll_en, topic_complaint_en, topic_security_en,
             topic_visa_en]


def topic_complaint_zh(sender, recip):
    rider, driver = resident(), resident()
    body = [["乘客", zh(rider), "（手机", mobile(rider), "）来电反映，", other_date(), "晚间司机", zh(driver),
             "（车牌", plate(), "）未按导航路线行驶，多收费用约", str(R.randint(20, 90)), "元。"],
            ["上车点：", address("street"), "；下车点：", address("street"), "。"],
            ["行程轨迹显示车辆曾在", gps(), "附近停留约", str(R.randint(5, 25)), "分钟。"],
            [pick(["乘客要求退款并向司机道歉，请于今天下班前回复处理意见。", "已先行补偿优惠券，请核实后给出最终处理结果。"])]]
    return [pick(["关于", "回复：关于", "转发：关于"]), zh(rider), "的投诉"], body


def topic_onboard_zh(sender, recip):
    hire = resident()
    body = [["新员工", zh(hire), "的入职材料已收齐，信息如下，请协助办理工资卡和社保："],
            ["身份证号：", Pi(ID, fmt_id(hire.id_number, pick(["plain", "6-8-4"])))],
            [pick(["出生日期：", "出生年月日："]), dob(hire)],
            ["户籍地址：", address(pick(["street", "village"]))],
            ["工资卡：", pick(BANKS), " ", card()],
            ["入职日期：", other_date(), "（试用期三个月）"]]
    return [zh(hire), pick(["入职材料补充", " 入职手续", "——入职信息确认"])], body


def topic_accident_zh(sender, recip):
    driver, other = ZhPerson(), ZhPerson()
    body = [["今天", clock(), "左右，我司车辆", plate(), "（司机", zh(driver), "）在", Pi(ADDR, road_address()),
             "附近与一辆私家车发生剐蹭，无人员受伤。"],
            ["对方车主", zh(other), "，电话", mobile(other), "，车牌", plate(), "。"],
            ["事故位置：", gps(), "，交警已出具简易程序认定书，保险已报案（报案号", serial(16), "）。"],
            [pick(["请安全部", "请保险专员"]), zh(ZhPerson()), "跟进理赔进度。"]]
    return ["【紧急】", zh(driver), "车辆事故处理"], body


def topic_refund_zh(sender, recip):
    user = ZhPerson()
    body = [["用户", zh(user), "申请退还押金", str(R.randint(2, 50) * 100), "元，原支付卡", masked_card(), "已注销。"],
            ["用户提供的新收款卡号：", card(), "（", pick(BANKS), "），户名", zh(user), "。"],
            ["联系方式：", mobile(user), "，邮箱", Pi(EMAIL, user.mail), "。"],
            [pick(["请财务核对后在三个工作日内打款。", "已核对身份，请尽快处理。"])]]
    return ["回复：", zh(user), "押金退还申请"], body


ZH_TOPICS = [topic_complaint_zh, topic_onboard_zh, topic_accident_zh, topic_refund_zh]


def email_en():
    d = Doc("g_email", "en")
    org = pick(ORGS)
    topic = pick(EN_TOPICS)
    sender, recip = staff(org), anyone()
    if topic is topic_complaint_en:  # written by a customer to the company
        sender, recip = anyone(), staff(org)
    subject, body = topic(sender, recip)
    reply, sent = chance(0.28), moment()
    d.line("From: ", mailbox(sender))
    d.line("To: ", mailbox(recip))
    ccs = [staff(org) for _ in range(R.choices([0, 1, 2], [65, 28, 7])[0])]
    if ccs:
        d.line("Cc: ", joined([mailbox(c) for c in ccs], ", "))
    d.line("Date: ", stamp(False, sent))
    d.line("Subject: ", "Re: " if reply else "", subject)
    d.line()
    d.line(en_greeting(recip)).line()
    d.lines(body).line()
    if topic is topic_complaint_en:
        d.lines([[pick(["Regards,", "Thanks,", "Sincerely,"])], [en(sender)]])
    else:
        d.lines(en_signature(sender, org))
    if reply:
        d.line()
        d.line("On ", stamp(False, before(sent)), ", ", mailbox(recip), " wrote:")
        earlier = [en_greeting(sender), [],
                   [pick(["Could you send me the details again? I can't find the attachment.",
                          "Thanks — I will check and come back to you tomorrow.",
                          "Please see my questions below and advise."])], [],
                   [pick(["Best,", "Thanks,", "Regards,"])], [en(recip.first)]]
        d.lines(earlier, prefix="> ")
    return d


def email_zh():
    d = Doc("g_email", "zh")
    org = pick(ORGS[:9])
    sender, recip = staff(org, west=False), staff(org, west=chance(0.1))
    subject, body = pick(ZH_TOPICS)(sender, recip)
    sent = moment()
    d.line("发件人：", mailbox(sender))
    d.line(pick(["发送时间：", "时间："]), stamp(True, sent))
    d.line("收件人：", mailbox(recip))
    ccs = [staff(org, west=False) for _ in range(R.choices([0, 1, 2], [65, 28, 7])[0])]
    if ccs:
        d.line("抄送：", joined([mailbox(c) for c in ccs], pick(["; ", "；"])))
    d.line("主题：", subject)
    d.line()
    d.line(zh_greeting(recip))
    d.lines([["    ", *ln] for ln in body]).line()
    d.lines(zh_signature(sender, org))
    if chance(0.28):
        d.line()
        d.line("------------------ 原始邮件 ------------------")
        d.line("发件人: ", mailbox(recip, quoted=True), ";")
        d.line("发送时间: ", stamp(True, before(sent)))
        d.line("收件人: ", mailbox(sender, quoted=True), ";")
        d.line("主题: ", subject)
        d.line()
        d.line(zh_greeting(sender))
        d.line(pick(["    这个情况我这边也收到了，麻烦你们先核实一下。", "    附件是相关截图，请查收。",
                     "    请尽快处理，谢谢。"]))
        d.line(zh(recip) if isinstance(recip, ZhPerson) else en(recip.first))
    return d


def email_mixed():
    d = Doc("g_email", "mixed")
    org = pick(ORGS)
    sender, recip = staff(org, west=chance(0.5)), ZhPerson()
    subject, body = pick(ZH_TOPICS)(sender, recip)
    d.line("From: ", mailbox(sender))
    d.line("To: ", mailbox(recip))
    d.line("Date: ", stamp(False))
    d.line("Subject: ", pick(["Re: ", "FW: ", ""]), subject, pick([" / follow-up", " (urgent)", ""]))
    d.line()
    d.line(pick([en_greeting, zh_greeting])(recip))
    d.line(pick(["Please see below the case summary (中文原文):", "FYI, 以下是客服整理的情况：",
                 "Forwarding the details, pls handle ASAP."]))
    d.lines(body).line()
    signature = zh_signature if isinstance(sender, ZhPerson) and chance(0.5) else en_signature
    d.lines(signature(sender, org))
    if chance(0.5):
        d.line()
        d.line("> ", pick(["Hi ", "Dear "]), en(sender.first), ",")
        d.line("> ", pick(["请问这个事情的处理进度？", "Any update on this one?", "对方又打电话来催了。"]))
        d.line("> ", en(recip) if chance(0.5) else zh(recip))
    return d


def email_trad():
    """A customer writing in traditional Chinese (Taiwan or Hong Kong) to a shop's service desk."""
    d = Doc("g_email", "zh")
    customer, agent = ZhPerson(), ZhPerson()
    agent.mail = email_for(agent, pick(ORGS[:9]).domain)
    kind = pick(["tw", "hk"])
    title = {True: pick(["小姐", "女士"]), False: "先生"}
    d.line(pick(["寄件者：", "寄件人："]), Pi(NAME_ZH, customer.trad), " <", Pi(EMAIL, customer.mail), ">")
    d.line(pick(["收件者：", "收件人："]), Pi(NAME_ZH, agent.trad), " <", Pi(EMAIL, agent.mail), ">")
    d.line("日期：", stamp())
    d.line("主旨：", pick(["關於訂單退款", "包裹未收到", "更改收件地址"]), "（", Pi(NAME_ZH, customer.trad), "）")
    d.line()
    d.line(Pi(NAME_ZH, agent.sur.translate(TRAD)), title[agent.female], "您好：")
    d.line()
    d.line("我於", other_date(), "在貴公司網站訂購了", pick(["兩件外套", "一台咖啡機", "一套餐具"]), "，訂單編號",
           order_number(), "，")
    d.line("收件地址為", address(kind), "，至今仍未收到。")
    bank = pick(["中國工商銀行", "中國建設銀行", "招商銀行", "中國銀行"])
    d.line(pick(["麻煩協助查詢物流狀況，", "如無法配送請直接退款，"]), "退款可匯入我的內地帳戶（", bank, " ", card(), "）。")
    d.line("如需聯絡，請回覆此郵件或致電我的內地手機 ", mobile(customer, pick(["+86 ", "+86 344", "0086-"])), "。")
    d.line()
    d.line(pick(["敬祝 商祺", "謝謝！", "順頌 時祺"]))
    d.line(Pi(NAME_ZH, customer.trad), pick([" 敬上", ""]))
    return d


def email_doc():
    return R.choices([email_en, email_zh, email_mixed, email_trad], [36, 32, 22, 10])[0]()


# ---------------------------------------------------------------------------- chat logs

class ChatCtx:
    """The cast and the facts a freight conversation talks about."""

    def __init__(self, group=True):
        self.shipper, self.driver, self.dispatcher, self.consignee = (ZhPerson() for _ in range(4))
        if not group:
            self.dispatcher = self.shipper
        self.cast = list(dict.fromkeys([self.shipper, self.driver, self.dispatcher]))
        self.load, self.unload = address_text("street"), address_text()
        self.plate = plate()

    def speaker(self, role):
        role = role.removeprefix("group:")
        return self.cast[R.randrange(len(self.cast))] if role == "any" else getattr(self, role)

    def other(self, me):
        return pick([p for p in self.cast if p is not me])


# (who says it, what is said); `me` is the speaker
FREIGHT_MESSAGES = [
    ("shipper", lambda c, me: ["明天早上", str(R.randint(6, 10)), "点装货，地址：", Pi(ADDR, c.load)]),
    ("shipper", lambda c, me: ["卸货地址发你了：", Pi(ADDR, c.unload), "，收货人", zh(c.consignee), " ",
                               mobile(c.consignee)]),
    ("driver", lambda c, me: ["车牌", c.plate, "，", pick(["4.2米", "6.8米", "9.6米", "13米"]), "厢式，",
                              pick(["半小时后到", "一个小时左右到", "快到了"])]),
    ("group:any", lambda c, me: ["@", zh(c.other(me)), " 请确认一下运费"]),
    ("group:any", lambda c, me: ["@", zh(c.other(me)), " 回单收到没？"]),
    ("driver", lambda c, me: ["位置共享：", gps()]),
    ("driver", lambda c, me: ["我到了，定位", gps(), "，门卫不让进"]),
    ("any", lambda c, me: ["周末能发车吗？"]),
    ("driver", lambda c, me: ["高铁站那边不让停货车，要绕一下"]),
    ("dispatcher", lambda c, me: ["白班的师傅已经交接了"]),
    ("shipper", lambda c, me: ["金额按之前说的", str(R.randint(8, 60) * 100), "，到了付"]),
    ("driver", lambda c, me: ["定金打我卡上：", card(), "，户名", zh(me)]),
    ("shipper", lambda c, me: [zh(c.consignee), "刚打电话说仓库下午两点才开门"]),
    ("group:dispatcher", lambda c, me: ["让", zh(c.driver), "把回单拍一下发群里"]),
    ("any", lambda c, me: ["好的"]), ("any", lambda c, me: ["收到👌"]),
    ("driver", lambda c, me: ["堵在高速上了，晚半小时"]),
    ("driver", lambda c, me: ["我是", Pi(NAME_ZH, me.sur), "师傅，车已经到了"]),
    ("driver", lambda c, me: ["有问题打我电话 ", mobile(me, pick(["344", "plain", "3-4-4", "4-3-4"]))]),
    ("any", lambda c, me: ["客服热线", hotline(), "一直打不通"]),
    ("shipper", lambda c, me: ["运单号 ", order_number(), " 已经签收"]),
    ("driver", lambda c, me: ["王牌线路，跑了三年了，放心"]),
    ("dispatcher", lambda c, me: ["张贴的限高通知看到了吗？", pick(["4.5米", "3.8米"]), "过不去"]),
    ("shipper", lambda c, me: ["发票抬头写", pick(ORGS[:9]).zh, "，税号我私发你"]),
]
# what is said in an English ops channel; `others` are the other members, in random order
OPS_MESSAGES_EN = [
    lambda me, others: ["@", en(others[0]), " can you check the invoice for ", en(anyone()), "?"],
    lambda me, others: [en(others[0]), " said the pickup moved to ", address("street")],
    lambda me, others: ["driver's number is ", mobile(style=pick(["+86 344", "plain", "0086-", "(+86)"]))],
    lambda me, others: ["customer ", en(c := anyone()), " (", Pi(EMAIL, c.mail), ") asked for a refund"],
    lambda me, others: ["server ", ip(private=True), " is down again, failing over to ", ip(private=True)],
    lambda me, others: ["weekend shift is covered"], lambda me, others: ["Morning all!"],
    lambda me, others: ["lgtm"], lambda me, others: ["kiosk still on build ", version(), ", pls update"],
    lambda me, others: ["thanks ", en(others[0].first), " 🙏"],
    lambda me, others: ["ok, I'll call ", en(anyone()), " after lunch"],
    lambda me, others: ["last known GPS of the truck: ", gps()],
    lambda me, others: ["ticket ", uuid()[:8], " closed, see ", id_url()],
    lambda me, others: ["refund goes to ", iban(), ", approved by ", en(others[-1])],
    lambda me, others: ["caller says she is ", en(c := WestPerson(True)), ", born on ",
                        dob(c, pick(["ord", "d_mon", "mon_d"])), " — matches the account"],
]


def chat_times(n, day=None):
    t = dt.datetime.combine(day or some_day(), dt.time(R.randint(6, 14), R.randint(0, 59)))
    out = []
    for _ in range(n):
        t += dt.timedelta(minutes=R.randint(0, 45), seconds=R.randint(1, 59))
        out.append(t)
    return out


def chat_wechat():
    d = Doc("g_chat", "zh")
    group = chance(0.6)
    c = ChatCtx(group)
    if group:
        d.line("群聊“", pick(["华东干线调度群", "冷链车队3组", "城配司机群", "专线对接群"]), "”的聊天记录")
    else:
        d.line("与", zh(c.driver), "的聊天记录")
    day = some_day()
    block = chance(0.5)
    d.line(f"—————  {day:%Y-%m-%d}  —————")
    pool = [m for m in FREIGHT_MESSAGES if group or not m[0].startswith("group:")]
    messages = R.sample(pool, R.randint(4, 6))
    for (role, say), t in zip(messages, chat_times(len(messages), day)):
        me = c.speaker(role)
        who = "我" if not group and me is c.shipper else zh(me)
        if block:
            d.line(who, f" {t:%H:%M}")
        else:
            d.line(f"{t:%Y-%m-%d %H:%M:%S} ", who)
        d.line(say(c, me))
    return d


def chat_dingtalk():
    d = Doc("g_chat", "zh")
    c = ChatCtx()
    colon, stamped = pick(["：", ": "]), chance(0.6)
    d.line(pick(["【钉钉群】", "DingTalk 群消息导出 · ", "企业微信群 · "]), pick(["仓配运营日报群", "华南项目组", "车辆调度"]))
    messages = R.sample(FREIGHT_MESSAGES, R.randint(4, 6))
    for (role, say), t in zip(messages, chat_times(len(messages))):
        me = c.speaker(role)
        d.line(f"[{t:%H:%M}] " if stamped else "", zh(me), colon, say(c, me))
    return d


def chat_en():
    d = Doc("g_chat", "en")
    cast = [anyone(0.5) for _ in range(3)]
    fmt = pick(["bracket", "paren", "slack"])
    d.line(pick(["#ops-east", "#dispatch", "Team chat export", "#customer-escalations"]),
           f" — {some_day():%d %b %Y}")
    messages = R.sample(OPS_MESSAGES_EN, R.randint(4, 6))
    for say, t in zip(messages, chat_times(len(messages))):
        me = pick(cast)
        others = R.sample([p for p in cast if p is not me], 2)
        if fmt == "bracket":
            d.line(f"[{t:%H:%M}] ", en(me), ": ", say(me, others))
        elif fmt == "paren":
            d.line(en(me), f" ({t:%H:%M}): ", say(me, others))
        else:
            d.line(en(me), f"  {t:%I:%M %p}".replace(" 0", " "))
            d.line(say(me, others))
    return d


CS_MESSAGES = [
    lambda u: ["您好，我是", zh(u), "，订单", order_number(), "一直没退款"],
    lambda u: ["手机号是", mobile(u)],
    lambda u: ["注册邮箱 ", Pi(EMAIL, u.mail)],
    lambda u: ["退到这张卡吧：", card()],
    lambda u: ["我的身份证号", Pi(ID, fmt_id(u.id_number)), "，你们核实一下"],
    lambda u: ["收货地址改成", address()],
    lambda u: ["周末能送到吗"],
]


def chat_cs():
    d = Doc("g_chat", "zh")
    user = ZhPerson()
    agent = f"客服(工号 {R.randint(1000, 9999)})"
    d.line("会话记录 #", digits(10), " | 渠道：", pick(["App在线客服", "微信公众号", "网页客服"]))
    t = dt.datetime.combine(some_day(), dt.time(R.randint(8, 21), R.randint(0, 59)))

    def say(who, *pieces):
        nonlocal t
        t += dt.timedelta(seconds=R.randint(10, 200))
        d.line(f"{t:%H:%M:%S} {who}：", pieces)

    say(agent, "您好，很高兴为您服务，请问有什么可以帮您？")
    for msg in R.sample(CS_MESSAGES, R.randint(3, 5)):
        say("用户", msg(user))
    if chance(0.3):
        d.lang = "mixed"
        say("用户", "my English name is ", en(user.pinyin("gS")), ", 护照上是这个")
    say(agent, pick([["好的", zh(user), user.title_zh, "，已为您登记，24小时内会有专员联系您。"],
                     ["已提交退款申请，预计3-5个工作日到账，如有疑问请拨打", hotline(), "。"],
                     ["感谢您的耐心等待，祝您生活愉快！"]]))
    return d


def chat_ride():
    d = Doc("g_chat", "zh")
    driver, rider = ZhPerson(), ZhPerson()
    d.line("订单 ", order_number(), " 司乘沟通记录")
    lines = [["司机", [["您好，我是", Pi(NAME_ZH, driver.sur), "师傅，车牌", plate(), "，马上到"],
                       ["我在", Pi(ADDR, road_address()), "门口，白色车"], ["定位发您了：", gps()]]],
             ["乘客", [["好的，我穿红衣服"], ["我在马路对面，电话", mobile(rider, pick(["344", "plain"]))],
                       ["高铁站出口这边吗？"], ["帮我朋友", zh(ZhPerson()), "叫的车，他马上下来"]]],
             ["司机", [["周末这边堵，稍等两分钟"], ["好的，看到您了"]]]]
    said = [(role, text) for role, options in lines for text in R.sample(options, R.randint(1, len(options)))]
    for (role, text), t in zip(said, chat_times(len(said))):
        d.line(f"[{t:%H:%M}] {role}：", text)
    return d


def chat_doc():
    return R.choices([chat_wechat, chat_dingtalk, chat_en, chat_cs, chat_ride], [28, 22, 22, 14, 14])[0]()


# ---------------------------------------------------------------------------- reports and records

def party_zh(role, p, detail=True):
    parts = [role, "：", zh(p), "，", "女" if p.female else "男", "，"]
    born = dob(p, pick(["zh", "zh", "zhnum"]))
    parts += [born, "出生，"] if chance(0.6) else ["出生于", born, "，"]
    parts += [p.ethnic + "族，" if chance(0.7) else ""]
    if detail:
        parts += ["住", address(pick(["street", "village"])), "，公民身份号码", Pi(ID, p.id_number), "，联系电话",
                  mobile(p, pick(["plain", "344"])), "。"]
    return parts


def report_arbitration():
    d = Doc("g_report", "zh")
    city = pick(REGIONS)
    applicant, agent, legal, arbitrator, clerk = resident(), *(ZhPerson() for _ in range(4))
    company = pick(ORGS[:9])
    d.line(city[2], "市劳动人事争议仲裁委员会")
    d.line("仲 裁 裁 决 书")
    d.line(f"{city[2][0]}劳人仲案字〔2024〕第{R.randint(10, 999)}号")
    d.line()
    d.line(party_zh("申请人", applicant))
    d.line("委托代理人：", zh(agent), "，", pick(ORGS[5:6]).zh, "律师。")
    d.line("被申请人：", company.zh, "，住所地", address("street"), "。")
    d.line("法定代表人：", zh(legal), "，该公司总经理。")
    d.line()
    d.line("申请人于", fmt_date(some_day(R.choice([2020, 2021, 2022])), "zh"), "入职被申请人处，担任",
           pick(["配送员", "仓库管理员", "网约车司机", "调度员"]),
           "，双方未签订书面劳动合同。", fmt_date(some_day(2023), "zh"), "，被申请人以“经营调整”为由口头辞退申请人。")
    d.line("申请人请求：一、支付未签劳动合同二倍工资差额", str(R.randint(8, 60) * 1000), "元；二、支付经济补偿金。")
    d.line()
    d.line("仲裁员：", zh(arbitrator))
    d.line("书记员：", zh(clerk))
    d.line(other_date())
    return d


def report_accident():
    d = Doc("g_report", "zh")
    a, b, officer = resident(), resident(), ZhPerson()
    d.line("道路交通事故认定书（简易程序）")
    d.line("第", digits(12), "号")
    d.line("事故时间：", other_date(), " ", clock(), "    天气：", pick(["晴", "阴", "小雨"]))
    d.line("事故地点：", Pi(ADDR, road_address()), "（", gps(), "）")
    for role, p in (("当事人甲", a), ("当事人乙", b)):
        d.line(role, "：", zh(p), "，驾驶证号", Pi(ID, p.id_number), "，", pick(["出生日期", "出生年月"]), "：", dob(p),
               "，电话", mobile(p, pick(["plain", "344", "+86 "])), "，驾驶车辆", plate(), "。")
    d.line("事故经过：当事人甲驾车由北向南行驶至事发路口时，与右转的当事人乙车辆发生碰撞，造成两车损坏。")
    d.line("责任认定：当事人甲负", pick(["全部", "主要"]), "责任，当事人乙", pick(["无责任", "负次要责任"]), "。")
    d.line("承办人：", zh(officer), "（警号 ", digits(6), "）")
    d.line("当事人签名：", zh(a), "  ", zh(b))
    return d


def report_incident_en():
    d = Doc("g_report", "en")
    reporter, assignee, approver, user = anyone(), anyone(), anyone(), anyone()
    d.line(f"Incident INC-{some_day():%Y%m%d}-{R.randint(1, 999):04d}")
    d.line("Severity: ", pick(["P1", "P2", "P3"]), "    Status: ", pick(["Resolved", "Monitoring", "Closed"]))
    d.line("Reporter: ", en(reporter), " <", Pi(EMAIL, reporter.mail), ">")
    d.line("Assignee: ", en(assignee))
    d.line("Approved by: ", en(approver))
    d.line()
    d.line("Summary: ", pick(["Admin console login from an unexpected network.",
                              "Customer data export triggered outside business hours.",
                              "Driver app API returned other users' trip records."]))
    d.line("Affected user: ", en(user), " (", Pi(EMAIL, user.mail), "), last seen from ", ip(), ".")
    d.line("Source addresses: ", joined([ip() for _ in range(R.randint(1, 2))], ", "))
    d.line("Trace id: ", hexid(), "   Build: ", version())
    d.line("Timeline:")
    fired, revoked = chat_times(2)
    d.line(f"  {fired:%H:%M} UTC  alert fired; on-call acknowledged")
    d.line(f"  {revoked:%H:%M} UTC  sessions revoked, ", en(reporter.first if isinstance(reporter, WestPerson)
                                                             else reporter.sur_py), " informed the customer")
    d.line("Root cause: misconfigured allow-list on the gateway.")
    return d


def report_inspection():
    d = Doc("g_report", "zh")
    inspectors = [resident() for _ in range(R.randint(2, 3))]
    escort, owner = ZhPerson(), ZhPerson()
    d.line(pick(["安全生产检查记录", "仓库消防检查记录表", "车辆安全例检记录"]))
    d.line("检查日期：", other_date(), "    编号：JC", digits(8))
    d.line("被检查单位：", pick(ORGS[:9]).zh)
    d.line("地址：", address("street"))
    d.line("检查人员：", joined([zh(p) for p in inspectors], "、"))
    d.line("陪同人员：", zh(escort), "（", pick(["仓库主管", "安全员", "车队长"]), "）")
    d.line("检查情况：")
    d.line("1. 消防通道堆放货物，", pick(["已当场清理", "责令当日整改"]), "；")
    d.line("2. 车辆", plate(), "灭火器过期（有效期至", other_date(), "）；")
    d.line("3. ", pick(["白班", "夜班"]), "值守记录不全。")
    d.line("整改负责人：", zh(owner), "，联系电话：", mobile(owner), "，整改期限：", other_date())
    return d


def report_hr():
    d = Doc("g_report", pick(["zh", "mixed"]))
    p, contact = resident(), ZhPerson()
    d.line(pick(["员工档案", "人事信息登记表", "Employee record / 员工档案"]))
    d.line("工号：", f"E{digits(6)}", "    部门：", pick(["运营中心", "华东大区", "技术部", "财务部"]))
    d.line("姓名：", zh(p), "    英文名：", en(p, pick(["Sg", "gS", "nick"])))
    d.line("性别：", "女" if p.female else "男", "    ", pick(["出生日期", "出生年月日", "生日"]), "：", dob(p))
    d.line("身份证号：", Pi(ID, fmt_id(p.id_number)))
    d.line("入职日期：", other_date(), "    合同到期：", fmt_date(some_day(R.choice([2026, 2027])), "zh"))
    d.line("现住址：", address())
    d.line("工资卡：", pick(BANKS), " ", card())
    relation = pick(["配偶", "母亲", "姐妹"] if contact.female else ["配偶", "父亲", "兄弟"])
    d.line("紧急联系人：", zh(contact), "（", relation, "） ", mobile(contact))
    d.line("备注：", pick(["试用期已转正", "周末可排班", "持C1驾照", "无"]))
    return d


def report_complaint_en():
    d = Doc("g_report", "en")
    complainant, respondent, handler = WestPerson(), ZhPerson(), anyone()
    d.line("CUSTOMER COMPLAINT RECORD")
    d.line("Case no.: CC-", digits(7), "    Opened: ", other_date(False))
    d.line("Complainant: ", en(complainant), " (", Pi(EMAIL, complainant.mail), ", ",
           mobile(complainant, pick(["+86 344", "+86-3-4-4"])), ")")
    d.line("Respondent: driver ", en(respondent), ", vehicle ", plate())
    d.line("Handled by: ", en(handler))
    if chance(0.5):
        d.line("Identity check: passed (", pick(["born on ", "DOB ", "date of birth "]),
               dob(complainant, pick(["ord", "d_mon", "mon_d", "dmy"])), ", e-mail on file)")
    d.line("Details: the complainant states that the driver refused the trip after arrival at ",
           address("street"), " and asked for cash.")
    d.line("Outcome: ", pick(["refund issued, driver warned", "no fault found", "driver suspended for 7 days"]))
    if chance(0.4):
        d.line("Refund of CNY ", str(R.randint(20, 400)), " to the complainant's account ", iban(), ".")
    return d


def report_interview():
    d = Doc("g_report", "zh")
    p, officer, recorder = resident(), ZhPerson(), ZhPerson()
    d.line("询问笔录")
    start, end = chat_times(2)
    d.line("时间：", fmt_date(start.date(), "zh"), f" {start:%H:%M}至{end:%H:%M}", "    地点：", pick(["派出所询问室", "事故处理中心"]))
    d.line("询问人：", zh(officer), "    记录人：", zh(recorder))
    d.line("被询问人：", zh(p))
    d.line("问：你的基本情况？")
    born = dob(p, pick(["zh", "zhnum"]))
    d.line("答：我叫", zh(p), "，", [born, "出生"] if chance(0.5) else ["出生于", born], "，身份证号", Pi(ID, p.id_number), "，现住",
           address(), "，电话", mobile(p), "。")
    d.line("问：事情经过？")
    d.line("答：我那天开", plate(), "在", pick(["高架上", "小区门口", "加油站"]), "，",
           pick(["后面的车追尾了", "一个电动车撞了我的后视镜"]), "。")
    d.line("问：以上记录是否属实？")
    d.line("答：属实。")
    d.line("被询问人签名：", zh(p))
    return d


def report_doc():
    return R.choices([report_arbitration, report_accident, report_incident_en, report_inspection, report_hr,
                      report_complaint_en, report_interview], [14, 16, 16, 14, 16, 12, 12])[0]()


# ---------------------------------------------------------------------------- invoices and receipts

INVOICE_ITEMS = [("运输服务", "运费"), ("物流辅助服务", "仓储费"), ("物流辅助服务", "装卸费"),
                 ("信息技术服务", "技术服务费"), ("住宿服务", "住宿费"), ("现代服务", "咨询服务费")]


def taxpayer_id():
    """A unified social credit code shape (not personal data, never labelled)."""
    return "91" + pick(ID_REGION_CODES) + "MA" + "".join(R.choice("0123456789ABCDEFGHJKLMNPQRTUWXY")
                                                         for _ in range(8))


def invoice_vat():
    d = Doc("g_invoice", "zh")
    buyer, seller = R.sample(ORGS[:9], 2)
    payee, checker, issuer, consignee = (resident() for _ in range(4))
    d.line("电子发票（普通发票）")
    d.line("发票号码：", serial(20), "    开票日期：", other_date())
    for role, org in (("购买方", buyer), ("销售方", seller)):
        office, city = premises()
        d.line(role, "  名称：", org.zh)
        d.line("        纳税人识别号：", taxpayer_id())
        d.line("        地址、电话：", office, " ", landline(pick(["-", "sp", "()"]), city))
    d.line("项目名称                数量    单价      金额")
    total = 0
    for category, item in R.sample(INVOICE_ITEMS, R.randint(1, 3)):
        qty, price = R.randint(1, 20), R.randint(50, 900)
        total += qty * price
        d.line(f"*{category}*{item}    {qty}    {price}.00    {qty * price}.00")
    d.line(f"价税合计（小写）¥{total * 1.06:.2f}")
    d.line("备注：收货人", zh(consignee), "，", mobile(consignee), "，", address())
    d.line("收款人：", zh(payee), "    复核：", zh(checker), "    开票人：", zh(issuer))
    return d


def receipt_en():
    d = Doc("g_invoice", "en")
    guest = anyone(0.6)
    d.line(pick(["RECEIPT", "Tax invoice", "Payment receipt"]), " #", digits(8))
    d.line("Date: ", other_date(False), "    Order: ", order_number())
    d.line("Bill to: ", en(guest))
    d.line("Email: ", Pi(EMAIL, guest.mail))
    if chance(0.6):
        d.line("Phone: ", mobile(guest, pick(["+86 344", "+86-3-4-4", "(+86)"])))
    for item in R.sample(['Airport transfer', 'Room night', 'Late checkout', 'Extra luggage', 'Breakfast'],
                         R.randint(2, 4)):
        d.line(f"  {item}  x{R.randint(1, 3)}   CNY {R.randint(40, 1800)}.00")
    d.line("Paid by: ", pick(["VISA", "Mastercard", "UnionPay"]), " **** **** **** ", digits(4))
    d.line("Questions? Call our hotline ", hotline(), " (not for bookings).")
    return d


def receipt_deposit():
    d = Doc("g_invoice", "zh")
    payer, payee = ZhPerson(), ZhPerson()
    amount = pick(["叁仟元整", "伍仟元整", "贰仟伍佰元整", "壹万元整"])
    d.line("收  据")
    id_part = ["（身份证号 ", Pi(ID, payer.id_number), "）"] if chance(0.5) else ""
    d.line("今收到 ", zh(payer), id_part, " 交来房屋押金人民币", amount, "。")
    d.line("房屋地址：", address())
    d.line("付款方式：转账，付款卡号 ", card())
    d.line("收款人：", zh(payee), "    电话：", mobile(payee))
    d.line("日期：", other_date())
    return d


def waybill():
    d = Doc("g_invoice", "zh")
    shipper, consignee, driver = resident(), resident(), resident()
    d.line(pick(["公路货物运单", "物流托运单", "整车运输运单"]), "    运单号：", order_number())
    d.line("托运人：", zh(shipper), "    电话：", mobile(shipper, pick(["plain", "344", "3-4-4"])))
    d.line("发货地址：", address(), *(["（定位 ", gps(), "）"] if chance(0.5) else []))
    d.line("收货人：", zh(consignee), "    电话：", pick([mobile(consignee), landline()]))
    d.line("收货地址：", address())
    d.line("货物：", pick(["电子元件", "冷冻食品", "建材", "日用百货"]), f"  {R.randint(1, 40)}件  {R.randint(1, 30)}.{R.randint(0, 9)}吨")
    d.line("承运车辆：", plate(), "    司机：", zh(driver), " ", mobile(driver))
    d.line("运费：", str(R.randint(8, 90) * 100), "元（", pick(["到付", "现付", "月结"]), "）    客服热线：", hotline("courier"))
    return d


def invoice_doc():
    return R.choices([invoice_vat, receipt_en, receipt_deposit, waybill], [30, 25, 20, 25])[0]()


# ---------------------------------------------------------------------------- meeting minutes

def minutes_zh():
    d = Doc("g_minutes", "zh")
    people = [resident() for _ in range(R.randint(3, 6))]
    chair, scribe = people[0], people[1]
    d.line(pick(["华东区运营周例会纪要", "项目启动会会议纪要", "客诉复盘会纪要", "安全生产月度例会纪要"]))
    d.line("时间：", other_date(), " ", clock(), "-", clock())
    d.line("地点：", pick(["3楼大会议室", "线上（腾讯会议 " + digits(3) + "-" + digits(3) + "-" + digits(3) + "）", "总部806会议室"]))
    d.line("主持人：", zh(chair), "    记录人：", zh(scribe))
    d.line("参会人员：", joined([zh(p) for p in people], pick(["、", "，", " "])))
    if chance(0.5):
        d.line("请假：", zh(ZhPerson()))
    d.line("一、上周工作回顾")
    d.line("1. ", zh(people[2]), "汇报了", pick(["华南线路", "冷链项目", "司机招募"]), "进展，", pick(["整体符合预期。", "进度滞后约一周。"]))
    d.line("2. 周末订单量上涨", str(R.randint(5, 40)), "%，白班人手不足。")
    d.line("二、待办事项")
    for p in R.sample(people[2:], min(len(people) - 2, R.randint(1, 3))):
        d.line("- ", zh(p), "：", pick(["跟进客户续签", "整理投诉清单", "对接保险理赔", "更新排班表"]),
               "，", other_date(), "前完成")
    d.line("下次会议：", other_date())
    return d


def minutes_en():
    d = Doc("g_minutes", "en")
    people = [anyone(0.5) for _ in range(R.randint(3, 5))]
    d.line(pick(["Weekly ops sync", "Project kickoff", "Data protection review"]), " — minutes (",
           other_date(False), ")")
    d.line("Chair: ", en(people[0]))
    d.line("Attendees: ", joined([en(p) for p in people], pick([", ", "; "])))
    d.line("Apologies: ", en(anyone(0.5)))
    d.line()
    d.line("1. ", en(people[1]), " reported that the ", pick(["Shanghai", "Wuhan", "Chengdu"]),
           " depot is back to full capacity.")
    d.line("2. Vendor onboarding: bank details received (IBAN ", iban(printed=True), "), pending approval.")
    d.line("Action items:")
    for p in R.sample(people, 2):
        d.line("- [ ] ", en(p.first), " to ", pick(["send the revised SLA", "update the DPIA", "book the venue",
                                                  "follow up with legal"]), " by ", other_date(False))
    return d


def minutes_doc():
    return R.choices([minutes_zh, minutes_en], [60, 40])[0]()


# ---------------------------------------------------------------------------- tables

class Row:
    """One person-row of a table and the facts its cells are drawn from."""

    def __init__(self):
        self.p = resident() if chance(0.85) else WestPerson()
        self.region = pick(REGIONS)
        self.zh_p = self.p if isinstance(self.p, ZhPerson) else resident()


ZH_COLUMNS = {
    "姓名": lambda r, s: zh(r.zh_p),
    "性别": lambda r, s: "女" if r.zh_p.female else "男",
    "城市": lambda r, s: r.region[2],
    "籍贯": lambda r, s: pick(["安徽黄山", "河南周口", "江苏高邮", "西藏林芝", "湖北武汉", "河南许昌"]),
    "地址": lambda r, s: Pi(ADDR, street_address(r.region)),
    "所属村": lambda r, s: pick(VILLAGES),
    "手机": lambda r, s: mobile(r.zh_p, s["mobile"]),
    "身份证号": lambda r, s: Pi(ID, r.zh_p.id_number),
    "出生日期": lambda r, s: dob(r.zh_p, s["date"]),
    "车牌": lambda r, s: plate(),
    "班次": lambda r, s: pick(["白班", "夜班", "早班", "中班"]),
    "备注": lambda r, s: pick(WORD_NEGATIVES + ["", "", "—"]),
    "金额": lambda r, s: f"{R.randint(80, 9000)}.00",
    "入职日期": lambda r, s: other_date(),
    "护照号": lambda r, s: Pi(PASSPORT, passport_number()),
    "定位": lambda r, s: gps(s["gps"], ","),
}
EN_COLUMNS = {
    "name": lambda r, s: en(r.p),
    "city": lambda r, s: pick(["Wuhan", "Huangshan", "Changzhou", "Xuchang", "Shanghai", "Shenzhen", "Nyingchi"]),
    "phone": lambda r, s: mobile(r.p, s["mobile"]),
    "email": lambda r, s: Pi(EMAIL, r.p.mail),
    "dob": lambda r, s: dob(r.p, s["date"]),
    "last_login_ip": lambda r, s: ip(),
    "plate": lambda r, s: plate(),
    "iban": lambda r, s: iban(printed=False),
    "shift": lambda r, s: pick(["day", "night", "weekend"]),
    "created_at": lambda r, s: f"{some_day():%Y-%m-%d}T{clock()}:00Z",
    "ssn": lambda r, s: ssn(),
    "last_gps": lambda r, s: gps(s["gps"], ", "),
}


def table_cells(columns, specs, n):
    style = {"mobile": pick(["plain", "plain", "344", "3-4-4", "+86 "]), "gps": pick(["latlng", "lnglat"])}
    style["date"] = pick(ZH_DATE_STYLES if "姓名" in columns else ["iso", "dmy", "mdy", "d_mon3"])
    rows = [Row() for _ in range(n)]
    return [[specs[c](row, style) for c in columns] for row in rows]


def cell_text(cell):
    return cell.text if isinstance(cell, Pi) else cell


def render_delimited(d, header, rows, sep):
    d.line(sep.join(header))
    for row in rows:
        out = []
        for cell in row:
            if sep == "," and "," in cell_text(cell):
                out.append(['"', cell, '"'])
            else:
                out.append(cell)
        d.line(joined(out, sep))


def render_markdown(d, header, rows):
    d.line("| ", " | ".join(header), " |")
    d.line("|", "|".join("---" for _ in header), "|")
    for row in rows:
        d.line("| ", joined(row, " | "), " |")


def render_ascii(d, header, rows, box):
    widths = [max(len(cell_text(c)) for c in col) for col in zip(header, *rows)]

    def padded(row):
        return [[c, " " * (w - len(cell_text(c)))] for c, w in zip(row, widths)]
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    if box:
        d.line(rule)
        d.line("| ", joined(padded(header), " | "), " |")
        d.line(rule)
        for row in rows:
            d.line("| ", joined(padded(row), " | "), " |")
        d.line(rule)
    else:
        d.line(" ", joined(padded(header), " | "))
        d.line("-" + "+".join("-" * (w + 2) for w in widths)[1:])
        for row in rows:
            d.line(" ", joined(padded(row), " | "))
        d.line(f"({len(rows)} rows)")


ZH_TABLE_LAYOUTS = [["姓名", "性别", "城市", "地址", "手机"], ["序号", "姓名", "籍贯", "出生日期", "身份证号"],
                    ["班次", "姓名", "车牌", "手机", "备注"], ["城市", "姓名", "手机", "金额", "备注"],
                    ["姓名", "所属村", "地址", "出生日期"], ["姓名", "入职日期", "出生日期", "城市"],
                    ["备注", "城市", "姓名", "车牌"], ["序号", "姓名", "护照号", "出生日期", "手机"],
                    ["车牌", "姓名", "定位", "手机"]]
EN_TABLE_LAYOUTS = [["name", "city", "phone", "email"], ["id", "name", "dob", "last_login_ip"],
                    ["shift", "name", "plate", "phone"], ["name", "email", "iban", "created_at"],
                    ["city", "name", "dob", "phone"], ["name", "ssn", "dob", "email"],
                    ["plate", "name", "last_gps", "phone"]]


def table_doc():
    zh_table = chance(0.62)
    layout = list(pick(ZH_TABLE_LAYOUTS if zh_table else EN_TABLE_LAYOUTS))
    specs = ZH_COLUMNS if zh_table else EN_COLUMNS
    counter = "序号" if zh_table else "id"
    n = R.randint(2, 4)
    cols = [c for c in layout if c != counter]
    rows = table_cells(cols, specs, n)
    if counter in layout:
        at = layout.index(counter)
        rows = [r[:at] + [str(i)] + r[at:] for i, r in enumerate(rows, 1)]
    fmt = pick(["csv", "tsv", "md", "ascii", "box"])
    d = Doc("g_table", "zh" if zh_table else "en")
    if fmt == "md" and chance(0.6):
        d.line(pick(["### 司机名单", "## 本周排班", "### Customer list", "#### 待核实人员"])).line()
    if fmt in ("csv", "tsv"):
        render_delimited(d, layout, rows, "," if fmt == "csv" else "\t")
    elif fmt == "md":
        render_markdown(d, layout, rows)
    else:
        if fmt == "ascii" and not zh_table:
            d.line(f"customers=> SELECT {', '.join(layout)} FROM customers LIMIT {n};")
        render_ascii(d, layout, rows, box=fmt == "box")
    if zh_table and chance(0.4):
        d.line(pick(["合计", "金额合计", "周末加班另计"]), "：", str(R.randint(1000, 50000)), ".00")
    return d


# ---------------------------------------------------------------------------- forms

def box(checked):
    return "☑" if checked else "□"


def form_driver_zh():
    d = Doc("g_form", "zh")
    p, contact = resident(), ZhPerson()
    colon = pick(["：", ": ", "："])
    d.line(pick(["网约车驾驶员从业资格注册申请表", "货车司机入驻登记表", "骑手注册信息表"]))
    d.line("申请编号", colon, "SQ", serial(13))
    d.line("一、基本信息")
    d.line(pick(["姓　　名", "姓名"]), colon, zh(p), "        性别", colon, box(not p.female), "男 ", box(p.female), "女")
    d.line(pick(["出生日期", "出生年月日"]), colon, dob(p), "        民族", colon, p.ethnic)
    d.line("身份证号", colon, Pi(ID, fmt_id(p.id_number, pick(["plain", "plain", "6-8-4"]))))
    d.line("手机号码", colon, mobile(p), "        电子邮箱", colon, Pi(EMAIL, p.mail))
    same = chance(0.5)
    d.line("户籍地址", colon, address(pick(["street", "village"])))
    d.line("现住址", colon, box(same), "同户籍地址 ", box(not same), "其他：", "" if same else address("street"))
    d.line("二、车辆信息")
    electric = chance(0.4)
    d.line("车牌号码", colon, plate(), "        能源类型", colon, box(not electric), "燃油 ", box(electric), "新能源")
    d.line("三、收款账户")
    d.line("开户银行", colon, pick(BANKS), "        银行卡号", colon, card())
    d.line("紧急联系人", colon, zh(contact), "（", pick(["配偶", "父母", "子女", "朋友"]), "）  电话", colon, mobile(contact))
    d.line("申请人签字", colon, zh(p), "        日期", colon, other_date())
    return d


def form_employment_en():
    d = Doc("g_form", "en")
    p, contact = WestPerson(), WestPerson()
    us = chance(0.6)
    d.line(pick(["APPLICATION FOR EMPLOYMENT", "New hire information form", "Contractor registration"]))
    d.line("Full name: ", en(p, pick(["fl", "fml", "fMl"])))
    d.line("Preferred name: ", en(p.first))
    if us:
        d.line("Date of birth (MM/DD/YYYY): ", dob(p, "mdy"))
        d.line("Social Security Number: ", ssn(pick(["-", "-", "-", " "])))
    else:
        d.line(pick(["Date of birth (DD/MM/YYYY): ", "D.O.B.: ", "DOB: "]), dob(p, pick(["dmy", "ord", "d_mon"])))
        d.line("Bank account (IBAN): ", iban())
    d.line("Mobile (China): ", mobile(p, pick(["+86 344", "+86-3-4-4", "plain"])))
    d.line("Email: ", Pi(EMAIL, p.mail))
    d.line("[x] I am legally authorised to work in the country of employment")
    d.line("[ ] I require visa sponsorship")
    d.line("Emergency contact: ", en(contact), " (", pick(["spouse", "parent", "sibling"]), ")")
    d.line("Start date: ", other_date(False), "    Signature: ______________")
    return d


def form_visitor_zh():
    d = Doc("g_form", "zh")
    visitor, host = resident(), ZhPerson()
    d.line(pick(["访客登记单", "小区来访人员登记", "园区临时出入登记"]))
    d.line("来访人：", zh(visitor), "    证件类型：", box(True), "身份证 ", box(False), "护照")
    d.line("证件号码：", Pi(ID, visitor.id_number))
    d.line("联系电话：", mobile(visitor, pick(["plain", "344", "+86 "])))
    d.line("车牌：", plate(), "    来访事由：", pick(["送货", "面试", "维修", "拜访"]))
    d.line("被访人：", zh(host), "    楼栋：", f"{R.randint(1, 12)}栋{room()}")
    entered, left = chat_times(2)
    d.line("进入时间：", f"{entered:%Y-%m-%d %H:%M}", "    离开时间：", f"{left:%H:%M}")
    d.line("门岗值班：", pick(["白班", "夜班"]), "  保安", zh(ZhPerson()))
    return d


def form_remittance():
    d = Doc("g_form", "mixed")
    sender, beneficiary = ZhPerson(), WestPerson()
    d.line("境外汇款申请书 APPLICATION FOR FUNDS TRANSFERS (OVERSEAS)")
    d.line("汇款人名称 Remitter's name: ", en(sender, "SSGG"), " / ", zh(sender))
    d.line("汇款人地址 Address: ", address("street"))
    d.line("护照号 Passport No.: ", Pi(PASSPORT, passport_number()), "    身份证号 ID No.: ", Pi(ID, sender.id_number))
    d.line("联系电话 Tel: ", mobile(sender))
    d.line("收款人名称 Beneficiary: ", en(beneficiary, "fl"))
    d.line("收款人账号 IBAN: ", iban())
    d.line("收款银行 SWIFT/BIC: ", pick(["DEUTDEFFXXX", "BNPAFRPP", "NWBKGB2L", "ABNANL2A"]))
    d.line("汇款用途 Purpose: ", pick(["tuition fee 学费", "living expenses 生活费", "consulting fee 咨询费"]))
    d.line("申请日期 Date: ", other_date())
    return d


def form_school_zh():
    d = Doc("g_form", "zh")
    child, parent = ZhPerson(), ZhPerson()
    child.birth = dt.date(R.randint(2012, 2018), R.randint(1, 12), R.randint(1, 28))
    d.line(pick(["新生入学报名表", "夏令营报名表", "少儿体检登记表"]))
    d.line("学生姓名：", zh(child), "  性别：", box(not child.female), "男 ", box(child.female), "女")
    d.line(pick(["出生年月日", "出生日期", "生日"]), "：", dob(child, pick(["zh", "zh0", "iso", "dot", "compact"])))
    d.line("家长姓名：", zh(parent), "  与学生关系：", pick(["父亲", "母亲"]))
    d.line("家长手机：", mobile(parent))
    d.line("家庭住址：", address(pick(["street", "village", "village"])))
    d.line("报名日期：", other_date(), "  缴费金额：", str(R.randint(3, 30) * 100), "元")
    return d


def form_tenant_trad():
    d = Doc("g_form", "zh")
    p, landlord = ZhPerson(), ZhPerson()
    kind = pick(["tw", "hk", "mo"])
    d.line(pick(["租客資料登記表", "住戶登記表", "臨時住宿登記"]))
    d.line("姓名：", Pi(NAME_ZH, p.trad), "    性別：", "女" if p.female else "男")
    d.line("出生日期：", dob(p, pick(["zh", "iso", "slash0"])))
    d.line("內地手機：", mobile(p, pick(["+86 ", "+86 344", "0086-"])))
    d.line("電郵：", Pi(EMAIL, p.mail))
    d.line("租賃地址：", address(kind))
    d.line("業主：", Pi(NAME_ZH, landlord.trad), "    起租日期：", other_date())
    return d


def form_tenant_us():
    d = Doc("g_form", "en")
    p, co = WestPerson(), WestPerson()
    d.line(pick(["RENTAL APPLICATION – TENANT SCREENING", "Background check authorization"]))
    d.line("Applicant: ", en(p, pick(["fl", "fml", "fMl"])), "    Co-applicant: ", en(co, "fl"))
    d.line("SSN: ", ssn(), "    Date of birth: ", dob(p, pick(["mdy", "mon_d"])))
    d.line("Co-applicant SSN: ", ssn(), "    D.O.B.: ", dob(co, "mdy"))
    d.line("Email: ", Pi(EMAIL, p.mail))
    d.line("Current employer: ", pick(["Harbor & Pine", "Meridian Consulting", "self-employed"]),
           "    Monthly income: $", str(R.randint(30, 120) * 100))
    d.line("[x] I authorize the landlord to obtain a consumer credit report.")
    d.line("Signed: ", en(p.name), "    Date: ", other_date(False))
    return d


def form_doc():
    return R.choices([form_driver_zh, form_employment_en, form_visitor_zh, form_remittance, form_school_zh,
                      form_tenant_trad, form_tenant_us], [20, 16, 14, 14, 14, 12, 10])[0]()


# ---------------------------------------------------------------------------- configuration files and logs

def config_yaml():
    d = Doc("g_config", "en")
    owner, backup = anyone(0.5), anyone(0.5)
    d.line(f"# deploy/{pick(['prod', 'staging', 'east-1'])}.yaml")
    if isinstance(owner, ZhPerson) and chance(0.5):
        d.line("# maintained by ", zh(owner), " (SRE)")
    d.line("app:")
    d.line(f"  name: {pick(['dispatch-gateway', 'kyc-worker', 'billing-api', 'trip-matcher'])}")
    d.line(f"  version: {version()}")
    d.line(f"  build_id: {uuid()}")
    d.line("listen:")
    d.line("  host: ", ip(v6=False, private=True))
    d.line(f"  port: {R.choice([8080, 8443, 9000, 50051])}")
    d.line("upstreams:")
    for _ in range(R.randint(1, 3)):
        if chance(0.25):
            d.line('  - "[', ip(v6=True), f']:{R.choice([443, 9000])}"')
        else:
            d.line("  - ", ip(v6=False, private=True), f":{R.choice([80, 8080, 9000])}")
    d.line("owners:")
    for p in (owner, backup):
        d.line("  - name: ", en(p))
        d.line("    email: ", Pi(EMAIL, p.mail))
        if chance(0.5):
            d.line('    phone: "', mobile(p, pick(["+86 344", "+86 ", "plain"])), '"')
    d.line("alerting:")
    d.line(f"  webhook: https://oapi.example.cn/robot/send?access_token={hexid(64)}")
    d.line(f"  order_link: {id_url()}")
    d.line(f"  user_agent: \"{user_agent()}\"")
    return d


def config_ini():
    d = Doc("g_config", "en")
    admin = anyone(0.4)
    d.line(f"; generated {some_day():%Y-%m-%d}T{clock()}:00+08:00 — do not edit by hand")
    d.line("[server]")
    d.line("bind = ", ip(v6=False, private=True))
    d.line(f"port = {R.choice([5432, 3306, 6379, 8080])}")
    d.line(f"tls_fingerprint = sha256:{hexid(64)}")
    d.line("[admin]")
    d.line("name = ", zh(admin) if isinstance(admin, ZhPerson) and chance(0.5) else en(admin))
    d.line("email = ", Pi(EMAIL, admin.mail))
    d.line("oncall = ", pick([landline(pick(["-", "sp"])), mobile(admin, "plain")]))
    d.line("[client]")
    d.line(f"min_version = {version()}")
    d.line(f"support_hotline = {hotline()}")
    d.line(f"session_ttl = {R.choice([900, 3600, 86400])}")
    return d


def config_toml():
    d = Doc("g_config", "en")
    owner = anyone(0.5)
    d.line('title = "', pick(["billing", "geo-fence", "notifier"]), ' service"')
    d.line()
    d.line("[owner]")
    d.line('name = "', en(owner), '"')
    d.line('email = "', Pi(EMAIL, owner.mail), '"')
    d.line(f"updated = {some_day():%Y-%m-%d}T{clock()}:00Z")
    d.line()
    d.line("[database]")
    hosts = [ip(private=True) for _ in range(R.randint(1, 3))]
    d.line("hosts = [", joined([['"', h, '"'] for h in hosts], ", "), "]")
    d.line(f'schema_version = "{version()}"')
    d.line()
    d.line("[geo]")
    order = pick(["latlng", "lnglat"])
    d.line('depot = "', gps(order, ","), '"  # ', "lat,lng" if order == "latlng" else "lng,lat as the map API expects")
    d.line(f"radius_m = {R.randint(100, 5000)}")
    return d


def config_env():
    d = Doc("g_config", "en")
    admin = anyone(0.5)
    d.line("APP_ENV=production")
    d.line(f"APP_VERSION={version()}")
    d.line("DB_HOST=", ip(v6=False, private=True))
    d.line(f"DB_PORT={R.choice([5432, 3306])}")
    d.line("REDIS_HOST=", ip(v6=False, private=True))
    d.line('ADMIN_NAME="', zh(admin) if isinstance(admin, ZhPerson) else en(admin), '"')
    d.line("ADMIN_EMAIL=", Pi(EMAIL, admin.mail))
    d.line("ALERT_SMS=", mobile(admin, "plain"))
    d.line(f"SESSION_SECRET={hexid(48)}")
    d.line(f"CALLBACK_URL={id_url()}")
    d.line(f"REQUEST_ID_PREFIX={uuid()[:8]}")
    return d


def config_json():
    d = Doc("g_config", "en")
    contacts = [anyone(0.5) for _ in range(R.randint(1, 2))]
    d.line("{")
    d.line(f'  "service": "{pick(["kyc-worker", "refund-bot", "driver-onboarding"])}",')
    d.line(f'  "release": "{version()}",')
    d.line('  "allow_ips": [', joined([['"', ip(), '"'] for _ in range(R.randint(1, 3))], ", "), "],")
    d.line('  "contacts": [')
    for i, p in enumerate(contacts):
        d.line('    {"name": "', en(p), '", "email": "', Pi(EMAIL, p.mail), '", "role": "',
               pick(["DPO", "owner", "on-call"]), '"}', "," if i < len(contacts) - 1 else "")
    d.line("  ],")
    d.line(f'  "callback": "{id_url()}",')
    d.line(f'  "created_at": {R.randint(1700000000, 1730000000)}')
    d.line("}")
    return d


def logfmt():
    d = Doc("g_config", "en")
    for when in chat_times(R.randint(3, 5)):
        u = anyone(0.4)
        t = f"{when:%Y-%m-%dT%H:%M:%S}Z"
        kind = pick(["login", "export", "url", "health"])
        if kind == "login":
            d.line(f"ts={t} level=info msg=\"login ok\" user=\"", en(u), "\" email=", Pi(EMAIL, u.mail),
                   " ip=", ip(), " loc=", gps("lnglat", ","), f" trace={hexid(16)}")
        elif kind == "export":
            d.line(f"ts={t} level=warn msg=\"bulk export\" operator=\"", en(u), "\" rows=",
                   str(R.randint(100, 90000)), " client_ip=", ip(private=False))
        elif kind == "url":
            d.line(f"ts={t} level=info method=GET path={id_url()} status=200 dur_ms={R.randint(3, 900)}")
        else:
            d.line(f"ts={t} level=debug msg=\"health\" version={version()} uptime={R.randint(1000, 9999999)}")
    return d


def config_doc():
    return R.choices([config_yaml, config_ini, config_toml, config_env, config_json, logfmt],
                     [20, 16, 14, 16, 16, 18])[0]()


# ---------------------------------------------------------------------------- OCR text of scans

def ocr_label(label):
    """A form label as OCR returns it: sometimes with spaces between the characters."""
    return pick([label, " ".join(label), "　".join(label)]) if len(label) <= 3 else label


def ocr_digits(s):
    return fullwidth(s) if chance(0.35) else s


def ocr_id_card():
    d = Doc("g_ocr", "zh")
    p = resident()
    d.line(pick(["【身份证正面识别结果】", "OCR result: id_card_front", "扫描件 第1页"]))
    d.line(ocr_label("姓名"), " ", zh(p))
    d.line(ocr_label("性别"), " ", "女" if p.female else "男", "  ", ocr_label("民族"), " ", p.ethnic)
    d.line(ocr_label("出生"), " ", dob(p, "zh"))
    d.line(ocr_label("住址"), " ", Pi(ADDR, wrap(address_text(pick(["street", "village"])), R.randint(11, 13))))
    d.line("公民身份号码 ", Pi(ID, ocr_digits(p.id_number)))
    if chance(0.6):
        d.line()
        _, city, _, districts = pick(REGIONS)
        d.line("【背面】签发机关 ", city, "公安局", pick(districts), "分局")
        d.line("有效期限 ", fmt_date(some_day(R.randint(2010, 2020)), "dot"), "-长期")
    return d


def ocr_lease():
    d = Doc("g_ocr", "zh")
    lessor, lessee = ZhPerson(), ZhPerson()
    d.line("—  第 1 页 共 ", str(R.randint(2, 4)), " 页  —")
    d.line("房 屋 租 赁 合 同")
    d.line("甲方（出租人）：", zh(lessor), "    身份证号：", Pi(ID, ocr_digits(lessor.id_number)))
    d.line("联系电话：", Pi(MOBILE, ocr_digits(fmt_mobile(lessor.mobile, pick(["plain", "344"])))))
    d.line("乙方（承租人）：", zh(lessee), "    身份证号：", Pi(ID, ocr_digits(lessee.id_number)))
    d.line("联系电话：", Pi(MOBILE, ocr_digits(fmt_mobile(lessee.mobile, pick(["plain", "344", "+86 "])))))
    addr = address_text("street")
    cut = R.randint(4, len(addr) - 3)
    d.line("第一条 甲方将位于", Pi(ADDR, addr[:cut] + "\n" + addr[cut:]), "的房屋出租给乙方居住使用，")
    begin, style = some_day(), pick(["zh", "zh0", "iso"])
    end = begin + dt.timedelta(days=364)
    d.line("建筑面积", str(R.randint(40, 140)), "平方米。租期自", fmt_date(begin, style), "起至", fmt_date(end, style), "止。")
    d.line("第二条 月租金人民币", str(R.randint(15, 90) * 100), "元，乙方应于每月", str(R.randint(1, 10)),
           "日前转入甲方账户：", Pi(CARD, ocr_digits(fmt_card(card_number(), "4s"))), "。")
    d.line("甲方签字：", zh(lessor), "        乙方签字：", zh(lessee))
    d.line("— 1 —")
    return d


def ocr_business_card():
    d = Doc("g_ocr", "mixed")
    p, org = ZhPerson(), pick(ORGS[:9])
    p.mail = email_for(p, org.domain)
    d.line(zh(p), "  ", en(p, pick(["Sg", "gS", "nick", "SG"])))
    d.line(" | ".join(pick(JOB_TITLE_PAIRS)))
    d.line(org.zh)
    d.line(org.en)
    d.line("M: ", mobile(p, pick(["+86 344", "344", "plain"])))
    office, city = premises()
    if chance(0.7):
        d.line("T: ", landline(pick(["+86 ", "-", "sp"]), city), pick(["", f" ext.{R.randint(100, 999)}"]))
    d.line("E: ", Pi(EMAIL, p.mail))
    d.line("A: ", Pi(ADDR, wrap(office.text, R.randint(14, 18))) if chance(0.5) else office)
    d.line("www.", org.domain)
    return d


def ocr_courier_label():
    d = Doc("g_ocr", "zh")
    sender, recipient = ZhPerson(), ZhPerson()
    kind = R.choices(["street", "village", "tw", "hk"], [60, 20, 10, 10])[0]
    name = Pi(NAME_ZH, recipient.trad) if kind in ("tw", "hk") else zh(recipient)
    d.line(pick(["顺丰速运", "中通快递", "京东物流"]), "  ", order_number())
    d.line("收 ", name, " ", Pi(MOBILE, ocr_digits(fmt_mobile(recipient.mobile, pick(["plain", "344"])))))
    d.line(Pi(ADDR, wrap(address_text(kind), R.randint(12, 16))))
    d.line("寄 ", zh(sender), " ", masked_mobile())
    d.line(pick(["北京", "上海", "武汉", "周口"]), "转运中心  ", other_date(), " ", clock())
    d.line("已验视  ", pick(["文件", "衣物", "电子产品"]), "  计费重量：", str(R.randint(1, 20)), "kg")
    return d


def ocr_medical():
    d = Doc("g_ocr", "zh")
    p, doctor = ZhPerson(), ZhPerson()
    d.line(pick(["体检报告", "门诊病历", "入院记录"]), "        第1页")
    d.line(ocr_label("姓名"), "：", zh(p), "  ", ocr_label("性别"), "：", "女" if p.female else "男",
           "  年龄：", str(2024 - p.birth.year), "岁")
    d.line(pick(["出生日期", "出生年月", "生日"]), "：", dob(p, pick(["iso", "zh", "slash0", "slash"])), "  ",
           pick(["体检日期", "就诊日期"]), "：", other_date())
    d.line("联系电话：", Pi(MOBILE, ocr_digits(fmt_mobile(p.mobile, "plain"))))
    d.line("住址：", address())
    d.line("主诉：", pick(["咳嗽三天", "头晕一周", "常规体检"]), "。")
    d.line("医师：", zh(doctor), "    打印时间：", stamp())
    return d


def ocr_doc():
    return R.choices([ocr_id_card, ocr_lease, ocr_business_card, ocr_courier_label, ocr_medical],
                     [24, 22, 18, 18, 18])[0]()


# ---------------------------------------------------------------------------- travel

def mrz_check(s):
    values = [int(c) if c.isdigit() else (ord(c) - 55 if c.isalpha() else 0) for c in s]
    return str(sum(v * (7, 3, 1)[i % 3] for i, v in enumerate(values)) % 10)


def mrz_lines(country, name_field, number, birth, female, expiry):
    """The two 44-character MRZ lines of a passport (TD3); returns (line1 head, name, filler), line2."""
    filler = "<" * (44 - 5 - len(name_field))
    num = number.ljust(9, "<")
    line2 = (num + mrz_check(num) + country + birth.strftime("%y%m%d") + mrz_check(birth.strftime("%y%m%d")) +
             ("F" if female else "M") + expiry.strftime("%y%m%d") + mrz_check(expiry.strftime("%y%m%d")) +
             "<" * 14 + "<")
    composite = line2[0:10] + line2[13:20] + line2[21:43]
    return (f"P<{country}", name_field, filler), line2 + mrz_check(composite)


def travel_passport():
    west = chance(0.3)
    d = Doc("g_travel", "en" if west else "mixed")
    expiry = dt.date(R.randint(2026, 2034), R.randint(1, 12), R.randint(1, 28))
    if west:
        p = WestPerson()
        country = pick(["GBR", "DEU", "FRA", "USA", "NLD"])
        number = digits(9) if country in ("GBR", "USA") else "C" + "".join(R.choice("0123456789CFGHJKLMNPRTVWXYZ")
                                                                         for _ in range(8))
        d.line("Passport scan — traveller ", str(R.randint(1, 4)))
        d.line("Name: ", en(p, "fml"))
        d.line("Nationality: ", country, "    Passport No.: ", number)
        d.line("Date of birth: ", dob(p, pick(["D_MON", "d_mon", "iso"])))
        d.line("Date of expiry: ", fmt_date(expiry, "D_MON"))
    else:
        p = ZhPerson(compound=chance(0.12))
        country, number = "CHN", passport_number()
        d.line(pick(["护照信息（OCR识别结果）", "Passport OCR / 护照识别"]))
        d.line("护照号码：", Pi(PASSPORT, number))
        d.line("中文姓名：", zh(p))
        d.line("英文姓名：", en(p, "SSGG"))
        d.line("性别：", "女" if p.female else "男", "    国籍：中国")
        d.line("出生日期：", dob(p, pick(["iso", "zh", "D_MON"])))
        d.line("签发日期：", other_date(), "    有效期至：", fmt_date(expiry, "iso"))
    head, line2 = mrz_lines(country, p.mrz_name(), number, p.birth, p.female, expiry)
    d.line("MRZ:")
    d.line(head[0], en(head[1]), head[2])
    d.line(line2)
    return d


def travel_pnr():
    d = Doc("g_travel", "en")
    pax = [ZhPerson() if chance(0.75) else WestPerson() for _ in range(R.randint(1, 3))]
    city_code = pick(["PEK", "SHA", "CAN", "CTU"])
    office = city_code + digits(3)
    d.line(f"RP/{office}/{office} {pick(['WS', 'AA', 'SK'])}/SU  {some_day():%d%b%y}/{clock().replace(':', '')}Z"
           .upper(), "   ", "".join(R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)))
    names = []
    for i, p in enumerate(pax, 1):
        name = f"{p.sur_py.upper()}/{p.given_py.upper()}" if isinstance(p, ZhPerson) else \
            f"{mrz_fold(p.last).replace('<', '')}/{mrz_fold(p.first).replace('<', '')}"
        title = ("MS" if p.female else "MR") if chance(0.8) else ("MRS" if p.female else "MR")
        names.append([f"{i}.", en(name), f" {title}"])
    d.line("  ", joined(names, "  "))
    n = len(pax) + 1
    flight = f"{pick(['CA', 'MU', 'CZ', 'HU'])}{R.randint(1000, 9999)}"
    d.line(f"  {n}  {flight} Y   {some_day():%d%b}".upper(),
           f" {pick(['PEKSHA', 'SHACAN', 'CTUPEK', 'CANPEK'])} HK{len(pax)}   {clock().replace(':', '')} "
           f"{clock().replace(':', '')}          E")
    n += 1
    city = {"PEK": "北京市", "SHA": "上海市", "CAN": "广州市", "CTU": "成都市"}[city_code]
    d.line(f"  {n}.{city_code}/T {city_code}/T ", landline("-", city), "/", ORGS[7].en.upper())
    for i, p in enumerate(pax, 1):
        if isinstance(p, ZhPerson):
            n += 1
            d.line(f"  {n}.SSR FOID {flight[:2]} HK1 NI", Pi(ID, p.id_number), f"/P{i}")
    n += 1
    d.line(f"  {n}.OSI {flight[:2]} CTCM", Pi(MOBILE, pax[0].mobile), "/P1")
    n += 1
    d.line(f"  {n}.TL/1200/{some_day():%d%b}/{office}".upper())
    return d


def travel_hotel():
    zh_doc = chance(0.5)
    d = Doc("g_travel", "zh" if zh_doc else "en")
    guest, extra = anyone(0.4 if zh_doc else 0.6), ZhPerson()
    kind = pick(["street", "street", "hk", "mo", "tw"])
    hotel_addr, city = premises() if kind == "street" else (address(kind), None)
    arrive = some_day()
    depart = arrive + dt.timedelta(days=R.randint(1, 5))
    if zh_doc:
        d.line("【预订确认】订单号 ", order_number())
        d.line("入住人：", zh(guest) if isinstance(guest, ZhPerson) else en(guest), "、", zh(extra))
        d.line("酒店地址：", hotel_addr)
        if city:
            d.line("酒店电话：", landline(pick(["-", "()"]), city))
        d.line("入住：", fmt_date(arrive, "zh"), "  离店：", fmt_date(depart, "zh"), "  ", pick(["大床房", "双床房"]), " 1间")
        d.line("联系手机：", mobile(guest, pick(["plain", "344"])))
        d.line("担保：", masked_card(), "    如需帮助请致电客服热线 ", hotline())
    else:
        d.line("Booking confirmation #", digits(10))
        d.line("Guest name: ", guest.title_en, " ", en(guest))
        d.line("Additional guest: ", en(extra))
        d.line("Hotel address: ", hotel_addr)
        if city:
            d.line("Front desk: ", landline(pick(["+86 ", "+86-"]), city))
        d.line("Check-in: ", fmt_date(arrive, "d_mon3"), "    Check-out: ", fmt_date(depart, "d_mon3"))
        d.line("Contact: ", Pi(EMAIL, guest.mail), " / ", mobile(guest, pick(["+86 344", "+86 "])))
        d.line("Guarantee: VISA ************", digits(4))
    return d


def travel_group():
    d = Doc("g_travel", "zh")
    members = [ZhPerson() for _ in range(R.randint(2, 4))]
    d.line(pick(["出境团队名单", "签证送签人员名单", "赴日旅游团 游客名单"]), "  团号：", f"VY{digits(8)}")
    for i, p in enumerate(members, 1):
        d.line(f"{i}. ", zh(p), " / ", en(p, "SSGG"), "  护照 ", Pi(PASSPORT, passport_number()),
               "  出生日期 ", dob(p, pick(["iso", "dot"])), "  ", "女" if p.female else "男")
    leader = ZhPerson()
    d.line("领队：", zh(leader), "  ", mobile(leader))
    d.line("集合：", other_date(), " ", clock(), " ", pick(["浦东机场T2", "首都机场T3", "白云机场T1"]))
    return d


def travel_ticket():
    d = Doc("g_travel", "mixed")
    p = ZhPerson()
    d.line("电子客票行程单 / 报销凭证")
    d.line(f"G{R.randint(1, 9999)}  {pick(['北京南', '上海虹桥', '武汉', '黄山北', '常州'])} → "
           f"{pick(['长沙南', '许昌东', '周口东', '杭州东'])}  {other_date()} {clock()}开")
    d.line(f"{R.randint(1, 16):02d}车{R.randint(1, 18):02d}{R.choice('ABCDF')}号  二等座  ¥{R.randint(50, 900)}.0")
    d.line(masked_name(p), "  ", masked_id(p), "  仅供报销使用")
    d.line("Boarding pass: ", en(f"{p.sur_py.upper()}/{p.given_py.upper()}"), f" {'MS' if p.female else 'MR'}  "
           f"{pick(['CA', 'MU'])}{R.randint(1000, 9999)}  SEAT {R.randint(10, 60)}{R.choice('ABCDEF')}")
    return d


def travel_doc():
    return R.choices([travel_passport, travel_pnr, travel_hotel, travel_group, travel_ticket],
                     [26, 20, 22, 18, 14])[0]()


# ---------------------------------------------------------------------------- SMS and notices

def sms_doc():
    d = Doc("g_sms", "zh")
    p = ZhPerson()
    courier = ZhPerson()
    kind = pick(["courier", "ride", "hotel", "hk_hotel", "bank", "appointment", "code"])
    if kind == "courier":
        d.line("【", pick(["顺丰速运", "中通快递", "韵达快递"]), "】您的快件已到", pick(["菜鸟驿站", "丰巢柜"]), "，取件码",
               f"{R.randint(1, 9)}-{R.randint(1, 9)}-{R.randint(1000, 9999)}，快递员", Pi(NAME_ZH, courier.sur),
               "师傅 ", mobile(courier, pick(["344", "plain", "3-4-4"])), "。如有疑问请拨打", hotline("courier"))
    elif kind == "ride":
        d.line("【", pick(["晨光出行", "快车"]), "】", Pi(NAME_ZH, courier.sur), "师傅（", plate(),
               "，白色", pick(["大众朗逸", "比亚迪秦", "丰田卡罗拉"]), "）已到达上车点，请尽快上车。客服", hotline())
    elif kind == "hotel":
        hotel, city = premises()
        d.line("尊敬的", zh(p), p.title_zh, "，您预订的", pick(["星河酒店", "如家酒店", "汉庭酒店"]), other_date(),
               "入住已确认。地址：", hotel, "，前台电话", landline(pick(["-", "()"]), city), "。")
    elif kind == "hk_hotel":
        d.line("尊敬的", zh(p), p.title_zh, "，您预订的", other_date(), "入住已确认。酒店地址：",
               address(pick(["hk", "mo"])), "。请携带有效证件办理入住。")
    elif kind == "bank":
        d.line("【", pick(["招商银行", "工商银行"]), "】您尾号", digits(4), "的账户", clock(), "支出人民币",
               f"{R.randint(10, 9999)}.{R.randint(0, 99):02d}", "元，余额已更新。客服热线", hotline("bank"), "。")
    elif kind == "appointment":
        d.line(zh(p), "您好，您已预约", other_date(), " ", clock(), "的", pick(["体检", "车辆年检", "面试"]), "，地址：",
               address(), "。联系人", zh(courier), " ", pick([mobile(courier), landline()]), "。")
    else:
        d.line("【", pick(["晨光出行", "北辰人力"]), "】验证码 ", digits(6), "，", str(R.randint(5, 10)),
               "分钟内有效。如非本人操作，请忽略本短信。")
    if chance(0.35):
        d.line("回复TD退订")
    return d


# ---------------------------------------------------------------------------- documents without personal data

def nopi_release_notes():
    d = Doc("g_nopi", "en")
    d.line(f"Release {version()} ({some_day():%Y-%m-%d})")
    d.line("- Bumped Chromium to 120.0.6099.109; minimum Windows build 10.0.19041.1")
    d.line(f"- Fixed crash when the order id was 18 digits ({bad_id_like()})")
    d.line(f"- Migration {uuid()} applied; checksum {hexid(40)}")
    d.line(f"- Default port changed from {R.choice([8080, 9000])} to {R.choice([8443, 9443])}")
    d.line(f"- Support: hotline {hotline()}, Mon–Fri 09:00–18:00")
    return d


def nopi_city_stats():
    d = Doc("g_nopi", "zh")
    sep = pick([",", "\t"])
    d.line(sep.join(["城市", "日均订单", "准点率"]))
    for city in R.sample(PLACE_NEGATIVES[:19], R.randint(4, 7)):
        d.line(sep.join([city, str(R.randint(200, 90000)), f"{R.uniform(80, 99.9):.1f}%"]))
    d.line(pick(["周末订单", "白班运力", "高铁站点"]), "占比另见附表。")
    return d


def nopi_schedule():
    d = Doc("g_nopi", "zh")
    d.line("| 班次 | 时间 | 站点 | 备注 |")
    d.line("|---|---|---|---|")
    for shift, hours in [("早班", "06:00-14:00"), ("白班", "08:30-17:30"), ("中班", "14:00-22:00"), ("夜班", "22:00-06:00")]:
        d.line(f"| {shift} | {hours} | {pick(PLACE_NEGATIVES)}站 | {pick(WORD_NEGATIVES)} |")
    d.line("金额结算按月进行，周末加班另计。")
    return d


def nopi_masked_ticket():
    d = Doc("g_nopi", "zh")
    p = ZhPerson()
    d.line("工单 #", order_number(), " | ", stamp())
    d.line("用户", masked_name(p), "来电，手机", masked_mobile(), "，要求退款至", masked_card(), "。")
    d.line("证件：", masked_id(p), "；订单号", bad_id_like(), "；流水号", bad_card_like())
    d.line("商品编码", pick(["80487870652", "10023456789", "12087345521", "50912837465"]), "，客服热线",
           hotline(pick(list(HOTLINES))))
    d.line("请求链接：", id_url())
    return d


def nopi_log():
    d = Doc("g_nopi", "en")
    for when in chat_times(R.randint(4, 7)):
        d.line(f"{when:%Y-%m-%dT%H:%M:%S}.{R.randint(0, 999):03d}Z "
               f"{pick(['INFO', 'WARN', 'DEBUG'])} req={uuid()} span={hexid(16)} "
               f"{pick(['GET', 'POST'])} {id_url()} {pick(['200', '204', '404', '502'])} {R.randint(1, 999)}ms "
               f"ua=\"{user_agent()}\" v={version()}")
    return d


def nopi_notice():
    d = Doc("g_nopi", "zh")
    d.line(pick(["关于调整春节期间配送时间的通知", "停车场管理规定", "高温天气安全提醒"]))
    d.line(pick(["各位司机师傅：", "各部门："]))
    d.line(f"自{other_date()}起，{pick(PLACE_NEGATIVES[:12])}、{pick(PLACE_NEGATIVES[:12])}两地站点的白班调整为"
           f"{clock()}至{clock()}，周末照常营业。")
    d.line("请将本通知张贴在站点公告栏。王牌线路优先保障运力，高铁站周边禁止停靠货车。")
    d.line(f"咨询电话：{hotline(pick(['company', 'gov']))}（服务热线，工作日接听）")
    d.line(f"{pick(ORGS[:9]).zh}  {other_date()}")
    return d


def nopi_doc():
    return R.choice([nopi_release_notes, nopi_city_stats, nopi_schedule, nopi_masked_ticket, nopi_log,
                     nopi_notice])()


# ---------------------------------------------------------------------------- self-check

def norm(s):
    return unicodedata.normalize("NFKC", s)


MOBILE_RE = re.compile(r"(?:\+?86|0086)?(1\d{10})")
PLATE_RE = re.compile(rf"[{PROVINCE_ABBR}][A-Z][· ]?[A-Z0-9]{{5,6}}")
EMAIL_RE = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
NAME_EN_RE = re.compile(r"[A-Za-zÀ-ÿ][A-Za-zÀ-ÿ.' ,/<-]*")
NAME_ZH_RE = re.compile(r"[\u4e00-\u9fff·]+")


def valid_date(yyyymmdd):
    try:
        dt.datetime.strptime(yyyymmdd, "%Y%m%d")
        return True
    except ValueError:
        return False


def valid_value(kind, text):
    """Re-validates a labelled value independently of how it was generated."""
    t = norm(text)
    bare = re.sub(r"[\s()\-+]", "", t)
    if kind == ID:
        n = bare
        return len(n) == 18 and n[:17].isdigit() and id_check_char(n[:17]) == n[17] and valid_date(n[6:14])
    if kind == MOBILE:
        m = MOBILE_RE.fullmatch(bare)
        return bool(m) and m.group(1)[:3] in MOBILE_PREFIXES
    if kind == LANDLINE:
        n = bare[2:] if bare.startswith("86") else bare
        n = n if n.startswith("0") else "0" + n
        return any(n.startswith(ac) and len(n) - len(ac) == k for ac, k in AREA_CODES.values())
    if kind == CARD:
        return bare.isdigit() and 16 <= len(bare) <= 19 and luhn_ok(bare)
    if kind == EMAIL:
        return bool(EMAIL_RE.fullmatch(t))
    if kind == PASSPORT:
        return bool(re.fullmatch(r"E\d{8}|G\d{8}|E[A-HJ-NP-Z]\d{7}", t))
    if kind == PLATE:
        return bool(PLATE_RE.fullmatch(t))
    if kind == NAME_ZH:
        return bool(NAME_ZH_RE.fullmatch(t)) and len(t) <= 9
    if kind == NAME_EN:
        return bool(NAME_EN_RE.fullmatch(t)) and not t.endswith((" ", "<"))
    if kind == ADDR:
        return t.replace("\n", "")[-1] in "号號室组樓座层楼0123456789" and len(t) >= 8
    if kind == IP:
        ipaddress.ip_address(t)
        return True
    if kind == GPS:
        a, b = (float(x) for x in t.split(","))
        return any(18 <= x <= 54 and 73 <= y <= 136 for x, y in ((a, b), (b, a)))
    if kind == SSN:
        m = re.fullmatch(r"(\d{3})[- ]?(\d{2})[- ]?(\d{4})", t)
        return bool(m) and m.group(1) not in ("000", "666") and m.group(1) < "900" and m.group(2) != "00" \
            and m.group(3) != "0000"
    if kind == IBAN:
        return IBAN_LENGTHS.get(t[:2]) == len(t.replace(" ", "")) and iban_ok(t)
    if kind == DOB:
        return bool(re.search(r"\d|[〇一二三四五六七八九]", t))
    return False


def self_check(records):
    """Span invariants over the finished records (Doc.record has already checked that each span covers
    exactly the piece it was made from) and every labelled value re-validated."""
    ids = set()
    for rec in records:
        assert rec["id"] not in ids
        ids.add(rec["id"])
        text = rec["text"]
        data = text.encode("utf-8")
        last_end = 0
        for s in rec["spans"]:
            piece = text[s["start"]:s["end"]]
            assert s["type"] in TYPES, (rec["id"], s)
            assert s["start"] >= last_end and s["end"] > s["start"], (rec["id"], s)
            assert data[s["bstart"]:s["bend"]] == piece.encode("utf-8"), (rec["id"], s)
            assert piece == piece.strip() and piece, (rec["id"], piece)
            assert valid_value(s["type"], piece), (rec["id"], s["type"], piece)
            last_end = s["end"]
        assert rec["lang"] in ("zh", "en", "mixed") and rec["template"].startswith("g_"), rec["id"]
        if rec["lang"] == "en":
            assert not CJK.search(text), rec["id"]


# ---------------------------------------------------------------------------- main

FAMILIES = [(email_doc, 44), (chat_doc, 55), (report_doc, 52), (invoice_doc, 38), (minutes_doc, 20),
            (table_doc, 46), (form_doc, 55), (config_doc, 62), (ocr_doc, 55), (travel_doc, 46), (sms_doc, 54),
            (nopi_doc, 68)]


def main():
    plan = [family for family, n in FAMILIES for _ in range(n)]
    R.shuffle(plan)
    records = [family().record(f"g-{i:06d}") for i, family in enumerate(plan)]
    self_check(records)
    for rec in records:
        print(json.dumps(rec, ensure_ascii=False))
    types = Counter(s["type"] for r in records for s in r["spans"])
    families = Counter(r["template"] for r in records)
    print(f"{len(records)} documents, {sum(types.values())} spans", file=sys.stderr)
    for t in TYPES:
        print(f"  {t:18s} {types[t]:5d}", file=sys.stderr)
    for f, n in sorted(families.items()):
        print(f"  {f:12s} {n:5d} docs", file=sys.stderr)


if __name__ == "__main__":
    main()
