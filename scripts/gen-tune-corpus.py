#!/usr/bin/env python3
"""Generate the PI *tuning* corpus (testdata/pii-tune.jsonl).

    python3 scripts/gen-tune-corpus.py > testdata/pii-tune.jsonl

Deterministic (fixed seed).  Written independently of the other corpus
generators; its errors are meant to be studied freely while tuning the
detector.  Emphasis: person names (Chinese, English, pinyin) in many
contexts, Chinese addresses (urban, village-level, traditional script,
Hong Kong / Taiwan layouts), and hard negatives around them.

Format and labelling conventions: ../shared/corpus/README.md (the dev corpus's README)
  {"id", "template", "lang", "text", "spans": [{start, end, bstart, bend, type}]}
start/end are code-point offsets, bstart/bend UTF-8 byte offsets; spans are
sorted and never overlap.

Templates are written with inline markers: L(value, TYPE) wraps a labelled
value in control characters; finish() strips them and records the offsets.
"""
import datetime
import json
import random
import re
import sys

from faker import Faker
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.cn import ric

SEED = 20240617
N_DOCS = 500

rng = random.Random(SEED)
Faker.seed(SEED)
fzh = Faker("zh_CN")
fen = Faker("en_US")

TYPES = {"CN_RESIDENT_ID", "CN_MOBILE", "CN_LANDLINE", "BANK_CARD", "EMAIL", "CN_PASSPORT", "CN_LICENSE_PLATE",
         "PERSON_NAME_ZH", "PERSON_NAME_EN", "ADDRESS_ZH", "IP_ADDRESS", "GPS_COORDINATE", "US_SSN", "IBAN",
         "DATE_OF_BIRTH"}

# --------------------------------------------------------------------------------------------
# markup


def L(value, typ):
    assert typ in TYPES, typ
    value = str(value)
    assert value == value.strip() and value, repr(value)
    return f"\x01{typ}\x02{value}\x03"


def finish(marked):
    text, spans = [], []
    pos = 0
    for m in re.finditer(r"\x01([A-Z_]+)\x02([^\x01\x02\x03]*)\x03|([^\x01\x02\x03]+)", marked):
        if m.group(3) is not None:
            text.append(m.group(3))
            pos += len(m.group(3))
        else:
            v = m.group(2)
            spans.append((pos, pos + len(v), m.group(1)))
            text.append(v)
            pos += len(v)
    t = "".join(text)
    assert "\\u000" not in t, t
    assert "\x01" not in t and "\x02" not in t and "\x03" not in t
    out = []
    for s, e, typ in sorted(spans):
        out.append({"start": s, "end": e, "bstart": len(t[:s].encode("utf-8")),
                    "bend": len(t[:e].encode("utf-8")), "type": typ})
    for a, b in zip(out, out[1:]):
        assert a["end"] <= b["start"], (a, b, t)
    return t, out


def jdump(obj):
    """json.dumps that keeps the L() markers intact (json would escape the control characters)."""
    return (json.dumps(obj, ensure_ascii=False)
            .replace("\\u0001", "\x01").replace("\\u0002", "\x02").replace("\\u0003", "\x03"))


def pick(seq):
    return rng.choice(seq)


def chance(p):
    return rng.random() < p


# --------------------------------------------------------------------------------------------
# Chinese names

SURNAMES = [("王", "Wang"), ("李", "Li"), ("张", "Zhang"), ("刘", "Liu"), ("陈", "Chen"), ("杨", "Yang"),
            ("黄", "Huang"), ("赵", "Zhao"), ("吴", "Wu"), ("周", "Zhou"), ("徐", "Xu"), ("孙", "Sun"),
            ("马", "Ma"), ("朱", "Zhu"), ("胡", "Hu"), ("郭", "Guo"), ("何", "He"), ("高", "Gao"), ("林", "Lin"),
            ("罗", "Luo"), ("郑", "Zheng"), ("梁", "Liang"), ("谢", "Xie"), ("宋", "Song"), ("唐", "Tang"),
            ("许", "Xu"), ("韩", "Han"), ("冯", "Feng"), ("邓", "Deng"), ("曹", "Cao"), ("彭", "Peng"),
            ("曾", "Zeng"), ("肖", "Xiao"), ("田", "Tian"), ("董", "Dong"), ("袁", "Yuan"), ("潘", "Pan"),
            ("于", "Yu"), ("蒋", "Jiang"), ("蔡", "Cai"), ("余", "Yu"), ("杜", "Du"), ("叶", "Ye"), ("程", "Cheng"),
            ("苏", "Su"), ("魏", "Wei"), ("吕", "Lyu"), ("丁", "Ding"), ("任", "Ren"), ("沈", "Shen"), ("姚", "Yao"),
            ("卢", "Lu"), ("姜", "Jiang"), ("崔", "Cui"), ("钟", "Zhong"), ("谭", "Tan"), ("陆", "Lu"),
            ("汪", "Wang"), ("范", "Fan"), ("金", "Jin"), ("石", "Shi"), ("廖", "Liao"), ("贾", "Jia"),
            ("夏", "Xia"), ("韦", "Wei"), ("付", "Fu"), ("方", "Fang"), ("白", "Bai"), ("邹", "Zou"),
            ("孟", "Meng"), ("熊", "Xiong"), ("秦", "Qin"), ("邱", "Qiu"), ("江", "Jiang"), ("尹", "Yin"),
            ("薛", "Xue"), ("闫", "Yan"), ("段", "Duan"), ("雷", "Lei"), ("侯", "Hou"), ("龙", "Long"),
            ("史", "Shi"), ("陶", "Tao"), ("黎", "Li"), ("贺", "He"), ("顾", "Gu"), ("毛", "Mao"), ("郝", "Hao"),
            ("龚", "Gong"), ("邵", "Shao"), ("万", "Wan"), ("钱", "Qian"), ("严", "Yan"), ("覃", "Qin"),
            ("武", "Wu"), ("戴", "Dai"), ("莫", "Mo"), ("孔", "Kong"), ("向", "Xiang"), ("汤", "Tang"),
            ("常", "Chang"), ("文", "Wen"), ("安", "An"), ("路", "Lu"), ("成", "Cheng"), ("牛", "Niu")]
RARE_SURNAMES = [("禚", "Zhuo"), ("仉", "Zhang"), ("亓", "Qi"), ("佘", "She"), ("逄", "Pang"), ("郗", "Xi"),
                 ("靳", "Jin"), ("訾", "Zi"), ("暴", "Bao"), ("蒯", "Kuai"), ("阚", "Kan"), ("寇", "Kou"),
                 ("隗", "Wei"), ("晏", "Yan"), ("缪", "Miao"), ("殳", "Shu"), ("帅", "Shuai"), ("糜", "Mi"),
                 ("佟", "Tong"), ("滕", "Teng"), ("甄", "Zhen"), ("芮", "Rui"), ("綦", "Qi"), ("笪", "Da"),
                 ("冼", "Xian"), ("昝", "Zan"), ("粟", "Su"), ("揭", "Jie"), ("邝", "Kuang"), ("蓝", "Lan"),
                 ("农", "Nong"), ("那", "Na"), ("居", "Ju"), ("乜", "Nie"), ("盖", "Ge"), ("单", "Shan"),
                 ("查", "Zha"), ("解", "Xie"), ("仇", "Qiu"), ("朴", "Piao"), ("荆", "Jing"), ("巩", "Gong"),
                 ("饶", "Rao"), ("敖", "Ao"), ("桂", "Gui"), ("苗", "Miao"), ("党", "Dang"), ("门", "Men"),
                 ("计", "Ji"), ("占", "Zhan"), ("原", "Yuan"), ("来", "Lai"), ("展", "Zhan"), ("能", "Nai")]
COMPOUND_SURNAMES = [("欧阳", "Ouyang"), ("司马", "Sima"), ("上官", "Shangguan"), ("诸葛", "Zhuge"),
                     ("东方", "Dongfang"), ("皇甫", "Huangfu"), ("尉迟", "Yuchi"), ("公孙", "Gongsun"),
                     ("慕容", "Murong"), ("令狐", "Linghu"), ("宇文", "Yuwen"), ("长孙", "Zhangsun"),
                     ("夏侯", "Xiahou"), ("端木", "Duanmu"), ("澹台", "Tantai"), ("司徒", "Situ"),
                     ("轩辕", "Xuanyuan"), ("独孤", "Dugu"), ("南宫", "Nangong"), ("闻人", "Wenren"),
                     ("呼延", "Huyan"), ("第五", "Diwu")]
GIVEN = [("伟", "Wei"), ("芳", "Fang"), ("娜", "Na"), ("敏", "Min"), ("静", "Jing"), ("强", "Qiang"), ("磊", "Lei"),
         ("军", "Jun"), ("洋", "Yang"), ("勇", "Yong"), ("杰", "Jie"), ("涛", "Tao"), ("明", "Ming"),
         ("超", "Chao"), ("霞", "Xia"), ("平", "Ping"), ("刚", "Gang"), ("丽", "Li"), ("艳", "Yan"),
         ("鹏", "Peng"), ("辉", "Hui"), ("鑫", "Xin"), ("宇", "Yu"), ("浩", "Hao"), ("婷", "Ting"),
         ("欢", "Huan"), ("凯", "Kai"), ("颖", "Ying"), ("琳", "Lin"), ("倩", "Qian"), ("彬", "Bin"),
         ("帆", "Fan"), ("璐", "Lu"), ("蕾", "Lei"), ("萌", "Meng"), ("畅", "Chang"), ("昊", "Hao"),
         ("晨", "Chen"), ("阳", "Yang"), ("森", "Sen"), ("越", "Yue"), ("旭", "Xu"), ("瑶", "Yao"),
         ("悦", "Yue"), ("丹", "Dan"), ("薇", "Wei"), ("冰", "Bing"), ("斌", "Bin"), ("燕", "Yan"),
         ("建国", "Jianguo"), ("建华", "Jianhua"), ("志强", "Zhiqiang"), ("海涛", "Haitao"), ("晓东", "Xiaodong"),
         ("文博", "Wenbo"), ("子豪", "Zihao"), ("浩然", "Haoran"), ("宇航", "Yuhang"), ("俊杰", "Junjie"),
         ("明轩", "Mingxuan"), ("国庆", "Guoqing"), ("永康", "Yongkang"), ("振宇", "Zhenyu"), ("家豪", "Jiahao"),
         ("思远", "Siyuan"), ("秀英", "Xiuying"), ("桂英", "Guiying"), ("玉兰", "Yulan"), ("丽娟", "Lijuan"),
         ("晓燕", "Xiaoyan"), ("婷婷", "Tingting"), ("雪梅", "Xuemei"), ("欣怡", "Xinyi"), ("梓涵", "Zihan"),
         ("雨萱", "Yuxuan"), ("诗琪", "Shiqi"), ("佳怡", "Jiayi"), ("可馨", "Kexin"), ("思彤", "Sitong"),
         ("慧敏", "Huimin"), ("淑华", "Shuhua"), ("美玲", "Meiling"), ("红梅", "Hongmei"), ("春燕", "Chunyan"),
         ("海燕", "Haiyan"), ("若曦", "Ruoxi"), ("一鸣", "Yiming"), ("天佑", "Tianyou"), ("德胜", "Desheng"),
         ("春生", "Chunsheng"), ("立新", "Lixin"), ("晓敏", "Xiaomin"), ("子轩", "Zixuan"), ("雅琴", "Yaqin"),
         ("秋菊", "Qiuju"), ("金凤", "Jinfeng"), ("长江", "Changjiang"), ("卫东", "Weidong"), ("红旗", "Hongqi"),
         ("建军", "Jianjun"), ("爱华", "Aihua"), ("梦瑶", "Mengyao"), ("嘉怡", "Jiayi"), ("铁柱", "Tiezhu"),
         ("来福", "Laifu"), ("二妮", "Erni"), ("小龙", "Xiaolong"), ("宏伟", "Hongwei"), ("玉珍", "Yuzhen"),
         ("桂兰", "Guilan"), ("凤英", "Fengying"), ("国栋", "Guodong"), ("学军", "Xuejun"), ("晓峰", "Xiaofeng"),
         ("亚楠", "Yanan"), ("雨桐", "Yutong"), ("沐阳", "Muyang"), ("奕辰", "Yichen"), ("芷若", "Zhiruo")]


def zh_name_parts(kind=None):
    """Return (surname_zh, given_zh, surname_py, given_py)."""
    r = rng.random() if kind is None else {"common": 0.0, "rare": 0.75, "compound": 0.9}[kind]
    if r < 0.72:
        s = pick(SURNAMES)
    elif r < 0.88:
        s = pick(RARE_SURNAMES)
    else:
        s = pick(COMPOUND_SURNAMES)
    g = pick(GIVEN)
    return s[0], g[0], s[1], g[1]


def zh_name(kind=None):
    if kind is None and chance(0.15):
        n = fzh.name()
        if 2 <= len(n) <= 4:
            return n
    s, g, _, _ = zh_name_parts(kind)
    return s + g


def zh_names(k):
    seen, out = set(), []
    while len(out) < k:
        n = zh_name()
        if n not in seen:
            seen.add(n)
            out.append(n)
    return out


def py_cap(s):
    return s[:1].upper() + s[1:]


def pinyin_name(style=None, parts=None, comma=False):
    """A pinyin personal name in one of the common written orders.

    The "Surname, Given" order is only produced where comma=True, i.e. in single-value fields
    (CSV cells, header fields); in running text and comma-separated lists it would be ambiguous."""
    s, g, sp, gp = parts or zh_name_parts()
    style = style or pick(["SG", "GS", "SG", "S_G_CAPS", "G_S_CAPS", "hyphen", "GS"] + (["S,G"] * 2 if comma else []))
    if style == "SG":
        return f"{sp} {gp}"
    if style == "GS":
        return f"{gp} {sp}"
    if style == "S_G_CAPS":
        return f"{sp.upper()} {gp}"
    if style == "G_S_CAPS":
        return f"{gp} {sp.upper()}"
    if style == "S,G":
        return f"{sp}, {gp}"
    if style == "hyphen":
        # Xiao-Ming Li: split a two-syllable given name when possible
        syl = split_syllables(gp)
        if len(syl) == 2:
            return f"{syl[0]}-{syl[1].lower()} {sp}"
        return f"{gp} {sp}"
    if style == "UPPER":
        return f"{sp.upper()} {gp.upper()}"
    raise ValueError(style)


PY_SYL = sorted("""a ai an ang ao ba bai ban bang bao bei ben bin bing bo bu cai can cao ce chang chao chen cheng chi
chong chu chun ci cong cui da dai dan dang de deng di dian ding dong du duan e en er fan fang fei feng fu gang gao
ge gong gu guan guang gui guo hai han hao he hong hou hu hua huai huan hui huo ji jia jian jiang jiao jie jin jing
jun kai kang ke kun lan lang lei li lian liang lin ling liu long lu lun luo mei meng mi miao min ming mu na nan
ni ning pei peng ping qi qian qiang qiao qin qing qiu quan ran rong ru rui ruo sen shan shang shi shu shuang si
song su sun tao tian ting tong wan wei wen xi xia xian xiang xiao xin xing xiong xu xuan xue ya yan yang yao ye yi
yin ying yong you yu yuan yue yun ze zhan zhang zhao zhen zheng zhi zhong zhu zi""".split(), key=len, reverse=True)


def split_syllables(word):
    w = word.lower()
    out = []
    i = 0
    while i < len(w):
        for syl in PY_SYL:
            if w.startswith(syl, i):
                out.append(syl.capitalize())
                i += len(syl)
                break
        else:
            return [word]
    return out


# traditional-script (Taiwan / Hong Kong) names
TW_SURNAMES = list("陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴") + ["歐陽", "司徒"]
TW_GIVEN = ["志明", "淑芬", "美玲", "家豪", "俊傑", "怡君", "雅婷", "建宏", "宗翰", "冠宇", "詩涵", "嘉欣", "偉倫", "國華",
            "麗華", "子軒", "穎欣", "振華", "家樂", "芷晴", "浩然", "志偉", "淑惠", "秀琴", "佩珊", "承恩", "柏翰", "宥廷",
            "品妍", "欣妤", "美華", "嘉慧", "偉強", "志聰", "詠詩", "凱婷", "文傑", "惠雯"]
HK_PAIRS = [("陳", "CHAN"), ("黃", "WONG"), ("李", "LEE"), ("張", "CHEUNG"), ("劉", "LAU"), ("吳", "NG"), ("林", "LAM"),
            ("梁", "LEUNG"), ("何", "HO"), ("鄭", "CHENG"), ("謝", "TSE"), ("郭", "KWOK"), ("羅", "LAW"),
            ("周", "CHOW"), ("馬", "MA"), ("麥", "MAK"), ("蔡", "CHOI")]
HK_GIVEN = [("大文", "Tai-man"), ("家豪", "Ka-ho"), ("小明", "Siu-ming"), ("詠欣", "Wing-yan"), ("志強", "Chi-keung"),
            ("美玲", "Mei-ling"), ("嘉慧", "Ka-wai"), ("偉強", "Wai-keung"), ("志聰", "Chi-chung"), ("詠詩", "Wing-sze"),
            ("凱婷", "Hoi-ting"), ("俊傑", "Chun-kit"), ("敏儀", "Man-yee"), ("國榮", "Kwok-wing")]


def tw_name():
    return pick(TW_SURNAMES) + pick(TW_GIVEN)


# --------------------------------------------------------------------------------------------
# English names

MC_SURNAMES = ["O'Brien", "O'Connor", "O'Neill", "O'Hara", "O'Sullivan", "McDonald", "McAllister", "MacKenzie",
               "McGregor", "McCarthy", "MacLeod", "D'Souza", "Fitzgerald", "DeLuca", "Van der Berg", "Smith-Jones",
               "St. Clair", "McKinnon"]


def en_first():
    return fen.first_name()


def en_last():
    return pick(MC_SURNAMES) if chance(0.25) else fen.last_name()


def en_name(style=None, comma=False):
    style = style or pick(["FL"] * 6 + ["FML", "FL_caps", "FL"] + (["LF_comma"] * 2 if comma else []))
    f, last = en_first(), en_last()
    if style == "FL":
        return f"{f} {last}"
    if style == "FML":
        return f"{f} {pick('ABCDEFGHJKLMNPRSTW')}. {last}"
    if style == "FL_caps":
        return f"{f} {last.upper()}"
    if style == "LF_comma":
        return f"{last}, {f}"
    raise ValueError(style)


def any_latin_name(comma=False):
    return pinyin_name(comma=comma) if chance(0.45) else en_name(comma=comma)


def email_for(name=None):
    dom = pick(["gmail.com", "outlook.com", "163.com", "qq.com", "126.com", "yahoo.com", "example.org",
                "acme-logistics.com", "foxmail.com", "hotmail.com", "sina.com", "protonmail.com"])
    if name and re.fullmatch(r"[A-Za-z' ,.-]+", name):
        parts = [p for p in re.split(r"[ ,.-]+", name.replace("'", "")) if len(p) > 1]
        if parts:
            local = pick([".", "_", ""]).join(p.lower() for p in parts[:2])
            if chance(0.4):
                local += str(rng.randint(1, 99))
            return f"{local}@{dom}"
    return fen.user_name() + str(rng.randint(1, 999)) + "@" + dom


# --------------------------------------------------------------------------------------------
# regions, addresses

# (code, province, city, district) — real division codes; municipalities have province ""
URBAN = [("110105", "", "北京市", "朝阳区"), ("110108", "", "北京市", "海淀区"), ("110101", "", "北京市", "东城区"),
         ("310104", "", "上海市", "徐汇区"), ("310110", "", "上海市", "杨浦区"), ("310115", "", "上海市", "浦东新区"),
         ("120101", "", "天津市", "和平区"), ("120104", "", "天津市", "南开区"), ("500103", "", "重庆市", "渝中区"),
         ("440106", "广东省", "广州市", "天河区"), ("440104", "广东省", "广州市", "越秀区"),
         ("440305", "广东省", "深圳市", "南山区"), ("440304", "广东省", "深圳市", "福田区"),
         ("330106", "浙江省", "杭州市", "西湖区"), ("330102", "浙江省", "杭州市", "上城区"),
         ("330203", "浙江省", "宁波市", "海曙区"), ("320102", "江苏省", "南京市", "玄武区"),
         ("320106", "江苏省", "南京市", "鼓楼区"), ("320506", "江苏省", "苏州市", "吴中区"),
         ("420106", "湖北省", "武汉市", "武昌区"), ("420111", "湖北省", "武汉市", "洪山区"),
         ("510107", "四川省", "成都市", "武侯区"), ("610113", "陕西省", "西安市", "雁塔区"),
         ("370202", "山东省", "青岛市", "市南区"), ("370102", "山东省", "济南市", "历下区"),
         ("410105", "河南省", "郑州市", "金水区"), ("430104", "湖南省", "长沙市", "岳麓区"),
         ("350203", "福建省", "厦门市", "思明区"), ("350102", "福建省", "福州市", "鼓楼区"),
         ("210102", "辽宁省", "沈阳市", "和平区"), ("210202", "辽宁省", "大连市", "中山区"),
         ("230103", "黑龙江省", "哈尔滨市", "南岗区"), ("220102", "吉林省", "长春市", "南关区"),
         ("340104", "安徽省", "合肥市", "蜀山区"), ("360102", "江西省", "南昌市", "东湖区"),
         ("450103", "广西壮族自治区", "南宁市", "青秀区"), ("530102", "云南省", "昆明市", "五华区"),
         ("520102", "贵州省", "贵阳市", "南明区"), ("620102", "甘肃省", "兰州市", "城关区"),
         ("130102", "河北省", "石家庄市", "长安区"), ("150102", "内蒙古自治区", "呼和浩特市", "新城区"),
         ("650102", "新疆维吾尔自治区", "乌鲁木齐市", "天山区"), ("630103", "青海省", "西宁市", "城中区")]
RURAL = [("412726", "河南省", "周口市", "郸城县"), ("341221", "安徽省", "阜阳市", "临泉县"),
         ("430524", "湖南省", "邵阳市", "隆回县"), ("511323", "四川省", "南充市", "蓬安县"),
         ("371526", "山东省", "聊城市", "高唐县"), ("360826", "江西省", "吉安市", "泰和县"),
         ("130627", "河北省", "保定市", "唐县"), ("421126", "湖北省", "黄冈市", "蕲春县"),
         ("350583", "福建省", "泉州市", "南安市"), ("441581", "广东省", "汕尾市", "陆丰市"),
         ("320923", "江苏省", "盐城市", "阜宁县"), ("610526", "陕西省", "渭南市", "蒲城县"),
         ("140427", "山西省", "长治市", "壶关县"), ("530623", "云南省", "昭通市", "盐津县"),
         ("522326", "贵州省", "黔西南布依族苗族自治州", "望谟县"), ("500235", "", "重庆市", "云阳县")]
STREETS = ["人民路", "解放路", "中山路", "建设路", "和平路", "文化路", "胜利大街", "长江路", "黄河路", "学府路",
           "科技园南路", "青年路", "朝阳北路", "滨江大道", "东风路", "高新四路", "淮海中路", "五一路", "北京东路",
           "延安路", "文三路", "天目山路", "建国路", "光华路", "迎宾大道", "新华街", "工农路", "育才路", "幸福路",
           "金沙江路", "红旗街", "桃源路", "紫荆路", "民主路", "体育路", "府前街", "八一路", "西湖大道", "花园路",
           "张杨路", "逸仙路", "中关村大街", "丰台北路", "沿江西路", "松山湖大道", "雨花路"]
COMMUNITIES = ["阳光花园", "碧桂园", "万科城", "龙湖天街", "保利香槟国际", "幸福里小区", "金地格林小镇", "华润二十四城",
               "绿地世纪城", "翠苑一区", "锦绣江南", "恒大名都", "融创壹号院", "建业森林半岛", "和谐家园", "御景湾",
               "东方明珠花园", "南湖新村", "湖畔雅居", "教师新村", "纺织厂宿舍", "丽都花园", "中海国际社区"]
TOWNS = ["城关镇", "胡集乡", "李楼乡", "双河镇", "新店镇", "白马镇", "龙泉镇", "石桥镇", "高庄乡", "王集镇",
         "太平镇", "清水河乡", "马坡镇", "桃花镇", "三河口乡", "柳林镇", "长岭乡", "大王庄镇", "观音堂镇"]
VILLAGES = ["李家村", "大宋村", "张庄村", "后湾村", "红旗村", "新建村", "马坡村", "柳树村", "王家洼村", "前进村",
            "东李村", "石门村", "杨柳村", "黄泥塘村", "上河村", "高家岭村", "双井村", "小刘庄村", "南岗村", "团结村"]
CN_NUM = "一二三四五六七八九十"


def cn_num(n):
    if n <= 10:
        return CN_NUM[n - 1]
    if n < 20:
        return "十" + CN_NUM[n - 11]
    return CN_NUM[n // 10 - 1] + "十" + (CN_NUM[n % 10 - 1] if n % 10 else "")


def region_prefix(reg, prov_p=0.6, city_p=0.9):
    code, prov, city, dist = reg
    out = ""
    if prov and chance(prov_p):
        out += prov
    if chance(city_p) or out:
        out += city
    return out + dist


def room_suffix():
    b = rng.randint(1, 32)
    u = rng.randint(1, 6)
    fl = rng.randint(1, 33)
    rm = f"{fl}{rng.randint(1, 8):02d}"
    return pick([f"{b}号楼{u}单元{rm}室", f"{b}栋{u}单元{rm}", f"{b}栋{rm}室", f"{b}幢{u}单元{rm}",
                 f"{pick('ABCDE')}座{rm}室", f"{b}号楼{rm}", f"{b}-{u}-{rm}", f"{b}栋{u}0{rng.randint(1, 4)}房"])


def addr_urban(reg=None, prov_p=0.6):
    reg = reg or pick(URBAN)
    s = region_prefix(reg, prov_p) + pick(STREETS) + f"{rng.randint(1, 999)}号"
    r = rng.random()
    if r < 0.45:
        s += pick(COMMUNITIES) + room_suffix()
    elif r < 0.75:
        s += room_suffix()
    elif r < 0.85:
        s += f"{pick(COMMUNITIES)}"
    return s


def addr_village(reg=None):
    reg = reg or pick(RURAL)
    s = region_prefix(reg, 0.55, 0.85) + pick(TOWNS) + pick(VILLAGES)
    r = rng.random()
    if r < 0.3:
        s += f"{cn_num(rng.randint(1, 12))}组"
    elif r < 0.5:
        s += f"第{pick([str(rng.randint(1, 15)), cn_num(rng.randint(1, 15))])}村民组"
    elif r < 0.6:
        s += f"第{rng.randint(1, 9)}村民小组"
    elif r < 0.8:
        s += f"{rng.randint(1, 12)}组{rng.randint(1, 99)}号"
    else:
        s += f"{rng.randint(1, 300)}号"
    return s


def addr_any():
    return addr_village() if chance(0.3) else addr_urban()


TW_CITIES = [("臺北市", [("大安區", "106"), ("信義區", "110"), ("中山區", "104"), ("松山區", "105"), ("內湖區", "114")]),
             ("新北市", [("板橋區", "220"), ("中和區", "235"), ("新店區", "231"), ("三重區", "241")]),
             ("臺中市", [("西屯區", "407"), ("北屯區", "406"), ("南屯區", "408")]),
             ("高雄市", [("前鎮區", "806"), ("苓雅區", "802"), ("左營區", "813")]),
             ("臺南市", [("東區", "701"), ("安平區", "708"), ("永康區", "710")]),
             ("桃園市", [("中壢區", "320"), ("桃園區", "330")])]
TW_ROADS = ["忠孝東路四段", "信義路五段", "文化路一段", "臺灣大道三段", "中山路二段", "民生東路三段", "中正路",
            "復興南路一段", "成功路", "建國北路二段", "光復路", "博愛二路", "自由路"]


def addr_tw(with_zip=False):
    """Taiwan address; with_zip=True returns (zip, address) — the postal code stays outside the span."""
    city, dists = pick(TW_CITIES)
    dist, zc = pick(dists)
    s = city + dist + pick(TW_ROADS)
    if chance(0.5):
        s += f"{rng.randint(1, 300)}巷"
        if chance(0.4):
            s += f"{rng.randint(1, 30)}弄"
    s += f"{rng.randint(1, 300)}號"
    if chance(0.7):
        s += f"{rng.randint(2, 20)}樓" + (f"之{rng.randint(1, 6)}" if chance(0.3) else "")
    return (zc, s) if with_zip else s


HK_PLACES = [("香港島", ["灣仔", "銅鑼灣", "北角", "西環"], ["軒尼詩道", "英皇道", "怡和街", "皇后大道西"]),
             ("九龍", ["旺角", "尖沙咀", "深水埗", "觀塘"], ["彌敦道", "亞皆老街", "長沙灣道", "觀塘道"]),
             ("新界", ["沙田", "荃灣", "屯門", "大埔"], ["沙田正街", "青山公路", "大埔公路", "屯門鄉事會路"])]
HK_BLDG = ["集成中心", "旺角中心", "美孚新邨", "太古城", "和富中心", "荃灣廣場", "顯徑邨顯耀樓", "麗港城", "黃埔花園"]


def addr_hk():
    reg, dists, roads = pick(HK_PLACES)
    s = ("香港" if chance(0.6) else "") + reg + pick(dists) + pick(roads) + f"{rng.randint(1, 800)}號"
    s += pick(HK_BLDG) + (f"{rng.randint(1, 5)}座" if chance(0.4) else "") + f"{rng.randint(2, 40)}樓"
    s += pick([f"{pick('ABCDEFGH')}室", f"{rng.randint(1, 30):02d}室", ""])
    return s


BARE_PLACES = ["北京", "上海市", "杭州", "深圳市南山区", "成都", "周口市", "石家庄", "张家界", "马鞍山", "高邮",
               "江阴市", "黄冈", "常州", "金华", "白城", "武汉市武昌区", "浦东新区", "河南省周口市郸城县", "丽江",
               "安顺", "文山州", "朝阳区", "西湖区", "岳阳", "韶关", "香港", "臺北"]

# --------------------------------------------------------------------------------------------
# identifiers


def birth_date(lo=1952, hi=2006):
    start = datetime.date(lo, 1, 1)
    return start + datetime.timedelta(days=rng.randint(0, (datetime.date(hi, 12, 31) - start).days))


def resident_id(dob=None, reg=None, spaced=False):
    for _ in range(200):
        d = dob or birth_date()
        code = (reg or pick(URBAN + RURAL))[0]
        body = code + d.strftime("%Y%m%d") + f"{rng.randint(0, 999):03d}"
        n = body + ric.calc_check_digit(body + "0")
        try:
            ric.validate(n)
        except Exception:
            reg = None
            continue
        if spaced:
            return f"{n[:6]} {n[6:14]} {n[14:]}"
        return n
    raise RuntimeError("no valid id")


def fake_18_digit():
    """18-digit order/waybill number that is NOT a valid resident ID: its last digit is never the
    ISO 7064 check digit of the first 17 (some of them also look date-like)."""
    s = "".join(str(rng.randint(0, 9)) for _ in range(17))
    if chance(0.5):
        s = "20" + s[2:]
    good = ric.calc_check_digit(s + "0")
    last = pick([d for d in "0123456789" if d != good])
    return s + last


MOBILE_PREFIXES = ["130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150",
                   "151", "152", "153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178",
                   "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195",
                   "198", "199"]
FULLWIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def mobile(style=None):
    n = pick(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    style = style or pick(["plain"] * 8 + ["sp", "dash", "+86", "+86sp", "+86dash", "0086", "86-", "(+86)", "fw"])
    if style == "plain":
        return n
    if style == "sp":
        return f"{n[:3]} {n[3:7]} {n[7:]}"
    if style == "dash":
        return f"{n[:3]}-{n[3:7]}-{n[7:]}"
    if style == "+86":
        return "+86" + n
    if style == "+86sp":
        return f"+86 {n[:3]} {n[3:7]} {n[7:]}"
    if style == "+86dash":
        return f"+86-{n[:3]}-{n[3:7]}-{n[7:]}"
    if style == "0086":
        return "0086 " + n
    if style == "86-":
        return "86-" + n
    if style == "(+86)":
        return "(+86)" + n
    if style == "fw":
        return n.translate(FULLWIDTH)
    raise ValueError(style)


AREA3 = ["010", "020", "021", "022", "023", "024", "025", "027", "028", "029"]
AREA4 = ["0755", "0571", "0531", "0532", "0371", "0731", "0591", "0592", "0851", "0871", "0931", "0311",
         "0351", "0471", "0451", "0431", "0898", "0991", "0512", "0574", "0394", "0558"]


def landline():
    if chance(0.5):
        a, n = pick(AREA3), str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
    else:
        a = pick(AREA4)
        n = str(rng.randint(2, 8)) + "".join(str(rng.randint(0, 9)) for _ in range(pick([6, 7])))
    st = pick(["dash", "dash", "paren", "paren_sp", "sp", "+86", "plain"])
    if st == "dash":
        return f"{a}-{n}"
    if st == "paren":
        return f"({a}){n}"
    if st == "paren_sp":
        return f"（{a}）{n[:4]} {n[4:]}" if chance(0.5) else f"({a}) {n[:4]} {n[4:]}"
    if st == "sp":
        return f"{a} {n[:4]} {n[4:]}"
    if st == "+86":
        return f"+86 {a[1:]} {n}"
    return a + n


CARD_BINS = ["622202", "621700", "622848", "621661", "622588", "436742", "622700", "621226", "622609", "623668",
             "621483", "622262", "625965", "628288", "621799", "620522"]


def bank_card(spaced=None, invalid=False):
    b = pick(CARD_BINS)
    length = pick([16, 16, 19]) if not b.startswith("4") else 16
    body = b + "".join(str(rng.randint(0, 9)) for _ in range(length - len(b) - 1))
    chk = luhn.calc_check_digit(body)
    if invalid:
        chk = str((int(chk) + rng.randint(1, 9)) % 10)
    n = body + chk
    assert luhn.is_valid(n) != invalid
    spaced = chance(0.35) if spaced is None else spaced
    if spaced:
        return " ".join(n[i:i + 4] for i in range(0, len(n), 4))
    return n


IBAN_SPEC = {"DE": "n18", "GB": "a4n14", "NL": "a4n10", "AT": "n16", "CH": "n17", "IE": "a4n14", "FI": "n14"}


def iban(spaced=None):
    for _ in range(1000):
        cc = pick(list(IBAN_SPEC))
        spec = IBAN_SPEC[cc]
        bban = ""
        for kind, cnt in re.findall(r"([an])(\d+)", spec):
            for _ in range(int(cnt)):
                bban += pick("ABCDEFGHIJKLMNOPQRSTUVWXYZ") if kind == "a" else str(rng.randint(0, 9))
        if cc == "GB":
            bban = pick(["NWBK", "BARC", "HBUK", "LOYD", "MIDL"]) + bban[4:]
        if cc == "NL":
            bban = pick(["ABNA", "RABO", "INGB", "TRIO"]) + bban[4:]
        if cc == "IE":
            bban = pick(["AIBK", "BOFI"]) + bban[4:]
        num = "".join(str(int(c, 36)) for c in bban + cc + "00")
        check = 98 - int(num) % 97
        n = f"{cc}{check:02d}{bban}"
        if std_iban.is_valid(n):
            spaced = chance(0.4) if spaced is None else spaced
            return " ".join(n[i:i + 4] for i in range(0, len(n), 4)) if spaced else n
    raise RuntimeError("iban")


def passport():
    r = rng.random()
    if r < 0.6:
        return "E" + "".join(str(rng.randint(0, 9)) for _ in range(8))
    if r < 0.85:
        return "E" + pick("ABCDEFGHJKLMN") + "".join(str(rng.randint(0, 9)) for _ in range(7))
    return "G" + "".join(str(rng.randint(0, 9)) for _ in range(8))


PLATE_PROV = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
PLATE_CH = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"


def plate():
    p = pick(PLATE_PROV) + pick("ABCDEFGHJKLMN")
    if chance(0.3):
        return p + pick("DF") + "".join(str(rng.randint(0, 9)) for _ in range(5))
    body = [str(rng.randint(0, 9)) for _ in range(5)]
    for _ in range(pick([0, 0, 1, 1, 2])):
        body[rng.randint(0, 4)] = pick("ABCDEFGHJKLMNPQRSTUVWXYZ")
    body = "".join(body)
    if chance(0.15):
        return p + " " + body
    if chance(0.1):
        return p + "·" + body
    return p + body


def ipv4(private=None):
    private = chance(0.5) if private is None else private
    if private:
        return pick([f"10.{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                     f"192.168.{rng.randint(0, 255)}.{rng.randint(1, 254)}",
                     f"172.{rng.randint(16, 31)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"])
    return f"{pick([36, 58, 61, 101, 111, 114, 117, 120, 123, 183, 202, 203, 218, 221, 223])}." \
           f"{rng.randint(0, 255)}.{rng.randint(0, 255)}.{rng.randint(1, 254)}"


def ipv6():
    if chance(0.4):
        return f"2408:{rng.randint(0x8000, 0x8fff):x}:{rng.randint(0, 0xffff):x}::{rng.randint(1, 0xffff):x}"
    return ":".join(f"{rng.randint(0, 0xffff):x}" for _ in range(8))


def ip():
    return ipv6() if chance(0.15) else ipv4()


def version4(ip_like=True):
    if ip_like:
        return f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(1, 250)}"
    return f"{rng.randint(1, 12)}.{rng.randint(0, 20)}.{rng.randint(0, 9)}.{rng.randint(1000, 99999)}"


def version3():
    return f"{rng.randint(1, 12)}.{rng.randint(0, 30)}.{rng.randint(0, 20)}"


def gps(sep=None):
    lat = rng.uniform(18.5, 48.0)
    lng = rng.uniform(98.0, 128.0)
    d = pick([4, 5, 6])
    sep = sep or pick([",", ", ", "，", " "])
    if chance(0.2):
        return f"{lng:.{d}f}{sep}{lat:.{d}f}"
    return f"{lat:.{d}f}{sep}{lng:.{d}f}"


def ssn():
    area = rng.choice([a for a in range(1, 900) if a != 666])
    return f"{area:03d}-{rng.randint(1, 99):02d}-{rng.randint(1, 9999):04d}"


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def fmt_date_zh(d, style=None):
    style = style or pick(["ymd_zh", "ymd_zh0", "iso", "slash", "dot", "compact"])
    return {"ymd_zh": f"{d.year}年{d.month}月{d.day}日", "ymd_zh0": f"{d.year}年{d.month:02d}月{d.day:02d}日",
            "iso": d.isoformat(), "slash": f"{d.year}/{d.month}/{d.day}", "dot": f"{d.year}.{d.month:02d}.{d.day:02d}",
            "compact": d.strftime("%Y%m%d")}[style]


def fmt_date_en(d, style=None):
    style = style or pick(["us", "us0", "dmy_long", "mdy_long", "iso", "dmy_short", "eu"])
    return {"us": f"{d.month}/{d.day}/{d.year}", "us0": f"{d.month:02d}/{d.day:02d}/{d.year}",
            "dmy_long": f"{d.day} {MONTHS[d.month - 1]} {d.year}", "mdy_long": f"{MONTHS[d.month - 1]} {d.day}, {d.year}",
            "iso": d.isoformat(), "dmy_short": f"{d.day:02d} {MONTHS[d.month - 1][:3].upper()} {d.year}",
            "eu": f"{d.day:02d}.{d.month:02d}.{d.year}"}[style]


def recent_dt():
    d = datetime.datetime(2023, 1, 1) + datetime.timedelta(seconds=rng.randint(0, 3600 * 24 * 540))
    return d


# --------------------------------------------------------------------------------------------
# hard negatives

PRODUCTS_ZH = ["华为Mate 60 Pro", "小米14 Ultra", "iPhone 15 Pro Max", "联想ThinkPad X1 Carbon", "大疆Mini 4 Pro",
               "格力云佳空调", "美的M6冰箱", "王老吉凉茶", "老干妈风味豆豉", "比亚迪汉EV", "理想L7", "张小泉厨刀套装"]
PRODUCTS_EN = ["Surface Pro 9", "Kindle Paperwhite", "Galaxy S24 Ultra", "ThinkPad X1 Carbon Gen 11", "Model Y",
               "AirPods Pro", "Dell Latitude 7440", "Jack Daniel's Tennessee Whiskey", "Ben & Jerry's Cookie Dough",
               "Johnnie Walker Black Label", "Louis Vuitton Neverfull MM", "Tommy Hilfiger polo shirt"]
COMPANIES_EN = ["Acme Logistics Ltd", "Morgan Stanley", "Johnson & Johnson", "Goldman Sachs", "Wells Fargo",
                "Procter & Gamble", "Ernst & Young", "Marriott International", "Ford Motor Company",
                "Baker McKenzie", "Harris & Sons Plumbing", "Dell Technologies", "Hewlett Packard Enterprise",
                "Thompson Freight Inc.", "Li & Fung Limited", "Swire Pacific"]
US_STREETS = ["Oak Street", "Maple Avenue", "Washington Boulevard", "Lincoln Road", "Baker Street",
              "Elm Street", "Jackson Heights Blvd", "Martin Luther King Jr. Way", "Franklin Avenue", "Walnut Lane"]
JOB_TITLES = ["Senior Account Manager", "Head of Procurement", "Chief Financial Officer", "Regional Sales Director",
              "Software Engineer II", "Customer Success Lead", "Operations Coordinator", "Warehouse Supervisor"]
LINE_START_ZH = ["高度重视安全生产工作，", "金额合计：3,280.00元", "林地面积约120亩。", "张贴公告后无人提出异议。",
                 "马上安排人员处理。", "周报请于周五前提交。", "何时恢复供电另行通知。", "白班交接时请清点物资。",
                 "常见问题请查看帮助中心。", "余量不足时系统自动提醒。", "江边步道暂停开放。", "程序员节活动照常举行。",
                 "安全出口请勿堆放杂物。", "叶面施肥宜在傍晚进行。", "黄金周期间客流较大。", "夏季用电高峰请错峰使用。",
                 "方案二已通过评审。", "石材样品已寄出。", "任务已分配至各组。", "龙头企业带动效应明显。"]
LINE_START_EN = ["Summer Sale ends June 30.", "Chase Bank statement attached.", "Mark as paid once received.",
                 "Grant Application Deadline: Friday", "Frank feedback is welcome.", "Will do, thanks.",
                 "Bill Pay service is unavailable tonight.", "Amber Alert test scheduled.", "Rose Garden tour at 3pm.",
                 "Victoria Harbour cruise booked.", "Christian Dior counter moved to level 2.",
                 "Georgia Street entrance closed.", "Jordan Valley shipment delayed.", "Lincoln Memorial visit moved."]


def neg_line_zh():
    mk = rng.randint(0, 17)
    n = pick(MOBILE_PREFIXES) + "".join(str(rng.randint(0, 9)) for _ in range(8))
    if mk == 0:
        return f"用户手机已脱敏：{n[:3]}****{n[7:]}"
    if mk == 1:
        return f"卡号：{pick(CARD_BINS)[:4]} **** **** {rng.randint(1000, 9999)}"
    if mk == 2:
        return f"订单号：{fake_18_digit()}，下单时间：{recent_dt():%Y-%m-%d %H:%M:%S}"
    if mk == 3:
        return f"运单号 {pick(['SF', 'JD', 'YT', 'ZTO'])}{rng.randint(10**11, 10**13 - 1)}，已签收"
    if mk == 4:
        return f"客服热线：{pick(['400-820-8820', '95588', '10086', '95533', '12315', '400-610-1688'])}"
    if mk == 5:
        return f"当前版本 {version4()}，已是最新"
    if mk == 6:
        return f"身份证：{resident_id()[:6]}********{rng.randint(1000, 9999)}"
    if mk == 7:
        return pick(LINE_START_ZH)
    if mk == 8:
        return f"商品编码{pick(['100', '112', '120', '104'])}{rng.randint(10**7, 10**8 - 1)}，库存{rng.randint(1, 99)}件"
    if mk == 9:
        return f"交易流水号 {bank_card(spaced=False, invalid=True)}，状态：成功"
    if mk == 10:
        return f"{fzh.company()}（统一社会信用代码91{rng.randint(10**15, 10**16 - 1)}）"
    if mk == 11:
        return f"购买商品：{pick(PRODUCTS_ZH)}"
    if mk == 12:
        return f"时间戳 {rng.randint(1672531200000, 1719792000000)}"
    if mk == 13:
        return f"尾号{n[7:]}的手机已验证"
    if mk == 14:
        return f"出差地点：{pick(BARE_PLACES)}"
    if mk == 15:
        return f"会议室：{pick(['3楼第二会议室', 'A座1208', '望京厅', '钱塘厅'])}"
    if mk == 16:
        return f"工号{rng.randint(1000, 99999)}为您服务"
    return f"请联系{pick(['王经理', '李老师', '张师傅', '刘总', '陈工', '赵主任'])}处理"


def neg_line_en():
    mk = rng.randint(0, 13)
    if mk == 0:
        return f"Order #{rng.randint(10**9, 10**10 - 1)} shipped via {pick(['UPS', 'FedEx', 'DHL'])}"
    if mk == 1:
        return f"Agent version {version4()} (build {version4(False)})"
    if mk == 2:
        return f"Card ending in {rng.randint(1000, 9999)} was charged"
    if mk == 3:
        return f"{pick(COMPANIES_EN)}, {rng.randint(10, 9999)} {pick(US_STREETS)}"
    if mk == 4:
        return pick(LINE_START_EN)
    if mk == 5:
        return f"Product: {pick(PRODUCTS_EN)}"
    if mk == 6:
        return f"Job title: {pick(JOB_TITLES)}"
    if mk == 7:
        return f"Request ID {fen.uuid4()}"
    if mk == 8:
        return f"Timestamp: {recent_dt():%Y-%m-%dT%H:%M:%SZ}"
    if mk == 9:
        return f"Hotline 400-{rng.randint(100, 999)}-{rng.randint(1000, 9999)} (Mon-Fri)"
    if mk == 10:
        return f"Ref: {fake_18_digit()}"
    if mk == 11:
        return f"Phone on file: +86 1{rng.randint(30, 99)}****{rng.randint(1000, 9999)}"
    if mk == 12:
        return f"Invoice {fen.bothify('INV-####-??').upper()} due {recent_dt():%d %b %Y}"
    return f"Trace id {rng.getrandbits(128):032x}"


# --------------------------------------------------------------------------------------------
# label shorthands

def NZ(n=None):
    return L(n or zh_name(), "PERSON_NAME_ZH")


def NE(n=None):
    return L(n or any_latin_name(), "PERSON_NAME_EN")


def AD(a=None):
    return L(a or addr_any(), "ADDRESS_ZH")


def MO(m=None):
    return L(m or mobile(), "CN_MOBILE")


def TEL(t=None):
    return L(t or landline(), "CN_LANDLINE")


def RID(x=None, **kw):
    return L(x or resident_id(**kw), "CN_RESIDENT_ID")


def CARD(x=None):
    return L(x or bank_card(), "BANK_CARD")


def EM(x=None, name=None):
    return L(x or email_for(name), "EMAIL")


def DOB(s):
    return L(s, "DATE_OF_BIRTH")


def PP(x=None):
    return L(x or passport(), "CN_PASSPORT")


def PL(x=None):
    return L(x or plate(), "CN_LICENSE_PLATE")


def IP(x=None):
    return L(x or ip(), "IP_ADDRESS")


def GPS(x=None):
    return L(x or gps(), "GPS_COORDINATE")


def IBAN(x=None):
    return L(x or iban(), "IBAN")


def SSN(x=None):
    return L(x or ssn(), "US_SSN")


def zh_list(names, seps=None):
    sep = pick(seps or ["、", "、", "，", " ", "　", ", "])
    return sep.join(NZ(n) for n in names)


def title_zh():
    return pick(["经理", "老师", "师傅", "主任", "总", "同志", "医生", "律师", "书记", "科长", "处长", "先生",
                 "女士", "阿姨", "老板", "会计", "所长", "队长"])


# --------------------------------------------------------------------------------------------
# templates — Chinese prose


def t_news_zh():
    rep, cor = zh_name(), zh_name()
    vil = zh_name()
    age = rng.randint(35, 82)
    v_addr = addr_village()
    helper1, helper2 = zh_name(), zh_name()
    city = pick(BARE_PLACES[:13])
    parts = [f"本报讯（记者 {NZ(rep)} 通讯员 {NZ(cor)}）{rng.randint(1, 12)}月{rng.randint(1, 28)}日，"
             f"记者在{city}采访时了解到，家住{AD(v_addr)}的{age}岁村民{NZ(vil)}，"
             f"十多年来义务照料同村孤寡老人。"]
    parts.append(pick([
        f"“没想到这么点小事还上了报纸。”{NZ(vil)}笑着说。村党支部书记{NZ(helper1)}介绍，"
        f"村里像这样的热心人还有{NZ(helper2)}等人。",
        f"据镇卫生院院长{NZ(helper1)}回忆，去年冬天正是{NZ(vil)}及时发现老人摔倒并拨打了120。",
        f"同村的{NZ(helper1)}、{NZ(helper2)}两位党员也主动加入，{pick(['每周轮流上门', '自发组成帮扶小组', '定期送米送油'])}。"]))
    if chance(0.6):
        biz = zh_name()
        parts.append(f"\n{pick(['当天', '此外', '另据了解'])}，{fzh.company()}负责人{NZ(biz)}{pick(['表示', '透露', '称'])}，"
                     f"公司将在{pick(['张家界', '马鞍山', '石家庄', '江阴'])}设立分厂，预计带动就业{rng.randint(200, 900)}人。")
    if chance(0.5):
        parts.append(f"\n（编辑：{NZ()}　校对：{NZ()}）")
    return "".join(parts)


def t_work_report_zh():
    lead = zh_name()
    q = pick(["2024年第一季度", "2023年度", "10月份", "第36周", "上半年"])
    new = zh_names(rng.randint(2, 3))
    out = [f"{pick(['研发部', '华东大区销售部', '客服中心', '财务部', '仓储物流部'])}{q}工作总结\n",
           "一、主要工作完成情况\n",
           f"1. 在{NZ(lead)}{pick(['经理', '总监', '部长'])}的带领下，团队完成{pick(['新系统上线', '年度审计', '客户回访3200余户', '仓库搬迁'])}；"
           f"其中{NZ()}负责方案设计，{zh_list(zh_names(rng.randint(1, 2)))}协助实施。\n",
           f"2. 与{fzh.company()}签订框架协议，对方联系人{NZ()}（{MO()}）。\n",
           f"3. 走访客户{rng.randint(3, 40)}家，其中{fzh.company()}（{AD(addr_urban())}）已签约，"
           f"对接邮箱{EM()}。\n",
           f"4. {pick(LINE_START_ZH)}\n",
           "二、人员变动\n",
           f"本期新入职{len(new)}人：{zh_list(new)}；{NZ()}因个人原因离职，工作已交接给{NZ()}。\n",
           "三、下阶段计划\n",
           (f"由{NZ()}牵头推进，{NZ()}{pick(['、', '和', '与'])}{NZ()}配合，" if chance(0.5) else f"由{NZ()}牵头推进，")
           +
           f"预计{rng.randint(1, 12)}月底完成。{pick(['高效协同，', '金额控制在预算内，', '周期压缩两周，'])}确保按期交付。\n"]
    if chance(0.5):
        out.append(f"附：系统版本 {version4()}，测试服务器 {IP(ipv4(True))}\n")
    out.append(f"\n汇报人：{NZ()}\n日期：{recent_dt():%Y年%m月%d日}")
    return "".join(out)


def t_minutes_zh():
    names = zh_names(rng.randint(3, 5))
    dt = recent_dt()
    sep = pick(["、", "，", " ", "；"])
    att = sep.join(NZ(n) + (pick(["（线上）", "(远程)", ""]) if chance(0.2) else "") for n in names)
    out = [f"{pick(['项目周例会', '安全生产专题会', '季度经营分析会', '新品上市协调会'])}会议纪要\n",
           f"时间：{dt:%Y年%m月%d日} {dt:%H}:00-{(dt.hour + 1) % 24:02d}:30\n",
           f"地点：{pick(['3楼第二会议室', '钉钉视频会议', 'A座1208', '望京厅', AD(addr_urban()) + pick(['会议室', '项目部', ''])])}\n",
           f"{pick(['主持人', '主持', '会议主持'])}：{NZ(names[0])}\n",
           f"{pick(['参会人员', '参会人', '出席', '与会人员'])}：{att}\n",
           f"{pick(['记录人', '记录', '纪要整理'])}：{NZ()}\n"]
    if chance(0.5):
        out.append(f"缺席：{NZ()}（{pick(['出差', '病假', '年假'])}）\n")
    out.append("\n一、议题及讨论\n")
    out.append(f"1. {NZ(names[1])}汇报了{pick(['上周进度', '客户投诉处理情况', '采购成本'])}，"
               f"{pick(['张江', '杨浦', '石家庄', '马鞍山'])}项目已进入验收阶段。\n")
    out.append(f"2. {NZ(names[2])}提出{pick(['需要增加测试资源', '供应商交期延误', '预算超支'])}，"
               f"{NZ(names[0])}{pick(['要求', '建议'])}与{NZ()}{title_zh()}{pick(['对接', '沟通'])}。\n")
    out.append("\n二、行动项\n")
    for _ in range(rng.randint(2, 3)):
        who = pick(names)
        out.append(pick([f"- {NZ(who)}：{pick(['本周五前提交方案', '联系供应商', '更新排期表'])}\n",
                         f"- {NZ(who)}：联系{pick(['供应商', '物业', '场地方'])}（电话{pick([MO(), TEL()])}）\n",
                         f"- {pick(['整理测试报告', '输出会议结论', '修订合同'])}（负责人：{NZ(who)}，截止{rng.randint(1, 28)}日）\n",
                         f"- @{NZ(who)} {pick(['跟进回款', '确认场地', '安排培训'])}\n"]))
    return "".join(out)


def t_notice_zh():
    kind = rng.randint(0, 2)
    if kind == 0:
        out = [f"关于{recent_dt().year}年度优秀员工评选结果的公示\n\n",
               "经各部门推荐、评审委员会评议，以下同志拟评为年度优秀员工：\n"]
        for dept in rng.sample(["研发中心", "市场部", "财务部", "生产一车间", "客户服务部", "行政部"], rng.randint(2, 4)):
            out.append(f"{dept}：{zh_list(zh_names(rng.randint(1, 3)), ['、', '　', '  '])}\n")
        out.append(f"公示期为{rng.randint(3, 7)}个工作日。如有异议，请联系人力资源部{NZ()}，电话：{TEL()}。\n")
        out.append(f"\n特此公示。\n{fzh.company()}\n{recent_dt():%Y年%m月%d日}")
    elif kind == 1:
        out = [f"停水通知\n\n各位业主：\n因{pick(['市政管网改造', '二次供水设施清洗'])}，"
               f"{recent_dt():%m月%d日} 8:00-18:00 本小区{rng.randint(1, 10)}号楼至{rng.randint(11, 30)}号楼将暂停供水，请提前储水。\n",
               f"如有疑问请联系物业{NZ()}{pick(['师傅', '经理', ''])} {MO()}，或值班电话{TEL()}。\n",
               f"何时恢复供水将另行通知。\n{pick(['幸福里', '阳光花园', '锦绣江南'])}物业服务中心\n"]
    else:
        out = [f"{pick(['XX县', ''])}{pick(['乡村振兴', '低保', '高龄津贴'])}资金发放名单公告\n\n"]
        for i in range(rng.randint(3, 6)):
            n = zh_name()
            out.append(f"{i + 1}. {NZ(n)}　{AD(pick(VILLAGES) + cn_num(rng.randint(1, 9)) + '组')}　{rng.randint(3, 30) * 100}元\n")
        out.append(f"\n公示期内如有异议，请向镇民政办反映，联系人：{NZ()}，{TEL()}。\n"
                   f"{pick(TOWNS)}人民政府\n")
    return "".join(out)


def t_judgment_zh():
    reg = pick(URBAN)
    court = f"{reg[2]}{reg[3]}人民法院"
    p_name, d_name = zh_name(), zh_name()
    p_dob = birth_date(1955, 1995)
    sex = pick(["男", "女"])
    dob_s = fmt_date_zh(p_dob, "ymd_zh")
    yr = rng.randint(2019, 2024)
    out = [f"{court}\n民 事 判 决 书\n（{yr}）{pick('京沪浙粤苏鄂川陕')}{rng.randint(100, 9999):04d}民初{rng.randint(100, 29999)}号\n\n"]
    out.append(f"原告：{NZ(p_name)}，{sex}，{DOB(dob_s)}出生，{pick(['汉族', '回族', '满族', '壮族'])}，"
               f"住{AD(addr_any())}。")
    if chance(0.7):
        out.append(f"公民身份号码{RID(resident_id(dob=p_dob))}。")
    out.append("\n")
    out.append(f"委托诉讼代理人：{NZ()}，{pick(['北京', '浙江', '广东'])}{pick(['天元', '中伦', '某某'])}律师事务所律师。\n")
    if chance(0.5):
        d_dob = birth_date(1960, 2000)
        d_ref = NZ(d_name)
        out.append(f"被告：{NZ(d_name)}，{pick(['男', '女'])}，{DOB(fmt_date_zh(d_dob, 'ymd_zh'))}出生，汉族，"
                   f"住{AD(addr_any())}。\n")
    else:
        d_ref = fzh.company()
        out.append(f"被告：{d_ref}，住所地{AD(addr_urban(reg))}。\n法定代表人：{NZ()}，该公司{pick(['总经理', '执行董事', '董事长'])}。\n")
    third = pick(["张某", "李某某", "王某", "刘某某", "陈某"])
    out.append(f"\n原告{NZ(p_name)}与被告{d_ref}"
               f"{pick(['借款合同纠纷', '房屋租赁合同纠纷', '机动车交通事故责任纠纷', '劳动争议'])}一案，本院立案后，依法适用简易程序，"
               f"公开开庭进行了审理。原告{NZ(p_name)}及其委托诉讼代理人到庭参加诉讼。"
               f"证人{third}出庭作证。本案现已审理终结。\n")
    out.append(f"\n……\n\n审　判　员　{NZ()}\n\n{pick(['二〇二三年十月十二日', '二〇二四年三月五日', '二〇二二年六月二十日'])}\n\n"
               f"书　记　员　{NZ()}")
    return "".join(out)


def t_police_zh():
    rep = zh_name()
    age = rng.randint(19, 70)
    dt = recent_dt()
    cop1, cop2 = zh_name(), zh_name()
    a = addr_urban() if chance(0.7) else addr_village()
    out = [f"{pick(['接处警登记表', '警情通报', '交通事故简易处理记录'])}\n",
           f"接警时间：{dt:%Y-%m-%d %H:%M}　警情编号：{pick(['J', 'JQ'])}{dt:%Y%m%d}{rng.randint(1000, 9999)}\n",
           f"报警人{NZ(rep)}（{pick(['男', '女'])}，{age}岁，身份证号{RID()}，联系电话{MO()}）称："
           f"当日{dt:%H}时许在{AD(a)}附近，其停放的{pick(['白色大众朗逸', '黑色丰田凯美瑞', '红色比亚迪秦', '银色五菱宏光'])}"
           f"（{PL()}）被一辆{pick(['电动车', '货车', '出租车'])}刮擦，对方驾驶人{NZ()}"
           f"{pick(['已留在现场', '驾车离开', '称愿意协商赔偿'])}。\n",
           f"现场定位：{GPS()}\n",
           f"处警民警{NZ(cop1)}（警号{rng.randint(10000, 99999):06d}）、辅警{NZ(cop2)}于{(dt.minute + 12) % 60}分钟后到达现场。"
           f"经调解，双方同意由{pick(['保险公司', '对方'])}赔付。\n"]
    if chance(0.5):
        out.append(f"备注：另一方当事人王某（身份证号{resident_id()[:6]}********{rng.randint(1000, 9999)}）未到场。\n")
    out.append(f"值班领导：{NZ()}")
    return "".join(out)


SPELL = {"王": "三横王", "李": "木子李", "张": "弓长张", "陈": "耳东陈", "吴": "口天吴", "章": "立早章", "胡": "古月胡",
         "徐": "双人徐", "杨": "木易杨", "许": "言午许", "周": "周末的周", "刘": "文刀刘"}


def t_cs_transcript_zh():
    cust = zh_name_parts()
    name = cust[0] + cust[1]
    agent_no = rng.randint(1000, 9999)
    order = fake_18_digit()
    out = [f"【通话转写】会话ID {fen.uuid4()}\n",
           f"坐席：您好，{pick(['顺丰', '京东', '中国移动', '平安保险'])}客服，工号{agent_no}，很高兴为您服务。\n",
           f"客户：你好，我{pick(['上周买的东西', '寄的包裹', '的理赔'])}一直没消息，订单号是{order}。\n",
           "坐席：好的，请问怎么称呼您？\n",
           pick([f"客户：我叫{NZ(name)}。\n", f"客户：我姓{cust[0]}，{NZ(name)}。\n"]
                + ([f"客户：{NZ(name)}，{cust[0]}是{SPELL[cust[0]]}。\n"] * 2 if cust[0] in SPELL else [])),
           f"坐席：{cust[0]}{pick(['先生', '女士'])}您好，系统显示收件手机尾号{rng.randint(1000, 9999)}，请问是您本人吗？\n",
           f"客户：是的，不过地址要改一下，麻烦寄到{AD(addr_any())}，电话改成{MO()}。\n"]
    if chance(0.5):
        out.append(f"坐席：好的，另外需要核实身份，请提供身份证后四位。\n客户：{rng.randint(1000, 9999)}。\n")
    if chance(0.5):
        out.append(f"客户：对了，收件人写我爱人{NZ()}也可以。\n")
    out.append(f"坐席：已为您登记，稍后会有{pick(['网点', '理赔专员'])}{NZ()}和您联系。如有问题请拨打{pick(['95338', '10086', '95511', '400-606-5500'])}。\n"
               "客户：好的，谢谢。\n坐席：不客气，祝您生活愉快，再见。")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# templates — Chinese chat / structured


NICKS = ["风一样的男子", "🌸花开半夏", "快乐每一天", "A.房产顾问", "淡定", "Sunny☀", "追梦人", "老兵", "小确幸", "向日葵🌻"]


def t_wechat_group_zh():
    members = zh_names(rng.randint(3, 5))
    dt = recent_dt()
    style = rng.randint(0, 2)
    out = [f"{pick(['“', ''])}{pick(['3号楼业主群', '项目交付群', '高三(2)班家长群', '华东区销售群', '周末徒步群'])}{pick(['”', ''])}的聊天记录\n\n"]
    for i in range(rng.randint(4, 7)):
        dt += datetime.timedelta(minutes=rng.randint(1, 30))
        sp = pick(members)
        if chance(0.15):
            who = pick(NICKS)
        elif chance(0.25):
            who = pick([f"{pick(['销售部', '3-1-502', '财务', '物业'])}-{NZ(sp)}", f"{NZ(sp)}({pick(['财务', '设计', '家长'])})",
                        f"{NZ(sp)}妈妈", f"{NZ(sp)}{pick(['爸爸', '家长'])}"])
        else:
            who = NZ(sp)
        other = pick([m for m in members if m != sp])
        msg = pick([f"@{NZ(other)} 收到，{pick(['明天上午处理', '马上改', '我看一下'])}",
                    f"{pick(['好的', '收到', '明白'])}，谢谢{NZ(other)}{pick(['', '老师', '经理'])}",
                    f"快递放{AD(addr_urban())}门卫了",
                    f"{pick(['有人知道', '谁有'])}{pick(['物业', '维修师傅', '开锁'])}的电话吗",
                    f"维修师傅电话 {MO()}",
                    f"[图片]", f"[语音] 12\"",
                    f"{pick(LINE_START_ZH)}",
                    f"我和{NZ(other)}{pick(['一起去', '下午到', '已经到了'])}",
                    f"{pick(['王总', '李老师', '张师傅', '刘姐'])}说{pick(['明天开会', '方案通过了', '周五放假'])}"])
        if style == 0:
            out.append(f"{who} {dt:%Y-%m-%d %H:%M:%S}\n{msg}\n\n")
        elif style == 1:
            out.append(f"{dt:%Y-%m-%d %H:%M} {who}\n{msg}\n")
        else:
            out.append(f"[{dt:%H:%M}] {who}：{msg}\n")
    return "".join(out)


def t_dingtalk_zh():
    app = zh_name()
    dt = recent_dt()
    k = rng.randint(0, 2)
    if k == 0:
        out = [f"【钉钉审批】{NZ(app)}提交的{pick(['请假', '报销', '出差', '用印'])}申请\n",
               f"审批编号：{dt:%Y%m%d%H%M}{rng.randint(100000, 999999)}\n",
               f"所在部门：{pick(['产品研发部', '华南大区', '行政人事部'])}\n",
               f"{pick(['请假类型：年假', '报销金额：1,286.50元', '出差地点：' + pick(BARE_PLACES)])}\n",
               f"开始时间：{dt:%Y-%m-%d} 09:00\n",
               f"审批人：{NZ()}（已同意） → {NZ()}（审批中）\n",
               f"抄送人：{zh_list(zh_names(rng.randint(1, 3)), ['、', '，'])}\n"]
        if chance(0.5):
            out.append(f"收款账户：{CARD()}（{pick(['中国工商银行', '招商银行', '中国农业银行'])}，户名：{NZ(app)}）\n")
    elif k == 1:
        out = [f"【日志】{NZ(app)}的日报 {dt:%m-%d}\n今日完成：\n"
               f"1. 与{fzh.company()}{NZ()}{pick(['经理', '总'])}沟通交付计划\n"
               f"2. 协助{NZ()}排查线上问题（服务器 {IP()}，客户端 {version4()}）\n"
               f"明日计划：跟进{pick(['回款', '验收', '招投标'])}\n需协调：{NZ()}\n"]
    else:
        out = [f"{pick(['考勤', '打卡'])}异常汇总（{dt:%Y-%m}）\n工号,姓名,部门,异常次数\n"]
        for _ in range(rng.randint(3, 6)):
            out.append(f"{rng.randint(10000, 99999)},{NZ()},{pick(['研发', '销售', '客服', '仓储'])},{rng.randint(1, 6)}\n")
        out.append(f"请各部门负责人{pick(['马上', '尽快'])}核实。——人事部 {NZ()}")
    return "".join(out)


def t_signup_zh():
    act = pick(["周六羽毛球活动", "亲子采摘游", "部门聚餐", "春季徒步（香山）", "团购阳澄湖大闸蟹", "家长志愿者值日"])
    out = [f"#接龙\n{act}\n时间：{recent_dt():%m月%d日} {pick(['8:30', '14:00', '18:30'])}\n"
           f"{pick(['地点：', '集合：'])}{pick(['东门停车场', '体育馆二楼', AD(addr_urban())])}\n"
           f"{pick(['费用AA', '每人60元', '自带水'])}\n\n"]
    for i in range(rng.randint(4, 9)):
        if chance(0.12):
            who = pick(NICKS)
        else:
            who = NZ()
        tail = pick(["", " 2人", "+1", " 3大1小", "（带娃）", " 1人", " ✅", "  已转", f" {rng.randint(1, 5)}斤",
                     f" {MO()}", f" {MO()}", " 2大1小 自驾", f" {AD(addr_urban())}"])
        out.append(f"{i + 1}. {who}{tail}\n")
    return "".join(out)


def t_table_zh():
    cols = pick([["序号", "姓名", "性别", "出生日期", "联系电话", "家庭住址"],
                 ["姓名", "身份证号码", "手机", "住址"],
                 ["工号", "员工姓名", "部门", "入职日期", "手机号"],
                 ["No.", "联系人", "单位", "座机", "手机"]])
    md = chance(0.6)
    rows = []
    for i in range(rng.randint(3, 6)):
        dob = birth_date(1950, 2005)
        row = []
        for c in cols:
            if c in ("序号", "No."):
                row.append(str(i + 1))
            elif c in ("姓名", "员工姓名", "联系人"):
                row.append(NZ())
            elif c == "性别":
                row.append(pick(["男", "女"]))
            elif c == "出生日期":
                row.append(DOB(fmt_date_zh(dob, pick(["iso", "slash", "dot", "ymd_zh"]))))
            elif c == "联系电话" or c == "手机" or c == "手机号":
                row.append(MO(mobile(pick(["plain", "plain", "dash", "sp"]))))
            elif c == "家庭住址" or c == "住址":
                row.append(AD())
            elif c == "身份证号码":
                row.append(RID(resident_id(dob=dob)))
            elif c == "工号":
                row.append(f"{pick(['A', 'HZ', ''])}{rng.randint(1000, 99999)}")
            elif c == "部门":
                row.append(pick(["研发部", "市场部", "财务部", "客服部"]))
            elif c == "入职日期":
                row.append(f"{recent_dt():%Y-%m-%d}")
            elif c == "单位":
                row.append(fzh.company())
            elif c == "座机":
                row.append(TEL())
        rows.append(row)
    title = pick(["住户信息登记表", "员工通讯录", "参保人员名单", "供应商联系人一览", "志愿者名单"])
    if md:
        out = [f"{title}\n\n| " + " | ".join(cols) + " |\n|" + "---|" * len(cols) + "\n"]
        out += ["| " + " | ".join(r) + " |\n" for r in rows]
    else:
        out = [f"{title}\n" + "\t".join(cols) + "\n"] + ["\t".join(r) + "\n" for r in rows]
    out.append(f"\n制表人：{NZ()}　审核：{NZ()}")
    return "".join(out)


def t_csv_zh():
    hdr = pick([["序号", "姓名", "证件号码", "手机号码", "开户银行", "银行账号", "备注"],
                ["name", "id_card", "mobile", "address"],
                ["客户名称", "联系人", "联系电话", "收货地址", "订单号"]])
    out = [",".join(hdr) + "\n"]
    for i in range(rng.randint(3, 7)):
        row = []
        for h in hdr:
            if h == "序号":
                row.append(str(i + 1))
            elif h in ("姓名", "name", "联系人"):
                row.append(NZ())
            elif h in ("证件号码", "id_card"):
                row.append(RID())
            elif h in ("手机号码", "mobile", "联系电话"):
                row.append(MO(mobile(pick(["plain", "plain", "+86", "dash"]))))
            elif h == "开户银行":
                row.append(pick(["中国工商银行", "中国建设银行", "农业银行", "招商银行", "邮储银行"]))
            elif h == "银行账号":
                row.append(CARD(bank_card(spaced=False)))
            elif h == "备注":
                row.append(pick(["", "", "代发工资", "补发", "已核对"]))
            elif h in ("address", "收货地址"):
                a = AD()
                row.append(f"\"{a}\"" if chance(0.3) else a)
            elif h == "客户名称":
                row.append(fzh.company())
            elif h == "订单号":
                row.append(fake_18_digit())
        out.append(",".join(row) + "\n")
    return "".join(out)


FORM_LABELS = ["姓名", "联系人", "收件人", "经办人", "负责人", "申请人", "被申请人", "法定代表人", "监护人", "户主",
               "开户名", "持卡人", "委托代理人", "紧急联系人", "承租人", "出租人", "投保人", "被保险人", "受益人", "填表人"]


def t_form_zh():
    kind = pick(["劳动仲裁申请书", "房屋租赁登记表", "个人开户申请表", "理赔申请表", "退款申请单", "入学登记表"])
    labels = rng.sample(FORM_LABELS, rng.randint(2, 4))
    out = [f"{kind}\n"]
    dob = birth_date(1955, 2003)
    sep = pick(["：", ": ", "：", "　"])
    for lab in labels:
        if lab == "法定代表人" or chance(0.1):
            out.append(f"{lab}{sep}{NZ()}\n")
        elif lab in ("紧急联系人", "监护人"):
            out.append(f"{lab}{sep}{NZ()}（{pick(['父亲', '母亲', '配偶', '兄弟'])}）{pick(['电话', '手机', ''])}{MO()}\n")
        else:
            out.append(f"{lab}{sep}{NZ()}\n")
    more = rng.sample(["id", "dob", "mob", "tel", "addr", "card", "email", "pp", "neg"], rng.randint(4, 7))
    for m in more:
        if m == "id":
            out.append(f"{pick(['身份证号', '证件号码', '身份证号码', '公民身份号码', '证件号'])}{sep}{RID(resident_id(dob=dob, spaced=chance(0.15)))}\n")
        elif m == "dob":
            out.append(f"{pick(['出生日期', '出生年月日', '生日', '出生时间'])}{sep}{DOB(fmt_date_zh(dob))}\n")
        elif m == "mob":
            out.append(f"{pick(['手机', '联系电话', '手机号码', '移动电话'])}{sep}{MO()}\n")
        elif m == "tel":
            out.append(f"{pick(['固定电话', '单位电话', '座机'])}{sep}{TEL()}{pick(['', ' 转8021', '-分机306'])}\n")
        elif m == "addr":
            out.append(f"{pick(['住址', '现住址', '户籍地址', '通讯地址', '送达地址', '房屋坐落'])}{sep}{AD()}\n")
        elif m == "card":
            out.append(f"{pick(['银行账号', '账号', '卡号', '收款账号'])}{sep}{CARD()}\n")
        elif m == "email":
            out.append(f"{pick(['电子邮箱', '邮箱', 'E-mail'])}{sep}{EM()}\n")
        elif m == "pp":
            out.append(f"{pick(['护照号码', '护照号'])}{sep}{PP()}\n")
        else:
            out.append(neg_line_zh() + "\n")
    out.append(f"{pick(['申请日期', '填表日期'])}{sep}{recent_dt():%Y年%m月%d日}")
    return "".join(out)


def t_express_zh():
    carrier = pick(["顺丰速运", "中通快递", "京东物流", "EMS", "圆通速递"])
    out = [f"【{carrier}】电子面单\n运单号：{pick(['SF', 'JD', 'YT', '', 'ZT'])}{rng.randint(10**12, 10**13 - 1)}\n"]
    s_name, r_name = zh_name(), zh_name()
    out.append(f"寄件人：{NZ(s_name)} {MO()}\n寄件地址：{AD()}\n")
    out.append(f"收件人：{NZ(r_name)}{pick(['', '（先生）', ' 女士'])} {MO(mobile(pick(['plain', 'sp', 'dash'])))}\n"
               f"收件地址：{AD()}\n")
    out.append(f"托寄物：{pick(['文件', '衣物', '电子产品', pick(PRODUCTS_ZH)])}　保价：{rng.randint(0, 5) * 1000}元\n")
    if chance(0.5):
        out.append(f"派件员：{NZ()} {MO()}　网点：{pick(['朝阳望京', '西湖文三', '福田车公庙'])}营业部\n")
    if chance(0.5):
        out.append(f"【短信】您的快件已由{pick(['丰巢柜', '菜鸟驿站', '门卫'])}代收，取件码{rng.randint(100000, 999999)}，"
                   f"如有疑问联系{pick(['快递员', '驿站'])}{NZ()}：{MO()}\n")
    out.append(neg_line_zh())
    return "".join(out)


def t_addr_sentences_zh():
    lines = []
    for _ in range(rng.randint(4, 6)):
        lines.append(pick([
            f"我家住在{AD()}，离地铁站不远。",
            f"麻烦把发票寄到{AD()}，收件人写{NZ()}就行。",
            f"我们公司已搬到{AD(addr_urban())}，欢迎来访。",
            f"老家是{AD(addr_village())}，过年回去。",
            f"货送至{AD()}，到了给{NZ()}打电话{MO()}。",
            f"现居{AD()}。",
            f"请于周五前将材料送到{AD(addr_urban())}{pick(['前台', '收发室', ''])}。",
            f"{NZ()}{pick(['现住', '住在', '租住在'])}{AD()}{pick(['，独居。', '。', '，系房屋承租人。'])}",
            f"地址：{AD()}（{pick(['近地铁口', '菜鸟驿站', '小区东门'])}）",
            f"他{pick(['下个月要去', '刚从'])}{pick(BARE_PLACES)}{pick(['出差', '回来'])}，{pick(LINE_START_ZH)}",
            f"{pick(['中山路', '人民路', '解放路'])}{pick(['路口', '一带'])}今天{pick(['拥堵', '施工'])}，建议绕行。",
            f"户籍所在地：{AD(addr_village())}",
        ]))
    return "\n".join(lines)


def tw_addr_line():
    zc, a = addr_tw(with_zip=True)
    return pick([AD(a), AD(a), f"{zc} {AD(a)}", f"({zc}){AD(a)}"])


def t_hktw_zh():
    if chance(0.5):
        n = tw_name()
        out = [f"{pick(['退貨申請', '會員資料', '掛號信收件資料'])}\n收件人：{NZ(n)} {pick(['小姐', '先生', ''])}\n"
               f"地址：{tw_addr_line()}\n",
               f"{pick(['聯絡人', '經辦人', '代收人'])}：{NZ(tw_name())}\n"]
        if chance(0.6):
            out.append(f"備註：請{pick(['平日', '週末'])}配送，若不在請交給{pick(['管理員', '樓下警衛'])}。"
                       f"{pick(['客服專線 0800-000-123', '訂單編號 TW' + str(rng.randint(10**9, 10**10 - 1))])}\n")
        out.append(f"我是{NZ(tw_name())}，{pick(['住在', '目前住'])}{AD(addr_tw())}，請幫我更改地址。")
    else:
        s, sp = pick(HK_PAIRS)
        g, gp = pick(HK_GIVEN)
        out = [f"{pick(['香港', ''])}{pick(['租約', '住址證明', '保險單'])}\n"
               f"姓名：{NZ(s + g)}（{NE(sp + ' ' + gp)}）\n",
               f"住址：{AD(addr_hk())}\n"]
        s2, sp2 = pick(HK_PAIRS)
        g2, gp2 = pick(HK_GIVEN)
        out.append(f"業主：{NZ(s2 + g2)}{pick(['先生', '女士', ''])}\n")
        out.append(f"{pick(['租金', '保費'])}：HK${rng.randint(5, 40) * 1000}，{pick(['每月1日', '每季'])}繳付。\n")
        if chance(0.6):
            out.append(f"如有查詢，請聯絡{NE(pick([sp2 + ' ' + gp2, sp2.capitalize() + ' ' + gp2]))}。")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# templates — English


def en_sig_block(name):
    return (f"{name}\n{pick(JOB_TITLES)}\n{pick(COMPANIES_EN)}\n"
            f"{rng.randint(10, 9999)} {pick(US_STREETS)}, Suite {rng.randint(100, 900)}, "
            f"{pick(['Portland, OR 97205', 'Dallas, TX 75201', 'Boston, MA 02110'])}\n")


def t_email_en():
    frm = any_latin_name()
    to1, to2, cc = any_latin_name(), any_latin_name(comma=True), any_latin_name()
    dt = recent_dt()
    fin = any_latin_name()
    wh = pinyin_name()
    out = [f"From: {NE(frm)} <{EM(name=frm)}>\n",
           f"Sent: {dt:%A, %B %d, %Y %I:%M %p}\n",
           f"To: {NE(to1)} <{EM(name=to1)}>; {NE(to2)}\n",
           f"Cc: {NE(cc)}\n",
           f"Subject: RE: {pick(['Q3 shipment to Shenzhen', 'Contract renewal', 'Project Update', 'Invoice query'])}\n\n",
           pick([f"Hi {NE(to1)},\n\n", "Hi team,\n\n", "Dear Customer,\n\n", f"Dear {NE(to1)},\n\n"]),
           f"Thanks for the update. I've looped in {NE(fin)} from our finance team, who will handle the invoice. "
           f"Please ship to our warehouse contact {NE(wh)} (mobile {MO()}), address {AD(addr_urban())}.\n"]
    if chance(0.5):
        out.append(f"{pick(LINE_START_EN)} The {pick(PRODUCTS_EN)} samples are with {pick(COMPANIES_EN)}.\n")
    out.append(f"\nBest regards,\n{en_sig_block(NE(frm))}")
    return "".join(out)


def t_cv_en():
    py = chance(0.5)
    name = pinyin_name(pick(["SG", "GS", "UPPER", "G_S_CAPS"])) if py else en_name(pick(["FL", "FML"]))
    head = name.upper() if chance(0.4) else name
    dob = birth_date(1975, 2001)
    ref1, ref2 = en_name(), any_latin_name()
    out = [f"{NE(head)}\n",
           f"{pick(['Shanghai', 'Beijing', 'Shenzhen', 'Hong Kong', 'Singapore'])} · {EM(name=name)} · {MO()}\n"]
    if chance(0.5):
        out.append(f"Date of Birth: {DOB(fmt_date_en(dob))}\n")
    out.append(f"\nPROFESSIONAL SUMMARY\n{pick(JOB_TITLES)} with {rng.randint(3, 15)} years of experience in logistics and finance.\n"
               f"\nEXPERIENCE\n{pick(JOB_TITLES)}, {pick(COMPANIES_EN)} — {pick(['Shanghai', 'London', 'New York'])} "
               f"({rng.randint(2010, 2018)}–{rng.randint(2019, 2024)})\n"
               f"  • Reported to {NE(en_name())}; managed a team of {rng.randint(3, 20)}.\n"
               f"  • Migrated billing to v{version3()}; cut costs by {rng.randint(5, 40)}%.\n"
               f"{pick(JOB_TITLES)}, {pick(COMPANIES_EN)} ({rng.randint(2005, 2010)}–{rng.randint(2010, 2015)})\n"
               f"\nEDUCATION\n{pick(['Fudan University', 'University of Manchester', 'Zhejiang University', 'Boston College'])}, "
               f"{pick(['MSc Finance', 'BEng Computer Science', 'MBA'])}\n"
               f"\nREFERENCES\n"
               f"{pick(['Dr. ', 'Prof. ', '', ''])}{NE(ref1)}, {pick(JOB_TITLES)}, {pick(COMPANIES_EN)} — {EM(name=ref1)}\n"
               f"{NE(ref2)}, {pick(['former manager', 'thesis supervisor', 'Director of Operations'])}, available on request\n")
    return "".join(out)


def t_invoice_en():
    attn = en_name()
    ship = any_latin_name()
    holder = en_name(pick(["FL", "FML"]))
    out = [f"INVOICE #{fen.bothify('INV-2024-#####')}\nDate: {recent_dt():%Y-%m-%d}\n\n",
           f"Bill To:\n{pick(COMPANIES_EN)}\nAttn: {NE(attn)}\n{rng.randint(10, 9999)} {pick(US_STREETS)}\n"
           f"{pick(['Seattle, WA 98101', 'Chicago, IL 60601', 'Austin, TX 73301'])}\n\n",
           f"Ship To:\n{NE(ship)}\n{AD(addr_urban())}\nTel: {MO()}\n\n",
           "Description                         Qty   Amount\n"]
    for _ in range(rng.randint(1, 3)):
        out.append(f"{pick(PRODUCTS_EN):36s}{rng.randint(1, 9):<6d}{rng.randint(50, 3000)}.00\n")
    out.append(f"\nPayment: IBAN {IBAN()} (account holder: {NE(holder)}), BIC {pick(['DEUTDEFF', 'NWBKGB2L', 'ABNANL2A'])}\n")
    out.append(f"Questions? Contact {NE()} at {EM()} or call {pick(['+1 206-555-0134', '400-820-8820'])}.\n")
    return "".join(out)


def t_boarding_en():
    parts = zh_name_parts()
    sp = parts[2].upper()
    gp = parts[3].upper()
    if chance(0.3):
        s2 = split_syllables(parts[3])
        if len(s2) == 2:
            gp = " ".join(x.upper() for x in s2)
    name = f"{sp}/{gp}"
    dt = recent_dt()
    title = pick(["MR", "MS", "MRS", ""])
    orig, dest = pick([("SHANGHAI PVG", "FRANKFURT FRA"), ("BEIJING PEK", "LONDON LHR"), ("GUANGZHOU CAN", "SYDNEY SYD"),
                       ("HONG KONG HKG", "VANCOUVER YVR"), ("CHENGDU TFU", "SINGAPORE SIN")])
    out = [f"{pick(['BOARDING PASS', 'E-TICKET ITINERARY RECEIPT'])}\n",
           f"NAME OF PASSENGER: {NE(name)}{(' ' + title) if title else ''}\n",
           f"FROM: {orig}   TO: {dest}\n",
           f"FLIGHT: {pick(['LH', 'BA', 'CZ', 'CX', 'MU', 'SQ'])}{rng.randint(100, 999)}   DATE: {dt:%d%b}".upper()
           + f"   SEAT: {rng.randint(1, 60)}{pick('ABCDEHJK')}   GATE: {pick('ABCDE')}{rng.randint(1, 90)}\n",
           f"ETKT {rng.randint(10**12, 10**13 - 1)}   PNR: {fen.bothify('??#??#').upper()}\n",
           f"{pick(['Passport No.', 'PASSPORT', 'Travel document', 'Doc No'])}: {PP()}\n"]
    if chance(0.5):
        out.append(f"Date of birth: {DOB(fmt_date_en(birth_date(1950, 2010), pick(['dmy_short', 'iso', 'dmy_long'])))}\n")
    if chance(0.6):
        co = pinyin_name("UPPER").replace(" ", "/")
        out.append(f"Accompanying passenger: {NE(co)}{(' ' + pick(['MS', 'MR', 'CHD'])) if chance(0.6) else ''}\n")
    out.append(f"Frequent flyer: {pick(['Miles & More', 'Asia Miles', 'KrisFlyer'])} {rng.randint(10**8, 10**9 - 1)}\n")
    return "".join(out)


def t_chat_en():
    # directory-style exports show "Surname, Given" display names; messages use the plain form
    directory = chance(0.3)
    ppl, disp = [], {}
    for _ in range(rng.randint(3, 4)):
        if chance(0.45):
            parts = zh_name_parts()
            plain = pinyin_name(pick(["SG", "GS", "S_G_CAPS"]), parts)
            d = pinyin_name("S,G", parts)
        else:
            f, l_ = en_first(), en_last()
            plain, d = f"{f} {l_}", f"{l_}, {f}"
        ppl.append(plain)
        disp[plain] = d if directory else plain
    dt = recent_dt()
    out = [f"#{pick(['ops-oncall', 'shipping-cn', 'release-4-2', 'finance'])} — exported {dt:%Y-%m-%d}\n"]
    for _ in range(rng.randint(5, 8)):
        dt += datetime.timedelta(minutes=rng.randint(1, 20))
        sp = pick(ppl)
        other = pick([p for p in ppl if p != sp])
        msg = pick([f"@{NE(other)} can you check the build? agent {version4()} fails on {IP(ipv4(True))}",
                    f"morning all — {NE(other)} is out today, I'm covering",
                    "LGTM, merging now",
                    f"the customer {NE(any_latin_name())} called again about order {rng.randint(10**9, 10**10 - 1)}",
                    f"{pick(LINE_START_EN)}",
                    f"ping {NE(other)} re: {pick(COMPANIES_EN)} contract",
                    f"the address they gave is {AD(addr_urban())}, contact {MO()}",
                    f"new delivery address: {AD()} (receiver {NZ()}, {MO()})",
                    f"customer email is {EM()}, phone {MO()}",
                    f"{pick(PRODUCTS_EN)} back in stock?",
                    f"thanks {NE(other)}!"])
        out.append(f"[{dt:%H:%M}] {NE(disp[sp])}: {msg}\n")
    return "".join(out)


def t_meeting_en():
    ppl = [any_latin_name() for _ in range(rng.randint(4, 6))]
    out = [f"{pick(['Weekly Sync', 'Quarterly Business Review', 'Incident Postmortem', 'Project Kickoff'])} — "
           f"{pick(['Platform Team', 'APAC Sales', 'Warehouse Ops'])}\n",
           f"Date: {recent_dt():%Y-%m-%d}\n",
           f"Attendees: {', '.join(NE(p) + (' <' + EM(name=p) + '>' if chance(0.4) else '') + (' (remote)' if chance(0.15) else '') for p in ppl)}\n"]
    if chance(0.5):
        out.append(f"Apologies: {NE()}\n")
    out.append(f"\nAgenda\n1. Release Planning\n2. Customer Escalations\n3. {pick(['Budget Review', 'Hiring Update', 'Next Steps'])}\n"
               f"\nNotes\n- {NE(ppl[0])} walked through the {pick(['Q3 roadmap', 'incident timeline', 'pipeline'])}; "
               f"{pick(COMPANIES_EN)} wants delivery by {pick(MONTHS)}.\n"
               f"- {NE(ppl[1])} raised concerns about the {pick(PRODUCTS_EN)} launch.\n"
               f"- Version {version4()} rolled back on {IP(ipv4(True))}.\n"
               f"\nAction Items\n")
    for _ in range(rng.randint(2, 4)):
        out.append(pick([f"- [ ] {NE(pick(ppl))}: update the runbook\n",
                         f"- [ ] Owner: {NE(pick(ppl))} — follow up with {pick(COMPANIES_EN)}\n",
                         f"- [x] Send minutes to {NE(pick(ppl))} ({EM()})\n"]))
    return "".join(out)


def t_shipping_en():
    to = pinyin_name(pick(["UPPER", "SG", "S_G_CAPS"])) if chance(0.6) else en_name()
    out = [f"SHIP TO:\n{NE(to)}\n{AD(addr_urban())}\nTEL: {MO()}\n\n",
           f"FROM:\n{pick(COMPANIES_EN)}\n{rng.randint(10, 9999)} {pick(US_STREETS)}\n"
           f"{pick(['Dallas, TX 75201', 'Newark, NJ 07102', 'Oakland, CA 94607'])}\n",
           f"Attn: {NE(en_name())}\n" if chance(0.5) else "",
           f"\nTRACKING #: 1Z{fen.bothify('###??#').upper()}{rng.randint(10**9, 10**10 - 1)}\n",
           f"Weight: {rng.randint(1, 30)}.{rng.randint(0, 9)} kg   Contents: {pick(PRODUCTS_EN)}\n",
           f"Declared by: {NE(en_name(comma=True))}   Date: {recent_dt():%m/%d/%Y}\n"]
    return "".join(out)


def t_hr_csv_en():
    out = ["employee_id,full_name,email,mobile,date_of_birth,last_login_ip,client_version\n"]
    for _ in range(rng.randint(3, 7)):
        n = pinyin_name(pick(["S,G", "SG", "GS"])) if chance(0.6) else en_name(pick(["FL", "LF_comma", "FML"]))
        cell = f"\"{NE(n)}\"" if "," in n else NE(n)
        dob = birth_date(1965, 2002)
        out.append(f"E{rng.randint(1000, 9999)},{cell},{EM(name=n)},{MO(mobile('plain'))},"
                   f"{DOB(fmt_date_en(dob, pick(['iso', 'us0'])))},{IP(ipv4())},{version4()}\n")
    return "".join(out)


def t_us_form_en():
    f, l_ = en_first(), en_last()
    mid = pick("ABCDEFGHJKLMNPRSTW")
    legal = pick([f"{f} {mid}. {l_}", f"{l_}, {f} {mid}.", f"{f} {l_}"])
    dob = birth_date(1960, 2002)
    ec = en_name()
    out = [f"EMPLOYEE ONBOARDING FORM\n\nLegal Name: {NE(legal)}\n",
           f"SSN: {SSN()}\n",
           f"Date of Birth: {DOB(fmt_date_en(dob, pick(['us0', 'us', 'mdy_long'])))}\n",
           f"Home Address: {rng.randint(10, 9999)} {pick(US_STREETS)}, {pick(['Springfield, IL 62704', 'Columbus, OH 43004'])}\n",
           f"Emergency Contact: {NE(ec)} ({pick(['spouse', 'mother', 'brother'])}), +1 {rng.randint(201, 989)}-555-{rng.randint(1000, 9999)}\n",
           f"Hiring Manager: {NE(en_name(comma=True))}\nDepartment: Customer Success\nJob Title: {pick(JOB_TITLES)}\n",
           f"Start Date: {recent_dt():%m/%d/%Y}\n"]
    if chance(0.5):
        out.append(f"Direct deposit: routing {rng.randint(10**8, 10**9 - 1)}, account ending {rng.randint(1000, 9999)}\n")
    out.append(f"Signed: {NE(legal if ',' not in legal else f + ' ' + l_)}")
    return "".join(out)


def t_news_en():
    subj = en_name(pick(["FL", "FML"]))
    age = rng.randint(28, 80)
    off = en_name()
    py = pinyin_name(pick(["SG", "GS"]))
    out = [f"{pick(['Local bakery owner', 'Retired teacher', 'Volunteer firefighter'])} {NE(subj)}, {age}, "
           f"{pick(['said', 'told reporters', 'explained'])} that the {pick(['flooding', 'road works', 'power outage'])} on "
           f"{pick(US_STREETS)} had {pick(['cost her thousands', 'shut the shop for a week', 'left neighbours stranded'])}. "
           f"\"{pick(['We just want answers', 'Nobody warned us', 'It was chaos'])},\" {NE(subj)} said.\n",
           f"City spokesperson {NE(off)} said crews from {pick(COMPANIES_EN)} would finish repairs by {pick(MONTHS)}. "
           f"Exchange student {NE(py)}, who lives nearby, helped {pick(['clear debris', 'translate for neighbours', 'run the shelter'])}.\n"]
    if chance(0.6):
        out.append(f"{pick(LINE_START_EN)} Meanwhile, {pick(PRODUCTS_EN)} sales rose at the {pick(['Lincoln', 'Washington', 'Jackson'])} "
                   f"Mall, according to {pick(COMPANIES_EN)}.\n")
    out.append(f"Reporting by {NE(en_name())}; editing by {NE(en_name())}")
    return "".join(out)


# --------------------------------------------------------------------------------------------
# templates — mixed / logs / negatives


def t_kyc_bi():
    parts = zh_name_parts()
    zh = parts[0] + parts[1]
    py = pinyin_name(pick(["SG", "S_G_CAPS", "UPPER", "GS"]), parts)
    dob = birth_date(1960, 2004)
    out = [f"Customer Due Diligence / 客户尽职调查\n",
           f"Full Name / 姓名: {NE(py)} ({NZ(zh)})\n",
           f"{pick(['ID No.', 'ID Number', 'Identity Card No.', '证件号码 / ID No.'])}: {RID(resident_id(dob=dob))}\n"]
    if chance(0.6):
        out.append(f"{pick(['Passport No.', 'Passport Number', '护照号 / Passport'])}: {PP()}\n")
    out.append(f"{pick(['Date of Birth', 'DOB', 'Birth Date / 出生日期'])}: {DOB(fmt_date_en(dob) if chance(0.6) else fmt_date_zh(dob))}\n")
    out.append(f"Mobile / 手机: {MO()}\n")
    if chance(0.7):
        out.append(f"{pick(['Card No.', 'Debit card', '银行卡号 / Card No.'])}: {CARD()}\n")
    if chance(0.5):
        out.append(f"IBAN: {IBAN()}\n")
    out.append(f"Residential Address / 住址: {AD()}\n")
    out.append(f"Onboarding IP: {IP()} (app {version4()})\n")
    out.append(f"Reviewed by: {NE(en_name())} / {NZ()}\n")
    return "".join(out)


def t_syslog():
    dt = recent_dt()
    out = []
    for _ in range(rng.randint(5, 9)):
        dt += datetime.timedelta(seconds=rng.randint(1, 300))
        ts = dt.strftime("%Y-%m-%dT%H:%M:%SZ") if chance(0.5) else dt.strftime("%b %d %H:%M:%S")
        host = f"{pick(['web', 'api', 'db', 'edge'])}-{rng.randint(1, 40):02d}"
        out.append(pick([
            f"{ts} {host} sshd[{rng.randint(100, 40000)}]: Accepted publickey for deploy from {IP(ipv4())} port {rng.randint(1024, 65535)}\n",
            f"{ts} {host} agent[{rng.randint(100, 9999)}]: version {version4()} heartbeat ok from {IP(ipv4(True))}\n",
            f"{ts} {host} kernel: firmware {version4()} loaded, build {version4(False)}\n",
            f"{ts} {host} nginx: {IP()} - - \"GET /api/v{rng.randint(1, 3)}/orders/{rng.randint(10**8, 10**9)} HTTP/1.1\" 200 {rng.randint(100, 9000)}\n",
            f"{ts} {host} audit: user {NZ()} (uid={rng.randint(1000, 2000)}) exported report from {IP(ipv4(True))}\n",
            f"{ts} {host} audit: operator={NE(pinyin_name(pick(['SG', 'GS'])))} action=reset_password target_uid={rng.randint(10**5, 10**6)}\n",
            f"{ts} {host} app: upgrade {version3()} -> {version4()} ok, trace={rng.getrandbits(64):016x}\n",
            f"{ts} {host} app: login ok user_id={rng.randint(10**6, 10**7)} ip={IP()} ua=\"Mozilla/5.0 Chrome/{version4(False)}\"\n",
            f"{ts} {host} dns: resolved cdn.example.com -> {IP(ipv4(False))} ttl=300\n"]))
    return "".join(out)


def t_negatives():
    out = []
    for _ in range(rng.randint(4, 8)):
        out.append(neg_line_zh() if chance(0.55) else neg_line_en())
    if chance(0.5):
        out.append(f"{pick(COMPANIES_EN)} — Release Notes {version4()}")
    if chance(0.5):
        out.append(f"{pick(JOB_TITLES)} wanted: {pick(COMPANIES_EN)}, {pick(US_STREETS)} office")
    if chance(0.4):
        out.append(pick(["Project Summary", "Key Findings", "Next Steps", "Annual Report 2023", "Terms and Conditions"]))
    if chance(0.4):
        out.append(f"{pick(['高新区', '经开区', '张江高科', '杨浦滨江', '王府井'])}{pick(['招商会', '管委会', '商圈'])}将于"
                   f"{recent_dt():%m月%d日}在{pick(BARE_PLACES)}举行")
    rng.shuffle(out)
    return "\n".join(out)


def t_kv_log():
    out = []
    dt = recent_dt()
    for _ in range(rng.randint(3, 6)):
        dt += datetime.timedelta(seconds=rng.randint(1, 900))
        ts = dt.strftime("%Y-%m-%d %H:%M:%S")
        dob = birth_date(1958, 2004)
        k = rng.randint(0, 6)
        if k == 0:
            out.append(f"{ts} INFO kyc.verify name={NZ()} id_no={RID(resident_id(dob=dob))} mobile={MO(mobile('plain'))} "
                       f"result=PASS ip={IP()} app_ver={version4()}")
        elif k == 1:
            out.append(jdump({"ts": int(dt.timestamp() * 1000), "event": "bind_card",
                                   "user": {"real_name": NZ(), "id_card": RID(), "card_no": CARD(bank_card(spaced=False))},
                                   "bank": pick(["ICBC", "CCB", "CMB", "ABC"]), "order_id": fake_18_digit()}))
        elif k == 2:
            out.append(f"level=warn msg=\"address changed\" uid={rng.randint(10**5, 10**7)} old_addr=\"{AD()}\" "
                       f"new_addr=\"{AD()}\" lat_lng={GPS(gps(','))}")
        elif k == 3:
            out.append(f"{ts} DEBUG passport_check passport_no={PP()} birth_date={DOB(dob.isoformat())} "
                       f"holder=\"{NE(pinyin_name('UPPER'))}\" nationality=CN trace={rng.getrandbits(64):016x}")
        elif k == 4:
            out.append(jdump({"time": dt.isoformat() + "+08:00", "svc": "crm", "contact": {"name": NE(any_latin_name()),
                                   "email": EM(), "tel": TEL()}, "sdk": version4(), "client_ip": IP()}))
        elif k == 5:
            out.append(f"{ts} WARN risk uid={rng.randint(10**6, 10**7)} masked_mobile={pick(MOBILE_PREFIXES)}****{rng.randint(1000, 9999)} "
                       f"card=**** **** **** {rng.randint(1000, 9999)} amount={rng.randint(1, 99999)}.00 device_ip={IP()}")
        else:
            out.append(f"{ts} INFO courier.assign order={fake_18_digit()} driver={NZ()} plate={PL()} "
                       f"driver_mobile={MO()} pickup=\"{AD()}\" gps={GPS(gps(pick([',', ', '])))}")
    return "\n".join(out)


def t_sms_zh():
    msgs = []
    for _ in range(rng.randint(3, 5)):
        k = rng.randint(0, 8)
        if k == 0:
            msgs.append(f"【{pick(['招商银行', '工商银行', '建设银行'])}】您尾号{rng.randint(1000, 9999)}的储蓄卡{recent_dt():%m月%d日%H:%M}"
                        f"{pick(['支出', '收入'])}人民币{rng.randint(1, 9999)}.00元，余额{rng.randint(1, 99999)}.{rng.randint(10, 99)}元。")
        elif k == 1:
            msgs.append(f"【{pick(['中通快递', '菜鸟驿站', '韵达快递'])}】{NZ()}您好，您的包裹已到{AD(addr_urban())}"
                        f"{pick(['菜鸟驿站', '快递柜', '门卫室'])}，取件码{rng.randint(1, 9)}-{rng.randint(1, 9)}-{rng.randint(1000, 9999)}，"
                        f"有疑问请联系{MO()}。")
        elif k == 2:
            msgs.append(f"【平安好车主】尊敬的{NZ()}车主，您的爱车{PL()}商业险将于{recent_dt():%Y-%m-%d}到期，详询{pick(['95511', '400-800-0000'])}。")
        elif k == 3:
            msgs.append(f"【{pick(['京东', '淘宝', '美团'])}】验证码{rng.randint(100000, 999999)}，{pick(['5', '10'])}分钟内有效，请勿泄露。")
        elif k == 4:
            msgs.append(f"【政务服务】{NZ()}，您申请的{pick(['居住证', '护照', '港澳通行证'])}已办结，"
                        f"请携带身份证（{RID()}）原件到{AD(addr_urban())}{pick(['政务服务中心', '出入境接待大厅', ''])}领取。")
        elif k == 5:
            msgs.append(f"您好，我是{NZ()}，以后用新号码{MO()}联系我，旧号作废。")
        elif k == 6:
            msgs.append(f"【支付宝】{NZ()}向您尾号{rng.randint(1000, 9999)}的账户转入{rng.randint(1, 9999)}.00元，"
                        f"转账备注：{pick(['房租', '货款', '还款', '红包'])}。")
        elif k == 7:
            msgs.append(f"【12306】订单{pick('EGK')}{rng.randint(10**8, 10**9 - 1)}，{NZ()}您已购{recent_dt():%m月%d日}"
                        f"{pick('GDK')}{rng.randint(1, 9999)}次{rng.randint(1, 16):02d}车{rng.randint(1, 20)}{pick('ABCDF')}号，"
                        f"检票口{pick('ABC')}{rng.randint(1, 20)}。")
        else:
            msgs.append(f"【房东{NZ()}】本月房租{rng.randint(8, 60) * 100}元请转至{pick(['工行', '建行', '农行'])}"
                        f"{CARD()}，户名{NZ()}。")
    return "\n".join(msgs)


def t_id_mixed():
    lines = []
    dob = birth_date(1955, 2004)
    for _ in range(rng.randint(5, 8)):
        k = rng.randint(0, 11)
        if k == 0:
            lines.append(f"{pick(['ID No.', 'ID no', 'ID#', '证件号码', '身份证', 'Citizen ID'])}: {RID(resident_id(dob=dob, spaced=chance(0.2)))}")
        elif k == 1:
            lines.append(f"{pick(['Card No.', 'Card Number', '账号', '帐号', '收款卡号', 'A/C No.'])}: {CARD()}")
        elif k == 2:
            lines.append(f"{pick(['Passport No.', 'Passport #', '护照', 'Travel Doc. No.'])}: {PP()}")
        elif k == 3:
            lines.append(pick([f"D.O.B.: {DOB(fmt_date_en(dob))}", f"Born: {DOB(fmt_date_en(dob, 'mdy_long'))}",
                               f"出生：{DOB(fmt_date_zh(dob))}", f"生日 {DOB(fmt_date_zh(dob, pick(['iso', 'slash'])))}"]))
        elif k == 4:
            lines.append(pick([f"{NZ()}，{pick(['男', '女'])}，生于{DOB(fmt_date_zh(dob, 'ymd_zh'))}，{pick(['汉族', '满族'])}。",
                               f"{NE(en_name())} was born on {DOB(fmt_date_en(dob, pick(['mdy_long', 'dmy_long'])))} in {pick(['Ohio', 'Leeds', 'Perth'])}."]))
        elif k == 5:
            lines.append(f"{pick(['Tel', '电话', 'Contact'])}: {MO()} / {TEL()}")
        elif k == 6:
            lines.append(f"{pick(['Beneficiary', '收款人', 'Account holder'])}: {NE(any_latin_name(comma=True)) if chance(0.5) else NZ()}  IBAN {IBAN()}")
        elif k == 7:
            lines.append(f"{pick(['Login IP', '登录IP', 'Source'])}: {IP()}  {pick(['Client', '客户端版本', 'ver'])} {version4()}")
        elif k == 8:
            lines.append(f"{pick(['签发日期', 'Issue date', '有效期至', 'Expiry'])}: {recent_dt():%Y-%m-%d}")
        elif k == 9:
            lines.append(neg_line_zh() if chance(0.5) else neg_line_en())
        elif k == 10:
            lines.append(f"{pick(['Mailing address', '通讯地址', 'Addr'])}: {AD()}")
        else:
            lines.append(f"{pick(['Plate', '车牌', '车牌号码'])}: {PL()}  GPS {GPS()}")
    return "\n".join(lines)


def masked_name():
    s, g, _, _ = zh_name_parts()
    return pick([s + "*" * len(g), s + "*", s + "某", s + "某某", s + "**" if len(g) == 1 else s + "*" + g[-1]])


def t_orders_csv_zh():
    """Order export: masked consignee names (hard negatives), full mobiles and addresses."""
    hdr = pick([["订单编号", "收货人", "收货电话", "收货地址", "下单时间", "金额"],
                ["order_no", "consignee", "phone", "ship_addr", "created_at", "sku"]])
    out = [",".join(hdr) + "\n"]
    for _ in range(rng.randint(4, 8)):
        dt = recent_dt()
        mask = chance(0.7)
        row = [pick([fake_18_digit(), f"{dt:%Y%m%d}{rng.randint(10**9, 10**10 - 1)}", f"E{rng.randint(10**11, 10**12 - 1)}"]),
               masked_name() if mask else NZ(),
               MO(mobile(pick(["plain", "plain", "dash", "+86"]))) if not mask or chance(0.6)
               else f"{pick(MOBILE_PREFIXES)}****{rng.randint(1000, 9999)}",
               AD(addr_any()),
               f"{dt:%Y-%m-%d %H:%M:%S}",
               pick([f"{rng.randint(10, 3000)}.{rng.randint(0, 99):02d}", f"SKU-{rng.randint(10**5, 10**6)}"])]
        if "," in row[3]:
            row[3] = f'"{row[3]}"'
        out.append(",".join(row) + "\n")
    return "".join(out)


TEMPLATES = [
    (t_news_zh, "zh", 16), (t_work_report_zh, "zh", 10), (t_minutes_zh, "zh", 10), (t_notice_zh, "zh", 12),
    (t_judgment_zh, "zh", 16), (t_police_zh, "zh", 16), (t_cs_transcript_zh, "zh", 16), (t_wechat_group_zh, "zh", 16),
    (t_dingtalk_zh, "zh", 12), (t_signup_zh, "zh", 12), (t_table_zh, "zh", 18), (t_csv_zh, "zh", 14),
    (t_form_zh, "zh", 24), (t_express_zh, "zh", 18), (t_addr_sentences_zh, "zh", 22), (t_hktw_zh, "zh", 16),
    (t_email_en, "mixed", 16), (t_cv_en, "mixed", 14), (t_invoice_en, "mixed", 14), (t_boarding_en, "en", 14),
    (t_chat_en, "mixed", 10), (t_meeting_en, "mixed", 10), (t_shipping_en, "mixed", 12), (t_hr_csv_en, "en", 12),
    (t_us_form_en, "en", 12), (t_news_en, "en", 8), (t_kyc_bi, "mixed", 16), (t_syslog, "mixed", 16),
    (t_kv_log, "mixed", 32), (t_sms_zh, "zh", 24), (t_id_mixed, "mixed", 36), (t_orders_csv_zh, "zh", 22), (t_negatives, "mixed", 18),
]


# --------------------------------------------------------------------------------------------
# validation of every labelled value

MOBILE_RE = re.compile(r"^(?:\+86[ -]?|0086 ?|86-|\(\+86\))?(1\d{2})[ -]?(\d{4})[ -]?(\d{4})$")


def check_span(val, typ):
    v = val.translate(str.maketrans("０１２３４５６７８９", "0123456789"))
    if typ == "CN_RESIDENT_ID":
        ric.validate(v.replace(" ", ""))
    elif typ == "BANK_CARD":
        d = v.replace(" ", "")
        assert d.isdigit() and 16 <= len(d) <= 19 and luhn.is_valid(d), val
    elif typ == "IBAN":
        std_iban.validate(v)
    elif typ == "CN_MOBILE":
        m = MOBILE_RE.match(v)
        assert m and m.group(1) in MOBILE_PREFIXES, val
    elif typ == "CN_LANDLINE":
        assert re.fullmatch(r"[0-9()（）+ -]+", v) and 10 <= sum(c.isdigit() for c in v) <= 13, val
    elif typ == "EMAIL":
        assert re.fullmatch(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", v), val
    elif typ == "CN_PASSPORT":
        assert re.fullmatch(r"[EG][A-Z0-9]\d{7}", v), val
    elif typ == "IP_ADDRESS":
        import ipaddress
        ipaddress.ip_address(v)
    elif typ == "GPS_COORDINATE":
        a, b = [float(x) for x in re.split(r"[,，]\s*|\s+", v)]
        assert (-90 <= a <= 90 and -180 <= b <= 180) or (-90 <= b <= 90), val
    elif typ == "US_SSN":
        a, g, s = v.split("-")
        assert a not in ("000", "666") and a[0] != "9" and g != "00" and s != "0000", val
    elif typ == "PERSON_NAME_ZH":
        assert 2 <= len(v.replace("　", "")) <= 4 and re.fullmatch(r"[\u4e00-\u9fff　]+", v), val
    elif typ == "PERSON_NAME_EN":
        assert re.fullmatch(r"[A-Za-z][A-Za-z' ,./-]*[A-Za-z.]", v), val
        assert not re.search(r"\b(Mr|Ms|Mrs|Dr|Prof)\b", v), val
    elif typ == "ADDRESS_ZH":
        assert re.search(r"[路街道号號村组組弄巷樓楼室]", v), val
    elif typ == "DATE_OF_BIRTH":
        assert re.search(r"\d{4}", v), val


def main():
    weights = [w for _, _, w in TEMPLATES]
    total = sum(weights)
    counts = [round(N_DOCS * w / total) for w in weights]
    counts[-1] += N_DOCS - sum(counts)
    plan = []
    for (fn, lang, _), c in zip(TEMPLATES, counts):
        plan += [(fn, lang)] * c
    rng.shuffle(plan)
    for i, (fn, lang) in enumerate(plan):
        text, spans = finish(fn())
        for s in spans:
            check_span(text[s["start"]:s["end"]], s["type"])
        rec = {"id": f"tune-{i:06d}", "template": fn.__name__, "lang": lang, "text": text, "spans": spans}
        sys.stdout.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
