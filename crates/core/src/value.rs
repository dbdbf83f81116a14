//! Values checked for their field's type, and the normal form values are compared in.
//!
//! A value is accepted for a field only if it is a value of the field's type on its own:
//! a `cn_mobile` field takes a mobile number (digits and the usual separators, a valid MIIT
//! segment) and nothing else, so a name, an address or a megabyte of text cannot be smuggled
//! into a phone field (where a masked read would hand it back in clear). The structured types
//! use the detection engine's validators; names, addresses, dates and coordinates have their
//! own shape rules here; every type has a length bound and refuses control characters.
//!
//! Errors say what was expected, never what was given.

use custodian_detect::{Detector, PiType, validate};

use crate::catalog::FieldType;

/// What a refused value should have been (a phrase such as `a mainland mobile number`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Expected(pub &'static str);

/// Largest free-text or document value, in bytes.
pub const MAX_TEXT: usize = 64 * 1024;

fn only(value: &str, allowed: impl Fn(char) -> bool) -> bool {
    value.chars().all(allowed)
}

fn no_controls(value: &str, newlines: bool) -> bool {
    value
        .chars()
        .all(|c| !c.is_control() || (newlines && matches!(c, '\n' | '\r' | '\t')))
}

fn digits(value: &str) -> String {
    value.chars().filter(char::is_ascii_digit).collect()
}

fn is_han(c: char) -> bool {
    matches!(
        c,
        '\u{4E00}'..='\u{9FFF}'
            | '\u{3400}'..='\u{4DBF}'
            | '\u{F900}'..='\u{FAFF}'
            | '\u{20000}'..='\u{323AF}'
    )
}

/// Middle dots that separate the parts of a transliterated name (阿依古丽·买买提).
fn name_dot(c: char) -> bool {
    matches!(c, '·' | '•' | '・' | '‧' | '･')
}

/// Characters an address holds at or below the street level; an address has at least one.
const ADDRESS_MARKERS: &str =
    "省市区县旗镇乡村屯组路街道巷弄胡同里号楼栋幢单元室层座园苑小区大厦广场";

/// Structured PI the detector finds in a value meant to hold something else (a phone number
/// in an address, an ID number in an occupation).
fn holds_structured_pi(value: &str) -> bool {
    Detector::new().scan_str(value).iter().any(|f| {
        matches!(
            f.pi_type,
            PiType::CnMobile
                | PiType::CnLandline
                | PiType::CnResidentId
                | PiType::BankCard
                | PiType::Email
                | PiType::UsSsn
                | PiType::Iban
                | PiType::CnPassport
                | PiType::HkMacauPermit
                | PiType::TaiwanPermit
                | PiType::IpAddress
        )
    })
}

fn number(s: &str) -> Option<f64> {
    let s = s.trim();
    let ok = !s.is_empty()
        && s.len() <= 24
        && only(s, |c| c.is_ascii_digit() || matches!(c, '-' | '+' | '.'));
    ok.then(|| s.parse::<f64>().ok())
        .flatten()
        .filter(|v| v.is_finite())
}

fn coordinate(s: &str) -> bool {
    let mut parts = s.split(',');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(a), Some(b), None) => match (number(a), number(b)) {
            // `lat,lng` or `lng,lat` (AMap and Baidu send longitude first).
            (Some(a), Some(b)) => validate::gps_pair(a, b),
            _ => false,
        },
        _ => false,
    }
}

/// A date as `YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD` or `YYYY年M月D日`, a real calendar date
/// from 1900 on.
fn date(s: &str) -> Option<(u32, u32, u32)> {
    let s = s.trim();
    let parts: Vec<&str> = if let Some(rest) = s.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else if s.len() == 8 && only(s, |c| c.is_ascii_digit()) {
        vec![&s[..4], &s[4..6], &s[6..]]
    } else {
        s.split(['-', '/']).collect()
    };
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    let n = |p: &str, max: usize| {
        (!p.is_empty() && p.len() <= max && only(p, |c| c.is_ascii_digit()))
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    let (y, m, d) = (n(y, 4)?, n(m, 2)?, n(d, 2)?);
    (y >= 1900 && validate::is_real_date(y, m, d)).then_some((y, m, d))
}

/// A point in time: milliseconds or seconds since the epoch, or an RFC 3339 date-time (a space
/// for the `T` accepted: `2026-10-01 08:00:00`).
fn time(s: &str) -> bool {
    let s = s.trim();
    if !s.is_empty() && s.len() <= 13 && only(s, |c| c.is_ascii_digit()) {
        return true;
    }
    let Some((d, t)) = s.split_once(['T', ' ']) else {
        return false;
    };
    let t = t
        .strip_suffix('Z')
        .or_else(|| {
            t.get(..t.len().saturating_sub(6)).filter(|_| {
                let tz = &t[t.len().saturating_sub(6)..];
                tz.len() == 6 && matches!(tz.as_bytes()[0], b'+' | b'-') && tz.as_bytes()[3] == b':'
            })
        })
        .unwrap_or(t);
    let hms: Vec<&str> = t.split(':').collect();
    let two = |p: &str, max: u32| {
        let p = p.split('.').next().unwrap_or("");
        p.len() == 2 && only(p, |c| c.is_ascii_digit()) && p.parse::<u32>().is_ok_and(|v| v <= max)
    };
    date(d).is_some()
        && d.len() == 10
        && (2..=3).contains(&hms.len())
        && two(hms[0], 23)
        && two(hms[1], 59)
        && hms.get(2).is_none_or(|s| two(s, 60))
}

fn base64ish(s: &str) -> bool {
    let body: String = s.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    !body.is_empty()
        && body.len().is_multiple_of(4)
        && only(&body, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=')
        })
}

fn short_text(value: &str) -> bool {
    value.chars().count() <= 128 && no_controls(value, false) && !holds_structured_pi(value)
}

/// A phone number without its country code: `+86`, `0086` or a leading `86` go; any other
/// `+` code is a foreign number, not a mainland one.
fn national_number(s: &str) -> Option<&str> {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('+') {
        let rest = rest.trim_start();
        return rest.strip_prefix("86").filter(|r| !r.contains('+'));
    }
    if s.contains('+') {
        return None;
    }
    Some(s.strip_prefix("0086").unwrap_or(s))
}

/// Checks `value` as a value of `ty`.
pub fn check(ty: FieldType, value: &str) -> Result<(), Expected> {
    let trimmed = value.trim();
    let max = match ty {
        FieldType::FreeText => MAX_TEXT,
        FieldType::Other(
            "trip_track" | "payment_record" | "health_record" | "cargo_description",
        ) => MAX_TEXT,
        FieldType::Other("face_image" | "biometric_template" | "id_document_copy") => 1 << 20,
        _ => 512,
    };
    let expected = expected(ty);
    if trimmed.is_empty() || value.len() > max || value.contains('\0') {
        return Err(expected);
    }
    let ok = match ty {
        FieldType::Detected(t) => detected(t, value, trimmed),
        FieldType::FreeText => no_controls(value, true),
        FieldType::Other(name) => other(name, value, trimmed),
    };
    if ok { Ok(()) } else { Err(expected) }
}

fn detected(t: PiType, value: &str, trimmed: &str) -> bool {
    let phone_chars = |c: char| c.is_ascii_digit() || matches!(c, ' ' | '-' | '+' | '(' | ')');
    let compact = || -> String {
        trimmed
            .chars()
            .filter(|c| !matches!(c, ' ' | '-'))
            .collect::<String>()
            .to_ascii_uppercase()
    };
    match t {
        PiType::CnMobile => {
            let Some(national) = national_number(trimmed) else {
                return false;
            };
            let d = digits(national);
            let d = d.strip_prefix("86").filter(|r| r.len() == 11).unwrap_or(&d);
            only(trimmed, phone_chars) && validate::cn_mobile(d.as_bytes())
        }
        PiType::CnLandline => {
            // An extension may follow: `转8001`, `ext. 8001`, `-8001`.
            let main = trimmed
                .split(['转', 'x', 'X'])
                .next()
                .unwrap_or(trimmed)
                .trim_end_matches(|c: char| c == ' ' || c == '.' || c.is_ascii_alphabetic());
            let ext = &trimmed[main.len()..];
            let ext_ok = ext.is_empty()
                || ext.chars().filter(char::is_ascii_digit).count() <= 6
                    && ext.chars().all(|c| {
                        c.is_ascii_digit() || matches!(c, '转' | 'x' | 'X' | 'e' | 't' | '.' | ' ')
                    });
            let Some(national) = national_number(main) else {
                return false;
            };
            let d = digits(national);
            let landline = |d: &str| {
                validate::cn_landline(d.as_bytes())
                    || validate::cn_landline(format!("0{d}").as_bytes())
            };
            // `010-62345678-8001`: the last dash group is an extension if the rest validates.
            let dashed_ext = !landline(&d)
                && main.matches('-').count() >= 2
                && main.rsplit_once('-').is_some_and(|(head, tail)| {
                    (1..=6).contains(&tail.len())
                        && tail.bytes().all(|b| b.is_ascii_digit())
                        && landline(&digits(head))
                });
            ext_ok && only(main, phone_chars) && (landline(&d) || dashed_ext)
        }
        PiType::CnResidentId => {
            only(trimmed, |c| c.is_ascii_alphanumeric() || c == ' ')
                && validate::resident_id(compact().as_bytes())
        }
        PiType::BankCard => {
            only(trimmed, |c| c.is_ascii_digit() || matches!(c, ' ' | '-'))
                && validate::bank_card(digits(value).as_bytes())
        }
        PiType::UsSsn => {
            let d = digits(value);
            only(trimmed, |c| c.is_ascii_digit() || matches!(c, ' ' | '-'))
                && d.len() == 9
                && validate::us_ssn(&d.as_bytes()[..3], &d.as_bytes()[3..5], &d.as_bytes()[5..])
        }
        PiType::Email => {
            trimmed.len() <= 254
                && !trimmed.chars().any(char::is_whitespace)
                && validate::email(trimmed.as_bytes())
        }
        PiType::IpAddress => {
            validate::ipv4(trimmed.as_bytes()) || validate::ipv6(trimmed.as_bytes())
        }
        PiType::Iban => {
            only(trimmed, |c| c.is_ascii_alphanumeric() || c == ' ')
                && validate::iban(compact().as_bytes())
        }
        PiType::CnPassport | PiType::HkMacauPermit | PiType::TaiwanPermit => {
            let c = compact();
            only(trimmed, |c| {
                c.is_ascii_alphanumeric() || matches!(c, ' ' | '-')
            }) && match t {
                PiType::CnPassport => validate::cn_passport(c.as_bytes()),
                PiType::HkMacauPermit => validate::hk_macau_permit(c.as_bytes()),
                _ => validate::taiwan_permit(c.as_bytes()),
            }
        }
        PiType::CnLicensePlate => validate::cn_license_plate(trimmed),
        PiType::GpsCoordinate => coordinate(trimmed),
        PiType::DateOfBirth => date(trimmed).is_some(),
        PiType::PersonNameZh => {
            let n = trimmed.chars().filter(|c| is_han(*c)).count();
            (2..=12).contains(&n) && only(trimmed, |c| is_han(c) || name_dot(c))
        }
        PiType::PersonNameEn => {
            let letters = trimmed.chars().filter(|c| c.is_alphabetic()).count();
            letters >= 2
                && trimmed.chars().count() <= 100
                && only(trimmed, |c| {
                    (c.is_alphabetic() && !is_han(c)) || matches!(c, ' ' | '-' | '\'' | '.')
                })
        }
        PiType::AddressZh => {
            trimmed.chars().count() <= 200
                && trimmed.chars().count() >= 3
                && trimmed.chars().any(|c| ADDRESS_MARKERS.contains(c))
                && no_controls(value, false)
                && !holds_structured_pi(value)
        }
        // Organisations' codes are not PI fields (the catalog refuses them); anything else
        // the detector learns must get a rule here before a field can hold it.
        _ => false,
    }
}

fn other(name: &str, value: &str, trimmed: &str) -> bool {
    match name {
        "trip_track" => trimmed
            .split([';', '\n'])
            .filter(|p| !p.trim().is_empty())
            .all(|p| {
                let mut it = p.trim().splitn(3, ',');
                match (it.next(), it.next(), it.next()) {
                    (Some(lat), Some(lng), Some(t)) => {
                        coordinate(&format!("{lat},{lng}")) && time(t)
                    }
                    _ => false,
                }
            }),
        "precise_location" => coordinate(trimmed),
        "gender" => matches!(
            trimmed.to_ascii_lowercase().as_str(),
            "male" | "female" | "other" | "unknown" | "m" | "f" | "x" | "男" | "女" | "其他"
                // GB/T 2261.1: 0 unknown, 1 male, 2 female, 9 unspecified.
                | "0" | "1" | "2" | "9"
        ),
        "age" => {
            trimmed.len() <= 3
                && only(trimmed, |c| c.is_ascii_digit())
                && trimmed.parse::<u32>().is_ok_and(|a| a <= 150)
        }
        "amount" => {
            let (int, frac) = trimmed.split_once('.').unwrap_or((trimmed, ""));
            let int = int.strip_prefix('-').unwrap_or(int);
            !int.is_empty()
                && int.len() <= 15
                && frac.len() <= 4
                && only(int, |c| c.is_ascii_digit())
                && only(frac, |c| c.is_ascii_digit())
        }
        "timestamp" => time(trimmed),
        "account_id" => {
            trimmed.chars().count() <= 128
                && !trimmed.chars().any(|c| c.is_whitespace() || c.is_control())
        }
        "occupation" | "education" | "vehicle_model" => short_text(value),
        "payment_record" | "health_record" | "cargo_description" => no_controls(value, true),
        "face_image" | "biometric_template" | "id_document_copy" => base64ish(value),
        _ => false,
    }
}

/// What a value of `ty` must be, for messages.
pub fn expected(ty: FieldType) -> Expected {
    Expected(match ty {
        FieldType::Detected(t) => match t {
            PiType::CnMobile => "a mainland mobile number",
            PiType::CnLandline => "a mainland landline number with its area code",
            PiType::CnResidentId => {
                "a resident identity number (GB 11643, with its check character)"
            }
            PiType::BankCard => "a bank card number (12-19 digits passing the Luhn check)",
            PiType::UsSsn => "a US social security number",
            PiType::Email => "an e-mail address",
            PiType::IpAddress => "an IPv4 or IPv6 address",
            PiType::Iban => "an IBAN",
            PiType::CnPassport => "a Chinese passport number",
            PiType::HkMacauPermit => "a Hong Kong and Macau travel permit number",
            PiType::TaiwanPermit => "a Taiwan travel permit number",
            PiType::CnLicensePlate => "a licence plate: province, office letter, 5 or 6 characters",
            PiType::GpsCoordinate => "a coordinate `lat,lng` within range",
            PiType::DateOfBirth => "a date such as `1990-05-17` from 1900 on",
            PiType::PersonNameZh => "a name of 2 to 12 Chinese characters",
            PiType::PersonNameEn => "a name of letters, spaces, hyphens and apostrophes",
            PiType::AddressZh => "a Chinese address of at most 200 characters holding no other PI",
            _ => "a type no field may hold",
        },
        FieldType::FreeText => "text of at most 64 KiB without control characters",
        FieldType::Other(n) => match n {
            "trip_track" => "points `lat,lng,time` separated by `;`, each with a time",
            "precise_location" => "a coordinate `lat,lng` within range",
            "gender" => "a gender (male, female, other, unknown, or GB/T 2261.1 codes 0, 1, 2, 9)",
            "age" => "an age in years (0-150)",
            "amount" => "a decimal amount",
            "timestamp" => "a time (milliseconds since the epoch or RFC 3339)",
            "account_id" => "an account id of at most 128 characters without spaces",
            "occupation" | "education" | "vehicle_model" => {
                "a short text of at most 128 characters holding no other PI"
            }
            "face_image" | "biometric_template" | "id_document_copy" => {
                "base64 data of at most 1 MiB"
            }
            _ => "text of at most 64 KiB without control characters",
        },
    })
}

/// The form a value is compared in (blind index, deterministic token).
pub fn normalise(ty: FieldType, value: &str) -> String {
    match ty {
        FieldType::Detected(PiType::CnMobile) => {
            let d = digits(value);
            let national = d
                .strip_prefix("0086")
                .or_else(|| d.strip_prefix("86").filter(|r| r.len() == 11))
                .unwrap_or(&d);
            national.to_string()
        }
        FieldType::Detected(PiType::CnLandline | PiType::BankCard | PiType::UsSsn) => digits(value),
        FieldType::Detected(
            PiType::CnResidentId
            | PiType::Iban
            | PiType::CnPassport
            | PiType::HkMacauPermit
            | PiType::TaiwanPermit,
        ) => value
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_uppercase(),
        FieldType::Detected(PiType::Email) => value.trim().to_lowercase(),
        // `鲁B VC684`, `鲁B·VC684` and `鲁BVC684` are one plate.
        FieldType::Detected(PiType::CnLicensePlate) => value
            .chars()
            .filter(|c| !c.is_whitespace() && !matches!(c, '·' | '•' | '-'))
            .collect(),
        _ => value.trim().to_string(),
    }
}

/// The forms earlier versions indexed a value under, where they differ from [`normalise`]'s:
/// looked up too, so values collected before the change are still found however they are
/// spelled now. Plates were indexed as written (trimmed) until their separators were dropped:
/// every spelling with a separator after the office letter.
pub fn earlier_forms(ty: FieldType, value: &str) -> Vec<String> {
    match ty {
        FieldType::Detected(PiType::CnLicensePlate) => {
            let n = normalise(ty, value);
            let mut chars = n.chars();
            let head: String = chars.by_ref().take(2).collect();
            let rest: String = chars.collect();
            if head.chars().count() < 2 || rest.is_empty() {
                return Vec::new();
            }
            [' ', '·', '•', '-']
                .iter()
                .map(|sep| format!("{head}{sep}{rest}"))
                .collect()
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(s: &str) -> FieldType {
        FieldType::parse(s).unwrap()
    }

    #[test]
    fn plates_normalise_without_their_separator_and_keep_their_earlier_form() {
        let plate = ty("cn_license_plate");
        for v in ["鲁B VC684", "鲁B·VC684", "鲁BVC684", " 鲁B-VC684 "] {
            assert_eq!(normalise(plate, v), "鲁BVC684", "{v}");
        }
        // However it is spelled now, every spelling an earlier version may have indexed.
        for v in ["鲁B VC684", "鲁BVC684", "鲁B·VC684"] {
            let forms = earlier_forms(plate, v);
            assert_eq!(forms.len(), 4, "{forms:?}");
            assert!(forms.contains(&"鲁B VC684".to_string()));
            assert!(forms.contains(&"鲁B·VC684".to_string()));
        }
        assert!(earlier_forms(ty("cn_mobile"), "138 1234 5678").is_empty());
    }

    #[test]
    fn values_hold_their_type_and_nothing_else() {
        let cases: &[(&str, &str, bool)] = &[
            ("cn_mobile", "13812345678", true),
            ("cn_mobile", "+86 138-1234-5678", true),
            ("cn_mobile", "张三 13812345678", false),
            ("cn_mobile", "13812345678\0", false),
            ("cn_mobile", "北京市朝阳区建国路88号", false),
            ("cn_mobile", "12345678901", false),
            ("cn_mobile", "+1 415-555-0123", false),
            ("cn_mobile", "+86 13812345678", true),
            ("cn_mobile", "008613812345678", true),
            ("cn_mobile", "138+12345678", false),
            ("cn_landline", "010-62345678", true),
            ("cn_landline", "010-62345678 ext. Wang", false),
            ("cn_landline", "+86 10 6234 5678", true),
            ("cn_landline", "010-62345678-8001", true),
            ("cn_landline", "010-62345678转8001", true),
            ("cn_landline", "+1 212 555 0100", false),
            ("cn_resident_id", "11010519491231002X", true),
            ("cn_resident_id", "110105194912310021", false),
            ("bank_card", "4111 1111 1111 1112", false),
            ("bank_card", "4111 1111 1111 1111", true),
            ("email", "li.na@example.com", true),
            ("email", "li na@example.com", false),
            ("cn_license_plate", "鲁B VC684", true),
            ("cn_license_plate", "鲁B VC684 李四", false),
            ("gps_coordinate", "39.9042,116.4074", true),
            ("gps_coordinate", "99.0,116.4", false),
            ("gps_coordinate", "116.4814,39.9905", true),
            ("gps_coordinate", "99.0,199.4", false),
            ("date_of_birth", "1990-05-17", true),
            ("date_of_birth", "1990-02-30", false),
            ("date_of_birth", "1990年5月17日", true),
            ("person_name_zh", "张伟", true),
            ("person_name_zh", "张伟13812345678", false),
            ("person_name_zh", "阿依古丽·买买提", true),
            ("person_name_zh", "阿依古丽・买买提", true),
            ("person_name_en", "Mary O'Neil", true),
            ("person_name_en", "Mary 1234", false),
            ("address_zh", "北京市朝阳区建国路88号", true),
            ("address_zh", "北京市朝阳区建国路88号 13812345678", false),
            ("address_zh", "张伟", false),
            ("address_zh", "患有糖尿病", false),
            ("address_zh", "湖南省浏阳市大瑶镇杨花村三组", true),
            (
                "trip_track",
                "39.9042,116.4074,2026-10-01T08:00:00Z;39.91,116.42,1790000000000",
                true,
            ),
            ("trip_track", "39.9042,116.4074;39.91,116.42", false),
            ("trip_track", "39.9042,116.4074,2026-10-01 08:00:00", true),
            ("timestamp", "2026-10-01 08:00:00", true),
            ("gender", "2", true),
            ("age", "34", true),
            ("age", "340", false),
            ("occupation", "driver", true),
            ("occupation", "driver 13812345678", false),
            ("free_text", "十年物流调度经验", true),
            ("free_text", "a\u{7}b", false),
        ];
        for (t, v, want) in cases {
            assert_eq!(check(ty(t), v).is_ok(), *want, "{t}: {v}");
        }
        let big = "1".repeat(1 << 20);
        assert!(check(ty("cn_mobile"), &big).is_err());
        assert!(check(ty("free_text"), &big).is_err());
    }
}
