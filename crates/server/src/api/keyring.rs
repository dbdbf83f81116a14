//! The key hierarchy, for the administrator: its status, rotations on demand (the cell also
//! rotates the epoch on a schedule), and backups taken while the cell serves.

use axum::Json;
use axum::extract::State;
use custodian_core::vault::{KeyStatus, RotationReport};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::extract::{Allowed, Body, blocking, op};
use crate::Shared;
use crate::error::ApiError;

#[derive(Serialize, ToSchema)]
pub(super) struct KeyringView {
    /// Where the KEK and the epoch keys live (`file …`, `pkcs11 …`).
    holder: String,
    /// The epoch new keys are wrapped under.
    current_epoch: u32,
    epochs: Vec<EpochView>,
}

#[derive(Serialize, ToSchema)]
pub(super) struct EpochView {
    /// 0: keys wrapped directly by the KEK, from before epochs.
    epoch: u32,
    /// Milliseconds since the Unix epoch.
    created_at: Option<i64>,
    retired_at: Option<i64>,
    /// Whether the holder still has the epoch's key.
    held: bool,
    subject_keys: u64,
}

fn view(st: KeyStatus) -> KeyringView {
    KeyringView {
        holder: st.holder,
        current_epoch: st.current,
        epochs: st
            .epochs
            .into_iter()
            .map(|e| EpochView {
                epoch: e.epoch,
                created_at: e.created_at,
                retired_at: e.retired_at,
                held: e.held,
                subject_keys: e.subject_keys,
            })
            .collect(),
    }
}

#[utoipa::path(get, path = "/v1/keyring", responses((status = 200, body = KeyringView), (status = 401, body = ApiError), (status = 403, body = ApiError)))]
pub(super) async fn status(
    State(st): State<Shared>,
    a: Allowed<op::ManageKeyring>,
) -> Result<Json<KeyringView>, ApiError> {
    let admin = a.admin()?;
    let vault = st.vault.clone();
    Ok(Json(view(
        blocking(move || vault.key_status(&admin)).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct Rotate {
    /// `epoch` (every key re-wrapped under a new epoch, older epochs destroyed) or `kek` (epoch
    /// keys re-wrapped under a new KEK, the old one destroyed).
    what: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct RotationView {
    what: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    from_epoch: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    to_epoch: Option<u32>,
    subject_keys: u64,
    tenant_keys: u64,
    destroyed_epochs: Vec<u32>,
}

#[utoipa::path(post, path = "/v1/keyring/rotate", request_body = Rotate, responses((status = 200, body = RotationView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn rotate(
    State(st): State<Shared>,
    a: Allowed<op::ManageKeyring>,
    Body(b): Body<Rotate>,
) -> Result<Json<RotationView>, ApiError> {
    let admin = a.admin()?;
    let vault = st.vault.clone();
    match b.what.as_str() {
        "epoch" => {
            let r: RotationReport = blocking(move || vault.rotate_epoch(&admin)).await?;
            Ok(Json(RotationView {
                what: "epoch",
                from_epoch: Some(r.from),
                to_epoch: Some(r.to),
                subject_keys: r.subject_keys,
                tenant_keys: r.tenant_keys,
                destroyed_epochs: r.destroyed,
            }))
        }
        "kek" => {
            blocking(move || vault.rotate_kek(&admin)).await?;
            Ok(Json(RotationView {
                what: "kek",
                from_epoch: None,
                to_epoch: None,
                subject_keys: 0,
                tenant_keys: 0,
                destroyed_epochs: vec![],
            }))
        }
        _ => Err(ApiError::bad_request(
            "invalid",
            "`what` must be `epoch` or `kek`",
        )),
    }
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct NewBackup {
    /// The new backup's name: a directory made in the cell's backup directory (`backup_dir`),
    /// 1-64 characters of `a-z A-Z 0-9 _ - .` starting with a letter or digit.
    name: String,
}

#[derive(Serialize, ToSchema)]
pub(super) struct BackupView {
    name: String,
    /// Entries in the backup's ledger.
    ledger_size: u64,
    /// The epochs its keys are wrapped under: it is readable only while they exist.
    key_epochs: Vec<u32>,
    /// The cell's signed checkpoint of the backup's ledger (also in `checkpoint` beside it).
    checkpoint: String,
}

#[utoipa::path(post, path = "/v1/backups", request_body = NewBackup, responses((status = 201, body = BackupView), (status = 400, body = ApiError), (status = 403, body = ApiError), (status = 409, body = ApiError)))]
pub(super) async fn backup(
    State(st): State<Shared>,
    a: Allowed<op::Backup>,
    Body(b): Body<NewBackup>,
) -> Result<(axum::http::StatusCode, Json<BackupView>), ApiError> {
    let admin = a.admin()?;
    // A name like any identifier: no separator, no `..`, nothing outside the backup directory.
    let name = custodian_core::ids::TenantId::parse(&b.name)
        .map_err(|_| {
            ApiError::bad_request(
                "invalid",
                "`name` must be 1-64 characters of a-z A-Z 0-9 _ - . starting with a letter or digit",
            )
        })?
        .to_string();
    let Some(dir) = st.backup_dir.clone() else {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            "this cell has no backup directory (`backup_dir`)",
        ));
    };
    let out = dir.join(&name);
    if out.exists() {
        return Err(ApiError::new(
            axum::http::StatusCode::CONFLICT,
            "conflict",
            "a backup of that name exists: choose a new name",
        ));
    }
    let vault = st.vault.clone();
    let dir = out.clone();
    let taken = blocking(move || {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        builder.create(&dir).map_err(|e| {
            custodian_core::CoreError::Invalid(format!("cannot create the backup directory: {e}"))
        })?;
        let taken = vault.backup(&admin, &dir)?;
        std::fs::write(dir.join("checkpoint"), &taken.checkpoint)
            .and_then(|()| std::fs::write(dir.join("backup.json"), taken.describe_json()))
            .map_err(|e| {
                custodian_core::CoreError::Store(format!("cannot write the backup: {e}"))
            })?;
        Ok(taken)
    })
    .await?;
    Ok((
        axum::http::StatusCode::CREATED,
        Json(BackupView {
            name,
            ledger_size: taken.ledger_size,
            key_epochs: taken.key_epochs,
            checkpoint: taken.checkpoint,
        }),
    ))
}
