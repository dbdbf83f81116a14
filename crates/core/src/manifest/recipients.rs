//! The recipients abroad a manifest declares (PIPL Art. 39's notice content).

use serde::Deserialize;
use toml::Spanned;

use super::load::Checker;
use super::{AppTypeRef, Field, Purpose, Recipient};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecipient {
    pub(super) id: Spanned<String>,
    pub(super) name: String,
    pub(super) contact: String,
    pub(super) country: Spanned<String>,
    pub(super) purpose: Spanned<String>,
    pub(super) fields: Vec<Spanned<String>>,
    #[serde(default)]
    pub(super) cell: Option<Spanned<String>>,
}

/// Checks the recipients abroad: a unique id, a country code, a declared purpose with a
/// lawful basis, declared fields. A ride-hailing app's recipients are noted: its PI may not
/// leave mainland China whatever the basis, so every transfer to them is refused.
pub(super) fn check(
    c: &mut Checker<'_>,
    raw: &[Spanned<RawRecipient>],
    purposes: &[Purpose],
    fields: &[Field],
    app_type: &AppTypeRef,
) -> Vec<Recipient> {
    let mut out: Vec<Recipient> = Vec::new();
    for r in raw {
        let at = r.span().start;
        let r = r.get_ref();
        let id = r.id.get_ref();
        if !crate::transfers::valid_label(id) {
            c.error(
                r.id.span().start,
                "invalid_name",
                "a recipient id must be 1-64 characters of a-z A-Z 0-9 _ - . /".into(),
            );
            continue;
        }
        if out.iter().any(|o| &o.id == id) {
            c.error(
                at,
                "duplicate_recipient",
                format!("recipient `{id}` is declared twice"),
            );
            continue;
        }
        if r.name.trim().is_empty() || r.contact.trim().is_empty() {
            c.error(
                at,
                "recipient_notice_incomplete",
                format!("recipient `{id}` needs a name and a contact (PIPL Art. 39)"),
            );
        }
        let Ok(country) = crate::ids::Jurisdiction::parse(r.country.get_ref()) else {
            c.error(
                r.country.span().start,
                "invalid_country",
                format!("recipient `{id}`: `country` is a two-letter upper-case code such as `US`"),
            );
            continue;
        };
        let Some(purpose) = purposes
            .iter()
            .find(|p| p.id.as_str() == r.purpose.get_ref())
        else {
            c.error(
                r.purpose.span().start,
                "unknown_purpose",
                format!(
                    "recipient `{id}`: purpose `{}` is not declared",
                    r.purpose.get_ref()
                ),
            );
            continue;
        };
        // One purpose per recipient: the separate consent to it is consent to this transfer.
        if out.iter().any(|o| o.purpose == purpose.id) {
            c.error(
                r.purpose.span().start,
                "recipient_purpose_shared",
                format!(
                    "recipient `{id}`: purpose `{}` is another recipient's; each recipient abroad needs a purpose of its own, so that consent to it is consent to that transfer",
                    purpose.id
                ),
            );
        }
        let cell = match &r.cell {
            None => None,
            Some(c0) => {
                match crate::ids::Jurisdiction::parse(c0.get_ref()) {
                    Ok(j) => Some(j),
                    Err(_) => {
                        c.error(
                        c0.span().start,
                        "invalid_cell",
                        format!("recipient `{id}`: `cell` is a cell's jurisdiction code such as `EU`"),
                    );
                        continue;
                    }
                }
            }
        };
        let mut fs = Vec::new();
        for f in &r.fields {
            match fields.iter().find(|x| x.name.as_str() == f.get_ref()) {
                Some(x) => fs.push(x.name.clone()),
                None => c.error(
                    f.span().start,
                    "unknown_field",
                    format!("recipient `{id}`: field `{}` is not declared", f.get_ref()),
                ),
            }
        }
        if app_type.id() == "online_car_hailing" {
            c.note(
                at,
                "transfer_forbidden_by_sector",
                format!(
                    "recipient `{id}` is abroad, and ride-hailing PI must stay in mainland China (网络预约出租汽车经营服务管理暂行办法 Art. 27): every transfer to it is refused"
                ),
            );
        }
        out.push(Recipient {
            id: id.clone(),
            name: r.name.trim().to_string(),
            contact: r.contact.trim().to_string(),
            country,
            purpose: purpose.id.clone(),
            fields: fs,
            cell,
        });
    }
    out
}
