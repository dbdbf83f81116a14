//! Cases reviews of the name, title and address rules found: each a rule firing where it
//! should not, or stopping where it should not.

use custodian_detect::PiType;

use PiType::*;
use common::check;

mod common;

/// Cases a review of the session's rules found: a chat speaker's line start is looked for
/// within the speaker's reach only (a long line of `Tom:` stays linear); surnames that are
/// also place words stay names; office titles confirm only given names' characters; places
/// and teams before a given name; party nouns in headings; `为` in a road's name; a compound
/// surname before a title.
#[test]
fn review_cases_for_the_given_name_and_title_rules() {
    let long = "Tom: ".repeat(200_000);
    let started = std::time::Instant::now();
    let _ = custodian_detect::Detector::new().scan_str(&long);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(20),
        "{:?}",
        started.elapsed()
    );
    for (input, name) in [
        ("I met Emily Hall yesterday", "Emily Hall"),
        ("Thanks, Robert Church", "Robert Church"),
    ] {
        check(input, &[(PersonNameEn, name)]);
    }
    for input in [
        "党委书记",
        "车间主任说",
        "游泳教练",
        "San Antonio Spurs",
        "St. Louis Cardinals",
        "Student Union Building",
        "Teacher Resource Guide",
        "To: All Staff",
        "Virginia Tech",
    ] {
        check(input, &[]);
    }
    check("客户欧阳女士反映", &[(PersonNameZh, "欧阳")]);
    check("地址：为民路5号", &[(AddressZh, "为民路5号")]);
    check(
        "As a rule I reply to 13812345678 quickly",
        &[(CnMobile, "13812345678")],
    );
    check("router:192.168.1.1", &[(IpAddress, "192.168.1.1")]);
}
