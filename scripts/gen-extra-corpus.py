#!/usr/bin/env python3
"""Writes testdata/pii-extra.jsonl: labelled documents in layouts the dev corpus does not have
(CSV exports, key=value logs, SMS, Markdown tables, chat, full-width digits, 0086 prefixes,
spaced ID numbers, lng,lat order), in the dev corpus' format, for the scorer.

Deterministic (seeded). Values are synthetic and re-validated like the dev corpus'.

    python3 scripts/gen-extra-corpus.py > testdata/pii-extra.jsonl
"""
import json
import random
import sys

R = random.Random(20261127)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉玲建红波宁晨欣怡子涵浩宇梓轩雨嘉琪思颖佳俊博文斌海燕雪梅琳晓慧婷"
PROVINCE_CITY = [
    ("北京市", "朝阳区"), ("上海市", "浦东新区"), ("广东省深圳市", "南山区"), ("浙江省杭州市", "西湖区"),
    ("江苏省南京市", "鼓楼区"), ("四川省成都市", "武侯区"), ("湖北省武汉市", "洪山区"), ("河南省郑州市", "金水区"),
    ("山东省青岛市", "市南区"), ("福建省厦门市", "思明区"), ("陕西省西安市", "雁塔区"), ("辽宁省大连市", "沙河口区"),
]
ROADS = ["人民路", "解放大道", "中山北路", "建设街", "学府路", "滨江大道", "和平里", "长安街", "科技园南路", "东风巷"]
ESTATES = ["阳光花园", "世纪城", "锦绣家园", "海景公寓", "创业大厦"]
EN_FIRST = ["James", "Mary", "Robert", "Linda", "Michael", "Sarah", "David", "Emily", "Daniel", "Laura"]
EN_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Clark", "Lewis", "Walker", "Young", "King"]
PINYIN = ["Zhang Wei", "Li Na", "Wang Fang", "Liu Yang", "Chen Jie", "Zhao Lei", "Huang Min", "Zhou Tao"]
PLATE_PROV = "京沪粤浙苏川鄂豫鲁闽陕辽"
REGION6 = ["110105", "310115", "440305", "330106", "320106", "510107", "420111", "410105"]


def rand_name():
    return R.choice(SURNAMES) + "".join(R.choice(GIVEN) for _ in range(R.choice([1, 2])))


def id_number():
    y, m, d = R.randint(1960, 2004), R.randint(1, 12), R.randint(1, 28)
    body = f"{R.choice(REGION6)}{y:04d}{m:02d}{d:02d}{R.randint(0, 999):03d}"
    w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(a) * b for a, b in zip(body, w)) % 11]


def luhn_complete(prefix, length):
    digits = prefix + "".join(str(R.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch)
        if i % 2 == 0:
            v *= 2
            if v > 9:
                v -= 9
        total += v
    return digits + str((10 - total % 10) % 10)


def mobile():
    return "1" + R.choice("3456789") + "".join(str(R.randint(0, 9)) for _ in range(9))


def iban_de():
    bban = "".join(str(R.randint(0, 9)) for _ in range(18))
    num = int("".join(str(int(c, 36)) for c in bban + "DE00"))
    return f"DE{98 - num % 97:02d}{bban}"


def address():
    pc, dist = R.choice(PROVINCE_CITY)
    s = f"{pc}{dist}{R.choice(ROADS)}{R.randint(1, 999)}号"
    if R.random() < 0.5:
        s += f"{R.choice(ESTATES)}{R.randint(1, 30)}栋{R.randint(1, 6)}单元{R.randint(1, 30)}0{R.randint(1, 4)}室"
    return s


def plate():
    return R.choice(PLATE_PROV) + R.choice("ABCDEFGHJK") + "".join(R.choice("0123456789") for _ in range(5))


def fullwidth(s):
    return "".join(chr(ord(c) + 0xFEE0) if c.isdigit() else c for c in s)


class Doc:
    def __init__(self, template):
        self.template, self.parts, self.spans = template, [], []

    def t(self, s):
        self.parts.append(s)
        return self

    def pi(self, s, typ):
        start = sum(len(p) for p in self.parts)
        self.parts.append(s)
        self.spans.append((start, start + len(s), typ))
        return self

    def done(self, i):
        text = "".join(self.parts)
        spans = []
        for a, b, t in self.spans:
            spans.append({"start": a, "end": b, "bstart": len(text[:a].encode()), "bend": len(text[:b].encode()), "type": t})
        return {"id": f"x-{i:05d}", "template": self.template, "lang": "mixed", "text": text, "spans": spans}


def t_csv(d):
    d.t("姓名,手机号,身份证号,住址\n")
    for _ in range(R.randint(2, 4)):
        d.pi(rand_name(), "PERSON_NAME_ZH").t(",").pi(mobile(), "CN_MOBILE").t(",").pi(id_number(), "CN_RESIDENT_ID").t(",").pi(address(), "ADDRESS_ZH").t("\n")


def t_kv_log(d):
    for _ in range(R.randint(2, 3)):
        d.t(f"2025-0{R.randint(1, 9)}-1{R.randint(0, 9)}T0{R.randint(0, 9)}:1{R.randint(0, 9)}:22Z INFO login uid={R.randint(1000, 99999)} name=")
        d.pi(rand_name(), "PERSON_NAME_ZH").t(" mobile=").pi("+86" + mobile(), "CN_MOBILE").t(" ip=")
        d.pi(f"{R.randint(11, 223)}.{R.randint(0, 255)}.{R.randint(0, 255)}.{R.randint(1, 254)}", "IP_ADDRESS")
        d.t(f" ver=v{R.randint(1, 9)}.{R.randint(0, 20)}.{R.randint(0, 99)} latency_ms={R.randint(3, 900)}\n")


def t_sms(d):
    d.t("【出行平台】尊敬的乘客，您的司机").pi(rand_name(), "PERSON_NAME_ZH").t("师傅（车牌").pi(plate(), "CN_LICENSE_PLATE")
    d.t("）已到达上车点，联系电话").pi(mobile(), "CN_MOBILE").t("。如需帮助请拨打客服95128。验证码").t(str(R.randint(100000, 999999))).t("，5分钟内有效。")


def t_fullwidth(d):
    d.t("客户资料\n联系电话：").pi(fullwidth(mobile()), "CN_MOBILE").t("\n身份证号：").pi(fullwidth(id_number()), "CN_RESIDENT_ID")
    d.t("\n备注：已回访。\n")


def t_0086(d):
    m = mobile()
    d.t("Shipper contact: ").pi(R.choice(EN_FIRST) + " " + R.choice(EN_LAST), "PERSON_NAME_EN").t(", Tel: ")
    d.pi(f"0086 {m[:3]} {m[3:7]} {m[7:]}", "CN_MOBILE").t(", e-mail ")
    d.pi(f"{R.choice(['ops', 'lily.w', 'zhangwei88'])}@{R.choice(['example.com', 'qq.com', '163.com'])}", "EMAIL").t(".\n")


def t_spaced_id(d):
    i = id_number()
    d.t("实名认证：身份证号码 ").pi(f"{i[:6]} {i[6:14]} {i[14:]}", "CN_RESIDENT_ID").t("，出生日期：")
    d.pi(f"{i[6:10]}年{int(i[10:12])}月{int(i[12:14])}日", "DATE_OF_BIRTH").t("，认证通过。")


def t_lnglat(d):
    lng, lat = round(R.uniform(100, 125), 6), round(R.uniform(20, 45), 6)
    d.t("{\"event\":\"pickup\",\"coord_type\":\"lng,lat\",\"pos\":\"").pi(f"{lng},{lat}", "GPS_COORDINATE")
    d.t(f"\",\"order_no\":\"{R.randint(10**17, 10**18 - 1)}\",\"driver_plate\":\"").pi(plate(), "CN_LICENSE_PLATE").t("\"}")


def t_md_table(d):
    d.t("| 姓名 | 电话 | 银行卡 |\n|---|---|---|\n")
    for _ in range(R.randint(2, 3)):
        m = mobile()
        card = luhn_complete("6222", 19)
        d.t("| ").pi(rand_name(), "PERSON_NAME_ZH").t(" | ").pi(f"{m[:3]}-{m[3:7]}-{m[7:]}", "CN_MOBILE").t(" | ").pi(card, "BANK_CARD").t(" |\n")


def t_chat(d):
    d.t("客户：你好，我叫").pi(rand_name(), "PERSON_NAME_ZH").t("，手机号").pi(mobile(), "CN_MOBILE").t("，地址是").pi(address(), "ADDRESS_ZH")
    d.t("，麻烦尽快送货。\n客服：好的，已为您登记，单号").t(str(R.randint(10**15, 10**16 - 1))).t("。")


def t_en_letter(d):
    first, last = R.choice(EN_FIRST), R.choice(EN_LAST)
    d.t("Dear ").pi(f"{first} {last}", "PERSON_NAME_EN").t(",\nWe received your request. The card ")
    d.pi(luhn_complete("4", 16), "BANK_CARD").t(" will be refunded to IBAN ").pi(iban_de(), "IBAN").t(". Our records list your SSN as ")
    d.pi(f"{R.randint(100, 665)}-{R.randint(10, 99)}-{R.randint(1000, 9999)}", "US_SSN").t(" and date of birth ")
    d.pi(f"{R.choice(['March', 'July', 'October'])} {R.randint(1, 28)}, {R.randint(1960, 2000)}", "DATE_OF_BIRTH").t(".\nRegards, Support Team")


def t_pinyin(d):
    d.t("Passenger: ").pi(R.choice(PINYIN), "PERSON_NAME_EN").t("\nPassport: ").pi("E" + "".join(str(R.randint(0, 9)) for _ in range(8)), "CN_PASSPORT")
    d.t("\nLandline: ").pi(f"(0{R.choice(['10', '21', '571'])}){R.randint(2, 8)}{R.randint(1000000, 9999999)}", "CN_LANDLINE").t("\n")


def t_negatives(d):
    d.t(f"build 3.{R.randint(0, 9)}.{R.randint(0, 9)}.{R.randint(100, 999)} deployed; order {R.randint(10**17, 10**18 - 1)}; ")
    d.t(f"trace {R.getrandbits(128):032x}; 用户手机 13{R.randint(0, 9)}****{R.randint(1000, 9999)}; 客服热线 400-{R.randint(100, 999)}-{R.randint(1000, 9999)}; ")
    d.t(f"timestamp {R.randint(1600000000000, 1800000000000)}; 金额 {R.randint(1, 999)}.{R.randint(10, 99)} 元")


TEMPLATES = [t_csv, t_kv_log, t_sms, t_fullwidth, t_0086, t_spaced_id, t_lnglat, t_md_table, t_chat, t_en_letter, t_pinyin, t_negatives]


def main():
    out = sys.stdout
    for i in range(360):
        f = TEMPLATES[i % len(TEMPLATES)]
        d = Doc(f.__name__)
        f(d)
        out.write(json.dumps(d.done(i), ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
