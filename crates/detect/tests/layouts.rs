//! Detector behaviour on text laid out by machines and narrow columns: numbers broken across
//! lines, numbers grouped in other countries' ways, estates named in Latin capitals.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

/// OCR text and narrow columns break a number: read as one after its label.
#[test]
fn resident_ids_broken_across_lines() {
    // Either line ending; spaces at the line's end or the next one's start; the label above.
    for (input, id) in [
        ("公民身份号码 110105194912\n31002X", "110105194912\n31002X"),
        (
            "身份证号：11010519\r\n491231002X 已核验",
            "11010519\r\n491231002X",
        ),
        (
            "身份证号码：110105194912 \n  31002X",
            "110105194912 \n  31002X",
        ),
        ("公民身份号码\n110105194912\n31002X", "110105194912\n31002X"),
    ] {
        check(input, &[(CnResidentId, id)]);
    }
    // Without the label, or with a wrong check character, the pieces are not joined.
    check("编号 110105194912\n31002X", &[]);
    check("身份证号：110105194912\n310021", &[]);
    // Two numbers on two lines stay two numbers.
    check(
        "身份证号：11010519491231002X\n13812345678",
        &[
            (CnResidentId, "11010519491231002X"),
            (CnMobile, "13812345678"),
        ],
    );
    let two = [(CnMobile, "13812345678"), (CnMobile, "13912345678")];
    check("电话\n13812345678\n13912345678", &two);
    check(
        "身份证 110105491231002\n123",
        &[(CnResidentId, "110105491231002")],
    );
}

/// Groupings that only look like a mainland mobile: the North American trunk prefix.
#[test]
fn other_countries_groupings() {
    check("call 1-800-555-0199 or 1 888 555 0123 toll free", &[]);
    check("cell 186-5555-0199", &[(CnMobile, "186-5555-0199")]);
}

/// An estate whose name starts in Latin capitals is part of the address, as a Chinese one is.
#[test]
fn estates_named_in_latin_capitals() {
    check(
        "收货地址：北京市朝阳区建国路88号SOHO现代城A座1203室",
        &[(AddressZh, "北京市朝阳区建国路88号SOHO现代城A座1203室")],
    );
    // Capitals that name no estate end the address at its door number.
    check(
        "地址：北京市朝阳区建国路88号ATM机旁",
        &[(AddressZh, "北京市朝阳区建国路88号")],
    );
}

/// Taiwan's lanes and alleys, Hong Kong's roads named by a direction, phases, lettered and
/// Chinese-numbered blocks, and a bare room number after a building's name.
#[test]
fn lanes_directions_phases_and_rooms() {
    for address in [
        "台北市信義區松仁路100巷5弄3號2樓",
        "新北市板橋區文化路一段188巷20號",
        "上海市徐汇区建国西路123弄45号",
        "香港中環皇后大道中99號中環中心30樓3001室",
        "江苏省苏州市工业园区星湖街328号创意产业园2期A1栋",
        "广州市天河区天河路385号太古汇一座",
        "北京市海淀区中关村大街27号中关村大厦1101",
    ] {
        check(&format!("地址：{address}"), &[(AddressZh, address)]);
    }
    // A lane with no number after it is no door number.
    check("地址：台北市信義區松仁路100巷口", &[]);
}

/// A birth date to the month, as Chinese résumés give it, after a birth label only.
#[test]
fn birth_dates_to_the_month() {
    check("出生年月：1990年5月", &[(DateOfBirth, "1990年5月")]);
    check(
        "出生日期：1990年 5 月，籍贯北京",
        &[(DateOfBirth, "1990年 5 月")],
    );
    check("入职时间：2019年5月", &[]);
    check("出生年月：1990年13月", &[]);
}

/// What follows a door number is no room when it is a phone number or a year.
#[test]
fn a_phone_or_a_year_after_an_address_stays_out_of_it() {
    check(
        "北京市朝阳区建国路88号联系电话13812345678",
        &[
            (AddressZh, "北京市朝阳区建国路88号"),
            (CnMobile, "13812345678"),
        ],
    );
    // The year stays out; the building's name before it is the address's.
    check(
        "地址：北京市朝阳区建国路88号国贸大厦2024年装修",
        &[(AddressZh, "北京市朝阳区建国路88号国贸大厦")],
    );
}

/// A booking record's name elements: the element number glued to `SURNAME/GIVEN`, a title or
/// the next element after it. Units written the same way are no names.
#[test]
fn booking_record_name_elements() {
    check(
        "RLOC ABC123 1.1WANG/XIAOMING MR 2.1LI/NA MS",
        &[(PersonNameEn, "WANG/XIAOMING"), (PersonNameEn, "LI/NA")],
    );
    check(
        " 1.1SMITH/JOHN PAUL MR",
        &[(PersonNameEn, "SMITH/JOHN PAUL")],
    );
    check(
        " 1.1ZHANG/WEI 2.1ZHAO/LI CHD",
        &[(PersonNameEn, "ZHANG/WEI"), (PersonNameEn, "ZHAO/LI")],
    );
    check("Size 1.5MB/KB here", &[]);
    check("speed 2.4GB/S MR", &[]);
    check("v1.2RC/BETA MR", &[]);
}

/// Birth dates with a two-digit year (`90年3月12日`, `12 Mar 90`, `07/03/90`, `90-03-07`) or
/// the day before `of` and the month: read after a birth cue only, the year in this century or
/// the last (in numbers only, where no other part can be the year).
#[test]
fn birth_dates_with_short_years_and_ordinal_days() {
    check("生日：90年3月12日", &[(DateOfBirth, "90年3月12日")]);
    check("出生年月：05年11月", &[(DateOfBirth, "05年11月")]);
    check("Birth date: 12 Mar 90", &[(DateOfBirth, "12 Mar 90")]);
    check(
        "He was born on the 12th of March, 1990.",
        &[(DateOfBirth, "12th of March, 1990")],
    );
    // Numbers only, where the two-digit year is the part that cannot be a day.
    check("DOB: 07/03/90", &[(DateOfBirth, "07/03/90")]);
    check("出生日期 90-03-07", &[(DateOfBirth, "90-03-07")]);
    check("出生日期：90.03.07", &[(DateOfBirth, "90.03.07")]);
    check("Date of birth 25-12-88.", &[(DateOfBirth, "25-12-88")]);
    check("DOB: 7-3-1990", &[(DateOfBirth, "7-3-1990")]);
    // Without a birth cue, or not a date.
    check("DOB: 05/06/07", &[]);
    check("Invoice 07/03/90", &[]);
    check("DOB: 90-13-07", &[]);
    check("合同签于90年3月12日", &[]);
    check("Meeting on 12 Mar 90", &[]);
    check("出生日期：90年代", &[]);
}

/// A birth date to the month in every separator, and a birth date written with its time; not
/// without a birth cue.
#[test]
fn birth_dates_to_the_month_and_with_a_time() {
    for (input, date) in [
        ("出生年月：1990.03", "1990.03"),
        ("出生年月：1990.3，籍贯湖南", "1990.3"),
        ("出生年月：1990-03", "1990-03"),
        ("DOB: 1990/03", "1990/03"),
        ("生于1990年3月", "1990年3月"),
        ("Born: 1990-03-07T00:00:00Z", "1990-03-07"),
        ("\"birthDate\": \"1990-03-07T08:30:00.000Z\"", "1990-03-07"),
    ] {
        check(input, &[(DateOfBirth, date)]);
    }
    for input in [
        "版本 1990.03",
        "时间 2024-03",
        "出生年月：1990-13",
        "\"created_at\": \"2024-03-07T10:00:00Z\"",
        "Born: 1990-03-07T",
    ] {
        check(input, &[]);
    }
}

/// A village that ends an address with no group or door number, after a township and a
/// county; a courtyard's number before its buildings. A village named alone, or an office
/// in it, is no address.
#[test]
fn villages_without_a_number_and_courtyards() {
    check(
        "住址：四川省凉山彝族自治州昭觉县竹核乡木渣洛村",
        &[(AddressZh, "四川省凉山彝族自治州昭觉县竹核乡木渣洛村")],
    );
    check(
        "江苏省苏州市吴中区木渎镇金山村，电话13812345678",
        &[
            (AddressZh, "江苏省苏州市吴中区木渎镇金山村"),
            (CnMobile, "13812345678"),
        ],
    );
    check(
        "地址：北京市海淀区中关村南大街5号院2号楼3单元401",
        &[(AddressZh, "北京市海淀区中关村南大街5号院2号楼3单元401")],
    );
    check("我去了王庄村。", &[]);
    check("郸城县汲冢镇王庄村委会", &[]);
    check("城区乡村振兴", &[]);
}

/// A residential address by its estate: a sub-district (`街道`), the estate and a numbered
/// building, unit and room. A sub-district's office and its phone number are no address.
#[test]
fn estates_after_a_sub_district() {
    for a in [
        "重庆市渝北区龙溪街道金紫山小区12栋2-3",
        "成都市武侯区玉林街道玉林小区5栋2单元302",
        "杭州市余杭区五常街道西溪北苑东区8幢1单元501室",
    ] {
        check(&format!("地址：{a}"), &[(AddressZh, a)]);
    }
    check(
        "龙溪街道办事处电话023-67812345",
        &[(CnLandline, "023-67812345")],
    );
}

#[test]
fn addresses_after_their_cue_without_a_door_number() {
    for (input, address) in [
        ("通讯地址：云南省昆明市五华区", "云南省昆明市五华区"),
        (
            "现住：湖南省长沙县星沙街道开元东路",
            "湖南省长沙县星沙街道开元东路",
        ),
        (
            "户籍地：安徽省阜阳市临泉县城关镇",
            "安徽省阜阳市临泉县城关镇",
        ),
        (
            "住址：贵州省黔东南苗族侗族自治州凯里市北京东路。",
            "贵州省黔东南苗族侗族自治州凯里市北京东路",
        ),
        ("地址：臺北市大安區忠孝東路\n", "臺北市大安區忠孝東路"),
    ] {
        check(input, &[(AddressZh, address)]);
    }
    // Without the cue, one division alone, or a word that goes on: none.
    for input in [
        "云南省昆明市五华区",
        "地址：五华区",
        "地址：公司所在区",
        "地址：昆明市区域内",
        "我们去了昆明市场",
    ] {
        check(input, &[]);
    }
}

#[test]
fn a_space_before_a_door_number_and_its_suffix() {
    check(
        "地址 ：辽宁省大连市中山区人民路 15 号",
        &[(AddressZh, "辽宁省大连市中山区人民路 15 号")],
    );
    check(
        "地址：大连市中山区人民路 15号",
        &[(AddressZh, "大连市中山区人民路 15号")],
    );
}

#[test]
fn identity_numbers_glued_to_a_label() {
    for input in ["ID110101199003071233", "身份证ID110101199003071233，已核验"] {
        check(input, &[(CnResidentId, "110101199003071233")]);
    }
    // A wrong check digit, a long prefix, an order number's cue, letters after: none.
    for input in [
        "SN110101199003071234",
        "ABCDE110101199003071233",
        "订单号：NO110101199003071233",
        "x110101199003071233y",
    ] {
        check(input, &[]);
    }
}

#[test]
fn numbers_glued_to_their_label() {
    check("Tel13812345678", &[(CnMobile, "13812345678")]);
    check("Mobile13812345678", &[(CnMobile, "13812345678")]);
    check("SSN123-45-6789", &[(UsSsn, "123-45-6789")]);
    // A letter that is no label, letters after the number, an order number's label: none.
    for input in ["T13812345678", "tel13812345678abc", "No13812345678"] {
        check(input, &[]);
    }
}

#[test]
fn a_dot_leader_between_label_and_value() {
    check(
        "Tenant name ........ Robert Miles",
        &[(PersonNameEn, "Robert Miles")],
    );
    check("姓名……张三丰", &[(PersonNameZh, "张三丰")]);
    check(
        "Phone .......... 138 1234 5678",
        &[(CnMobile, "138 1234 5678")],
    );
    // One dot is a dot: an abbreviation's, not a leader.
    check(
        "Dr. Amelia Hart presented.",
        &[(PersonNameEn, "Amelia Hart")],
    );
}

#[test]
fn a_header_row_holds_no_names() {
    check(
        "Name | Dept | Phone\nGrace Hopper | R&D | 555-0100",
        &[(PersonNameEn, "Grace Hopper")],
    );
}

#[test]
fn building_numbers_typed_with_spaces_towers_and_a_door_after_a_group() {
    check(
        "地址:浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼 501 室",
        &[(
            AddressZh,
            "浙江省杭州市西湖区文三路 90 号东部软件园 3 号楼 501 室",
        )],
    );
    check(
        "广州市天河区体育西路103号维多利广场B塔3201",
        &[(AddressZh, "广州市天河区体育西路103号维多利广场B塔3201")],
    );
    check(
        "家住河南省周口市郸城县宜路镇王楼村三组45号",
        &[(AddressZh, "河南省周口市郸城县宜路镇王楼村三组45号")],
    );
    // A number after the address that is no unit's stays out.
    check(
        "寄到上海市浦东新区张江镇科苑路88号 2024 年",
        &[(AddressZh, "上海市浦东新区张江镇科苑路88号")],
    );
}

#[test]
fn a_phone_number_after_an_address_and_a_space_is_no_room() {
    check(
        "深圳市南山区科技园南区高新南七道18号3号楼 0755-86123456",
        &[
            (AddressZh, "深圳市南山区科技园南区高新南七道18号3号楼"),
            (CnLandline, "0755-86123456"),
        ],
    );
    check(
        "北京市朝阳区建国路88号华贸大厦 010 85801234",
        &[
            (AddressZh, "北京市朝阳区建国路88号华贸大厦"),
            (CnLandline, "010 85801234"),
        ],
    );
}

#[test]
fn door_parts_sections_floors_and_dashed_units() {
    for (input, address) in [
        (
            "地址：上海市徐汇区漕溪北路88号之3",
            "上海市徐汇区漕溪北路88号之3",
        ),
        (
            "地址：台北市中山區南京東路二段100巷5弄3號4樓之2",
            "台北市中山區南京東路二段100巷5弄3號4樓之2",
        ),
        (
            "地址：成都市高新区天府大道北段1700号环球中心E1区12F",
            "成都市高新区天府大道北段1700号环球中心E1区12F",
        ),
        (
            "地址：重庆市渝中区解放碑步行街8号 5-2-301",
            "重庆市渝中区解放碑步行街8号 5-2-301",
        ),
        (
            "地址：西安市雁塔区科技路10号 B座 1205",
            "西安市雁塔区科技路10号 B座 1205",
        ),
    ] {
        check(input, &[(AddressZh, address)]);
    }
    // A date after the door number is no building, unit and room.
    check(
        "地址：西安市雁塔区科技路10号 2024-03-01",
        &[(AddressZh, "西安市雁塔区科技路10号")],
    );
    // Words that do not end like an estate's name are not taken for one.
    check(
        "地址：北京市朝阳区建国路88号我的电话13800138000",
        &[
            (AddressZh, "北京市朝阳区建国路88号"),
            (CnMobile, "13800138000"),
        ],
    );
}

/// A birth cue reaches its own date, not the next one (another label, another field, words
/// between: `Date of issue`, `入职：`, `生日会`, `Birthday party`); a format's placeholders
/// may stand between; `出生`/`生` right after a date makes it a birth date (`1975年8月12日出生`),
/// `生效` does not.
#[test]
fn a_birth_cue_reaches_only_its_own_date() {
    for (input, date) in [
        (
            "Date of birth: 1990-03-07\nDate of issue: 2020-01-01",
            "1990-03-07",
        ),
        ("生日：1990年3月7日 入职：2015年3月1日", "1990年3月7日"),
        (
            "{\"birthday\":\"1990-03-07\",\"updated\":\"2024-01-02\"}",
            "1990-03-07",
        ),
        ("Date of birth (DD/MM/YYYY): 07/03/1990", "07/03/1990"),
        ("{\"dateOfBirth\":\"1990-03-07\"}", "1990-03-07"),
        ("born on the 12th of March, 1990", "12th of March, 1990"),
        ("出生日期：\n1990-03-07", "1990-03-07"),
    ] {
        check(input, &[(DateOfBirth, date)]);
    }
    for input in [
        "生日会定在2024年6月8日晚上举行",
        "Birthday party on March 7, 2024",
        "Happy birthday! Sent 2024-03-07",
        "宝宝出生后第3天，2024年3月10日复查",
        "2024年3月7日生效",
    ] {
        check(input, &[]);
    }
    check(
        "被告：王建军，男，1980年3月5日生，汉族",
        &[(PersonNameZh, "王建军"), (DateOfBirth, "1980年3月5日")],
    );
    check(
        "韩雪，女，1993年5月生",
        &[(PersonNameZh, "韩雪"), (DateOfBirth, "1993年5月")],
    );
}

/// A residential address by its estate and building alone, with no road, after an address
/// cue or a division; `为`/`至` before a place are no part of it (but `犍为县`, `周至县` are
/// counties); divisions spaced apart as OCR spaces them; a room written `3201房`.
#[test]
fn estates_without_a_road_and_address_edges() {
    for (input, address) in [
        (
            "地址：万科城市花园3号楼2单元501室",
            "万科城市花园3号楼2单元501室",
        ),
        (
            "北京市朝阳区金地花园5栋1单元302",
            "北京市朝阳区金地花园5栋1单元302",
        ),
        ("住址：翠湖苑6-2-302", "翠湖苑6-2-302"),
        (
            "修改收货地址为西安市雁塔区科技路48号",
            "西安市雁塔区科技路48号",
        ),
        ("送至西安市雁塔区科技路48号", "西安市雁塔区科技路48号"),
        ("乐山市犍为县朝阳大道332号", "乐山市犍为县朝阳大道332号"),
        (
            "陕西省西安市周至县迎宾西路835号",
            "陕西省西安市周至县迎宾西路835号",
        ),
        (
            "浙江省 宁波市 鄞州区 天童南路 588号",
            "浙江省 宁波市 鄞州区 天童南路 588号",
        ),
        (
            "广州市天河区华夏路10号富力中心3201房",
            "广州市天河区华夏路10号富力中心3201房",
        ),
    ] {
        check(input, &[(AddressZh, address)]);
    }
    // Without a cue or a division, an estate's building is no address (`花园3号楼`).
    for input in ["花园3号楼", "我们在公园3号楼门口见"] {
        check(input, &[]);
    }
}

/// Numbers written with the spaces and dashes of web pages and word processors (no-break and
/// thin spaces, em dashes); versions shaped like an IPv4 address glued to their product's name
/// by `/`, `-` or `.`, after a version key or before `版本`, are no address — an address glued to `ip:` or
/// `client_ip:` is one.
#[test]
fn pasted_separators_and_versions_shaped_like_addresses() {
    check(
        "手机：138\u{a0}1234\u{a0}5678",
        &[(CnMobile, "138\u{a0}1234\u{a0}5678")],
    );
    check(
        "卡号：6222\u{a0}0212\u{a0}3456\u{a0}7894",
        &[(BankCard, "6222\u{a0}0212\u{a0}3456\u{a0}7894")],
    );
    check(
        "Tel: +86\u{2009}138\u{2009}1234\u{2009}5678",
        &[(CnMobile, "+86\u{2009}138\u{2009}1234\u{2009}5678")],
    );
    check("手机：138—1234—5678", &[(CnMobile, "138—1234—5678")]);
    for input in [
        "User-Agent: MyApp/6.3.0.12 (iPhone)",
        "{\"appVersion\":\"8.0.1.2\"}",
        "libssl.so.1.0.2.11",
        "升级到 1.2.3.4 版本",
        "firmware 2.4.10.12",
        "Figure 10.1.1.1 shows",
    ] {
        check(input, &[]);
    }
    for (input, ip) in [
        ("ip:192.168.1.10", "192.168.1.10"),
        ("client_ip:10.0.0.1", "10.0.0.1"),
        ("X-Forwarded-For:203.0.113.5", "203.0.113.5"),
        ("http://10.0.0.1:8080/x", "10.0.0.1"),
    ] {
        check(input, &[(IpAddress, ip)]);
    }
}

/// Birth labels spaced out by forms and OCR (`出 生`, `生　　日：`, `出 生 日 期：`), a vCard's
/// `BDAY:`, a label in its own HTML cell; `生 产 日 期` is no birth label.
#[test]
fn spaced_birth_labels_vcards_and_html_cells() {
    for (input, date) in [
        ("出 生 1979年10月1日", "1979年10月1日"),
        ("生\u{3000}\u{3000}日：1993-10-02", "1993-10-02"),
        ("出 生 日 期：1993-10-02", "1993-10-02"),
        ("BDAY:1993-04-12", "1993-04-12"),
        ("<td>出生日期</td><td>1993-04-12</td>", "1993-04-12"),
    ] {
        check(input, &[(DateOfBirth, date)]);
    }
    check("生 产 日 期：2024-03-07", &[]);
}

/// OCR and narrow forms wrap an address anywhere: inside a division's or a road's name, inside
/// the door number, before the building; identity cards print `住 址` spaced. The line before
/// must end with the address's first part (after its cue, or with two divisions).
#[test]
fn addresses_wrapped_across_lines_and_spaced_parts() {
    for (input, address) in [
        (
            "住 址 北京市朝阳区建国路88号院\n3号楼2单元501室\n公民身份号码",
            "北京市朝阳区建国路88号院\n3号楼2单元501室",
        ),
        (
            "住 址 浙江省杭州市西湖区文三\n路478号",
            "浙江省杭州市西湖区文三\n路478号",
        ),
        (
            "住址：广东省深圳\r\n市南山区高新南七道12号",
            "广东省深圳\r\n市南山区高新南七道12号",
        ),
        (
            "住址 广东省深圳市南山区高新南七道1\n2号",
            "广东省深圳市南山区高新南七道1\n2号",
        ),
        (
            "住址 广东省深圳市南山区高新南七道12\n号",
            "广东省深圳市南山区高新南七道12\n号",
        ),
        (
            "广东省深圳市南山区科技园\n南区高新南七道 12 号",
            "广东省深圳市南山区科技园\n南区高新南七道 12 号",
        ),
        // Spaces around a lane, a block's letter and its unit, an estate after a space.
        (
            "地址：新北市板橋區文化路一段 188 巷 20 號 3 樓",
            "新北市板橋區文化路一段 188 巷 20 號 3 樓",
        ),
        (
            "地址:杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室 电话",
            "杭州市西湖区文三路 478 号华星时代广场 A 座 1203 室",
        ),
        (
            "地址：香港九龍旺角彌敦道 688 號 旺角中心 12 樓 1203 室",
            "香港九龍旺角彌敦道 688 號 旺角中心 12 樓 1203 室",
        ),
    ] {
        check(input, &[(AddressZh, address)]);
    }
    // The line before ends with no address's part: the address starts on its own line.
    for before in ["民族 汉\n", "备注：送到公司前台\n"] {
        check(
            &format!("{before}朝阳区建国路88号"),
            &[(AddressZh, "朝阳区建国路88号")],
        );
    }
    // The next line goes on with no numbered part, or an estate's name after a space has no
    // number: the address ends with its line, or before the space.
    check(
        "地址：北京市朝阳区建国路88号\n服务中心电话：4008001234",
        &[(AddressZh, "北京市朝阳区建国路88号")],
    );
    check(
        "地址：北京市朝阳区建国路88号 服务中心",
        &[(AddressZh, "北京市朝阳区建国路88号")],
    );
    check(
        "地址：北京市朝阳区建国路88号\n13800138000",
        &[
            (AddressZh, "北京市朝阳区建国路88号"),
            (CnMobile, "13800138000"),
        ],
    );
}

/// A comma-separated table whose cells are quoted where they hold a comma (`"Qian, Haoran"`):
/// the columns after that cell keep their headers — the birth date is a birth date, the
/// version column's four-part numbers are versions, not addresses.
#[test]
fn quoted_cells_keep_their_columns() {
    let table = "employee_id,full_name,mobile,date_of_birth,last_login_ip,client_version\n\
                 E7964,\"Qian, Haoran\",13560389963,1994-11-20,172.26.211.251,4.4.2.109\n\
                 E2349,Heather Howell,15239968800,1965-08-03,172.16.231.204,10.9.1.98\n\
                 E2350,\"O'Neil, \"\"Pat\"\"\",15239968801,1970-01-02,10.1.2.3,1.2.3.4\n";
    check(
        table,
        &[
            (PersonNameEn, "Qian, Haoran"),
            (CnMobile, "13560389963"),
            (DateOfBirth, "1994-11-20"),
            (IpAddress, "172.26.211.251"),
            (PersonNameEn, "Heather Howell"),
            (CnMobile, "15239968800"),
            (DateOfBirth, "1965-08-03"),
            (IpAddress, "172.16.231.204"),
            (CnMobile, "15239968801"),
            (DateOfBirth, "1970-01-02"),
            (IpAddress, "10.1.2.3"),
        ],
    );
    // A doubled quote inside a quoted cell is a quote.
    check(
        "id,备注,姓名,出生日期\n3,\"say \"\"hi\"\", ok\",王芳,1992-05-06\n",
        &[(PersonNameZh, "王芳"), (DateOfBirth, "1992-05-06")],
    );
    // A quote inside a cell (an inch mark) opens nothing: the row keeps its columns.
    check(
        "item,size,date_of_birth\nscreen,27\" wide,1994-11-20\n",
        &[(DateOfBirth, "1994-11-20")],
    );
}

/// A version cue names the first number after it: an address after the version is an
/// address, on the same line or the next.
#[test]
fn a_version_cue_is_spent_on_its_version() {
    check(
        "version 12.17.6.118 rolled back on 192.168.211.5.",
        &[(IpAddress, "192.168.211.5")],
    );
    check(
        "附：系统版本 4.9.7.223，测试服务器 192.168.178.108",
        &[(IpAddress, "192.168.178.108")],
    );
    check(
        "ver 10.20.6.247\nLogin IP: 172.20.68.253  ver 4.18.1.170",
        &[(IpAddress, "172.20.68.253")],
    );
    check(
        r#"{"sdk": "9.19.5.179", "client_ip": "192.168.171.112"}"#,
        &[(IpAddress, "192.168.171.112")],
    );
    // The version itself stays a version.
    check("version 12.17.6.118", &[]);
    check("版本号 1.2.3.4", &[]);
}
