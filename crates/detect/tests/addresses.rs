//! Detector behaviour on addresses written as contracts, invoices, records and chats write
//! them: sub-districts before long road names, words that introduce a place, sections and door
//! numbers in less common forms, ranges and letters in the building's part, institutions.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

fn one(input: &str, address: &str) {
    check(input, &[(AddressZh, address)]);
}

/// A sub-district (`街道`) is a division: a road name after it may be long, a space or a line
/// break may follow it. `于` and `喺` introduce a place (not inside `于洪区`, `于都县`).
#[test]
fn sub_districts_and_words_that_introduce_a_place() {
    for (input, address) in [
        (
            "住址 北京市东城区东华门街道南池子大街81号",
            "北京市东城区东华门街道南池子大街81号",
        ),
        (
            "请寄到慈溪市宗汉街道新界村新兴路8号，谢谢",
            "慈溪市宗汉街道新界村新兴路8号",
        ),
        (
            "户籍地河南省商丘市睢阳区古城街道办事处南关村128号，",
            "河南省商丘市睢阳区古城街道办事处南关村128号",
        ),
        (
            "收货地址：浙江省 杭州市 余杭区 五常街道 文一西路969号",
            "浙江省 杭州市 余杭区 五常街道 文一西路969号",
        ),
        (
            "Address: 江苏省苏州市\n吴中区越溪街道\n友翔路18号",
            "江苏省苏州市\n吴中区越溪街道\n友翔路18号",
        ),
        (
            "房屋位于厦门市湖里区枋湖北二路1509号",
            "厦门市湖里区枋湖北二路1509号",
        ),
        (
            "我住喺九龍城衙前圍道128號3樓B室，你嚟",
            "九龍城衙前圍道128號3樓B室",
        ),
        ("沈阳市于洪区黄河北大街56号", "沈阳市于洪区黄河北大街56号"),
        (
            "江西省赣州市于都县长征大道8号",
            "江西省赣州市于都县长征大道8号",
        ),
    ] {
        one(input, address);
    }
}

/// A door number's `甲`, a section named by a direction and a number (`北三段`, `東一段`).
#[test]
fn door_prefixes_and_numbered_sections() {
    one(
        "地址：北京市海淀区北三环西路甲43号中航广场",
        "北京市海淀区北三环西路甲43号中航广场",
    );
    one(
        "你到金牛区一环路北三段1号，西南交大北门等我",
        "金牛区一环路北三段1号",
    );
    one(
        "地址：新竹縣竹北市光明六路東一段269號",
        "新竹縣竹北市光明六路東一段269號",
    );
}

/// Ranges and a unit with its room written with a dash, lettered zones, a letter and a number
/// before a unit, a letter after a floor or a room; an institution's name after the door.
#[test]
fn ranges_letters_and_institutions_in_the_building_part() {
    for (input, address) in [
        (
            "房屋为北京市西城区德胜门外大街83号德胜国际中心B座7层701-703单元，租期三年",
            "北京市西城区德胜门外大街83号德胜国际中心B座7层701-703单元",
        ),
        (
            "地址：九龍長沙灣道833號長沙灣廣場第二期12樓1209-10室",
            "九龍長沙灣道833號長沙灣廣場第二期12樓1209-10室",
        ),
        (
            "现住址：吉林省吉林市船营区北京路19号江南一品小区A区7栋3单元502室",
            "吉林省吉林市船营区北京路19号江南一品小区A区7栋3单元502室",
        ),
        (
            "地址：兰州市城关区东岗西路638号兰州财富中心32楼3201A",
            "兰州市城关区东岗西路638号兰州财富中心32楼3201A",
        ),
        (
            "武汉市东湖新技术开发区光谷大道77号金融港B18栋4层 电话",
            "武汉市东湖新技术开发区光谷大道77号金融港B18栋4层",
        ),
        (
            "邮编：100871 北京市海淀区颐和园路5号北京大学",
            "北京市海淀区颐和园路5号北京大学",
        ),
    ] {
        one(input, address);
    }
    // A date after a building is no room; an institution's suffix alone is no name.
    one(
        "地址：北京市朝阳区建国路88号3号楼2024-05-01入住",
        "北京市朝阳区建国路88号3号楼",
    );
    one(
        "北京市朝阳区建国路88号大学同学聚会",
        "北京市朝阳区建国路88号",
    );
    check(
        "地址、电话：重庆市渝北区金开大道西段106号1幢6-3 023-67891234",
        &[
            (AddressZh, "重庆市渝北区金开大道西段106号1幢6-3"),
            (CnLandline, "023-67891234"),
        ],
    );
    check(
        "地址、电话：苏州工业园区星湖街328号创意产业园12-401 0512-62345678",
        &[
            (AddressZh, "苏州工业园区星湖街328号创意产业园12-401"),
            (CnLandline, "0512-62345678"),
        ],
    );
}

/// Development and trial zones have long names (`松山湖高新技术产业开发区`): the address starts
/// at its province, not inside the zone's name.
#[test]
fn development_zones_with_long_names() {
    one(
        "生产地址：江苏省常州市武进国家高新技术产业开发区阳湖西路9号",
        "江苏省常州市武进国家高新技术产业开发区阳湖西路9号",
    );
    one(
        "注册地址：山西转型综合改革示范区学府产业园长治路249号",
        "山西转型综合改革示范区学府产业园长治路249号",
    );
}

#[test]
fn the_door_as_the_building_annexes_and_floors_below_ground() {
    one(
        "地址：北京市朝阳区建国路88号楼5层",
        "北京市朝阳区建国路88号楼5层",
    );
    one(
        "地址：西安市雁塔区小寨东路1号楼2单元",
        "西安市雁塔区小寨东路1号楼2单元",
    );
    one(
        "地址：成都市武侯区人民南路四段1号附3号",
        "成都市武侯区人民南路四段1号附3号",
    );
    one(
        "地址：重庆市渝中区解放碑步行街8号负1楼",
        "重庆市渝中区解放碑步行街8号负1楼",
    );
    one(
        "地址：北京市朝阳区建国路88号楼。",
        "北京市朝阳区建国路88号楼",
    );
    // A word that begins with 楼 is no building (`楼下`: downstairs).
    one(
        "地址：北京市朝阳区建国路88号楼下有车",
        "北京市朝阳区建国路88号",
    );
}

/// A village's group counted with `第` and named in full (`第二村民组`, `第5村民小组`, `第3小组`);
/// an estate's building, unit and room with dashes, estates named like dormitories,
/// communities and towns; a gate, a guard and a service centre after the room are no part of
/// it; the verb before it (`快递放`) and the label's `所地` neither.
#[test]
fn village_groups_estates_and_their_ends() {
    for address in [
        "福建省泉州市南安市观音堂镇双井村第二村民组",
        "江西省吉安市泰和县三河口乡前进村第2村民小组",
        "山西省长治市壶关县马坡镇杨柳村第3小组15号",
        "上海市杨浦区东风路385号御景湾31-3-2304",
        "河南省郑州市金水区文三路253号纺织厂宿舍11-5-702",
        "吉林省长春市南关区花园路238号中海国际社区19-2-1605",
        "福州市鼓楼区黄河路348号锦绣江南",
        "南岗区文化路641号金地格林小镇",
    ] {
        check(&format!("地址：{address}"), &[(AddressZh, address)]);
    }
    check(
        "address 北京市海淀区迎宾大道863号湖畔雅居11-3-2401.",
        &[(AddressZh, "北京市海淀区迎宾大道863号湖畔雅居11-3-2401")],
    );
    check(
        "快递放济南市历下区张杨路944号御景湾B座503室门卫了",
        &[(AddressZh, "济南市历下区张杨路944号御景湾B座503室")],
    );
    check(
        "快递放北京市海淀区新华街838号8栋3单元3306门卫了",
        &[(AddressZh, "北京市海淀区新华街838号8栋3单元3306")],
    );
    check(
        "原件到福州市鼓楼区新华街634号29栋202房政务服务中心领取",
        &[(AddressZh, "福州市鼓楼区新华街634号29栋202房")],
    );
    check(
        "被告：某某传媒有限公司，住所地哈尔滨市南岗区光华路299号幸福里小区10号楼2302",
        &[(AddressZh, "哈尔滨市南岗区光华路299号幸福里小区10号楼2302")],
    );
    // `解放路` keeps its `放`; a first place in the village is no group.
    check(
        "地址：云南省昆明市五华区解放路531号32栋203房",
        &[(AddressZh, "云南省昆明市五华区解放路531号32栋203房")],
    );
    check("他是本村第一个大学生", &[]);
    check("该村第二组共有20户。", &[]);
    check("全村第2组长", &[]);
}
