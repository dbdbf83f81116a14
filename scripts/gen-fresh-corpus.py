#!/usr/bin/env python3
"""Held-out PII evaluation corpus ("fresh"): ~400 documents in layouts the detector was not
developed on.

    python3 scripts/gen-fresh-corpus.py OUT.jsonl

Deterministic (fixed seeds; Faker zh_CN/en_US/en_GB + python-stdnum for validation).
Format and labelling conventions follow ../shared/corpus/README.md (the dev corpus's README): one JSON object per line
with id, template, lang, text and spans (start/end = Python str offsets, bstart/bend = UTF-8
byte offsets, type).  Every span is recorded at the moment its text is appended, and the final
check asserts that the text at each span's offsets is exactly the labelled value, that spans are
sorted and non-overlapping, and that identifiers are checksum-valid.

Conventions used here (beyond the README):
  * every street-level Chinese address is ADDRESS_ZH, whoever it belongs to (home, hotel,
    office in a signature); an address wrapped over two lines is ONE span including the line
    break; building/unit/room are inside the span, trailing "(近地铁…)"/postcodes are outside;
  * every Chinese mobile/landline number is labelled, except service numbers (400-/800-/95xxx/
    1xxxx short numbers) and masked numbers; extensions (转801 / ext. 801) are outside;
  * names: full names, given names used alone, pinyin and English names, airline
    "SURNAME/GIVEN" (title MR/MS outside); surname-only forms (王经理, Mr. Smith) are never
    produced; nicknames/handles (老猫, 阳光明媚) are not names and not labelled;
  * DATE_OF_BIRTH only for explicit birth dates (出生/出生日期/DOB/born/生日 field);
  * masked values, order/waybill/ticket numbers, service numbers, USCC company codes, versions,
    timestamps, meeting ids, verification codes, non-Chinese street addresses and non-Chinese
    phone numbers are never labelled (the latter two are avoided/unlabelled by design).
"""
import datetime
import json
import random
import string
import sys

from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric
from stdnum.us import ssn as std_ssn

SEED = 20240917
R = random.Random(SEED)
FZ = Faker("zh_CN")
FZ.seed_instance(SEED)
FUS = Faker("en_US")
FUS.seed_instance(SEED + 1)
FGB = Faker("en_GB")
FGB.seed_instance(SEED + 2)

TYPES = ["CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "BANK_CARD", "EMAIL", "CN_PASSPORT", "CN_LICENSE_PLATE",
         "PERSON_NAME_ZH", "PERSON_NAME_EN", "ADDRESS_ZH", "IP_ADDRESS", "GPS_COORDINATE", "US_SSN", "IBAN",
         "DATE_OF_BIRTH"]

ch = R.choice


def rp(p):
    return R.random() < p


def digits(n):
    return "".join(R.choice(string.digits) for _ in range(n))


FW = str.maketrans("0123456789-", "０１２３４５６７８９－")


# --------------------------------------------------------------------------------------------
# document builder


class Doc:
    def __init__(self):
        self.buf = []
        self.n = 0
        self.spans = []

    def t(self, s):
        self.buf.append(s)
        self.n += len(s)
        return self

    def p(self, s, typ):
        if typ is None:
            return self.t(s)
        assert typ in TYPES, typ
        assert s and s == s.strip(), repr(s)
        self.spans.append((self.n, self.n + len(s), typ, s))
        return self.t(s)

    def f(self, fmt, **kw):
        """Append fmt; {key} is replaced by kw[key]: a str (plain) or a (value, TYPE) tuple."""
        for lit, field, _spec, _conv in string.Formatter().parse(fmt):
            if lit:
                self.t(lit)
            if field is not None:
                v = kw[field]
                if isinstance(v, tuple):
                    assert not _spec
                    self.p(v[0], v[1])
                else:
                    self.t(format(v, _spec) if _spec else str(v))
        return self

    def text(self):
        return "".join(self.buf)


# --------------------------------------------------------------------------------------------
# names

SURN = [("张", "Zhang"), ("王", "Wang"), ("李", "Li"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
        ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"), ("马", "Ma"),
        ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("林", "Lin"), ("罗", "Luo"), ("高", "Gao"),
        ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"), ("韩", "Han"),
        ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"), ("曾", "Zeng"), ("肖", "Xiao"),
        ("田", "Tian"), ("董", "Dong"), ("潘", "Pan"), ("袁", "Yuan"), ("蔡", "Cai"), ("蒋", "Jiang"),
        ("余", "Yu"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"), ("魏", "Wei"), ("苏", "Su"), ("丁", "Ding"),
        ("任", "Ren"), ("沈", "Shen"), ("姚", "Yao"), ("方", "Fang"), ("钟", "Zhong"), ("汪", "Wang"),
        ("欧阳", "Ouyang"), ("司马", "Sima"), ("上官", "Shangguan"), ("范", "Fan"), ("陆", "Lu"), ("石", "Shi")]
GIV_M = [("伟", "wei"), ("磊", "lei"), ("军", "jun"), ("勇", "yong"), ("杰", "jie"), ("涛", "tao"), ("明", "ming"),
         ("超", "chao"), ("刚", "gang"), ("强", "qiang"), ("华", "hua"), ("建", "jian"), ("国", "guo"),
         ("志", "zhi"), ("海", "hai"), ("宇", "yu"), ("浩", "hao"), ("然", "ran"), ("轩", "xuan"), ("博", "bo"),
         ("文", "wen"), ("俊", "jun"), ("鹏", "peng"), ("晨", "chen"), ("阳", "yang"), ("凯", "kai"),
         ("帆", "fan"), ("鑫", "xin"), ("坤", "kun"), ("斌", "bin"), ("辉", "hui"), ("亮", "liang"),
         ("峰", "feng"), ("成", "cheng"), ("龙", "long"), ("飞", "fei"), ("东", "dong"), ("天", "tian"),
         ("泽", "ze"), ("睿", "rui"), ("晓", "xiao"), ("永", "yong"), ("德", "de"), ("林", "lin"), ("子", "zi")]
GIV_F = [("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("艳", "yan"), ("秀", "xiu"), ("英", "ying"),
         ("霞", "xia"), ("丽", "li"), ("燕", "yan"), ("雪", "xue"), ("婷", "ting"), ("涵", "han"), ("欣", "xin"),
         ("怡", "yi"), ("嘉", "jia"), ("琪", "qi"), ("慧", "hui"), ("玲", "ling"), ("佳", "jia"), ("思", "si"),
         ("雨", "yu"), ("琳", "lin"), ("悦", "yue"), ("瑶", "yao"), ("红", "hong"), ("梅", "mei"), ("兰", "lan"),
         ("晓", "xiao"), ("诗", "shi"), ("梦", "meng"), ("颖", "ying"), ("倩", "qian"), ("婉", "wan"),
         ("月", "yue"), ("晴", "qing"), ("子", "zi"), ("萱", "xuan"), ("蕾", "lei")]
EN_NICK = ["Kevin", "Jason", "Eric", "Tony", "Jack", "Leo", "Frank", "Vincent", "Peter", "David", "Allen", "Sam",
           "Amy", "Lily", "Cindy", "Grace", "Vivian", "Iris", "Coco", "Helen", "Sophia", "Wendy", "Judy", "Nina"]


class Person:
    """A Chinese person with coherent attributes."""

    def __init__(self, gender=None, pinyin=False, y0=1958, y1=2004):
        self.gender = gender or ch("MF")
        male = self.gender == "M"
        if pinyin or rp(0.55):
            s, sp = ch(SURN[:52]) if rp(0.95) else ch(SURN[52:])
            gl = GIV_M if male else GIV_F
            k = 2 if rp(0.62) else 1
            parts = R.sample(gl, k)
            self.sur, self.given = s, "".join(c for c, _ in parts)
            self.sur_py, self.giv_py = sp, "".join(p for _, p in parts).capitalize()
        else:
            self.sur = FZ.last_name()
            self.given = FZ.first_name_male() if male else FZ.first_name_female()
            self.sur_py = self.giv_py = None
        self.zh = self.sur + self.given
        self.dob = rand_date(y0, y1)
        self.rid = make_rid(self.dob, self.gender)
        self.mob = mobile_digits()
        self.nick = ch(EN_NICK[:12] if male else EN_NICK[12:])

    @property
    def title(self):
        return "先生" if self.gender == "M" else "女士"

    @property
    def en_title(self):
        return "MR" if self.gender == "M" else ch(["MS", "MRS", "MISS"])

    def py(self, style=None):
        assert self.sur_py
        style = style or ch(["sg", "sg", "gs", "gs", "SG", "nick"])
        return {"sg": f"{self.sur_py} {self.giv_py}", "gs": f"{self.giv_py} {self.sur_py}",
                "SG": f"{self.sur_py.upper()} {self.giv_py.upper()}", "slash": f"{self.sur_py.upper()}/{self.giv_py.upper()}",
                "nick": f"{self.nick} {self.sur_py}", "G": self.giv_py}[style]

    def short_py(self):
        """What a colleague would write after "Dear": the given name if it has two syllables."""
        return self.giv_py if len(self.given) == 2 else f"{self.sur_py} {self.giv_py}"

    def email(self, domain=None):
        if self.sur_py:
            a, b = self.sur_py.lower(), self.giv_py.lower()
            local = ch([f"{a}{b}", f"{b}.{a}", f"{a}.{b}", f"{a}{b}{R.randint(1, 99)}", f"{b[0]}{a}",
                        f"{self.nick.lower()}.{a}", f"{a}_{b}{R.randint(70, 99)}"])
        else:
            local = ch([digits(R.randint(6, 10)).lstrip("0") or "1234567", FUS.user_name()])
        dom = domain or ch(["163.com", "126.com", "qq.com", "sina.com", "foxmail.com", "outlook.com", "gmail.com",
                            "139.com", "yeah.net", "hotmail.com"])
        if "qq.com" == dom and rp(0.5):
            local = str(R.randint(10000, 3999999999))
        return f"{local}@{dom}"


class EnPerson:
    def __init__(self, gb=None):
        f = FGB if (gb if gb is not None else rp(0.4)) else FUS
        self.gender = ch("MF")
        self.first = f.first_name_male() if self.gender == "M" else f.first_name_female()
        self.last = f.last_name()
        self.full = f"{self.first} {self.last}"
        self.dob = rand_date(1955, 2002)

    def email(self, domain=None):
        a, b = self.first.lower().replace("'", ""), self.last.lower().replace("'", "").replace(" ", "")
        local = ch([f"{a}.{b}", f"{a[0]}{b}", f"{a}{b[0]}", f"{a}_{b}", f"{a}.{b}{R.randint(1, 99)}"])
        dom = domain or ch(["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.com", "icloud.com", "proton.me"])
        return f"{local}@{dom}"

    def slash(self):
        return f"{self.last.upper().replace(' ', '')}/{self.first.upper()}"


# --------------------------------------------------------------------------------------------
# identifiers

def rand_date(y0, y1):
    a = datetime.date(y0, 1, 1).toordinal()
    b = datetime.date(y1, 12, 31).toordinal()
    return datetime.date.fromordinal(R.randint(a, b))


REGIONS = ["110101", "110105", "110108", "110106", "310104", "310115", "310106", "310112", "120104", "500103",
           "440305", "440304", "440306", "440106", "440104", "330106", "330108", "330212", "320102", "320506",
           "510107", "510104", "420106", "420111", "610113", "610103", "370202", "370102", "410105", "430104",
           "350203", "210102", "210202", "340104", "530102", "230102", "450103", "650102", "411625", "511324",
           "412726", "341221", "372922", "430524", "360731", "130633", "520526", "131182", "421087", "522635"]


def make_rid(dob, gender):
    ok = [r for r in REGIONS if ric.is_valid(r + dob.strftime("%Y%m%d") + "001" + "0")
          or any(ric.is_valid(r + dob.strftime("%Y%m%d") + "001" + c) for c in "0123456789X")]
    for _ in range(200):
        body = ch(ok) + dob.strftime("%Y%m%d")
        seq = R.randint(0, 99) * 10 + (ch([1, 3, 5, 7, 9]) if gender == "M" else ch([0, 2, 4, 6, 8]))
        body += f"{seq:03d}"
        s = sum(int(c) * w for c, w in zip(body, [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]))
        num = body + "10X98765432"[s % 11]
        if ric.is_valid(num):
            return num
    raise RuntimeError("no valid rid")


def fmt_rid(n, style=None):
    style = style or ch(["plain"] * 8 + ["sp", "x"])
    if style == "sp":
        return ch([f"{n[:6]} {n[6:14]} {n[14:]}", f"{n[:6]} {n[6:10]} {n[10:14]} {n[14:]}"])
    if style == "x" and n.endswith("X"):
        return n[:-1] + "x"
    return n


MOB_PREFIX = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "145", "147", "150", "151",
              "152", "153", "155", "156", "157", "158", "159", "166", "172", "173", "175", "176", "177", "178",
              "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "198",
              "199"]


def mobile_digits():
    return ch(MOB_PREFIX) + digits(8)


def fmt_mob(d, style=None):
    style = style or ch(["plain"] * 9 + ["sp344"] * 3 + ["dash344"] * 2 + ["p86sp", "p86", "p86dash", "0086", "86",
                                                                             "brk", "fw", "sp434"])
    return {"plain": d, "sp344": f"{d[:3]} {d[3:7]} {d[7:]}", "dash344": f"{d[:3]}-{d[3:7]}-{d[7:]}",
            "p86sp": f"+86 {d[:3]} {d[3:7]} {d[7:]}", "p86": f"+86{d}", "p86dash": f"+86-{d}",
            "0086": ch([f"0086 {d}", f"0086-{d}", f"0086{d}"]), "86": ch([f"86-{d}", f"86 {d}"]),
            "brk": ch([f"(+86) {d}", f"(+86){d}", f"(+86) {d[:3]} {d[3:7]} {d[7:]}"]),
            "fw": d.translate(FW), "sp434": f"{d[:4]} {d[4:7]} {d[7:]}"}[style]


def M(p=None, style=None):
    return (fmt_mob(p.mob if p else mobile_digits(), style), "CN_MOBILE")


AREA3 = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]
AREA4 = ["0755", "0571", "0512", "0731", "0532", "0592", "0371", "0551", "0871", "0451", "0771", "0574", "0769",
         "0757", "0311", "0531", "0591", "0898", "0351", "0431"]


def land_parts(area=None):
    if area is None and CTX["city"] and rp(0.65):
        area = CITY_META[CTX["city"]][0]
    a = area or (ch(AREA3) if rp(0.5) else ch(AREA4))
    n = 8 if len(a) == 3 or rp(0.8) else 7
    loc = str(R.randint(2, 8)) + digits(n - 1)
    return a, loc


def fmt_land(a, loc, style=None):
    h = len(loc) // 2 if len(loc) == 8 else 3
    sp = f"{loc[:h]} {loc[h:]}" if len(loc) == 8 else f"{loc[:3]} {loc[3:]}"
    style = style or ch(["dash"] * 8 + ["brk", "brk", "brksp", "sp", "p86", "p86dash", "plain", "0086", "dashsp"])
    return {"dash": f"{a}-{loc}", "brk": f"({a}){loc}", "brksp": f"({a}) {sp}", "sp": f"{a} {sp}",
            "p86": f"+86 {a[1:]} {sp}", "p86dash": f"+86-{a[1:]}-{loc}", "plain": f"{a}{loc}",
            "0086": f"0086-{a[1:]}-{loc}", "dashsp": f"{a}-{sp}"}[style]


def L(area=None, style=None):
    return (fmt_land(*land_parts(area), style=style), "CN_LANDLINE")


CARD_BINS = [("622202", 19, "中国工商银行"), ("621226", 19, "中国工商银行"), ("622848", 19, "中国农业银行"),
             ("621700", 19, "中国建设银行"), ("436742", 16, "中国建设银行"), ("621483", 16, "招商银行"),
             ("622588", 16, "招商银行"), ("622262", 19, "交通银行"), ("621661", 19, "中国银行"),
             ("601382", 19, "中国银行"), ("622908", 18, "兴业银行"), ("621799", 19, "中国邮政储蓄银行"),
             ("622630", 16, "华夏银行"), ("625807", 16, "平安银行"), ("622155", 16, "平安银行")]


def make_card(bins=None):
    b, n, bank = ch(bins or CARD_BINS)
    body = b + digits(n - len(b) - 1)
    num = body + luhn.calc_check_digit(body)
    assert luhn.is_valid(num)
    return num, bank


def fmt_card(c, style=None):
    style = style or ch(["plain"] * 5 + ["sp4"] * 4 + ["dash"])
    if style == "sp4":
        return " ".join(c[i:i + 4] for i in range(0, len(c), 4))
    if style == "dash":
        return "-".join(c[i:i + 4] for i in range(0, len(c), 4))
    return c


def C(style=None, bins=None):
    c, bank = make_card(bins)
    return (fmt_card(c, style), "BANK_CARD"), bank, c


def make_passport():
    L2 = "ABCDEFGHJKLMNPQRSTUVWXYZ"
    r = R.random()
    if r < 0.55:
        return "E" + digits(8)
    if r < 0.85:
        return "E" + ch(L2) + digits(7)
    return "G" + digits(8)


PLATE_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤川青藏琼宁"
PLATE_L = "ABCDEFGHJKLMNPQRSTUVWXYZ"
PLATE_AN = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def make_plate(sep=None):
    if CTX["city"] and rp(0.55):
        p = ch(CITY_META[CTX["city"]][1].split())
    else:
        p = ch(PLATE_PROV[:31]) + ch("ABCDEFGHJK" if rp(0.8) else PLATE_L)
    if rp(0.22):  # new energy
        tail = ch("DF") + ch(PLATE_AN) + digits(4) if rp(0.7) else digits(5) + ch("DF")
    else:
        tail = "".join(ch(PLATE_AN) for _ in range(5))
        if sum(c.isalpha() for c in tail) > 2:
            tail = digits(3) + ch(PLATE_L) + digits(1)
    sep = sep if sep is not None else ch(["", "", "", "·", "·", " ", "-"])
    return p + sep + tail


def P(sep=None):
    return (make_plate(sep), "CN_LICENSE_PLATE")


def make_ip(v6=False):
    if v6 or rp(0.06):
        groups = [ch(["2408", "240e", "2409", "2400", "2001"])]
        groups += ["%x" % R.randint(0, 0xffff) for _ in range(3)]
        tail = "%x" % R.randint(1, 0xffff)
        return ":".join(groups) + "::" + tail if rp(0.6) else ":".join(groups + ["%x" % R.randint(0, 0xffff) for _ in range(3)] + [tail])
    r = R.random()
    if r < 0.15:
        return f"192.168.{R.randint(0, 30)}.{R.randint(2, 254)}"
    if r < 0.25:
        return f"10.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    if r < 0.3:
        return f"172.{R.randint(16, 31)}.{R.randint(0, 255)}.{R.randint(1, 254)}"
    first = ch([36, 39, 42, 58, 59, 60, 61, 101, 106, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122,
                123, 124, 125, 139, 171, 175, 180, 182, 183, 202, 210, 211, 218, 219, 220, 221, 222, 223, 45, 52, 8,
                34, 203, 185, 91, 77])
    return f"{first}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}"


def IP(v6=False):
    return (make_ip(v6), "IP_ADDRESS")


def make_gps(style=None):
    if CTX["city"] and rp(0.7):
        c = CITY_META[CTX["city"]][2]
        lat, lon = c[0] + R.uniform(-0.25, 0.25), c[1] + R.uniform(-0.3, 0.3)
    else:
        lat = R.uniform(21.5, 45.5)
        lon = R.uniform(100.5, 126.0)
    dp = ch([4, 5, 6, 6])
    style = style or ch(["latlon", "latlon", "latlon_ns", "lonlat", "lonlat", "deg", "degsp"])
    la, lo = f"{lat:.{dp}f}", f"{lon:.{dp}f}"
    return {"latlon": f"{la}, {lo}", "latlon_ns": f"{la},{lo}", "lonlat": f"{lo},{la}",
            "deg": f"{la}°N, {lo}°E", "degsp": f"N{la}° E{lo}°"}[style]


def G(style=None):
    return (make_gps(style), "GPS_COORDINATE")


def make_ssn():
    while True:
        a = R.randint(1, 899)
        if a == 666:
            continue
        s = f"{a:03d}-{R.randint(1, 99):02d}-{R.randint(1, 9999):04d}"
        if std_ssn.is_valid(s):
            return s


def make_iban(country=None):
    c = country or ch(["DE", "GB", "NL", "FR", "IT", "ES"])
    if c == "DE":
        bban = digits(18)
    elif c == "GB":
        bban = ch(["NWBK", "BARC", "HBUK", "LOYD", "MIDL"]) + digits(14)
    elif c == "NL":
        bban = ch(["ABNA", "INGB", "RABO"]) + digits(10)
    elif c == "FR":
        bban = digits(10) + digits(11) + digits(2)
    elif c == "IT":
        bban = ch("ABCDEFGHIJKLMNOPQRSTUVWXYZ") + digits(10) + digits(12)
    else:
        bban = digits(20)
    for _ in range(500):
        num = c + std_iban.calc_check_digits(c + "00" + bban) + bban
        if std_iban.is_valid(num):
            return num
        # some countries carry a national check digit: re-draw
        bban = bban[:-2] + digits(2) if c != "ES" else digits(20)
    raise RuntimeError(c)


def fmt_iban(n):
    return " ".join(n[i:i + 4] for i in range(0, len(n), 4)) if rp(0.65) else n


# --------------------------------------------------------------------------------------------
# addresses

GEO = [
    ("", "北京市", [("朝阳区", ["建国路", "朝阳北路", "望京街", "酒仙桥路", "东三环中路", "光华路"]),
                 ("海淀区", ["中关村大街", "学院路", "知春路", "海淀大街", "上地十街", "西二旗大街"]),
                 ("东城区", ["东直门南大街", "和平里东街", "朝阳门北大街"]), ("丰台区", ["丰台北路", "南三环西路"])]),
    ("", "上海市", [("浦东新区", ["世纪大道", "张江路", "碧波路", "陆家嘴环路", "川沙路"]),
                 ("徐汇区", ["漕溪北路", "虹桥路", "田林路", "龙华中路"]), ("静安区", ["南京西路", "江宁路", "共和新路"]),
                 ("闵行区", ["虹梅路", "七莘路", "莘庄路"])]),
    ("", "天津市", [("南开区", ["鞍山西道", "卫津路"]), ("和平区", ["南京路", "滨江道"])]),
    ("", "重庆市", [("渝中区", ["民权路", "中山三路"]), ("渝北区", ["金开大道", "新牌坊一路"])]),
    ("广东省", "深圳市", [("南山区", ["科技南十二路", "深南大道", "高新南一道", "南海大道", "沙河西路"]),
                     ("福田区", ["福华三路", "深南中路", "益田路", "红荔路"]), ("宝安区", ["宝安大道", "新安六路", "航城大道"]),
                     ("龙岗区", ["龙岗大道", "布吉路", "五和大道"])]),
    ("广东省", "广州市", [("天河区", ["天河路", "体育西路", "黄埔大道西", "华夏路"]), ("越秀区", ["中山五路", "东风中路", "环市东路"]),
                     ("海珠区", ["江南大道中", "新港西路"]), ("番禺区", ["清河东路", "汉溪大道"])]),
    ("广东省", "东莞市", [("", ["东城街道东纵大道", "南城街道鸿福路", "松山湖大道"])]),
    ("浙江省", "杭州市", [("西湖区", ["文三路", "文一西路", "天目山路", "古墩路"]), ("滨江区", ["江南大道", "网商路", "长河路"]),
                     ("余杭区", ["文一西路", "五常大道"]), ("上城区", ["解放路", "庆春路"])]),
    ("浙江省", "宁波市", [("鄞州区", ["天童南路", "宁南北路"]), ("海曙区", ["中山西路"])]),
    ("江苏省", "南京市", [("玄武区", ["中山路", "珠江路", "北京东路"]), ("鼓楼区", ["汉中路", "广州路"]),
                     ("建邺区", ["江东中路", "河西大街"])]),
    ("江苏省", "苏州市", [("姑苏区", ["人民路", "干将西路"]), ("吴中区", ["东吴北路", "宝带西路"]), ("工业园区", ["星湖街", "苏州大道东"])]),
    ("四川省", "成都市", [("武侯区", ["人民南路四段", "科华北路", "一环路南三段"]), ("锦江区", ["春熙路", "东大街"]),
                     ("高新区", ["天府大道中段", "天府三街"])]),
    ("湖北省", "武汉市", [("武昌区", ["中北路", "武珞路", "徐东大街"]), ("洪山区", ["珞喻路", "光谷大道"]),
                     ("江汉区", ["建设大道", "解放大道"])]),
    ("陕西省", "西安市", [("雁塔区", ["小寨东路", "科技路", "高新路"]), ("碑林区", ["南大街", "东大街"])]),
    ("山东省", "青岛市", [("市南区", ["香港中路", "东海西路"]), ("崂山区", ["海尔路", "松岭路"])]),
    ("山东省", "济南市", [("历下区", ["泉城路", "经十路"])]),
    ("河南省", "郑州市", [("金水区", ["花园路", "农业路", "经三路"]), ("二七区", ["大学路", "嵩山南路"])]),
    ("湖南省", "长沙市", [("岳麓区", ["麓山南路", "枫林三路"]), ("芙蓉区", ["五一大道", "韶山北路"])]),
    ("福建省", "厦门市", [("思明区", ["湖滨南路", "厦禾路", "环岛南路"]), ("湖里区", ["吕岭路", "枋湖北二路"])]),
    ("辽宁省", "沈阳市", [("和平区", ["南京北街", "三好街"]), ("沈河区", ["北京街", "青年大街"])]),
    ("辽宁省", "大连市", [("中山区", ["人民路", "友好路"])]),
    ("安徽省", "合肥市", [("蜀山区", ["长江西路", "潜山路"]), ("包河区", ["马鞍山路", "徽州大道"])]),
    ("云南省", "昆明市", [("五华区", ["东风西路", "人民中路"])]),
    ("黑龙江省", "哈尔滨市", [("道里区", ["中央大街", "友谊路"])]),
    ("广西壮族自治区", "南宁市", [("青秀区", ["民族大道", "东葛路"])]),
    ("新疆维吾尔自治区", "乌鲁木齐市", [("天山区", ["解放北路"])]),
]
RURAL = [("河南省", "周口市", "郸城县", ["宁平镇", "汲冢镇", "胡集乡"]), ("四川省", "南充市", "仪陇县", ["马鞍镇", "新政镇"]),
         ("安徽省", "阜阳市", "临泉县", ["杨桥镇", "姜寨镇"]), ("山东省", "菏泽市", "曹县", ["庄寨镇", "青堌集镇"]),
         ("湖南省", "邵阳市", "隆回县", ["桃洪镇", "六都寨镇"]), ("江西省", "赣州市", "于都县", ["贡江镇", "罗坳镇"]),
         ("河北省", "保定市", "易县", ["易州镇", "梁格庄镇"]), ("贵州省", "黔东南苗族侗族自治州", "雷山县", ["丹江镇", "西江镇"]),
         ("湖北省", "黄冈市", "麻城市", ["宋埠镇", "福田河镇"]), ("广西壮族自治区", "玉林市", "博白县", ["博白镇", "沙河镇"])]
VILLAGE = ["王庄", "李家", "张湾", "红星", "前进", "柳树", "刘集", "杨楼", "陈庄", "石桥", "大河", "高坡", "新华", "黄土岭",
           "双井", "马家寨", "枣林", "河口"]
COMPLEX = ["阳光花园", "万科城", "碧桂园", "锦绣家园", "华润城", "翠苑小区", "金地名京", "保利香槟国际", "世纪花园", "龙湖春江郦城",
           "中海国际社区", "幸福里", "滨江花园", "紫薇苑", "金色家园", "融创府", "东方明珠苑", "香樟园"]
BLDG = ["金桥大厦", "科技大厦", "创业大厦", "软件园", "国际金融中心", "时代广场", "星河大厦", "环球中心", "数码大厦",
        "中心大厦", "国贸中心", "创新园"]
NUMZH = "一二三四五六七八九十"
# city -> (area code, plate prefixes, centre lat/lon)
CITY_META = {"北京市": ("010", "京A 京B 京C 京E 京F 京G 京H 京J 京K 京L 京M 京N 京P 京Q", (39.90, 116.40)),
             "上海市": ("021", "沪A 沪B 沪C 沪D 沪E 沪F 沪G 沪H 沪J 沪K 沪L 沪M 沪N", (31.23, 121.47)),
             "天津市": ("022", "津A 津B 津C 津D 津E 津F 津G 津H 津J 津K 津L 津M 津N", (39.13, 117.20)),
             "重庆市": ("023", "渝A 渝B 渝C 渝D 渝F 渝G 渝H", (29.56, 106.55)),
             "深圳市": ("0755", "粤B", (22.54, 114.06)), "广州市": ("020", "粤A", (23.13, 113.26)),
             "东莞市": ("0769", "粤S", (23.02, 113.75)), "杭州市": ("0571", "浙A", (30.27, 120.16)),
             "宁波市": ("0574", "浙B", (29.87, 121.55)), "南京市": ("025", "苏A", (32.06, 118.80)),
             "苏州市": ("0512", "苏E 苏U", (31.30, 120.59)), "成都市": ("028", "川A 川G", (30.66, 104.07)),
             "武汉市": ("027", "鄂A", (30.59, 114.31)), "西安市": ("029", "陕A 陕U", (34.34, 108.94)),
             "青岛市": ("0532", "鲁B 鲁U", (36.07, 120.38)), "济南市": ("0531", "鲁A", (36.65, 117.12)),
             "郑州市": ("0371", "豫A", (34.75, 113.62)), "长沙市": ("0731", "湘A", (28.23, 112.94)),
             "厦门市": ("0592", "闽D", (24.48, 118.09)), "沈阳市": ("024", "辽A", (41.80, 123.43)),
             "大连市": ("0411", "辽B", (38.91, 121.61)), "合肥市": ("0551", "皖A", (31.82, 117.23)),
             "昆明市": ("0871", "云A", (25.04, 102.71)), "哈尔滨市": ("0451", "黑A", (45.80, 126.53)),
             "南宁市": ("0771", "桂A", (22.82, 108.37)), "乌鲁木齐市": ("0991", "新A", (43.83, 87.62))}
CTX = {"city": None}


def set_ctx(city=None):
    CTX["city"] = city or ch(list(CITY_META))


def room():
    return f"{R.randint(1, 33)}{R.randint(1, 6):02d}"


def make_addr(rural=None, prov_p=0.5, city_p=0.8, bld=True, city=None):
    if rural or (rural is None and rp(0.12)):
        prov, city, county, towns = ch(RURAL)
        inc_city = rp(0.8)
        s = (prov if inc_city and rp(prov_p + 0.2) else "") + (city if inc_city else "") + county + ch(towns)
        s += ch(VILLAGE) + "村"
        s += ch([f"{ch(NUMZH[:8])}组", f"{R.randint(1, 12)}组", f"第{ch(NUMZH[:8])}村民组", ""])
        if rp(0.6) or s.endswith("村"):
            s += f"{R.randint(1, 120)}号"
        return s
    city = city or (CTX["city"] if CTX["city"] and rp(0.6) else None)
    prov, city, dists = [g for g in GEO if g[1] == city][0] if city else ch(GEO)
    dist, roads = ch(dists)
    inc_city = rp(city_p) or not dist
    inc_prov = bool(prov) and inc_city and rp(prov_p)
    s = (prov if inc_prov else "") + (city if inc_city else "") + dist + ch(roads)
    if city == "上海市" and rp(0.45):
        s += f"{R.randint(1, 1600)}弄{R.randint(1, 90)}号"
        if rp(0.8):
            s += f"{room()}室"
        return s
    s += f"{R.randint(1, 999)}号"
    r = R.random() if bld else 0.0
    if r < 0.18:
        pass
    elif r < 0.36:
        s += f"{ch(COMPLEX)}{R.randint(1, 28)}栋{R.randint(1, 4)}单元{room()}" + ch(["室", "室", ""])
    elif r < 0.5:
        s += f"{R.randint(1, 20)}号楼{R.randint(1, 6)}单元{room()}" + ch(["室", ""])
    elif r < 0.62:
        s += f"{ch(BLDG)}{ch('ABCD')}座{room()}" + ch(["室", ""])
    elif r < 0.74:
        s += f"{ch(BLDG)}{R.randint(2, 40)}" + ch(["楼", "层"])
    elif r < 0.86:
        s += f"{ch(COMPLEX)}{R.randint(1, 30)}幢{room()}室"
    else:
        s += f"{ch(COMPLEX)}{R.randint(1, 40)}栋{room()}"
    return s


def A(rural=None, **kw):
    return (make_addr(rural, **kw), "ADDRESS_ZH")


def broken(a, odd=False):
    """Insert a line break into an address value (a tuple).  odd=True: anywhere (OCR)."""
    s = a[0]
    if odd:
        i = R.randint(3, len(s) - 3)
    else:
        cands = [i + 1 for i, c in enumerate(s[:-3]) if c in "区路街道号县镇村" and i > 2]
        i = ch(cands) if cands else len(s) // 2
    return (s[:i] + "\n" + s[i:], a[1])


# --------------------------------------------------------------------------------------------
# dates, hard negatives

MON = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
MONTH = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
         "November", "December"]


def fmt_date_zh(d, style=None):
    style = style or ch(["ymd_zh", "ymd_zh0", "iso", "iso", "slash", "dot"])
    return {"ymd_zh": f"{d.year}年{d.month}月{d.day}日", "ymd_zh0": f"{d.year}年{d.month:02d}月{d.day:02d}日",
            "iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}", "dot": f"{d.year}.{d.month:02d}.{d.day:02d}",
            "compact": d.strftime("%Y%m%d")}[style]


def fmt_date_en(d, style=None):
    style = style or ch(["dmy", "mdy_long", "gb", "us", "iso", "dmon"])
    return {"dmy": f"{d.day} {MONTH[d.month - 1]} {d.year}", "mdy_long": f"{MONTH[d.month - 1]} {d.day}, {d.year}",
            "gb": f"{d.day:02d}/{d.month:02d}/{d.year}", "us": f"{d.month:02d}/{d.day:02d}/{d.year}",
            "iso": d.isoformat(), "dmon": f"{d.day:02d}-{MON[d.month - 1]}-{d.year}",
            "short": f"{d.day} {MON[d.month - 1]} {d.year}",
            "air": f"{d.day:02d}{MON[d.month - 1].upper()}{d.year % 100:02d}"}[style]


def D(p, zh=True, style=None):
    return ((fmt_date_zh if zh else fmt_date_en)(p.dob, style), "DATE_OF_BIRTH")


def when(y=2024):
    d = rand_date(y, y)
    return datetime.datetime(d.year, d.month, d.day, R.randint(7, 22), R.randint(0, 59), R.randint(0, 59))


def ts(dt=None, style="iso"):
    dt = dt or when()
    return {"iso": dt.strftime("%Y-%m-%d %H:%M:%S"), "t": dt.strftime("%Y-%m-%dT%H:%M:%S+08:00"),
            "hm": dt.strftime("%H:%M"), "zh": f"{dt.month}月{dt.day}日 {dt.strftime('%H:%M')}"}[style]


def neg_digits(n, prefix=""):
    while True:
        s = prefix + digits(n - len(prefix))
        if luhn.is_valid(s):
            continue
        if n == 18 and ric.is_valid(s):
            continue
        if n == 11 and s[:3] in MOB_PREFIX:
            continue
        return s


def order_no():
    r = R.random()
    d = rand_date(2024, 2024).strftime("%Y%m%d")
    if r < 0.35:
        return neg_digits(19, d)
    if r < 0.6:
        return neg_digits(18, d)
    if r < 0.8:
        return ch(["DD", "ORD", "PO", "TB", "JD"]) + d + digits(R.randint(4, 8))
    return neg_digits(ch([12, 14, 16]), str(R.randint(2, 9)))


def waybill():
    return ch([f"SF{neg_digits(13, '1')}", f"YT{neg_digits(13, '7')}", f"JT{neg_digits(13, '5')}",
               neg_digits(12, "75"), f"JDVA{digits(11)}", neg_digits(15, "43"), f"ZTO{digits(12)}"])


def mask_mob(d):
    return ch([f"{d[:3]}****{d[-4:]}", f"{d[:3]}******{d[-2:]}", f"{d[:3]}-****-{d[-4:]}", f"尾号{d[-4:]}"])


def mask_rid(n):
    return ch([f"{n[:6]}********{n[-4:]}", f"{n[:3]}{'*' * 11}{n[-4:]}", f"{n[0]}{'*' * 16}{n[-1]}",
               f"{n[:4]}**********{n[-4:]}"])


def mask_card(c):
    return ch([f"**** **** **** {c[-4:]}", f"{c[:4]} **** **** {c[-4:]}", f"{c[:6]}******{c[-4:]}",
               f"{c[:4]}********{c[-4:]}"])


def mask_name(p):
    return ch([p.sur + "*", p.sur + "*" * len(p.given), "*" + p.given[-1:]])


SERVICE = ["95588", "95533", "95555", "95566", "95599", "95559", "95528", "10086", "10010", "10000", "12306", "12345",
           "400-820-8820", "400-888-9888", "4006-95555", "400 610 8888", "800-820-6666", "95338", "95311", "95554",
           "400-111-1111", "4008-123-123", "95518", "95519", "95511"]


def svc():
    return ch(SERVICE)


def svc400():
    return ch([x for x in SERVICE if x[0] in "48"])


BANK_SVC = {"中国工商银行": "95588", "中国农业银行": "95599", "中国银行": "95566", "中国建设银行": "95533", "交通银行": "95559",
            "招商银行": "95555", "中国邮政储蓄银行": "95580", "兴业银行": "95561", "华夏银行": "95577", "平安银行": "95511"}


def uuid():
    h = "".join(R.choice("0123456789abcdef") for _ in range(32))
    return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-{ch('89ab')}{h[17:20]}-{h[20:]}"


def hexid(n=32):
    return "".join(R.choice("0123456789abcdef") for _ in range(n))


def version():
    return ch([f"v{R.randint(1, 12)}.{R.randint(0, 30)}.{R.randint(0, 40)}",
               f"{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 20)}.{R.randint(1, 254)}",
               f"{R.randint(1, 4)}.{R.randint(0, 9)}.{R.randint(0, 9)}-rc.{R.randint(1, 5)}",
               f"10.0.{R.randint(17000, 22631)}.{R.randint(100, 4000)}"])


def uscc():
    from stdnum.cn import uscc as u
    for _ in range(1000):
        body = "91" + ch(REGIONS) + "".join(R.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
        if sum(c.isalpha() for c in body) < 1:
            continue
        num = body + u.calc_check_digit(body)
        if u.is_valid(num):
            return num
    raise RuntimeError


def money():
    return f"{R.randint(5, 8000)}.{R.randint(0, 99):02d}"


CO_PAIRS = [("深圳市华信科技有限公司", "Huaxin Technology Co., Ltd.", "huaxintech.com.cn", "深圳市"),
            ("杭州云帆网络科技有限公司", "Yunfan Networks", "yunfan-net.cn", "杭州市"),
            ("北京恒泰物流有限公司", "Hengtai Logistics", "hengtai-logistics.com", "北京市"),
            ("上海启明星医疗器械有限公司", "Qiming Medical Devices", "qimingmed.com", "上海市"),
            ("成都蜀云数据服务有限公司", "Shuyun Data Services", "shuyundata.cn", "成都市"),
            ("广州南粤供应链管理有限公司", "Nanyue Supply Chain", "nanyue-scm.com", "广州市"),
            ("苏州璟瑞精密机械有限公司", "Jingrui Precision", "jingrui-precision.com", "苏州市"),
            ("武汉长江优品贸易有限公司", "Changjiang Youpin Trading", "cjyoupin.com", "武汉市"),
            ("南京蓝湾文化传媒有限公司", "Lanwan Media", "lanwanmedia.cn", "南京市"),
            ("厦门海峡通商贸有限公司", "Haixiatong Trading", "hxt-trade.com", "厦门市")]
JOBS = [("销售经理", "Sales Manager"), ("产品经理", "Product Manager"), ("高级工程师", "Senior Engineer"),
        ("采购主管", "Procurement Lead"), ("财务总监", "Finance Director"), ("人事专员", "HR Specialist"),
        ("运营总监", "Operations Director"), ("客户经理", "Account Manager"), ("项目经理", "Project Manager"),
        ("行政助理", "Office Administrator"), ("技术总监", "Technical Director"), ("区域经理", "Regional Manager"),
        ("法务专员", "Legal Counsel"), ("物流协调员", "Logistics Coordinator")]
COMPANY = ["深圳市华信科技有限公司", "杭州云帆网络科技有限公司", "北京恒泰物流有限公司", "上海启明星医疗器械有限公司",
           "成都蜀云数据服务有限公司", "广州南粤供应链管理有限公司", "苏州璟瑞精密机械有限公司", "武汉长江优品贸易有限公司",
           "南京蓝湾文化传媒有限公司", "厦门海峡通商贸有限公司"]
COMPANY_EN = [("Huaxin Technology Co., Ltd.", "huaxintech.com.cn"), ("Yunfan Networks", "yunfan-net.cn"),
              ("Hengtai Logistics", "hengtai-logistics.com"), ("Qiming Medical Devices", "qimingmed.com"),
              ("Northwind Trading Ltd", "northwind-trading.co.uk"), ("Bluepeak Analytics", "bluepeak.io"),
              ("Lakeside Components GmbH", "lakeside-components.de"), ("Orchard & Vale LLP", "orchardvale.co.uk"),
              ("Meridian Freight BV", "meridianfreight.nl"), ("Sinoriver Supply Chain", "sinoriver.cn")]
JOB_ZH = ["销售经理", "产品经理", "高级工程师", "采购主管", "财务总监", "人事专员", "运营总监", "客户经理", "项目经理", "行政助理",
          "技术总监", "区域经理", "总经理助理", "法务专员"]
JOB_EN = ["Sales Manager", "Product Manager", "Senior Engineer", "Procurement Lead", "Finance Director",
          "HR Specialist", "Operations Director", "Account Manager", "Project Manager", "Office Administrator",
          "Head of Partnerships", "Logistics Coordinator"]
BANK_BRANCH = ["深圳科技园支行", "杭州文三路支行", "北京中关村支行", "上海张江支行", "成都高新支行", "武汉光谷支行", "南京新街口支行",
               "广州天河支行", "西安高新路支行", "厦门湖滨南路支行"]
HOSPITAL_CITY = [("北京协和医院", "北京市"), ("复旦大学附属中山医院", "上海市"), ("浙江大学医学院附属第一医院", "杭州市"),
                 ("四川大学华西医院", "成都市"), ("中山大学附属第一医院", "广州市"), ("武汉协和医院", "武汉市"), ("南京鼓楼医院", "南京市"),
                 ("深圳市人民医院", "深圳市"), ("西安交通大学第一附属医院", "西安市"), ("厦门大学附属第一医院", "厦门市")]
HOSPITAL = [h for h, _ in HOSPITAL_CITY]
DEPT = ["心内科", "消化内科", "呼吸内科", "骨科", "皮肤科", "眼科", "口腔科", "内分泌科", "神经内科", "儿科", "妇科", "耳鼻喉科"]
DOC_TITLE = ["主任医师", "副主任医师", "主治医师"]
NICKS = ["阳光明媚", "老猫", "🍀小鱼儿", "风吹麦浪", "Lucky星", "简单快乐", "一叶知秋", "🌈彩虹糖", "大熊", "慢慢来", "吃货一枚"]


def name_zh(p):
    return (p.zh, "PERSON_NAME_ZH")


def name_en(s):
    return (s, "PERSON_NAME_EN")


def E(s):
    return (s, "EMAIL")


# --------------------------------------------------------------------------------------------
# templates

def t_wechat():
    d = Doc()
    group = ch(["周末徒步群", "翠苑三期业主群", "2019级三班家长群", "项目对接群-华东区", "搬家互助群", "羽毛球约球群（周三晚）",
                "公司团建筹备群", "二手闲置交流群", "自驾川西小分队", "车险理赔对接群"])
    members = []
    for _ in range(R.randint(3, 6)):
        p = Person()
        r = R.random()
        if r < 0.5:
            disp = [name_zh(p)]
        elif r < 0.62:
            disp = [name_zh(p), ch(["-销售部", "（3栋）", "-13班家长", "@华信", " 🚗", "_财务"])]
        elif r < 0.72 and p.sur_py:
            disp = [name_en(p.py(ch(["sg", "nick", "gs"])))]
        elif r < 0.82:
            e = EnPerson()
            disp = [name_en(ch([e.full, e.first]))]
        elif r < 0.9:
            disp = [name_en(p.nick)]
        else:
            disp = [ch(NICKS)]
        members.append((p, disp))
    style = ch(["A", "B", "C"])
    lang = "zh"
    if style == "A":
        d.f("群聊：{g}（{n}人）\n导出时间：{t}\n\n", g=group, n=R.randint(8, 220), t=ts())
    elif style == "B":
        d.f("—————  {g} 聊天记录  —————\n", g=group)
    else:
        d.f("微信群“{g}”的聊天记录\n\n", g=group)
    base = when()
    nmsg = R.randint(6, 12)

    def mention():
        q, disp = ch(members)
        if isinstance(disp[0], tuple):
            return disp[0]
        return name_zh(q)

    used = []

    def content(q):
        other = Person()
        r = R.random()
        opts = [
            lambda: d.f("我电话{m}，到了直接打", m=M(q)),
            lambda: d.f("@{n} 地址发你了：{a}", n=mention(), a=A()),
            lambda: d.f("集合地点改到{a}，{h}准时出发", a=A(rural=False, bld=rp(0.3)), h=ch(["7:30", "8点", "早上九点"])),
            lambda: d.f("我开车，车牌{p}，白色的，能带3个人", p=P()),
            lambda: d.f("[位置] {poi}\n{a}", poi=ch(["万象城P2停车场", "地铁站B口", "星巴克(科技园店)", "东门岗亭"]), a=A(rural=False)),
            lambda: d.f("共享位置：{g}", g=G()),
            lambda: jielong(),
            lambda: d.t(ch(["收到", "好的👌", "[图片]", "[语音] 8\"", "[转账] ¥50.00 已收款", "[红包] 恭喜发财，大吉大利", "哈哈哈",
                            "👍👍", "[动画表情]", "明天见", "辛苦了"])),
            lambda: d.f("物业电话{l}，有问题直接找他们", l=L()),
            lambda: d.f("客服说打 {s} 问问，我打了半天没人接", s=svc()),
            lambda: d.f("快递单号{w}，明天应该能到", w=waybill()),
            lambda: (lambda c: d.f("钱转我卡上就行：{b} {c}，户名{n}", b=c[1], c=c[0], n=name_zh(q)))(C()),
            lambda: d.f("验证码{v}别发群里啊😂", v=digits(6)),
            lambda: d.f("我邮箱 {e}，PPT发我一下", e=E(q.email())),
            lambda: d.f("订单号 {o} 退款还没到账", o=order_no()),
            lambda: d.f("{g}，你到了吗？", g=(q.given, "PERSON_NAME_ZH")) if len(q.given) == 2 else d.t("到哪了？"),
            lambda: d.f("有事联系{n}{t}，电话{m}", n=name_zh(other), t=other.title, m=M(other)),
            lambda: d.f("我手机号换了，新号{m}，旧号{old}停用了", m=M(q), old=mask_mob(mobile_digits())),
            lambda: d.f("车停在{a}门口，{p}", a=A(rural=False, bld=False), p=P()),
            lambda: d.f("Hi all, my colleague {n} will join us on Saturday, his number is {m}", n=name_en(EnPerson().full),
                        m=M(style="p86sp")),
        ]
        if not used:
            used.extend(R.sample(range(len(opts)), len(opts)))
        opts[used.pop()]()

    def jielong():
        d.t(ch(["#接龙\n", "报名接龙：\n", "#接龙 周六活动报名\n"]))
        k = R.randint(2, 5)
        for i in range(1, k + 1):
            q = Person()
            sep = ch([" ", " ", "  ", ""])
            d.f("{i}. {n}{s}{m}\n", i=i, n=name_zh(q), s=sep, m=M(q, style=ch(["plain", "plain", "sp344"])))
        d.t(f"{k + 1}. ")

    t = base
    for i in range(nmsg):
        q, disp = ch(members)
        t = t + datetime.timedelta(seconds=R.randint(20, 1500))
        if style == "A":
            for part in disp:
                d.p(*part) if isinstance(part, tuple) else d.t(part)
            d.f(" {t}\n", t=t.strftime("%H:%M:%S"))
            content(q)
            d.t("\n\n")
        elif style == "B":
            d.f("[{t}] ", t=ts(t))
            for part in disp:
                d.p(*part) if isinstance(part, tuple) else d.t(part)
            d.t(": ")
            content(q)
            d.t("\n")
        else:
            for part in disp:
                d.p(*part) if isinstance(part, tuple) else d.t(part)
            d.f("（{t}）：\n", t=ts(t))
            content(q)
            d.t("\n")
        if any(sp[2] == "PERSON_NAME_EN" for sp in d.spans):
            lang = "mixed"
    return d, lang


def t_cs_ticket_zh():
    d = Doc()
    cu = Person()
    ag = Person()
    ag2 = Person()
    t0 = when()
    d.f("工单号：TK-{a}-{b}\n创建时间：{t}    渠道：{c}    类型：{k}\n", a=t0.strftime("%Y%m%d"),
        b=digits(5), t=ts(t0), c=ch(["在线客服", "电话", "App反馈", "邮件"]), k=ch(["物流异常", "退款申请", "账户安全", "发票问题", "地址修改"]))
    d.f("客户：{n}（会员ID U{u}）\n", n=name_zh(cu), u=digits(9))
    if rp(0.5):
        d.f("登录手机：{mm}    联系电话：{m}\n", mm=mask_mob(cu.mob), m=M(cu))
    else:
        d.f("联系电话：{m}\n", m=M(cu))
    d.f("关联订单：{o}\n-------- 沟通记录 --------\n", o=order_no())
    sp = R.randint(2, 9)

    def line(who, fn):
        nonlocal t0
        t0 += datetime.timedelta(minutes=R.randint(1, 40))
        d.f("[{t}] ", t=ts(t0))
        who()
        fn()
        d.t("\n")

    msgs = []
    new = Person()
    msgs.append((lambda: d.f("客户 {n}：", n=name_zh(cu)),
                 lambda: d.f("你好，我的快递一直没送到，能不能改送到{a}？收件人写{n}，电话{m}", a=A(), n=name_zh(new), m=M(new))))
    msgs.append((lambda: d.f("客服-{n}（工号{g}）：", n=name_zh(ag), g=R.randint(10000, 99999)),
                 lambda: d.f("{n}{t}您好，已为您登记修改，预计{h}小时内生效，请保持{mm}电话畅通。", n=name_zh(cu), t=cu.title,
                             h=ch([24, 48]), mm=mask_mob(cu.mob))))
    r = R.random()
    if r < 0.3:
        c = C()
        msgs.append((lambda: d.f("客户 {n}：", n=name_zh(cu)),
                     lambda: d.f("退款别退原路了，原卡已注销，退到这张：{b} {c}，户名{n}", b=c[1], c=c[0], n=name_zh(cu))))
        msgs.append((lambda: d.f("客服-{n}：", n=name_zh(ag)),
                     lambda: d.f("抱歉，系统只能原路退回至尾号{x}的卡，如需变更请拨打{s}。", x=digits(4), s=svc())))
    elif r < 0.55:
        msgs.append((lambda: d.f("客户 {n}：", n=name_zh(cu)),
                     lambda: d.f("昨天晚上账号在{ip}登录了，不是我本人！我人在{c}", ip=IP(), c=ch(["上海", "成都", "杭州", "北京"]))))
        msgs.append((lambda: d.f("客服-{n}：", n=name_zh(ag)),
                     lambda: d.f("已冻结账户并强制下线，请通过绑定邮箱{e}重置密码，版本请升级到{v}。", e=E(cu.email()), v=version())))
    elif r < 0.8:
        msgs.append((lambda: d.f("客户 {n}：", n=name_zh(cu)),
                     lambda: d.f("发票抬头：{co}，税号{u}，寄到{a}，{n}收", co=ch(COMPANY), u=uscc(), a=A(), n=name_zh(Person()))))
        msgs.append((lambda: d.f("客服-{n}：", n=name_zh(ag)),
                     lambda: d.t("电子发票将于3个工作日内开具，请留意短信。")))
    else:
        msgs.append((lambda: d.f("客户 {n}：", n=name_zh(cu)),
                     lambda: d.f("上门取件的师傅叫什么？我{d}都在家", d=ch(["周六", "明天下午", "今天"]))))
        cour = Person(gender="M")
        msgs.append((lambda: d.f("客服-{n}：", n=name_zh(ag2)),
                     lambda: d.f("已安排快递员{n}上门，联系电话{m}，运单号{w}。", n=name_zh(cour), m=M(cour), w=waybill())))
    msgs.append((lambda: d.t("系统："), lambda: d.f("工单已转交{t}，SLA {h}h", t=ch(["物流组", "风控组", "财务组"]), h=sp * 4)))
    for who, fn in msgs:
        line(who, fn)
    d.f("处理结果：{r}\n满意度：{s}", r=ch(["已解决", "处理中", "待客户确认"]), s=ch(["★★★★★", "★★★★", "未评价"]))
    return d, "zh"


def t_cs_ticket_en():
    d = Doc()
    cu = EnPerson() if rp(0.6) else None
    zp = Person(pinyin=True)
    nm = cu.full if cu else zp.py(ch(["sg", "gs", "nick"]))
    first = cu.first if cu else nm.split()[0]
    ag = EnPerson()
    dom = ch(COMPANY_EN)
    em = cu.email() if cu else zp.email()
    d.f("Ticket #{n} — {s}\nStatus: {st} | Priority: {pr} | Assignee: {a}\nRequester: {r} <{e}>\n",
        n=R.randint(100000, 999999), s=ch(["Delivery not received", "Refund to a different card", "Account locked",
                                           "Change of address", "Invoice correction"]),
        st=ch(["Open", "Pending", "Solved"]), pr=ch(["High", "Normal", "Low"]), a=name_en(ag.full), r=name_en(nm), e=E(em))
    if rp(0.7):
        d.f("Phone: {m}\n", m=M(zp, style=ch(["p86sp", "p86", "0086", "plain", "brk"])))
    t0 = when()
    d.f("Order: {o}\nCreated: {t}\n\n", o=order_no(), t=ts(t0, style="t"))
    d.f("--- {n} ({t}) ---\nHi, I'm still waiting for my parcel (tracking {w}). ", n=name_en(nm), t=ts(t0), w=waybill())
    r = R.random()
    if r < 0.35:
        d.f("I've moved — please redeliver to {a}. My colleague {c} can sign for it, her mobile is {m}.\n\n",
            a=A(rural=False), c=name_en(Person(pinyin=True, gender="F").py("sg")), m=M())
    elif r < 0.6:
        c = C(bins=[("4" + digits(5), 16, "Visa"), ("5" + str(R.randint(1, 5)) + digits(4), 16, "Mastercard")])
        d.f("Also the refund should go to my new card {c} — the old one ending {x} was cancelled.\n\n", c=c[0], x=digits(4))
    else:
        d.f("Someone logged in to my account from {ip} last night, it wasn't me.\n\n", ip=IP())
    d.f("--- {n} (Support, {t}) ---\nHi {f},\n\nThanks for reaching out. ", n=name_en(ag.first),
        t=ts(t0 + datetime.timedelta(minutes=R.randint(5, 300))), f=name_en(first))
    d.f("I've checked order {o} and escalated it to our logistics team. For security reasons we never ask for full card "
        "numbers; the card on file ends in {x}. You can also call our hotline {s} (9:00–21:00).\n\nBest,\n{a}\n"
        "Customer Care Team\n", o=order_no(), x=digits(4), s=svc(), a=name_en(ag.first))
    if rp(0.5):
        d.f("\n--- internal note ---\nCustomer verified via phone {mm}; ID checked ({mi}). Macro v{v} applied.",
            mm=mask_mob(zp.mob), mi=mask_rid(zp.rid), v=f"{R.randint(1, 5)}.{R.randint(0, 9)}")
    return d, "en"


def t_email():
    d = Doc()
    zp = Person(pinyin=True)
    en = EnPerson()
    co_zh, co_en, dom, cc_ = ch(CO_PAIRS)
    set_ctx(cc_)
    fco, fdom = ch(COMPANY_EN[4:9])
    zmail = zp.email(domain=dom)
    emailaddr = en.email(domain=fdom)
    zname = zp.py(ch(["sg", "gs", "nick"]))
    cc = Person(pinyin=True)
    subj = ch([("样品寄送地址", "Sample shipping address"), ("签证邀请函信息", "Visa invitation letter"),
               ("付款信息确认", "Payment details"), ("酒店预订", "Hotel booking for the visit")])
    dt = when()
    sent = dt.strftime("%a, %d %b %Y %H:%M:%S +0800")
    kind = subj[1]
    lang = "mixed"
    d.f("From: {zn} <{ze}>\nTo: {en} <{ee}>\n", zn=name_en(zname), ze=E(zmail), en=name_en(en.full), ee=E(emailaddr))
    if rp(0.6):
        d.f("Cc: {c} <{ce}>\n", c=name_zh(cc), ce=E(cc.email(domain=dom)))
    d.f("Date: {s}\nSubject: RE: {a} / {b}\n\n", s=sent, a=subj[0], b=subj[1])
    d.f("Hi {f},\n\n", f=name_en(en.first))
    guest = Person(pinyin=True)
    if kind == "Sample shipping address":
        d.f("Thanks for your note. Please send the samples to our lab instead of the office:\n\n{a}\n收件人 Attn: {n}（{pn}）\n"
            "Mobile: {m}\n\n", a=A(rural=False), n=name_zh(guest), pn=name_en(guest.py("sg")), m=M(guest))
    elif kind == "Visa invitation letter":
        d.f("Below are the details for the invitation letter:\n\nFull name: {n}\nDate of birth: {b}\nPassport No.: {pp}\n"
            "Position: {j}\n\n", n=name_en(guest.py("SG")), b=D(guest, zh=False, style=ch(["dmy", "iso", "gb", "short"])),
            pp=(make_passport(), "CN_PASSPORT"), j=ch(JOB_EN))
    elif kind == "Payment details":
        c = C()
        d.f("As discussed, please remit the deposit to the account below and confirm once done.\n\n"
            "Account name: {n}\nBank: {b}{br}\nCard/Account No.: {c}\n\n", n=name_zh(zp),
            b=c[1], br=ch(BANK_BRANCH), c=c[0])
    else:
        d.f("We have booked two rooms for your team at 如家精选酒店, address {a}, front desk {l}. "
            "Check-in {ci}.\n\n", a=A(rural=False), l=L(), ci=rand_date(2024, 2024).isoformat())
    d.f("{z}\n", z=ch(["如有问题请随时联系。", "有任何问题随时找我。", "Thanks! 谢谢！"]))
    d.t("Best regards,\n")
    d.f("{zn} {zz}\n{j} | {co}\n", zn=name_en(zp.py("sg") if rp(0.5) else zname), zz=name_zh(zp), j=ch(JOB_EN),
        co=ch([co_en, co_zh]))
    d.f("M: {m}", m=M(zp, style=ch(["p86sp", "p86sp", "plain", "sp344", "0086"])))
    if rp(0.7):
        d.f(" | T: {l}", l=L(style=ch(["p86", "dash", "brk"])))
        if rp(0.3):
            d.f(" ext. {x}", x=R.randint(100, 899))
    d.t("\n")
    if rp(0.65):
        a = A(rural=False, prov_p=0.4)
        if rp(0.4):
            a = broken(a)
        d.f("A: {a}\n", a=a)
    d.f("{c}\n\n", c=ch(["This e-mail and any attachments are confidential. 本邮件及附件含保密信息。", "Please consider the environment before printing.", ""]))
    # quoted original
    od = dt - datetime.timedelta(hours=R.randint(2, 40))
    if rp(0.5):
        d.f("-----Original Message-----\nFrom: {en} <{ee}>\nSent: {s}\nTo: {zn}\nSubject: {b}\n\n", en=name_en(en.full),
            ee=E(emailaddr), s=od.strftime("%A, %B %d, %Y %I:%M %p"), zn=name_en(zname), b=subj[1])
        q = ""
    else:
        d.f("On {s}, {en} <{ee}> wrote:\n", s=od.strftime("%a, %d %b %Y at %H:%M"), en=name_en(en.full), ee=E(emailaddr))
        q = "> "
    d.f("{q}Dear {zg},\n{q}\n", q=q, zg=name_en(zp.short_py() if rp(0.6) else zname))
    d.f("{q}Could you send me the {k} by Friday? Our reference is {r}.\n{q}\n", q=q, k=kind.lower(),
        r=f"{ch(['PO', 'INV', 'REF'])}-{digits(6)}")
    d.f("{q}Kind regards,\n{q}{en}\n{q}{j}, {co}\n", q=q, en=name_en(en.full), j=ch(JOB_EN), co=fco)
    if kind == "Payment details" and rp(0.9):
        d.f("{q}Our bank details for the balance: IBAN {ib} (BIC {bic})\n", q=q, ib=(fmt_iban(make_iban()), "IBAN"),
            bic=ch(["DEUTDEFF", "NWBKGB2L", "ABNANL2A", "BNPAFRPP", "INGBNL2A"]))
    if q == "" and rp(0.5):
        d.f("Direct: {e}\n", e=E(emailaddr))
    return d, lang


def attendee_list(ps):
    out = []
    for p in ps:
        if rp(0.75) or not p.sur_py:
            out.append(name_zh(p))
        else:
            out.append(name_en(p.py("nick" if rp(0.5) else "sg")))
    return out


def t_minutes_zh():
    d = Doc()
    ps = [Person() for _ in range(R.randint(4, 8))]
    host, rec = ps[0], ps[1]
    d.f("会议纪要\n\n会议主题：{s}\n时间：{t}\n地点：{l}\n主持人：{h}    记录人：{r}\n参会人员：", s=ch(
        ["Q3渠道拓展周例会", "新版App上线评审会", "仓储外包供应商比选会", "年度体检安排协调会", "安全生产月度例会"]),
        t=f"2024年{R.randint(1, 12)}月{R.randint(1, 28)}日 {R.randint(9, 16)}:00-{R.randint(16, 18)}:30",
        l=ch(["3楼大会议室", f"腾讯会议 {digits(3)}-{digits(3)}-{digits(3)}", "B座1206会议室", "线上（飞书）"]),
        h=name_zh(host), r=name_zh(rec))
    sep = ch(["、", "，", " "])
    for i, x in enumerate(attendee_list(ps[2:])):
        if i:
            d.t(sep)
        d.p(*x)
    if rp(0.4):
        a = Person()
        d.f("\n缺席：{n}（{w}）", n=name_zh(a), w=ch(["请假", "出差", "病假"]))
    d.t("\n\n一、上次行动项回顾\n")
    d.f("1. {n}负责的供应商资质审核已完成，合同编号{c}。\n", n=name_zh(ch(ps)), c=f"HT-2024-{digits(4)}")
    d.f("2. 服务器迁移延期，旧集群（版本 {v}）需保留至月底。\n", v=version())
    d.t("\n二、本次讨论\n")
    sup = Person()
    r = R.random()
    if r < 0.35:
        d.f("供应商{co}联系人{n}（{j}，电话{m}）表示可在两周内完成样品交付，送样地址定为{a}。\n", co=ch(COMPANY), n=name_zh(sup),
            j=ch(JOB_ZH), m=M(sup), a=A(rural=False))
    elif r < 0.65:
        d.f("新仓库选址初定{a}，GPS {g}，租金待谈。物业联系电话{l}。\n", a=A(rural=False), g=G(), l=L())
    else:
        d.f("客户投诉升级：{n}{t}反映多次致电{s}未果，需回访，回访号码以工单为准（{mm}）。\n", n=name_zh(sup), t=sup.title,
            s=svc(), mm=mask_mob(sup.mob))
    d.t("\n三、行动项\n")
    if rp(0.5):
        d.t("| 序号 | 事项 | 负责人 | 截止日期 |\n|---|---|---|---|\n")
        for i, x in enumerate(R.sample(["整理报价单", "确认场地", "提交预算", "跟进合同", "更新培训材料", "联系物业"], R.randint(2, 4)), 1):
            d.f("| {i} | {x} | {n} | {dd} |\n", i=i, x=x, n=name_zh(ch(ps)), dd=f"{R.randint(1, 12)}月{R.randint(1, 28)}日")
    else:
        for i, x in enumerate(R.sample(["整理报价单", "确认场地", "提交预算", "跟进合同", "更新培训材料"], R.randint(2, 4)), 1):
            d.f("{i}）{x} —— 负责人：{n}，{dd}前完成\n", i=i, x=x, n=name_zh(ch(ps)), dd=f"{R.randint(1, 12)}月{R.randint(1, 28)}日")
    d.f("\n下次会议：{dd}，地点待定。\n（本纪要如有遗漏请于两个工作日内反馈至{e}）", dd=f"{R.randint(1, 12)}月{R.randint(1, 28)}日",
        e=E(rec.email(domain=ch(COMPANY_EN)[1])) if rp(0.6) else "行政部")
    return d, "zh"


def t_minutes_en():
    d = Doc()
    ps = [EnPerson() if rp(0.5) else Person(pinyin=True) for _ in range(R.randint(4, 7))]

    def nm(p, short=False):
        if isinstance(p, EnPerson):
            return name_en(p.first if short else p.full)
        return name_en(p.short_py() if short else p.py(ch(["sg", "gs", "nick"])))

    d.f("MINUTES — {s}\nDate: {dt}   Time: 10:00–11:15   Location: {l}\n\nAttendees: ", s=ch(
        ["Weekly Ops Sync", "Vendor Review Board", "Data Protection Steering Group", "Launch Readiness Review"]),
        dt=fmt_date_en(rand_date(2024, 2024), ch(["dmy", "iso", "mdy_long"])),
        l=ch(["Room 4.12", "Zoom (ID 831 2290 4471)", "Shanghai office, 18F", "Teams"]))
    for i, p in enumerate(ps):
        if i:
            d.t(", ")
        d.p(*nm(p))
        if rp(0.3):
            d.f(" ({j})", j=ch(["chair", "notes", "Finance", "Legal", "Ops"]))
    d.t("\nApologies: ")
    d.p(*nm(EnPerson()))
    d.t("\n\n1. Actions from last meeting\n")
    d.f("   - Contract renewal with Hengtai Logistics signed (ref CT-{r}).\n", r=digits(6))
    d.f("   - {n} confirmed the DPA template is final (v{v}).\n", n=nm(ch(ps), short=rp(0.5)), v=f"{R.randint(1, 4)}.{R.randint(0, 9)}")
    d.t("\n2. Discussion\n")
    r = R.random()
    if r < 0.35:
        ip1, ip2 = IP(), IP()
        d.f("   Security flagged repeated failed logins from {a} and {b}; both blocked at the WAF. "
            "No customer data was exported.\n", a=ip1, b=ip2)
    elif r < 0.7:
        zp = Person(pinyin=True)
        d.f("   New supplier contact in Shenzhen is {n} ({e}, {m}); site visit to {a} planned for next month.\n",
            n=name_en(zp.py("sg")), e=E(zp.email()), m=M(zp, style="p86sp"), a=A(rural=False))
    else:
        d.f("   A data-subject request was received from a customer (ticket DSR-{t}); contact details are held in the "
            "ticket only. Hotline {s} scripts to be updated.\n", t=digits(5), s=svc())
    d.t("\n3. Action items\n")
    for x in R.sample(["Update the retention schedule", "Circulate budget draft", "Book venue", "Review access logs",
                       "Send revised quote"], R.randint(2, 4)):
        d.t("   [ ] ")
        d.f("{x} — owner: ", x=x)
        d.p(*nm(ch(ps), short=rp(0.4)))
        d.f(", due {dd}\n", dd=fmt_date_en(rand_date(2024, 2024), ch(["short", "iso"])))
    d.f("\nNext meeting: {dd}.", dd=fmt_date_en(rand_date(2024, 2024), "dmy"))
    return d, "en"


def t_incident_zh():
    d = Doc()
    if rp(0.6):
        a, b, w = Person(), Person(), Person()
        dt = when()
        d.f("道路交通事故快速处理协议书\n编号：{n}\n\n事故时间：{t}\n事故地点：{a}{x}\n", n=f"KC{digits(12)}",
            t=f"{dt.year}年{dt.month}月{dt.day}日{dt.hour}时{dt.minute}分", a=A(rural=False, bld=False),
            x=ch(["路口", "附近", "东侧约50米", "（红绿灯处）"]))
        if rp(0.85):
            d.f("定位坐标：{g}\n", g=G())
        d.t("天气：" + ch(["晴", "小雨", "阴"]) + "\n\n")
        for role, p in (("甲方", a), ("乙方", b)):
            d.f("【{r}】驾驶人：{n}  性别：{s}\n", r=role, n=name_zh(p), s="男" if p.gender == "M" else "女")
            d.f("身份证号：{i}\n驾驶证档案编号：{f}\n", i=(fmt_rid(p.rid), "CN_RESIDENT_ID"), f=digits(12))
            d.f("联系电话：{m}\n号牌号码：{p}  车辆类型：{k}\n", m=M(p), p=P(), k=ch(["小型轿车", "小型普通客车", "轻型货车"]))
            d.f("保险公司：{c}  保单号：{pn}\n\n", c=ch(["中国人保", "平安产险", "太平洋产险"]), pn=f"P{neg_digits(18, '6')}")
        d.f("事故经过：{n}驾车沿{r}由北向南行驶，与{m}驾驶的车辆发生刮擦，无人员受伤。\n", n=name_zh(a), r=ch(["深南大道", "建国路", "文三路"]),
            m=name_zh(b))
        d.f("目击证人：{n}，电话{m}\n责任认定：{r}\n", n=name_zh(w), m=M(w), r=ch(["甲方全责", "乙方全责", "同等责任"]))
        d.f("报警电话122已告知。理赔报案号：{c}", c=f"RC{neg_digits(16, '2')}")
    else:
        v = Person()
        sup = Person()
        d.f("工伤事故报告表\n\n单位名称：{co}\n事故发生时间：{t}\n事故发生地点：{a}（{w}）\n\n", co=ch(COMPANY), t=ts(style="iso"),
            a=A(rural=False), w=ch(["二号车间", "仓库B区", "装卸平台"]))
        d.f("受伤人员：{n}\n性别：{s}    出生日期：{b}\n身份证号码：{i}\n", n=name_zh(v), s="男" if v.gender == "M" else "女",
            b=D(v), i=(fmt_rid(v.rid), "CN_RESIDENT_ID"))
        d.f("家庭住址：{a}\n联系电话：{m}\n工种/岗位：{j}\n\n", a=A(), m=M(v), j=ch(["叉车司机", "装卸工", "机修工", "质检员"]))
        d.f("事故经过：{t}左右，{n}在搬运货物时{x}，现场负责人{s}（电话{m}）立即拨打120并送往{h}。\n", t=ts(style="hm"),
            n=name_zh(v), x=ch(["被叉车碰伤左腿", "从货架梯上跌落", "手部被传送带夹伤"]), s=name_zh(sup), m=M(sup),
            h=ch(HOSPITAL))
        d.f("\n填报人：{n}    填报日期：{dd}\n单位电话：{l}", n=name_zh(sup), dd=rand_date(2024, 2024).isoformat(), l=L())
    return d, "zh"


def t_incident_it_en():
    d = Doc()
    rep = EnPerson() if rp(0.5) else Person(pinyin=True)
    rn = rep.full if isinstance(rep, EnPerson) else rep.py("sg")
    re_ = rep.email(domain=ch(COMPANY_EN)[1])
    d.f("SECURITY INCIDENT REPORT  SIR-{y}-{n}\nSeverity: {s}    Status: {st}\nReported by: {r} <{e}>\nDetected: {t}\n\n",
        y=2024, n=digits(4), s=ch(["SEV-2", "SEV-3", "High", "Medium"]), st=ch(["Contained", "Investigating", "Closed"]),
        r=name_en(rn), e=E(re_), t=ts(style="t"))
    d.f("Summary\nCredential-stuffing against the customer portal (build {v}). {k} accounts affected.\n\n",
        v=version(), k=R.randint(2, 40))
    d.t("Timeline (UTC+8)\n")
    t0 = when()
    for _ in range(R.randint(3, 5)):
        t0 += datetime.timedelta(minutes=R.randint(3, 50))
        d.f("  {t}  ", t=t0.strftime("%H:%M:%S"))
        ch([lambda: d.f("WAF alert: {n} failed logins from {ip}", n=R.randint(50, 900), ip=IP()),
            lambda: d.f("Successful login to uid {u} from {ip} (usual: {ip2})", u=digits(8), ip=IP(), ip2=IP()),
            lambda: d.f("On-call ({n}) paged via PagerDuty", n=name_en(EnPerson().first)),
            lambda: d.f("Blocked /24 of {ip} at edge; trace {h}", ip=IP(), h=hexid(16)),
            lambda: d.f("GeoIP for {ip}: {g} ({c})", ip=IP(), g=G(ch(["latlon", "latlon_ns"])), c=ch(["Shenzhen", "Hangzhou", "Chengdu", "unknown"])),
            lambda: d.f("Session tokens revoked; deploy {v}", v=version())])()
        d.t("\n")
    d.t("\nAffected customers (sample)\n")
    for _ in range(R.randint(1, 3)):
        c = Person(pinyin=True)
        if rp(0.5):
            d.f("  - {n}, {e}, phone {m}, last IP {ip}\n", n=name_en(c.py("sg")), e=E(c.email()), m=M(c), ip=IP())
        else:
            d.f("  - {n} ({mm}), account created {dd}\n", n=name_zh(c), mm=mask_mob(c.mob), dd=rand_date(2019, 2023).isoformat())
    d.f("\nIndicators of compromise\n  {a}\n  {b}\n  sha256 {h}\n", a=IP(), b=IP(v6=rp(0.4)), h=hexid(64))
    d.f("\nNot related: internal scanner {v} (version string), CVE-2023-{c}.\n", v=f"{R.randint(1, 9)}.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(1, 99)}",
        c=R.randint(10000, 49999))
    d.f("Contact the SOC at {e} — do not forward this report.", e=E("soc@" + ch(COMPANY_EN)[1]))
    return d, "en"


def t_hr_kv_zh():
    d = Doc()
    p = Person(y0=1975, y1=2002)
    em = Person(gender=ch("MF"))
    colon = ch(["：", "：", ":", " "])
    pad = ch([True, False])

    def k(label):
        if pad and len(label) == 2:
            label = label[0] + "\u3000\u3000" + label[1]
        return label + colon

    d.f("{t}\n\n", t=ch(["新员工入职登记表", "员工信息登记表", "入职信息采集表（请用正楷填写）"]))
    d.f("{k1}{n}    {k2}{s}\n", k1=k("姓名"), n=name_zh(p), k2=k("性别"), s="男" if p.gender == "M" else "女")
    if p.sur_py and rp(0.4):
        d.f("{k}{e}\n", k=k("英文名"), e=name_en(p.py(ch(["nick", "gs"]))))
    d.f("{k1}{b}    {k2}{m}\n", k1=k("出生日期"), b=D(p), k2=k("民族"), m=ch(["汉", "汉", "回", "满", "壮"]))
    d.f("{k}{i}\n", k=k("身份证号"), i=(fmt_rid(p.rid), "CN_RESIDENT_ID"))
    d.f("{k}{a}\n", k=k("户籍地址"), a=A(rural=rp(0.35)))
    d.f("{k}{a}\n", k=k("现住址"), a=A(rural=False) if rp(0.85) else "同上")
    d.f("{k1}{m}    {k2}{e}\n", k1=k("手机"), m=M(p), k2=k("邮箱"), e=E(p.email()))
    if rp(0.4):
        d.f("{k}{pp}\n", k=k("护照号码"), pp=(make_passport(), "CN_PASSPORT"))
    if rp(0.4):
        d.f("{k}{pl}\n", k=k("车牌号（停车登记）"), pl=P())
    d.f("{k}{n}（{r}）  {m}\n", k=k("紧急联系人"), n=name_zh(em), r=ch(["配偶", "父亲", "母亲", "朋友"]), m=M(em))
    c = C(bins=[b for b in CARD_BINS if b[1] >= 16])
    d.f("{k}{b}{br}\n{k2}{c}\n", k=k("工资卡开户行"), b=c[1], br=ch(BANK_BRANCH), k2=k("工资卡号"), c=c[0])
    d.f("{k1}{dep}    {k2}{j}\n{k3}{dd}\n", k1=k("入职部门"), dep=ch(["研发中心", "市场部", "财务部", "供应链管理部", "客户服务部"]),
        k2=k("岗位"), j=ch(JOB_ZH), k3=k("入职日期"), dd=fmt_date_zh(rand_date(2024, 2024)))
    d.f("{k}{n}\n", k=k("工号"), n=f"HX{digits(6)}")
    d.f("\n本人承诺以上信息真实有效。\n员工签字：{n}        日期：{dd}\nHR经办：{h}  分机 {x}", n=name_zh(p),
        dd=fmt_date_zh(rand_date(2024, 2024)), h=name_zh(Person()), x=R.randint(8000, 8999))
    return d, "zh"


def t_hr_table():
    d = Doc()
    if rp(0.45):
        d.f("{c} 2024年{m}月新入职员工名单\n\n", c=ch(COMPANY), m=R.randint(1, 12))
        md = rp(0.5)
        hdr = ["姓名", "性别", "出生日期", "身份证号", "手机号", "开户行", "银行卡号", "部门"]
        if md:
            d.t("| " + " | ".join(hdr) + " |\n|" + "---|" * len(hdr) + "\n")
        else:
            d.t("\t".join(hdr) + "\n")
        for _ in range(R.randint(2, 6)):
            p = Person()
            c = C(style="plain")
            cells = [name_zh(p), "男" if p.gender == "M" else "女", D(p, style=ch(["iso", "slash", "dot", "compact"])),
                     (fmt_rid(p.rid, "plain"), "CN_RESIDENT_ID"), M(p, style="plain"), c[1], c[0],
                     ch(["研发", "销售", "财务", "行政", "仓储"])]
            if rp(0.15):
                cells[6] = mask_card(c[2])
            if md:
                d.t("| ")
            for i, x in enumerate(cells):
                if i:
                    d.t(" | " if md else "\t")
                d.p(*x) if isinstance(x, tuple) else d.t(x)
            d.t(" |\n" if md else "\n")
        d.f("\n制表：{n}  审核：{m}", n=name_zh(Person()), m=name_zh(Person()))
        return d, "zh"
    e = EnPerson(gb=False)
    mgr = EnPerson()
    d.t("NEW HIRE DATA SHEET — CONFIDENTIAL\n")
    rows = [("Legal name", name_en(e.full)), ("Preferred name", name_en(e.first)),
            ("Date of birth", (fmt_date_en(e.dob, ch(["us", "iso", "mdy_long"])), "DATE_OF_BIRTH")),
            ("SSN", (make_ssn(), "US_SSN")), ("Personal email", E(e.email())),
            ("Home address", f"{R.randint(10, 9999)} {FUS.street_name()}, {FUS.city()}, {FUS.state_abbr()} {FUS.zipcode()}"),
            ("Start date", fmt_date_en(rand_date(2024, 2024), "us")), ("Job title", ch(JOB_EN)),
            ("Reports to", name_en(mgr.full)), ("Office", ch(["Shanghai", "Shenzhen", "Remote (US)", "Beijing"]))]
    if rp(0.5):
        rows.append(("China mobile (relocation)", M(style="p86sp")))
        rows.append(("China address", A(rural=False)))
    if rp(0.5):
        rows.append(("Prior employer SSN on file", f"***-**-{digits(4)}"))
    if rp(0.5):
        rows.append(("Direct deposit IBAN (EU payroll)", (fmt_iban(make_iban()), "IBAN")))
    w = max(len(r[0]) for r in rows) + 2
    d.t("+" + "-" * w + "+" + "-" * 44 + "+\n")
    for k_, v in rows:
        d.t("| " + k_.ljust(w - 1) + "| ")
        if isinstance(v, tuple):
            d.p(*v)
            d.t(" " * max(1, 43 - len(v[0])) + "|\n")
        else:
            d.t(v + " " * max(1, 43 - len(v)) + "|\n")
    d.t("+" + "-" * w + "+" + "-" * 44 + "+\n")
    d.f("Form I-9 verified by {n} on {dd}. Employee ID E{i}.", n=name_en(mgr.first), dd=fmt_date_en(rand_date(2024, 2024), "iso"),
        i=digits(6))
    return d, "en"


AIRPORTS = [("PEK", "北京首都", "T3"), ("PKX", "北京大兴", ""), ("SHA", "上海虹桥", "T2"), ("PVG", "上海浦东", "T1"), ("CAN", "广州白云", "T2"),
            ("SZX", "深圳宝安", "T3"), ("CTU", "成都天府", "T1"), ("HGH", "杭州萧山", "T3"), ("XIY", "西安咸阳", "T3"),
            ("LHR", "London Heathrow", "T4"), ("FRA", "Frankfurt", "T1"), ("SIN", "Singapore Changi", "T3")]


def t_flight():
    d = Doc()
    pax = []
    for _ in range(R.randint(1, 4)):
        if rp(0.8):
            p = Person(pinyin=True)
            pax.append((p.py("slash"), p.en_title, p))
        else:
            e = EnPerson()
            pax.append((e.slash(), "MR" if e.gender == "M" else ch(["MS", "MRS"]), e))
    o, de = R.sample(AIRPORTS, 2)
    while o[1][:2] == de[1][:2]:
        o, de = R.sample(AIRPORTS, 2)
    fl = ch(["CA", "MU", "CZ", "HU", "ZH", "3U", "MF"]) + str(R.randint(101, 9899))
    dt = when()
    if rp(0.5):
        d.f("航空运输电子客票行程单\nITINERARY/RECEIPT OF E-TICKET FOR AIR TRANSPORT\n印刷序号 SERIAL NUMBER：{s}\n\n", s=neg_digits(11, "5"))
        p = pax[0][2]
        if isinstance(p, Person):
            d.f("旅客姓名 NAME OF PASSENGER：{n}\n有效身份证件号码 ID.NO.：{i}\n", n=name_zh(p),
                i=(fmt_rid(p.rid), "CN_RESIDENT_ID") if rp(0.6) else (make_passport(), "CN_PASSPORT"))
        else:
            d.f("旅客姓名 NAME OF PASSENGER：{n}\n", n=name_en(pax[0][0]))
        d.f("签注 ENDORSEMENTS：不得签转/变更退票收费\n\n自 FROM {a} {at}  航班 FLIGHT {f}  座位等级 CLASS Y  日期 DATE {dd}  时间 TIME {tm}\n"
            "至 TO {b} {bt}\n\n票价 FARE CNY {fa}  民航发展基金 CN 50.00  燃油附加费 YQ 60.00\n电子客票号码 E-TICKET NO. {tk}\n"
            "验证码 CK. {ck}\n销售单位代号 {ag}    填开日期 {di}\n", a=o[1], at=o[2], f=fl, dd=dt.strftime("%d%b").upper(),
            tm=dt.strftime("%H%M"), b=de[1], bt=de[2], fa=R.randint(300, 3000), tk=f"{R.randint(781, 999)}-{digits(10)}",
            ck=digits(4), ag=f"SZX{digits(3)}", di=rand_date(2024, 2024).isoformat())
        d.f("客服电话：{s}", s=ch(["95583", "95530", "95539", "95339", "4006-100-666"]))
        return d, "mixed"
    pnr = "".join(R.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6))
    d.f("BOOKING CONFIRMATION\nBooking reference (PNR): {p}\nIssued: {t}\n\nPASSENGERS\n", p=pnr, t=ts(style="t"))
    tight = rp(0.25)
    for i, (nm, ti, p) in enumerate(pax, 1):
        d.f(" {i}.", i=i)
        d.t("" if tight else " ")
        d.p(nm, "PERSON_NAME_EN")
        d.t(ti if tight else " " + ti)
        d.t(" " * max(2, 20 - len(nm) - len(ti)))
        d.f("TKT {t}", t=f"{R.randint(781, 999)}-{digits(10)}")
        if isinstance(p, Person) and rp(0.6):
            if rp(0.75):
                d.f("  PP {pp}", pp=(make_passport(), "CN_PASSPORT"))
            else:
                d.f("  NI {i}", i=(p.rid, "CN_RESIDENT_ID"))
            if rp(0.5):
                d.f("  DOB {b}", b=(fmt_date_en(p.dob, ch(["air", "dmon", "iso"])), "DATE_OF_BIRTH"))
        d.t("\n")
    d.f("\nFLIGHT  {f}  {dd}\n  {a} {at} {t1}  →  {b} {bt} {t2}\n  Cabin: Economy (Y)   Seat: {s}   Baggage: 1PC 23KG\n",
        f=fl, dd=dt.strftime("%d%b%y").upper(), a=o[0], at=o[2], t1=dt.strftime("%H:%M"), b=de[0], bt=de[2],
        t2=(dt + datetime.timedelta(minutes=R.randint(70, 700))).strftime("%H:%M"), s=f"{R.randint(11, 60)}{ch('ABCDJK')}")
    lead = pax[0][2]
    d.t("\nCONTACT\n")
    if isinstance(lead, Person):
        d.f("  CTCM {m}\n  CTCE {e}\n", m=M(lead, style=ch(["plain", "p86", "86"])), e=E(lead.email().upper() if rp(0.3) else lead.email()))
    else:
        d.f("  CTCE {e}\n", e=E(lead.email()))
    d.f("  Frequent flyer: {ff}\n\nOnline check-in opens 24h before departure. Hotline {s}.", ff=f"{ch(['CA', 'MU', 'CZ'])} {digits(12)}", s=ch(["95583", "95530", "95539", "4006-100-666"]))
    return d, "en"


def t_hotel_train():
    d = Doc()
    r = R.random()
    if r < 0.4:
        g = Person()
        g2 = Person()
        hotel, hc = ch([("全季酒店(科技园店)", "深圳市"), ("亚朵酒店(西湖文化广场店)", "杭州市"), ("如家精选酒店(虹桥枢纽店)", "上海市"),
                        ("汉庭酒店(春熙路店)", "成都市"), ("维也纳国际酒店(光谷店)", "武汉市"), ("锦江之星(解放碑店)", "重庆市")])
        set_ctx(hc)
        d.f("【预订确认】\n订单号：{o}\n酒店：{h}\n地址：{a}\n前台电话：{l}\n\n入住人：{n}", o=order_no(), h=hotel, a=A(rural=False, prov_p=0.2, bld=False, city=hc),
            l=L(area=CITY_META[hc][0]), n=name_zh(g))
        if rp(0.5):
            d.f("、{n}", n=name_zh(g2))
        ci = rand_date(2024, 2024)
        d.f("\n入住：{ci} 14:00后  离店：{co} 12:00前  共{n}晚\n房型：{rt} × 1\n联系手机：{m}\n", ci=ci.isoformat(),
            co=(ci + datetime.timedelta(days=2)).isoformat(), n=2, rt=ch(["高级大床房", "商务双床房", "豪华套房"]), m=M(g))
        if rp(0.4):
            d.f("发票信息：{co}（税号 {u}）\n", co=ch(COMPANY), u=uscc())
        d.f("到店请出示入住人身份证（{mi}）。如需取消请在入住前一天18:00前操作，客服{s}。", mi=mask_rid(g.rid), s=svc400())
        return d, "zh"
    if r < 0.65:
        e = EnPerson()
        ci = rand_date(2024, 2024)
        hotel, hc, hdom = ch([("Hotel Indigo Shanghai on the Bund", "上海市", "hotelindigo-sh.cn"), ("The Westin Chengdu", "成都市", "westin-cd.cn"),
                              ("Sofitel Guangzhou", "广州市", "sofitel-gz.cn"), ("Hyatt Regency Hangzhou", "杭州市", "hyatt-hz.cn"),
                              ("Pullman Xiamen", "厦门市", "pullman-xm.cn")])
        set_ctx(hc)
        d.f("Reservation Confirmed — Confirmation No. {c}\n\nDear {f},\n\nThank you for choosing {h}. Your stay is confirmed.\n\n"
            "Guest name: {n}\nArrival: {a}    Departure: {b}\nRoom: Deluxe King, non-smoking\nRate: CNY {rt} per night\n\n",
            c=digits(8), f=name_en(e.first), h=hotel, n=name_en(e.full),
            a=fmt_date_en(ci, "dmy"), b=fmt_date_en(ci + datetime.timedelta(days=R.randint(1, 6)), "dmy"), rt=R.randint(600, 2400))
        d.f("Hotel address: {a}\nTel: {l}\nEmail: {e}\n\n", a=A(rural=False, bld=False, city=hc),
            l=L(area=CITY_META[hc][0], style=ch(["p86", "p86dash"])), e=E("reservations@" + hdom))
        d.f("Card guarantee: {mc}\nSpecial requests: late arrival ~23:00\n\nWe look forward to welcoming you.", mc=mask_card(make_card()[0]))
        return d, "en"
    # train (12306 style, some via a travel agent sheet)
    st = ch([("北京南", "上海虹桥"), ("广州南", "长沙南"), ("杭州东", "南京南"), ("成都东", "重庆北"), ("深圳北", "武汉"), ("西安北", "郑州东")])
    tr = ch(["G", "D", "G", "C"]) + str(R.randint(1, 2999))
    dt = when()
    ps = [Person() for _ in range(R.randint(1, 3))]
    if rp(0.5):
        d.f("【铁路12306】订单{o}，", o="E" + digits(9))
        for i, p in enumerate(ps):
            d.f("{s}{n}", s="、" if i else "", n=name_zh(p))
        d.f("您已购{m}月{dd}日{t}次{c}车{s}号，{a}站{h}开。检票口{g}。", m=dt.month, dd=dt.day, t=tr, c=R.randint(1, 16),
            s=f"{R.randint(1, 20)}{ch('ABCDF')}", a=st[0], h=dt.strftime("%H:%M"), g=f"B{R.randint(1, 20)}")
        d.f("乘车人证件：{mi}", mi=mask_rid(ps[0].rid))
        return d, "zh"
    d.f("差旅预订单（{co}）\n出行日期：{dd}    车次：{t}  {a} → {b}  {h}开\n\n序号\t乘车人\t证件类型\t证件号码\t手机\t席别\n",
        co=ch(COMPANY), dd=dt.date().isoformat(), t=tr, a=st[0], b=st[1], h=dt.strftime("%H:%M"))
    for i, p in enumerate(ps, 1):
        if rp(0.8):
            doc = ("身份证", (p.rid, "CN_RESIDENT_ID"))
        else:
            doc = ("护照", (make_passport(), "CN_PASSPORT"))
        d.f("{i}\t{n}\t{k}\t{v}\t{m}\t{s}\n", i=i, n=name_zh(p), k=doc[0], v=doc[1], m=M(p, style="plain"), s=ch(["二等座", "一等座"]))
    d.f("\n经办人：{n}  电话：{l}  差旅平台客服：{s}", n=name_zh(Person()), l=L(), s=ch(["95010", "400-820-6699", "4008-123-123"]))
    return d, "zh"


def t_waybill():
    d = Doc()
    s, r = Person(), Person()
    co, wb, cosvc = ch([("顺丰速运", f"SF{neg_digits(13, '1')}", "95338"), ("中通快递", neg_digits(12, "75"), "95311"),
                        ("京东物流", f"JDVA{digits(11)}", "950616"), ("圆通速递", f"YT{neg_digits(13, '7')}", "95554"),
                        ("极兔速递", f"JT{neg_digits(13, '5')}", "956025"), ("德邦快递", f"DPK{digits(12)}", "95353")])
    privacy = rp(0.3)
    d.f("{c}  {k}\n运单号：{w}\n", c=co, k=ch(["标准快递", "特快", "电商件"]), w=wb)
    if rp(0.5):
        d.f("订单号：{o}\n", o=order_no())
    d.f("寄件时间：{t}\n\n", t=ts())
    d.f("【寄】{n}  {m}\n", n=name_zh(s), m=M(s))
    sa = A()
    if rp(0.25):
        sa = broken(sa)
    d.f("{a}\n", a=sa)
    if privacy:
        d.f("\n【收】{n}  {m}\n{a}***\n", n=mask_name(r), m=mask_mob(r.mob), a=ch(["广东省深圳市南山区", "浙江省杭州市西湖区", "北京市朝阳区", "四川省成都市武侯区"]))
        d.t("（隐私面单，完整信息仅快递员可见）\n")
    else:
        d.f("\n【收】{n}  {m}\n", n=name_zh(r), m=M(r))
        if rp(0.25):
            d.f("备用电话：{l}\n", l=L())
        ra = A()
        if rp(0.25):
            ra = broken(ra)
        d.f("{a}\n", a=ra)
    d.f("\n托寄物：{w}  数量：1  计费重量：{kg}kg\n付款方式：{pay}  月结卡号：{mc}\n声明价值：¥{v}  保价费：¥{f}\n", w=ch(["文件", "服装", "电子产品", "日用品", "食品"]),
        kg=f"{R.randint(1, 30) / 2:.1f}", pay=ch(["寄付月结", "到付", "寄付现结"]), mc=neg_digits(10, "7"), v=R.randint(100, 5000),
        f=R.randint(1, 30))
    cour = Person(gender="M")
    if rp(0.6):
        d.f("收派员：{n}  工号{g}  {m}\n", n=name_zh(cour), g=digits(6), m=M(cour))
    if rp(0.35):
        d.f("揽收定位：{g}\n", g=G(ch(["lonlat", "latlon"])))
    d.f("签收：________  客服热线 {s}  打印时间 {t}", s=cosvc, t=ts())
    return d, "zh"


def t_bank_letter():
    d = Doc()
    r = R.random()
    if r < 0.3:
        p = Person()
        c = C(bins=[b for b in CARD_BINS if b[1] == 16])
        d.f("{b}信用卡中心\n\n尊敬的{n}{t}：\n\n", b=c[1], n=name_zh(p), t=p.title)
        d.f("您申请的{b}信用卡（卡号 {c}）已于{dd}通过EMS寄出，邮件号{w}，寄送地址：\n{a}\n", b=c[1], c=c[0],
            dd=fmt_date_zh(rand_date(2024, 2024)), w=f"1{digits(12)}", a=A())
        d.f("收到后请致电{s}或登录手机银行激活。为保障资金安全，请勿将卡号、有效期及CVV告知他人。\n您原尾号{x}的信用卡将于换卡后30日内停用。\n\n",
            s=BANK_SVC.get(c[1], "95555"), x=digits(4))
        d.f("预留手机：{mm}\n{b}  {dd}", mm=mask_mob(p.mob), b=c[1], dd=fmt_date_zh(rand_date(2024, 2024), "ymd_zh"))
        return d, "zh"
    if r < 0.6:
        h, i, b = Person(y0=1965, y1=1995), Person(y0=1950, y1=2018), Person()
        d.f("{co}\n个人保险投保确认书\n\n保单号：{pn}\n产品名称：{pr}\n\n", co=ch(["中国平安人寿保险股份有限公司", "中国人寿保险股份有限公司", "太平洋人寿保险"]),
            pn=f"P{neg_digits(15, '8')}", pr=ch(["安心百万医疗险（2024版）", "守护者重大疾病保险", "乐享意外伤害保险"]))
        d.f("投保人：{n}    性别：{s}    出生日期：{b}\n证件号码：{i}\n联系电话：{m}    电子邮箱：{e}\n通讯地址：{a}\n\n", n=name_zh(h),
            s="男" if h.gender == "M" else "女", b=D(h), i=(fmt_rid(h.rid), "CN_RESIDENT_ID"), m=M(h), e=E(h.email()), a=A())
        d.f("被保险人：{n}（与投保人关系：{rel}）\n出生日期：{b}    证件号码：{i}\n\n", n=name_zh(i), rel=ch(["本人子女", "配偶", "父母"]), b=D(i),
            i=(fmt_rid(i.rid), "CN_RESIDENT_ID"))
        d.f("身故受益人：{n}  受益比例100%\n", n=name_zh(b))
        c = C()
        d.f("续期扣款账户：{bk} {c}\n\n年交保费：¥{m}    交费期间：{y}年\n犹豫期：15日。客服电话 {s}。", bk=c[1], c=c[0], m=money(),
            y=ch([10, 20, 1]), s=ch(["95511", "95519", "95500"]))
        return d, "zh"
    if r < 0.8:
        zp = Person(pinyin=True)
        ben = EnPerson(gb=True)
        c = C()
        d.f("OUTWARD REMITTANCE ADVICE\nReference: {ref}\nValue date: {vd}\n\nOrdering customer: {zn}\nAccount: {c}\n"
            "Address: {a}\n\nBeneficiary: {bn}\nIBAN: {ib}\nBIC: {bic}\nAmount: EUR {amt}\nPurpose: {pu}\n\n",
            ref=f"FT{neg_digits(12, '24')}", vd=fmt_date_en(rand_date(2024, 2024), "dmy"), zn=name_en(zp.py("SG")), c=c[0],
            a=A(rural=False), bn=name_en(ben.full), ib=(fmt_iban(make_iban()), "IBAN"),
            bic=ch(["DEUTDEFF", "NWBKGB2L", "ABNANL2A", "BNPAFRPP", "UNCRITMM", "BBVAESMM"]), amt=money(),
            pu=ch(["Tuition fees", "Family support", "Invoice INV-" + digits(5)]))
        if rp(0.6):
            d.f("Customer ID (FX purchase): passport {pp}\n", pp=(make_passport(), "CN_PASSPORT"))
        d.f("If you did not authorise this transaction, call {s} immediately. Charges: OUR.", s=BANK_SVC.get(c[1], "95566"))
        return d, "en"
    p = Person()
    c = C()
    d.f("理赔结案通知书\n\n{n}{t}：\n\n您于{dd}报案的{k}（报案号 {rn}）已审核完毕，赔付金额人民币{m}元，将于3个工作日内转入您指定的账户：\n户名：{n2}\n"
        "开户行：{b}{br}\n账号：{c}\n\n", n=name_zh(p), t=p.title, dd=fmt_date_zh(rand_date(2024, 2024)), k=ch(["门诊医疗费用", "车辆损失", "意外医疗"]),
        rn=neg_digits(20, "2024"), m=money(), n2=name_zh(p), b=c[1], br=ch(BANK_BRANCH), c=c[0])
    d.f("如有疑问请联系理赔专员{n}，电话{l}转{x}，或拨打{s}。", n=name_zh(Person()), l=L(style="dash"), x=R.randint(1000, 8999), s=ch(["95511", "95518", "95500"]))
    return d, "zh"


def t_medical():
    d = Doc()
    if rp(0.65):
        p = Person(y0=1940, y1=2020)
        doc = Person()
        h, hc = ch(HOSPITAL_CITY)
        set_ctx(hc)
        dt = when()
        d.f("{h}\n预约挂号凭证\n\n就诊人：{n}    性别：{s}    年龄：{a}岁\n", h=h, n=name_zh(p), s="男" if p.gender == "M" else "女",
            a=2024 - p.dob.year)
        if rp(0.7):
            d.f("出生日期：{b}\n", b=D(p))
        d.f("就诊卡号：{k}\n", k=neg_digits(10, "00"))
        if rp(0.6):
            d.f("身份证号：{i}\n", i=(fmt_rid(p.rid), "CN_RESIDENT_ID"))
        else:
            d.f("证件号：{mi}\n", mi=mask_rid(p.rid))
        d.f("科室：{k}    医生：{dn} {dt}\n就诊时间：{t} {ap}  第{no}号\n就诊地点：门诊楼{f}层{z}区\n联系电话：{m}\n", k=ch(DEPT), dn=name_zh(doc),
            dt=ch(DOC_TITLE), t=dt.date().isoformat(), ap=ch(["上午 08:30-09:00", "下午 14:00-14:30", "上午 10:00-10:30"]),
            no=R.randint(1, 60), f=R.randint(1, 6), z=ch("ABC"), m=M(p))
        if p.dob.year > 2010:
            g = Person(y0=1975, y1=1992)
            d.f("监护人：{n}  {m}\n", n=name_zh(g), m=M(g))
        d.f("\n病情摘要：{x}\n温馨提示：请提前30分钟到{d}取号，医院地址{a}。咨询电话{l}。", x=ch(["反复胸闷两周", "皮疹伴瘙痒", "复诊，血糖控制评估", "右膝疼痛"]),
            d=ch(["自助机", "一楼大厅"]), a=A(rural=False, bld=False, city=hc), l=L(area=CITY_META[hc][0]))
        return d, "zh"
    e = EnPerson()
    doc = EnPerson() if rp(0.5) else Person(pinyin=True)
    dn = doc.full if isinstance(doc, EnPerson) else doc.py("gs")
    d.f("APPOINTMENT NOTE — International Medical Center\n\nPatient: {n}\nDOB: {b}\nMRN: {mrn}\n", n=name_en(e.full),
        b=(fmt_date_en(e.dob, ch(["gb", "iso", "dmon", "mdy_long"])), "DATE_OF_BIRTH"), mrn=digits(8))
    d.f("Contact: {m} / {em}\nInsurer: {ins} (member no. {mn})\n\n", m=M(style=ch(["p86sp", "plain", "sp344"])), em=E(e.email()),
        ins=ch(["Cigna Global", "Bupa", "AXA"]), mn=f"{ch('ABCUX')}{digits(9)}")
    if rp(0.4):
        d.f("Subscriber (US plan): {n}, SSN {s}\n\n", n=name_en(EnPerson(gb=False).full), s=(make_ssn(), "US_SSN"))
    d.f("Seen by Dr. {d} ({sp}) on {dd} at {tm}.\nReason: {r}\nPlan: {pl}\n", d=name_en(dn), sp=ch(["Dermatology", "Family Medicine", "ENT", "Orthopaedics"]),
        dd=fmt_date_en(rand_date(2024, 2024), "dmy"), tm=ch(["09:30", "14:15", "16:00"]), r=ch(["Persistent cough, 3 weeks", "Follow-up after sprain", "Annual check-up", "Skin rash"]),
        pl=ch(["Chest X-ray; review in 1 week.", "Physio x6 sessions.", "Bloods (FBC, HbA1c); results by e-mail.", "Topical steroid; review in 2 weeks."]))
    if rp(0.5):
        d.f("Next of kin: {n} ({rel}), {m}\n", n=name_en(EnPerson().full), rel=ch(["spouse", "mother", "partner"]), m=M(style="p86sp"))
    d.f("\nClinic: {a} (Tel {l}). Please bring your passport and insurance card.", a=A(rural=False, prov_p=0.1), l=L(style=ch(["p86", "brk", "dash"])))
    return d, "en"


def t_csv():
    d = Doc()
    tsv = rp(0.4)
    sep = "\t" if tsv else ","
    kind = ch(["crm", "delivery", "members", "payroll"])
    if kind == "crm":
        hdr = ["id", "name", "mobile", "email", "city", "created_at", "source"]
    elif kind == "delivery":
        hdr = ["order_id", "receiver", "phone", "address", "status", "updated"]
    elif kind == "members":
        hdr = ["member_no", "姓名", "证件号", "出生日期", "手机", "车牌", "积分"]
    else:
        hdr = ["emp_no", "name_cn", "name_en", "id_card", "bank_card", "net_pay"]
    d.t(sep.join(hdr) + "\n")
    for i in range(R.randint(3, 8)):
        p = Person(pinyin=(kind == "payroll"))
        if kind == "crm":
            row = [str(10230 + i), name_zh(p) if rp(0.7) or not p.sur_py else name_en(p.py("sg")),
                   M(p, style=ch(["plain", "plain", "p86"])) if rp(0.85) else mask_mob(p.mob), E(p.email()),
                   ch(["上海", "北京", "深圳", "杭州", "成都"]), ts(), ch(["web", "app", "mini-program", "offline"])]
        elif kind == "delivery":
            a = A()
            row = [order_no(), name_zh(p), M(p, style="plain"), a, ch(["已签收", "派送中", "已揽收"]), ts(style="t")]
        elif kind == "members":
            row = [f"VIP{digits(7)}", name_zh(p), (p.rid, "CN_RESIDENT_ID") if rp(0.8) else mask_rid(p.rid),
                   D(p, style=ch(["iso", "slash", "compact"])), M(p, style="plain"), P(sep="") if rp(0.6) else "",
                   str(R.randint(0, 99999))]
        else:
            c = make_card()[0]
            row = [f"E{digits(5)}", name_zh(p), name_en(p.py("SG")), (p.rid, "CN_RESIDENT_ID"), (c, "BANK_CARD"), money()]
        for j, x in enumerate(row):
            if j:
                d.t(sep)
            v = x[0] if isinstance(x, tuple) else x
            quote = (not tsv) and ("," in v)
            if quote:
                d.t('"')
            d.p(*x) if isinstance(x, tuple) else d.t(x)
            if quote:
                d.t('"')
        d.t("\n")
    return d, "zh" if kind in ("members", "delivery") else "mixed"


def emit_json(d, obj, indent, level=0):
    sp = " " * (indent * (level + 1)) if indent else ""
    nl = "\n" if indent else ""
    if isinstance(obj, dict):
        d.t("{" + nl)
        items = list(obj.items())
        for i, (k, v) in enumerate(items):
            d.t(sp + json.dumps(k, ensure_ascii=False) + ": ")
            emit_json(d, v, indent, level + 1)
            d.t(("," if i < len(items) - 1 else "") + (nl if indent else (" " if i < len(items) - 1 else "")))
        d.t((" " * (indent * level) if indent else "") + "}")
    elif isinstance(obj, list):
        d.t("[")
        for i, v in enumerate(obj):
            if i:
                d.t(", ")
            emit_json(d, v, indent, level + 1)
        d.t("]")
    elif isinstance(obj, tuple):
        enc = json.dumps(obj[0], ensure_ascii=False)
        assert enc == '"' + obj[0] + '"'
        d.t('"')
        d.p(*obj)
        d.t('"')
    else:
        d.t(json.dumps(obj, ensure_ascii=False))


def t_json_yaml():
    d = Doc()
    fmt = ch(["json", "json", "yaml", "kv"])
    if fmt == "kv":
        for _ in range(R.randint(3, 7)):
            p = Person()
            t = when()
            d.f("{t} level={lv} svc={s} msg=\"{m}\" ", t=t.strftime("%Y-%m-%dT%H:%M:%S.") + digits(3) + "+08:00",
                lv=ch(["info", "warn", "info", "error"]), s=ch(["order-api", "auth", "delivery-svc", "user-center"]),
                m=ch(["login ok", "sms sent", "address updated", "payment failed", "profile viewed"]))
            ch([lambda: d.f("uid={u} phone={m} ip={ip}", u=digits(8), m=M(p, style=ch(["plain", "p86"])), ip=IP()),
                lambda: d.f("uid={u} client_ip={ip} ua=\"okhttp/4.9.3\" ver={v}", u=digits(8), ip=IP(), v=version()),
                lambda: d.f("order_id={o} receiver=\"{n}\" addr=\"{a}\"", o=order_no(), n=name_zh(p), a=A()),
                lambda: d.f("user={e} ip={ip} mfa=false", e=E(p.email()), ip=IP()),
                lambda: d.f("to={mm} template=SMS_{t} code=******", mm=mask_mob(p.mob), t=digits(8)),
                lambda: d.f("driver=\"{n}\" plate={pl} loc=\"{g}\"", n=name_zh(p), pl=P(sep=""), g=G(ch(["latlon_ns", "lonlat"])))])()
            d.f(" trace_id={h}\n", h=hexid())
        return d, "mixed"
    p = Person(pinyin=rp(0.5))
    rec = {"id": uuid(), "created_at": ts(style="t"), "customer": {}}
    cu = rec["customer"]
    cu["name"] = name_zh(p)
    if p.sur_py and rp(0.5):
        cu["name_en"] = name_en(p.py("sg"))
    cu["mobile"] = M(p, style=ch(["plain", "p86", "p86sp", "sp344"]))
    if rp(0.6):
        cu["id_no"] = (p.rid, "CN_RESIDENT_ID")
        cu["birthday"] = D(p, style="iso")
    cu["email"] = E(p.email())
    cu["vip_level"] = R.randint(0, 5)
    if rp(0.7):
        rec["shipping"] = {"contact": name_zh(Person()), "phone": M(style="plain"), "address": A(), "zip": digits(6)}
    if rp(0.5):
        rec["device"] = {"ip": IP(), "app_version": version(), "imei_masked": f"86{digits(4)}*******{digits(2)}"}
    if rp(0.4):
        rec["vehicle"] = {"plate": P(), "gps": G(ch(["latlon", "lonlat", "latlon_ns"]))}
    if rp(0.4):
        c = make_card()[0]
        rec["payment"] = {"card": (c, "BANK_CARD") if rp(0.6) else mask_card(c), "amount": float(money())}
    rec["order_no"] = order_no()
    if fmt == "json":
        emit_json(d, rec, ch([2, 4, 0]))
        return d, "mixed"

    def ya(obj, level):
        for k, v in obj.items():
            d.t("  " * level + k + ":")
            if isinstance(v, dict):
                d.t("\n")
                ya(v, level + 1)
            else:
                d.t(" ")
                q = rp(0.4)
                if isinstance(v, tuple):
                    d.t('"' if q else "")
                    d.p(*v)
                    d.t('"' if q else "")
                else:
                    d.t(f'"{v}"' if isinstance(v, str) and (q or ":" in v) else str(v))
                d.t("\n")

    d.t("# exported record\n")
    ya(rec, 0)
    return d, "mixed"


def t_ocr_idcard():
    d = Doc()
    p = Person()
    kind = ch(["id", "id", "id", "dl", "vl"])
    if kind == "id":
        sp = rp(0.4)
        n = name_zh(p) if not sp or len(p.zh) != 2 else (p.zh[0] + " " + p.zh[1], "PERSON_NAME_ZH")
        d.t(ch(["中华人民共和国\n居民身份证\n", "", "居民身份证 正面\n"]))
        d.f("姓{s}名 {n}\n性别 {g}  民族 {m}\n", s=" " if sp else "", n=n, g="男" if p.gender == "M" else "女", m=ch(["汉", "汉", "壮", "回"]))
        b = p.dob
        d.f("出生 {b}\n", b=(ch([f"{b.year} 年 {b.month} 月 {b.day} 日", f"{b.year}年{b.month}月{b.day}日", f"{b.year}年 {b.month}月 {b.day}日"]), "DATE_OF_BIRTH"))
        a = A(rural=rp(0.4), prov_p=0.9, city_p=1.0)
        if len(a[0]) > 11:
            a = broken(a, odd=True)
        d.f("住址 {a}\n", a=a)
        idv = ch([p.rid, fmt_rid(p.rid, "sp"), " ".join([p.rid[:6], p.rid[6:14], p.rid[14:]])])
        d.f("{lbl}{i}\n", lbl=ch(["公民身份号码 ", "公民身份号码\n", "公民身份号码  "]), i=(idv, "CN_RESIDENT_ID"))
        if rp(0.5):
            y = R.randint(2012, 2022)
            d.f("\n签发机关 {c}公安局{d}分局\n有效期限 {y}.{m:02d}.{dd:02d}-{y2}.{m:02d}.{dd:02d}", c=ch(["杭州市", "深圳市", "成都市", "郑州市"]),
                d=ch(["西湖", "南山", "武侯", "金水"]), y=y, m=R.randint(1, 12), dd=R.randint(1, 28), y2=y + ch([10, 20]))
        return d, "zh"
    if kind == "dl":
        d.f("中华人民共和国机动车驾驶证\nDriving License of the People's Republic of China\n证号 {i}\n姓名 {n}  性别 {g}  国籍 中国\n",
            i=(p.rid, "CN_RESIDENT_ID"), n=name_zh(p), g="男" if p.gender == "M" else "女")
        a = A(prov_p=0.8)
        if rp(0.5):
            a = broken(a, odd=True)
        d.f("住址 {a}\n出生日期 {b}\n初次领证日期 {f}\n准驾车型 {c}\n有效期限 {v}", a=a, b=D(p, style="iso"),
            f=rand_date(2005, 2020).isoformat(), c=ch(["C1", "C2", "A2", "B2"]), v=f"{R.randint(2016, 2022)}-0{R.randint(1, 9)}-1{R.randint(0, 9)}至长期")
        return d, "zh"
    d.f("中华人民共和国机动车行驶证\n号牌号码 {pl}  车辆类型 小型轿车\n所有人 {n}\n", pl=P(sep=ch(["", "·"])), n=name_zh(p))
    a = A(rural=False)
    if rp(0.5):
        a = broken(a, odd=True)
    d.f("住址 {a}\n使用性质 非营运  品牌型号 {b}\n车辆识别代号 LSV{v}\n发动机号码 {e}\n注册日期 {r}  发证日期 {r}",
        a=a, b=ch(["大众汽车牌SVW71612GM", "比亚迪牌BYD7005BEVA", "丰田牌GTM7200E"]), v="".join(R.choice("ABCDEFGHJKLMNPRSTUVWXYZ0123456789") for _ in range(14)),
        e=f"{digits(2)}{ch('ABCDEFG')}{digits(5)}", r=rand_date(2015, 2023).isoformat())
    return d, "zh"


def t_ocr_bizcard():
    d = Doc()
    p = Person(pinyin=rp(0.7))
    co, coen, dom, cc_ = ch(CO_PAIRS)
    set_ctx(cc_)
    d.f("{c}\n", c=co)
    if rp(0.5):
        d.f("{c}\n", c=coen.upper())
    if len(p.zh) == 2 and rp(0.4):
        d.p(p.zh[0] + ch([" ", "  ", "\u3000"]) + p.zh[1], "PERSON_NAME_ZH")
    else:
        d.p(p.zh, "PERSON_NAME_ZH")
    d.t(ch(["\n", "  ", " | "]))
    if p.sur_py and rp(0.8):
        d.p(p.py(ch(["sg", "gs", "nick", "SG"])), "PERSON_NAME_EN")
        d.t("\n")
    jz, je = ch(JOBS)
    d.f("{j}{sep}{je}\n", j=jz, sep=ch([" ", "\n"]), je=je)
    lab = ch([("M", "T", "E", "A"), ("手机", "电话", "邮箱", "地址"), ("Mob", "Tel", "Email", "Add")])
    d.f("{l} {m}\n", l=lab[0], m=M(p, style=ch(["plain", "sp344", "dash344", "p86sp", "sp434"])))
    if rp(0.8):
        d.f("{l} {t}", l=lab[1], t=L(style=ch(["dash", "brk", "dashsp", "p86"])))
        if rp(0.4):
            d.f(ch([" 转{x}", " ext.{x}"]), x=R.randint(801, 899))
        d.t("\n")
    if rp(0.4):
        d.f("F {t}\n", t=L(style="dash"))
    d.f("{l} {e}\n", l=lab[2], e=E(p.email(domain=dom)))
    a = A(rural=False, prov_p=0.3)
    if rp(0.6):
        a = broken(a, odd=rp(0.5))
    d.f("{l} {a}\n", l=lab[3], a=a)
    d.f("www.{dom}", dom=dom)
    if rp(0.3):
        d.f("\n全国服务热线 {s}", s=svc400())
    return d, "mixed" if any(s[2] == "PERSON_NAME_EN" for s in d.spans) else "zh"


def t_sms():
    d = Doc()
    p = Person()
    base = when()
    t = base
    for i in range(R.randint(3, 6)):
        t = t + datetime.timedelta(minutes=R.randint(20, 1800))
        d.f("{t}  ", t=ts(t))
        k = R.random()
        if k < 0.12:
            bk = ch(["中国工商银行", "中国建设银行", "招商银行", "中国银行", "交通银行"])
            d.f("[{s}] 【{b}】您尾号{x}的储蓄卡{m}月{dd}日{h}消费人民币{a}元，余额{r}元。", s=BANK_SVC[bk],
                b=bk.replace("中国", "") if "工商" in bk or "建设" in bk else bk, x=digits(4), m=t.month, dd=t.day, h=t.strftime("%H:%M"), a=money(), r=money())
        elif k < 0.24:
            cour = Person(gender="M")
            d.f("[1069{n}] 【{c}】您的快递{w}已到{loc}，取件码{code}。快递员{cn} {m}", n=digits(8), c=ch(["菜鸟驿站", "丰巢", "顺丰速运"]),
                w=waybill(), loc=ch(["小区东门驿站", "3号快递柜", "物业前台"]), code=f"{R.randint(1, 9)}-{R.randint(1, 9)}-{digits(4)}",
                cn=name_zh(cour), m=M(cour))
        elif k < 0.36:
            dr = Person(gender="M")
            d.f("[1069{n}] 【{app}】司机{dn}已接单，车牌{pl}，{car}，电话{m}，预计{x}分钟到达。", n=digits(8), app=ch(["滴滴出行", "高德打车", "T3出行"]),
                dn=name_zh(dr), pl=P(), car=ch(["白色比亚迪秦", "黑色大众帕萨特", "银色丰田卡罗拉"]), m=M(dr) if rp(0.6) else mask_mob(dr.mob),
                x=R.randint(2, 9))
        elif k < 0.46:
            d.f("[12306] 【铁路客服】订单E{o}，{n}您已购{m}月{dd}日G{t}次{c}车{s}号，检票口B{g}。", o=digits(9), n=name_zh(p), m=t.month,
                dd=t.day, t=R.randint(1, 2000), c=R.randint(1, 16), s=f"{R.randint(1, 20)}{ch('ABCDF')}", g=R.randint(1, 20))
        elif k < 0.56:
            d.f("[{s}] 【{h}】{n}您好，您已成功预约{dd}{dp}门诊，就诊号{no}，请携带身份证按时就诊。", s="1069" + digits(8), h=ch(HOSPITAL),
                n=name_zh(p), dd=f"{t.month}月{t.day}日", dp=ch(DEPT), no=R.randint(1, 60))
        elif k < 0.66:
            d.f("[106{n}] 【{app}】验证码{c}，5分钟内有效。如非本人操作请忽略。", n=digits(8), app=ch(["支付宝", "美团", "京东"]), c=digits(6))
        elif k < 0.74:
            d.f("[10086] 尊敬的客户，您{m}月话费账单{a}元。退订回T", m=t.month, a=f"{R.randint(18, 260)}.{R.randint(0, 99):02d}")
        elif k < 0.84:
            o = Person()
            d.f("[{m}] 我是{n}，这是我新号码，存一下。原来{old}不用了", m=M(o, style="plain"), n=name_zh(o), old=mask_mob(mobile_digits()))
        elif k < 0.92:
            o = Person()
            c = C()
            d.f("[{m}] 房东：{n}{t}，房租请转到{b} {c}，{n2}。地址{a}的门锁密码下周换。", m=M(o, style="plain"), n=name_zh(p), t=p.title,
                b=c[1], c=c[0], n2=name_zh(o), a=A(rural=False))
        else:
            d.f("[{s}] 【物业】{a}业主您好，本周六停水8:00-14:00，咨询{l}。", s="1069" + digits(8), a=A(rural=False), l=L())
        d.t("\n")
    return d, "zh"


def t_nopii_release():
    d = Doc()
    prod = ch(["Custodia Sync", "Aurora CLI", "ledgerline", "北极星数据网关", "Pika Router", "河图调度器"])
    v = [R.randint(1, 9), R.randint(0, 30), R.randint(0, 20)]
    d.f("# {p} {a}.{b}.{c} release notes\n\nReleased {dt}. Build {h}.\n\n## Highlights\n", p=prod, a=v[0], b=v[1], c=v[2],
        dt=rand_date(2024, 2024).isoformat(), h=hexid(12))
    items = ["Upgraded OpenSSL to 3.0.{x}; TLS 1.0/1.1 disabled by default.", "New `--dry-run` flag for `sync push`.",
             "Fixed a crash when the config path contains spaces (#{x}).", "Default listen port is now 8080 (was 8000).",
             "Windows builds are signed; minimum supported version is 10.0.17763.",
             "Order ids longer than 18 digits (e.g. {o}) are now stored as strings.", "Timestamps use RFC 3339, e.g. {t}.",
             "批量导入性能提升约 {x}%。", "修复：时区为 UTC+8 时日报统计偏差一天的问题。", "Deprecated: API v{y}.{z} endpoints will be removed in 2025-Q2.",
             "Docker image: ghcr.io/example/{pp}:{a}.{b}.{c}", "Checksums (sha256): {h}", "Support for IPv6 link-local peers.",
             "Internal version bump: schema 4.{z}.{y}.{z}"]
    for it in R.sample(items, R.randint(5, 8)):
        d.f("- " + it + "\n", x=R.randint(2, 19) if "OpenSSL" in it else R.randint(100, 4000), o=order_no(), t=ts(style="t"),
            y=R.randint(1, 3), z=R.randint(0, 9), pp=prod.lower().replace(" ", "-"), a=v[0], b=v[1], c=v[2], h=hexid(64))
    d.f("\n## Upgrade\nRun `pip install -U {p}=={a}.{b}.{c}`. Support: {s} or https://support.example.com.", p=prod.lower().replace(" ", "-"), a=v[0], b=v[1], c=v[2], s=svc400())
    return d, "en"


def t_nopii_menu():
    d = Doc()
    shop = ch(["川味小馆", "老北京炸酱面", "港式茶餐厅", "江南小厨", "Blue Door Bistro"])
    d.f("{s} · 菜单 MENU\n营业时间 10:30-14:00 / 17:00-21:30\n\n", s=shop)
    secs = {"招牌菜": ["宫保鸡丁", "麻婆豆腐", "水煮鱼", "东坡肉", "西湖醋鱼", "北京烤鸭(半只)", "白切鸡", "蒜蓉粉丝蒸扇贝"],
            "主食": ["扬州炒饭", "担担面", "炸酱面", "葱油拌面", "牛肉米粉"],
            "饮品": ["柠檬茶", "港式奶茶", "酸梅汤", "Americano", "Flat White"]}
    for k, items in secs.items():
        d.f("【{k}】\n", k=k)
        for it in R.sample(items, R.randint(2, len(items))):
            d.f("  {i} {dots} ¥{p}\n", i=it, dots="." * R.randint(3, 12), p=R.randint(8, 168))
    d.f("\n套餐编号 A{a}/B{b}，会员日每周三8.8折。外卖热线 {s}\n桌号 {t} · 人数 __  服务员 ____\n", a=digits(3), b=digits(3), s=svc400(),
        t=R.randint(1, 40))
    d.f("WiFi: {s}_Guest  密码 {p}", s=shop[:2], p=digits(8))
    return d, "zh"


def t_nopii_product():
    d = Doc()
    prod = ch(["X9 Pro 无线降噪耳机", "云睿 AX3000 路由器", "QuietAir 空气净化器 P5", "星驰 T8 电动牙刷", "極光 27英寸 4K 显示器"])
    d.f("{p}\n型号：{m}    SKU：{s}\n价格：¥{pr}（限时优惠，原价¥{op}）\n\n产品参数\n", p=prod, m=f"{ch(['HX', 'YR', 'QA', 'XC'])}-{digits(4)}",
        s=neg_digits(13, "69"), pr=R.randint(199, 3999), op=R.randint(4000, 6999))
    specs = ["尺寸：{a} × {b} × {c} mm", "重量：{w} g", "电池容量：{mah} mAh", "Wi-Fi 6 (802.11ax)，双频并发",
             "固件版本：{v}", "执行标准：GB 4706.1-2005", "产地：广东东莞", "保修：整机 {y} 年", "蓝牙 5.3，续航 {h} 小时",
             "3C 认证编号：{cc}", "工作温度：-10℃ ~ 45℃"]
    for s_ in R.sample(specs, R.randint(5, 8)):
        d.f("· " + s_ + "\n", a=R.randint(50, 600), b=R.randint(50, 400), c=R.randint(10, 200), w=R.randint(40, 5000),
            mah=R.randint(300, 6000), v=version(), y=R.randint(1, 3), h=R.randint(6, 60), cc=neg_digits(16, "2024"))
    d.f("\n包装清单：主机 ×1、说明书 ×1、Type-C 数据线 ×1\n售后服务热线：{s}（工作日 9:00-18:00）\n生产商：{co}\n", s=svc400(), co=ch(COMPANY))
    d.t(ch(["\n用户评价（4.8分）：音质很好，物流很快。", "\n已售 2.3万+ · 好评率 98%", ""]))
    return d, "zh"


def t_nopii_timetable():
    d = Doc()
    if rp(0.5):
        line = ch(["京沪高铁", "沪昆高铁", "广深港高铁", "成渝高铁"])
        d.f("{l} 列车时刻表（{dt}起执行）\n\n车次\t始发站\t终到站\t开车\t到达\t历时\n", l=line, dt=rand_date(2024, 2024).isoformat())
        sts = ["北京南", "上海虹桥", "南京南", "杭州东", "广州南", "深圳北", "成都东", "重庆北", "长沙南", "武汉"]
        for _ in range(R.randint(5, 10)):
            a, b = R.sample(sts, 2)
            h1 = R.randint(6, 20)
            dur = R.randint(60, 330)
            d.f("{c}\t{a}\t{b}\t{h1:02d}:{m1:02d}\t{h2:02d}:{m2:02d}\t{dh}:{dm:02d}\n", c=ch("GDC") + str(R.randint(1, 2999)), a=a, b=b, h1=h1,
                m1=R.randint(0, 59), h2=(h1 + dur // 60) % 24, m2=R.randint(0, 59), dh=dur // 60, dm=dur % 60)
        d.f("\n以上信息仅供参考，请以车站公告为准。铁路客服 {s}", s="12306")
        return d, "zh"
    d.f("Route {r} — Weekday timetable (valid from {dt})\n\nStop                     ", r=R.randint(1, 99), dt=fmt_date_en(rand_date(2024, 2024), "dmy"))
    stops = R.sample(["Central Station", "Harbour Road", "City Hall", "Science Park", "Airport T2", "West Gate", "University",
                      "Riverside", "Exhibition Centre", "North Terminal"], R.randint(4, 7))
    runs = [R.randint(300, 1300) for _ in range(R.randint(3, 6))]
    runs.sort()
    d.t("  ".join(f"{m // 60:02d}:{m % 60:02d}" for m in runs) + "\n")
    for i, s in enumerate(stops):
        d.t(s.ljust(25) + "  ".join(f"{(m + i * 7) // 60 % 24:02d}:{(m + i * 7) % 60:02d}" for m in runs) + "\n")
    d.f("\nFares: adult 2.00, concession 1.00. Lost property: call {s}. Timetable ref TT-{n}/v{v}.", s=ch(["12345", "96900", "400-820-3000"]), n=digits(6), v=f"{R.randint(1, 9)}.{R.randint(0, 9)}")
    return d, "en"


TEMPLATES = [
    ("f_wechat_group", t_wechat, 28), ("f_cs_ticket_zh", t_cs_ticket_zh, 20), ("f_cs_ticket_en", t_cs_ticket_en, 12),
    ("f_email_thread", t_email, 25), ("f_minutes_zh", t_minutes_zh, 15), ("f_minutes_en", t_minutes_en, 12),
    ("f_incident_zh", t_incident_zh, 15), ("f_incident_it_en", t_incident_it_en, 12), ("f_hr_form_zh", t_hr_kv_zh, 18),
    ("f_hr_table", t_hr_table, 18), ("f_flight_booking", t_flight, 18), ("f_hotel_train", t_hotel_train, 18),
    ("f_waybill", t_waybill, 20), ("f_bank_insurance", t_bank_letter, 22), ("f_medical_appt", t_medical, 18),
    ("f_csv_export", t_csv, 16), ("f_json_yaml_log", t_json_yaml, 18), ("f_ocr_id", t_ocr_idcard, 18),
    ("f_ocr_bizcard", t_ocr_bizcard, 16), ("f_sms", t_sms, 22), ("f_nopii_release", t_nopii_release, 10),
    ("f_nopii_menu", t_nopii_menu, 10), ("f_nopii_product", t_nopii_product, 10), ("f_nopii_timetable", t_nopii_timetable, 10),
]


# --------------------------------------------------------------------------------------------
# validation

def check_value(typ, v):
    """Independent re-validation of labelled identifiers."""
    c = v.replace(" ", "").replace("-", "").translate(str.maketrans("０１２３４５６７８９－", "0123456789-")).replace("－", "")
    if typ == "CN_RESIDENT_ID":
        assert ric.is_valid(c.upper()), v
    elif typ == "BANK_CARD":
        assert luhn.is_valid(c) and 16 <= len(c) <= 19, v
    elif typ == "IBAN":
        assert std_iban.is_valid(c), v
    elif typ == "US_SSN":
        assert std_ssn.is_valid(v), v
    elif typ == "CN_MOBILE":
        c2 = c.replace("(", "").replace(")", "").replace("+", "")
        for pre in ("0086", "86"):
            if len(c2) > 11 and c2.startswith(pre):
                c2 = c2[len(pre):]
        assert len(c2) == 11 and c2[:3] in MOB_PREFIX, v
    elif typ == "CN_PASSPORT":
        assert len(v) == 9 and v[0] in "EG", v
    elif typ == "EMAIL":
        assert v.count("@") == 1 and "." in v.split("@")[1], v
    elif typ == "IP_ADDRESS":
        import ipaddress
        ipaddress.ip_address(v)


def build():
    docs = []
    for tpl, fn, n in TEMPLATES:
        for i in range(n):
            set_ctx()
            d, lang = fn()
            text = d.text()
            spans = []
            last = 0
            for s, e, typ, val in d.spans:
                assert text[s:e] == val, (tpl, s, e, val)
                assert s >= last, (tpl, "overlap", val)
                last = e
                check_value(typ, val)
                spans.append({"start": s, "end": e, "bstart": len(text[:s].encode("utf-8")),
                              "bend": len(text[:e].encode("utf-8")), "type": typ})
                assert text.encode("utf-8")[spans[-1]["bstart"]:spans[-1]["bend"]].decode("utf-8") == val
            if tpl.startswith("f_nopii"):
                assert not spans, tpl
            docs.append({"template": tpl, "lang": lang, "text": text, "spans": spans})
    R.shuffle(docs)
    out = []
    for i, doc in enumerate(docs):
        out.append({"id": f"fresh-{i:04d}", **doc})
    return out


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: gen-fresh-corpus.py OUT.jsonl")
    docs = build()
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    n = sum(len(d["spans"]) for d in docs)
    print(f"wrote {len(docs)} documents, {n} spans to {sys.argv[1]}", file=sys.stderr)


if __name__ == "__main__":
    main()
