//! Detector behaviour as data: each case is an input and the findings it must give, written
//! as (type, exact text). Negative cases expect nothing.

use custodian_detect::{Detector, PiType};
use proptest::prelude::*;

use PiType::*;
use common::check;

mod common;

#[test]
fn resident_ids() {
    check(
        "身份证号：11010519491231002X",
        &[(CnResidentId, "11010519491231002X")],
    );
    check(
        "证件号码 110105 19491231 002X 已核验",
        &[(CnResidentId, "110105 19491231 002X")],
    );
    check(
        "身份证号：１１０１０５１９４９１２３１００２Ｘ",
        &[(CnResidentId, "１１０１０５１９４９１２３１００２Ｘ")],
    );
    check(
        "身份证 110105491231002",
        &[(CnResidentId, "110105491231002")],
    );
    check(
        "身份证：110105 1990 0101 1232",
        &[(CnResidentId, "110105 1990 0101 1232")],
    );
    check(
        "身份证号 1101 0519 9001 0112 32",
        &[(CnResidentId, "1101 0519 9001 0112 32")],
    );
    // wrong check digit, order numbers, legacy form without a cue
    check("身份证号：110105194912310021", &[]);
    check("订单号 11010519491231002X", &[]);
    check("工单 #433125196610256437", &[]);
    check("流水 110105491231002", &[]);
    // A number right after another number and a comma (a CSV row) is its own word.
    check(
        "14246341270,110105197012075988,辽宁",
        &[
            (CnMobile, "14246341270"),
            (CnResidentId, "110105197012075988"),
        ],
    );
}

/// Tables written as text: the header of a cell's column is its context.
#[test]
fn table_columns() {
    check(
        "| 姓名 | 城市 | 出生日期 |\n|---|---|---|\n| 陈晓明 | 黄山 | 1990-05-03 |\n| 刘洋 | 常州 | 1988/12/25 |\n",
        &[
            (PersonNameZh, "陈晓明"),
            (DateOfBirth, "1990-05-03"),
            (PersonNameZh, "刘洋"),
            (DateOfBirth, "1988/12/25"),
        ],
    );
    check(
        "name,city,dob,phone\nEmily Carter,Huangshan,03/05/1990,13812345678\n",
        &[
            (PersonNameEn, "Emily Carter"),
            (DateOfBirth, "03/05/1990"),
            (CnMobile, "13812345678"),
        ],
    );
    // A reference column's numbers are not phones, whatever the header above says last.
    check(
        "订单号\t金额\t收件人\n13812345678\t99.00\t王建国\n",
        &[(PersonNameZh, "王建国")],
    );
    // A place or organisation word anywhere in the header: no names from the model there.
    check(
        "Company Name,Contact\nMitchell Group,Emily Carter\n",
        &[(PersonNameEn, "Emily Carter")],
    );
    // A row with a quoted comma keeps its columns (the comma inside the quotes is the cell's),
    // and the rows after it keep theirs.
    check(
        "姓名,出生日期\n张伟,1990-05-03\n\"李娜, 女\",1991-06-04\n王芳,1992-07-05\n",
        &[
            (PersonNameZh, "张伟"),
            (DateOfBirth, "1990-05-03"),
            (PersonNameZh, "李娜"),
            (DateOfBirth, "1991-06-04"),
            (PersonNameZh, "王芳"),
            (DateOfBirth, "1992-07-05"),
        ],
    );
    // Without a header the same dates are not birth dates.
    check("| 陈晓明 | 1990-05-03 |\n", &[(PersonNameZh, "陈晓明")]);
}

/// Numbers inside URLs are the site's identifiers, unless the key names them.
#[test]
fn numbers_in_urls() {
    check(
        "详情见 https://shop.example.cn/order/13812345678/detail",
        &[],
    );
    check(
        "回调 https://api.example.com/v1/users?uid=13912345678&ref=app",
        &[],
    );
    // A URL ends at the first non-ASCII character.
    check(
        "详见https://t.cn/x，电话13812345678",
        &[(CnMobile, "13812345678")],
    );
    check(
        "https://example.com/?phone=13912345678 手机 13812345678",
        &[(CnMobile, "13912345678"), (CnMobile, "13812345678")],
    );
}

#[test]
fn phones() {
    check("联系电话17108377835，谢谢", &[(CnMobile, "17108377835")]);
    check(
        "tel: +86 138 1234 5678.",
        &[(CnMobile, "+86 138 1234 5678")],
    );
    check("电话0086-13812345678", &[(CnMobile, "0086-13812345678")]);
    check("(+86)17158843322", &[(CnMobile, "(+86)17158843322")]);
    check("用户来电（13812345678）反映", &[(CnMobile, "13812345678")]);
    check(
        "手机：１３８１２３４５６７８",
        &[(CnMobile, "１３８１２３４５６７８")],
    );
    check("phone=181-3312-3303&x=1", &[(CnMobile, "181-3312-3303")]);
    // Grouped with dots; not as a version, nor in four parts (an address's shape).
    check("手机：138.1234.5678。", &[(CnMobile, "138.1234.5678")]);
    check(
        "Mobile 186.0012.3456 (office)",
        &[(CnMobile, "186.0012.3456")],
    );
    check("version 138.1234.5678", &[]);
    check("at 138.1234.5678.9", &[]);
    // `at` is a time cue (`created at 1700000000`), and no veto for a mobile.
    check("Reach me at 138-1234-5678!", &[(CnMobile, "138-1234-5678")]);
    check("call at 13812345678", &[(CnMobile, "13812345678")]);
    // Two numbers for one person, joined by a slash.
    check(
        "电话：13812345678/13912345678",
        &[(CnMobile, "13812345678"), (CnMobile, "13912345678")],
    );
    check(
        "座机（0571）8581 2345转8021",
        &[(CnLandline, "（0571）8581 2345")],
    );
    check("电话 010-58123456-801", &[(CnLandline, "010-58123456")]);
    check("+86 351 8381 8554", &[(CnLandline, "+86 351 8381 8554")]);
    check("Tel +86-21-58120000", &[(CnLandline, "+86-21-58120000")]);
    // masked, service and short numbers
    check("手机已脱敏：138****5678", &[]);
    check("客服热线：10086，400-820-8820，95555", &[]);
    check("批次号 70218518222 / 商品编码80487870652", &[]);
    check("uptime 1692511471, ts 1719616649854", &[]);
}

#[test]
fn cards_and_accounts() {
    check(
        "银行卡号：6214838889094720",
        &[(BankCard, "6214838889094720")],
    );
    check(
        "card 4111-1111-1111-1111 exp",
        &[(BankCard, "4111-1111-1111-1111")],
    );
    check(
        "卡号 6217 0022 1943 5524 747",
        &[(BankCard, "6217 0022 1943 5524 747")],
    );
    check(
        "IBAN IE66 WMDM 0693 1376 2239 15.",
        &[(Iban, "IE66 WMDM 0693 1376 2239 15")],
    );
    check(
        "new IBAN is GB82WEST12345698765432.",
        &[(Iban, "GB82WEST12345698765432")],
    );
    // Luhn-invalid, masked, no issuer
    check("卡号 4111111111111112", &[]);
    check("卡号：2221 **** **** 1841", &[]);
    check("流水号 8890682883607598", &[]);
    check("IBAN GB82WEST12345698765431", &[]);
}

#[test]
fn network_and_mail() {
    check(
        "email raustin@example.org, ok",
        &[(Email, "raustin@example.org")],
    );
    check(
        "<lin.xiuying4@foxmail.com>",
        &[(Email, "lin.xiuying4@foxmail.com")],
    );
    check(
        "Client IP 10.225.184.80, app",
        &[(IpAddress, "10.225.184.80")],
    );
    check(
        "ip=2001:db8::8a2e:370:7334 ",
        &[(IpAddress, "2001:db8::8a2e:370:7334")],
    );
    check(
        "\"client_ip\":\"37a6:437b:d9c2:b0cf:cb51:7e6a:12a3:c54b\"",
        &[(IpAddress, "37a6:437b:d9c2:b0cf:cb51:7e6a:12a3:c54b")],
    );
    // Short compressed forms: a real prefix is found; paths in source code are not addresses.
    check("from fe80::1 via eth0", &[(IpAddress, "fe80::1")]);
    check("link 2001:db8::1 up", &[(IpAddress, "2001:db8::1")]);
    check("use a::b; let x = dead::beef(cafe::face);", &[]);
    check("std::io::fe80::1 and self::ab::cd::ef", &[]);
    check("c::B110 => Some(110), split(\":a:b::c\")", &[]);
    check("assertInvalid('1:2:3:4:5:6:7:8:0')", &[]);
    check("ipv6:2001:db8::1 ok", &[(IpAddress, "2001:db8::1")]);
    check(
        "RFC 5280 Section 4.1.1.2, oid(\"1.2.3.4\"), ObjectIdentifier::new_unwrap(\"2.5.13.22\")",
        &[],
    );
    check(
        "peer dead:beef::cafe:1 and DEAD:BEEF::1",
        &[
            (IpAddress, "dead:beef::cafe:1"),
            (IpAddress, "DEAD:BEEF::1"),
        ],
    );
    // versions and times
    check(
        "app version 8.5.7.14103, Kernel 2.17.11, version 1.2.3.4",
        &[],
    );
    check("工作时间 9:00-21:00, 08:31 货主", &[]);
    check(
        "trace 4bf92f3577b34da6a3ce929d0e0e4736 req 0b83da50-0e2a-4cf3-a63d-e38d05f5e71b",
        &[],
    );
}

#[test]
fn locations() {
    check(
        "GPS: 44.256380, 81.769838；",
        &[(GpsCoordinate, "44.256380, 81.769838")],
    );
    check(
        "位置共享：121.473701,31.230416",
        &[(GpsCoordinate, "121.473701,31.230416")],
    );
    check(
        "loc -33.8688, 151.2093",
        &[(GpsCoordinate, "-33.8688, 151.2093")],
    );
    check("行驶58.4公里，车费2056.68元", &[]);
    check(
        "上车点：丽水市云和县工业路427号，",
        &[(AddressZh, "丽水市云和县工业路427号")],
    );
    check(
        "现居山西省晋中市祁县湖滨巷402号20号楼205\n",
        &[(AddressZh, "山西省晋中市祁县湖滨巷402号20号楼205")],
    );
    check(
        "在广东省广州市从化区新华东路147号上车",
        &[(AddressZh, "广东省广州市从化区新华东路147号")],
    );
    // Villages and their groups, traditional script, Hong Kong, Macao and Taiwan layouts,
    // sections of long roads, a line break inside the address.
    check(
        "住址：河南省周口市郸城县宁平镇王庄村3组",
        &[(AddressZh, "河南省周口市郸城县宁平镇王庄村3组")],
    );
    check(
        "家住四川省凉山州昭觉县支尔莫乡阿土列尔村二组。",
        &[(AddressZh, "四川省凉山州昭觉县支尔莫乡阿土列尔村二组")],
    );
    check(
        "地址：臺北市大安區忠孝東路四段100號5樓",
        &[(AddressZh, "臺北市大安區忠孝東路四段100號5樓")],
    );
    check(
        "通訊地址：香港九龍旺角彌敦道123號5樓A室",
        &[(AddressZh, "香港九龍旺角彌敦道123號5樓A室")],
    );
    check(
        "住址：澳門氹仔柯維納馬路235號",
        &[(AddressZh, "澳門氹仔柯維納馬路235號")],
    );
    check(
        "收货地址：浙江省杭州市\n西湖区文三路\n90号",
        &[(AddressZh, "浙江省杭州市\n西湖区文三路\n90号")],
    );
    check("王庄村有三个组", &[]);
    check(
        "收货地址：浙江省杭州市\r\n西湖区文三路90号\r\n",
        &[(AddressZh, "浙江省杭州市\r\n西湖区文三路90号")],
    );
    check("车牌鲁B VC684，", &[(CnLicensePlate, "鲁B VC684")]);
    check("车牌号: 黑TF62615\n", &[(CnLicensePlate, "黑TF62615")]);
    check("甘A1234挂 已到", &[(CnLicensePlate, "甘A1234挂")]);
}

#[test]
fn people() {
    check("乘客黄淑珍，联系", &[(PersonNameZh, "黄淑珍")]);
    check("司机朱冬梅驾驶小鹏P7", &[(PersonNameZh, "朱冬梅")]);
    check("用户王霞来电", &[(PersonNameZh, "王霞")]);
    check("姓名：欧阳娜娜\n", &[(PersonNameZh, "欧阳娜娜")]);
    check("张伟先生您好", &[(PersonNameZh, "张伟")]);
    check("货主：师傅您好，位置共享", &[]);
    check(
        "| 赵敏 | 139-1234-5678 |",
        &[(PersonNameZh, "赵敏"), (CnMobile, "139-1234-5678")],
    );
    check("客户：你好，我叫李娜，谢谢", &[(PersonNameZh, "李娜")]);
    check("法定代表人由董事会选举产生", &[]);
    check("王府井大街上人流如织，李宁专卖店门口排起长队", &[]);
    check(
        "Shipper contact: James Smith, Tel",
        &[(PersonNameEn, "James Smith")],
    );
    check("Rider Yue He booked a ride", &[(PersonNameEn, "Yue He")]);
    check("Name: Ping HAN\n", &[(PersonNameEn, "Ping HAN")]);
    check(
        "From: Matthew Ford <m@example.com>",
        &[(PersonNameEn, "Matthew Ford"), (Email, "m@example.com")],
    );
    check("the driver was rude. Account Manager at Delacruz Inc", &[]);
    check("出生日期: 1966/10/25\n", &[(DateOfBirth, "1966/10/25")]);
    check("DOB: June 12, 1990.", &[(DateOfBirth, "June 12, 1990")]);
    check("born 12 Jun 1990", &[(DateOfBirth, "12 Jun 1990")]);
    check("出生于1990年5月12日", &[(DateOfBirth, "1990年5月12日")]);
    check("出生日期：19900512。", &[(DateOfBirth, "19900512")]);
    check("订单日期：19900512。", &[]);
    check(
        "Date of birth: 3rd May 1990",
        &[(DateOfBirth, "3rd May 1990")],
    );
    check("DOB May 3rd, 1990", &[(DateOfBirth, "May 3rd, 1990")]);
    check(
        "出生日期：一九九〇年五月十二日",
        &[(DateOfBirth, "一九九〇年五月十二日")],
    );
    check(
        "生日：二〇〇一年十二月二十一日",
        &[(DateOfBirth, "二〇〇一年十二月二十一日")],
    );
    check("一九九〇年五月十二日成立", &[]);
    check("Date of Birth 25.12.1988", &[(DateOfBirth, "25.12.1988")]);
    check("D.O.B: 03-05-1990", &[(DateOfBirth, "03-05-1990")]);
    check(
        "出生日期：1990 年 5 月 3 日",
        &[(DateOfBirth, "1990 年 5 月 3 日")],
    );
    check(
        "出生日期：１９９０年５月３日",
        &[(DateOfBirth, "１９９０年５月３日")],
    );
    check("入职日期：1990 年 5 月 3 日", &[]);
    check("出生日期：一九九〇年二月三十日", &[]);
    check("创建时间：2022-11-24 01:54:27", &[]);
    check("护照号E55549203，", &[(CnPassport, "E55549203")]);
    check("Passport No.: EG3524411\n", &[(CnPassport, "EG3524411")]);
    check("SSN 078-05-1120", &[(UsSsn, "078-05-1120")]);
    check("SSN 666-05-1120", &[]);
}

/// Names no cue word announces: the name model decides from the characters in and around
/// the candidate.
#[test]
fn people_without_a_cue() {
    check("@陈晓明 请确认一下", &[(PersonNameZh, "陈晓明")]);
    check("已通知王建国处理。", &[(PersonNameZh, "王建国")]);
    check(
        "李娜和赵磊明天到。",
        &[(PersonNameZh, "李娜"), (PersonNameZh, "赵磊")],
    );
    check("[10:42] 刘洋: 收到", &[(PersonNameZh, "刘洋")]);
    // Places, words and table cells that begin with a surname character are not names.
    check("城市,人数\n黄山,12\n常州,8\n张家口,3\n", &[]);
    check("高铁晚点了，周末再说。金额不对，方便的话回个电话", &[]);
    check("| 王牌 | 马上 |\n", &[]);
    // Latin-script names: a chat speaker, a booking record, a list, a possessive.
    check("[10:42] Li Na: on my way", &[(PersonNameEn, "Li Na")]);
    check("1.ZHANG/WEI MR", &[(PersonNameEn, "ZHANG/WEI")]);
    check(
        "Meeting with Olivia Bennett and Tom Hughes.",
        &[
            (PersonNameEn, "Olivia Bennett"),
            (PersonNameEn, "Tom Hughes"),
        ],
    );
    check(
        "Per Jack Wilson's request",
        &[(PersonNameEn, "Jack Wilson")],
    );
    // Titles, companies, labels and sentence starts are not names.
    check("Data Analyst at Mitchell PLC", &[]);
    check("Order Status: Pending\nIncident Report\n", &[]);
    check(
        "The truck arrived at Gate 3. Please review the Q3 numbers.",
        &[],
    );
}

#[test]
fn organisations_are_not_people() {
    let det = Detector::new().with_non_personal(true);
    let f = det.scan_str("统一社会信用代码：91350100M000100Y43");
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].pi_type, CnUscc);
    assert!(f[0].validated);
    // By default organisations are recognised but not reported.
    check("统一社会信用代码：91350100M000100Y43", &[]);
}

#[test]
fn offsets_on_invalid_utf8() {
    let mut bytes = b"\xff\xfe bad \xe4 then ".to_vec();
    let at = bytes.len();
    bytes.extend_from_slice("手机 13812345678".as_bytes());
    let f = Detector::new().scan_bytes(&bytes);
    assert_eq!(f.len(), 1);
    let m = &f[0];
    assert_eq!(&bytes[m.bstart..m.bend], b"13812345678");
    assert_eq!(m.bstart, at + "手机 ".len());
    // Each invalid byte counts as one code point: 2 + " bad " + 1 + " then " + "手机 "
    assert_eq!(m.start, 2 + 5 + 1 + 6 + 3);
    assert_eq!(m.value, "13812345678");
}

#[test]
fn finding_debug_never_shows_the_value() {
    let f = Detector::new().scan_str("手机 13812345678");
    let dbg = format!("{f:?}");
    assert!(!dbg.contains("13812345678"), "{dbg}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn never_panics_and_offsets_are_consistent(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let f = Detector::new().scan_bytes(&bytes);
        let mut last = 0;
        for x in &f {
            prop_assert!(x.bstart >= last && x.bstart < x.bend && x.bend <= bytes.len());
            prop_assert_eq!(x.start, custodian_detect::count_code_points(&bytes[..x.bstart]));
            prop_assert_eq!(x.end - x.start, custodian_detect::count_code_points(&bytes[x.bstart..x.bend]));
            last = x.bend;
        }
        // Checked once, the same bytes scan and count the same.
        let checked = custodian_detect::Checked::new(&bytes);
        prop_assert_eq!(checked.is_utf8(), std::str::from_utf8(&bytes).is_ok());
        prop_assert_eq!(checked.code_points(), custodian_detect::count_code_points(&bytes));
        let again = Detector::new().scan_checked(checked);
        prop_assert_eq!(
            again.iter().map(|x| (x.pi_type, x.start, x.end, x.bstart, x.bend)).collect::<Vec<_>>(),
            f.iter().map(|x| (x.pi_type, x.start, x.end, x.bstart, x.bend)).collect::<Vec<_>>()
        );
    }

    #[test]
    fn never_panics_on_pi_shaped_text(s in "[0-9０-９+\\-() ,.@a-zA-Z路号市省区县王李张京A挂Xx：:\n]{0,120}") {
        let f = Detector::new().scan_str(&s);
        for x in &f {
            prop_assert!(s.is_char_boundary(x.bstart) && s.is_char_boundary(x.bend));
        }
    }
}

#[test]
fn byte_span_scans_find_the_same() {
    let det = Detector::new();
    let mut inputs: Vec<Vec<u8>> = vec![
        "联系人：王建国，手机 13812345678，身份证 110101199003077777".into(),
        "Dear Mr. John Smith, call +86 138 1234 5678 or mail js@example.com".into(),
        "表格\n姓名,城市,手机\n李小明,北京,13912345678\n".into(),
    ];
    // Not UTF-8: the spans are byte offsets either way.
    inputs.push(b"\xff\xfe phone 13812345678 \xc3".to_vec());
    for b in &inputs {
        let full = det.scan_bytes(b);
        let spans = det.scan_bytes_spans(b);
        assert!(!full.is_empty(), "{}", String::from_utf8_lossy(b));
        assert_eq!(spans.len(), full.len());
        for (s, f) in spans.iter().zip(&full) {
            assert_eq!(
                (s.pi_type, s.bstart, s.bend, &s.value),
                (f.pi_type, f.bstart, f.bend, &f.value)
            );
            assert_eq!((s.start, s.end), (s.bstart, s.bend));
        }
    }
}

/// Transliterated names joined by a middle dot are one span; the dot alone, a part of one
/// character, or a run whose start is unclear are not names.
#[test]
fn names_with_a_middle_dot() {
    check(
        "患者古丽娜尔·吐尔逊入院",
        &[(PersonNameZh, "古丽娜尔·吐尔逊")],
    );
    check(
        "联系人：阿卜杜勒·哈米德·买买提，电话",
        &[(PersonNameZh, "阿卜杜勒·哈米德·买买提")],
    );
    check("由艾力・买买提签收", &[(PersonNameZh, "艾力・买买提")]);
    check("司机伊力•吐尔逊已到达", &[(PersonNameZh, "伊力•吐尔逊")]);
    // Not names: a bullet list, one character on a side, words that are not transliterations.
    check("• 会议纪要·第三次", &[]);
    check("阿·买买提", &[]);
    check("数据·分析", &[]);
}

/// A surname alone before a title is a name span without its title, where a name can stand.
#[test]
fn a_surname_alone_before_a_title() {
    check("王经理您好，", &[(PersonNameZh, "王")]);
    check("致刘总：", &[(PersonNameZh, "刘")]);
    check("请张老师审阅", &[(PersonNameZh, "张")]);
    // Running text: a conjunction, a word, a title inside a longer word.
    check("我和先生一起去", &[]);
    check("最高总价不超过", &[]);
    check("提高老师待遇", &[]);
}

/// The name field of a machine-readable zone, without its padding; the second line gives
/// nothing.
#[test]
fn machine_readable_zone_names() {
    check(
        "P<CHNZHANG<<WEI<<<<<<<<<<<<<<<<<<<<<<<<<<<<\nE123456782CHN9001015M3001012<<<<<<<<<<<<<<02",
        &[(PersonNameEn, "ZHANG<<WEI")],
    );
    check(
        "MRZ: P<GBRCARTER<<EMILY<ROSE<<<<<<<<<<<<<<<<<<<",
        &[(PersonNameEn, "CARTER<<EMILY<ROSE")],
    );
    check(
        "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
        &[(PersonNameEn, "ERIKSSON<<ANNA<MARIA")],
    );
    // A TD1 card's first line holds a document number, not a name; short or odd runs are not
    // zones.
    check("I<UTOD231458907<<<<<<<<<<<<<<<", &[]);
    // A TD1 card: the name is its third line.
    check(
        "I<UTOD231458907<<<<<<<<<<<<<<<\n7408122F1204159UTO<<<<<<<<<<<6\nERIKSSON<<ANNA<MARIA<<<<<<<<<<",
        &[(PersonNameEn, "ERIKSSON<<ANNA<MARIA")],
    );
    // The same line without the card's lines above is not taken.
    check("note\nERIKSSON<<ANNA<MARIA<<<<<<<<<<", &[]);
    check("P<CHNZHANG<<WEI", &[]);
    check("A<B<<C<<D<<E<<F<<G<<H<<I<<J<<K<<L", &[]);
}

/// A lone name where a message addresses or is signed by someone: after a greeting, under a
/// sign-off, in a chat mention. Groups, words that go on, handles and domains are not names.
#[test]
fn names_a_message_addresses() {
    check("Hi Emily,\nthanks", &[(PersonNameEn, "Emily")]);
    check("Good morning Priya!", &[(PersonNameEn, "Priya")]);
    check("Hey Marcus - quick question.", &[(PersonNameEn, "Marcus")]);
    check(
        "Good morning Priya — the invoice.",
        &[(PersonNameEn, "Priya")],
    );
    check("Hi Dana–quick one.", &[(PersonNameEn, "Dana")]);
    check("Hi Dana—", &[(PersonNameEn, "Dana")]);
    check("Thank you, Tom.", &[(PersonNameEn, "Tom")]);
    check("Hi Zhang,", &[(PersonNameEn, "Zhang")]);
    check(
        "See below.\n\nCheers,\nSophie\n",
        &[(PersonNameEn, "Sophie")],
    );
    check("@Emily can you take this one?", &[(PersonNameEn, "Emily")]);
    check("Hi All,", &[]);
    check("Hello World!", &[]);
    check("Hi there, Team", &[]);
    check("Cheers,\nTeam\n", &[]);
    check("Thanks Team for the update", &[]);
    check("cc @sarah.johnson", &[]);
    check(
        "write to ops@Example.com today",
        &[(Email, "ops@Example.com")],
    );
    check("Status:\nDone\n", &[]);
}

/// Parties and roles in records and reports are name cues; a common word glued to a cue
/// (`客户信息`, `用户应当`) is not a name.
#[test]
fn parties_and_roles_name_people() {
    check(
        "原告张三丰诉被告李四",
        &[(PersonNameZh, "张三丰"), (PersonNameZh, "李四")],
    );
    check(
        "当事人马丽与被告人冯伟",
        &[(PersonNameZh, "马丽"), (PersonNameZh, "冯伟")],
    );
    check("乘车人：沈腾", &[(PersonNameZh, "沈腾")]);
    for s in [
        "客户信息",
        "乘客安全须知",
        "用户应当遵守",
        "司机宣布开始",
        "投保人信息",
        "借款人应当",
        "代理人费用",
    ] {
        check(s, &[]);
    }
}

/// Birth dates with the month's name between dashes, dots or slashes or glued (travel
/// documents, bookings),
/// two-digit years read as the nearest past century; without a birth cue, or not a real date,
/// nothing.
#[test]
fn birth_dates_with_a_month_name_between() {
    check("DOB: 07-Mar-1990", &[(DateOfBirth, "07-Mar-1990")]);
    check("DOB 07MAR1990", &[(DateOfBirth, "07MAR1990")]);
    check("DOB: 7-Mar-90", &[(DateOfBirth, "7-Mar-90")]);
    check("birth date 1990-Mar-07", &[(DateOfBirth, "1990-Mar-07")]);
    check("Born 07-Mar-1990", &[(DateOfBirth, "07-Mar-1990")]);
    check("Invoice date 07-Mar-1990", &[]);
    check("12-Apr-2024 meeting", &[]);
    check("DOB: 31-Feb-1990", &[]);
    check("DOB: 07-Foo-1990", &[]);
    // Dots and slashes as the separators, the same on both sides.
    check("DOB: 07.Mar.1990", &[(DateOfBirth, "07.Mar.1990")]);
    check(
        "Date of birth: 07/Mar/1990",
        &[(DateOfBirth, "07/Mar/1990")],
    );
    check("birth date 1990.Mar.07", &[(DateOfBirth, "1990.Mar.07")]);
    check("DOB 1990/Mar/07", &[(DateOfBirth, "1990/Mar/07")]);
    check("DOB: 07.Mar-1990", &[]);
    check("DOB: 07/Mar.1990", &[]);
    check("Released 07.Mar.1990", &[]);
    check("DOB: 31.Feb.1990", &[]);
}

/// `<verb> by` in records and workflows names the person who acted; other `by`s do not.
#[test]
fn names_after_a_record_verb_and_by() {
    check(
        "Approved by Jason Miller on 3 May",
        &[(PersonNameEn, "Jason Miller")],
    );
    check(
        "Reviewed by Karen White yesterday",
        &[(PersonNameEn, "Karen White")],
    );
    check("Approved by: Dana Scully", &[(PersonNameEn, "Dana Scully")]);
    check("powered by Google Cloud", &[]);
    check("written by Hand", &[]);
}

/// A common word after a separated name cue may be a name; a role word with a colon and a
/// space still confirms one; a long line of phrase-ending capitalised words stays linear.
#[test]
fn review_cases_for_the_new_name_rules() {
    check("姓名：安静", &[(PersonNameZh, "安静")]);
    check("原告： 张三丰", &[(PersonNameZh, "张三丰")]);
    let long = "Xq. ".repeat(200_000);
    let det = Detector::new();
    let started = std::time::Instant::now();
    let _ = det.scan_str(&long);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
}
