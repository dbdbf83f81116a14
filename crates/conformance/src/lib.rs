//! The storage conformance suite: every `Store` backend must pass it. A backend's test file
//! expands [`conformance_tests!`] with a factory that makes a fresh, empty store and returns
//! an opener that opens *that same* store again (so persistence across reopening is tested
//! too); the macro writes one `#[test]` per check, so a failure names the check and, by its
//! test binary, the backend.
//!
//! Each check drives a real [`Vault`] over the backend through the public API, with the
//! example manifests of `examples/` and fixed test keys — which is why this is a crate of its
//! own that only tests and benchmarks depend on, not part of `custodian-core`'s API.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod assessments;
mod authority;
mod batch;
mod cells;
mod faults;
mod keys;
mod ledger;
mod onboard;
mod orders;
mod races;
mod requests;
mod retention;
mod subjects;
mod transfers;
mod values;

pub use assessments::*;
pub use authority::*;
pub use batch::*;
pub use cells::*;
pub use faults::*;
pub use keys::*;
pub use ledger::*;
pub use onboard::*;
pub use orders::*;
pub use races::*;
pub use requests::*;
pub use retention::*;
pub use subjects::*;
pub use transfers::*;
pub use values::*;

use std::sync::Arc;

use custodian_ledger::{Checkpoint, Signer, note};

use custodian_core::access::{AdminScope, DpoScope, RegulatorScope, Scope, ServiceScope};
use custodian_core::decision::{ConsentChange, ReasonCode};
use custodian_core::error::CoreError;
use custodian_core::ids::{
    FieldName, Jurisdiction, PurposeId, ServiceName, SubjectRole, TenantId, Token,
};
use custodian_core::keyring::{KeyHolder, MemoryKeys};
use custodian_core::store::Store;
use custodian_core::vault::{Reveal, Vault, VaultConfig};

/// The ride-hailing example manifest.
pub const RIDE_HAILING: &str = include_str!("../../../examples/ride_hailing.toml");
/// The job-board example manifest.
pub const JOB_BOARD: &str = include_str!("../../../examples/job_board.toml");
/// The freight example manifest.
pub const FREIGHT: &str = include_str!("../../../examples/freight.toml");

/// Opens the same store again.
pub type Opener = Box<dyn Fn() -> Arc<dyn Store>>;

/// A check's outcome: `Err` says what failed.
pub type Check = Result<(), String>;

/// One check of the suite.
pub type CheckFn = fn(&Opener) -> Check;

pub(crate) fn ensure(cond: bool, what: &str) -> Check {
    if cond { Ok(()) } else { Err(what.to_string()) }
}

pub(crate) fn id<T, E: std::fmt::Display>(r: Result<T, E>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

/// The signer every conformance vault uses.
pub fn test_signer() -> Signer {
    // A valid fixed name: from_seed fails only for invalid names.
    Signer::from_seed("custodian.test/cn/ledger", &[42; 32]).unwrap_or_else(|_| test_signer())
}

/// The regulator key every conformance vault trusts.
pub fn test_regulator() -> Signer {
    Signer::from_seed("regulator.test/cac", &[43; 32]).unwrap_or_else(|_| test_regulator())
}

/// The KEK of the key holder every conformance vault shares.
pub const TEST_KEK: [u8; 32] = [7; 32];

/// The key holder every conformance vault shares within a test process (stores are fresh per
/// check; their epochs share the holder's keys). Checks that rotate or destroy epochs bring a
/// holder of their own ([`vault_with`]).
pub fn shared_keys() -> Arc<dyn KeyHolder> {
    static KEYS: std::sync::OnceLock<Arc<MemoryKeys>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| Arc::new(MemoryKeys::new(TEST_KEK)))
        .clone()
}

/// A vault over `store` with the shared test key holder and signer.
pub fn vault(store: Arc<dyn Store>) -> Result<Vault, String> {
    vault_with(store, shared_keys())
}

/// A vault over `store` with this key holder and the test signer.
pub fn vault_with(store: Arc<dyn Store>, keys: Arc<dyn KeyHolder>) -> Result<Vault, String> {
    id(vault_trusting(
        store,
        keys,
        vec![test_regulator().verifier()],
    ))
}

/// A vault over `store` configured to trust these regulator keys.
pub fn vault_trusting(
    store: Arc<dyn Store>,
    keys: Arc<dyn KeyHolder>,
    regulators: Vec<custodian_ledger::Verifier>,
) -> Result<Vault, CoreError> {
    Vault::open(
        store,
        keys,
        test_signer(),
        VaultConfig {
            jurisdiction: cn(),
            origin: "custodian.test/cn/ledger".into(),
            regulator_keys: regulators,
            peers: vec![],
        },
    )
}

pub(crate) fn cn() -> Jurisdiction {
    Jurisdiction::parse("CN").unwrap_or_else(|_| cn())
}

pub(crate) fn t(s: &str) -> Result<TenantId, String> {
    id(TenantId::parse(s))
}
pub(crate) fn p(s: &str) -> Result<PurposeId, String> {
    id(PurposeId::parse(s))
}
pub(crate) fn f(s: &str) -> Result<FieldName, String> {
    id(FieldName::parse(s))
}
pub(crate) fn sv(s: &str) -> Result<ServiceName, String> {
    id(ServiceName::parse(s))
}

/// Expands to one `#[test]` per conformance check, each over a fresh store from `$fresh`
/// (an expression of type `fn() -> Opener`); checks of two cells get two fresh stores.
#[macro_export]
macro_rules! conformance_tests {
    ($fresh:expr) => {
        $crate::conformance_tests!(@each $fresh;
            orders_take_effect_and_refusals,
            freeze_races_registrations,
            tenants_persist,
            collect_and_detokenize,
            deterministic_tokens_are_their_subjects,
            deferred_detokenize_agrees,
            deferred_collect_agrees,
            a_collided_collect_is_decided_again,
            a_value_collected_again_while_swept_stays,
            denials_are_refused_and_recorded,
            tenant_isolation,
            lookup_by_blind_index,
            lookup_obeys_orders_and_consent,
            withdrawal_stops_processing,
            withdrawal_races_collects_and_reads,
            a_withdrawal_stands_whatever_the_clocks,
            a_subjects_consents_in_one_bulk_call_all_land,
            a_value_rekeyed_while_read_is_read_again,
            a_subject_changed_by_another_process_is_read_again,
            kept_subjects_after_another_process_rotates_and_erases,
            duplicate_consent_grants_update_one_row,
            values_hold_their_type,
            undeclared_identifiers_never_reach_the_ledger,
            subject_roles_scope_collection,
            roles_are_given_once_to_subjects_without_one,
            erase_and_export,
            epoch_rotation_rewraps_and_shreds,
            an_erasure_is_final_once_its_epoch_is_destroyed,
            rectification_and_legal_holds,
            retention_sweep_destroys_expired_values,
            requests_have_deadlines_and_overdue_lists,
            export_names_each_values_uses,
            ledger_checkpoints_and_proofs,
            concurrent_commits,
            organisation_orders_bind_new_tenants,
            regulator_keys_are_pinned,
            orders_slipped_into_the_store_stop_the_cell,
            orders_to_come_and_suspensions_bind_manifests,
            transfers_are_gated_and_counted,
            transfers_needing_an_assessment,
            transfer_refusals_for_minors_roles_and_volume,
            egress_check_finds_stored_values,
            batches_decide_each_item,
            batch_reads_decide_each_subject_alone,
            idempotency_keys_make_retries_safe,
            idempotency_keys_expire,
            onboarding_decides_each_part,
            a_refused_batch_item_names_nothing_of_the_one_before
        );
        $crate::conformance_tests!(@pair $fresh; transfers_between_cells);
    };
    (@pair $fresh:expr; $($check:ident),+) => {
        $(
            #[test]
            fn $check() {
                let (a, b): ($crate::Opener, $crate::Opener) = (($fresh)(), ($fresh)());
                if let Err(e) = $crate::$check(&a, &b) {
                    panic!("conformance check `{}` failed: {e}", stringify!($check));
                }
            }
        )+
    };
    (@each $fresh:expr; $($check:ident),+) => {
        $(
            #[test]
            fn $check() {
                let opener: $crate::Opener = ($fresh)();
                if let Err(e) = $crate::$check(&opener) {
                    panic!("conformance check `{}` failed: {e}", stringify!($check));
                }
            }
        )+
    };
}

/// The indexes of the store's ledger entries whose reason is `reason`, in order.
pub fn entries_with_reason(store: &dyn Store, reason: &str) -> Result<Vec<u64>, String> {
    let head = store.ledger_head().map_err(|e| e.to_string())?.size.get();
    let mut found = Vec::new();
    for (i, b) in store.ledger_entries(0, head).map_err(|e| e.to_string())? {
        let e = custodian_ledger::Entry::decode(&b).map_err(|e| e.to_string())?;
        if e.reason.is_some_and(|r| r.as_str() == reason) {
            found.push(i);
        }
    }
    Ok(found)
}

/// The service tests act as in each example tenant (`ride`: dispatch, `jobs`: matching,
/// `freight`: matching).
pub fn first_service(tenant: &TenantId) -> ServiceName {
    let name = match tenant.as_str() {
        "jobs" => "matching-svc",
        "freight" => "match-svc",
        _ => "dispatch-svc",
    };
    ServiceName::parse(name).unwrap_or_else(|_| first_service(tenant))
}

pub(crate) fn svc_of(tenant: &TenantId) -> Result<ServiceScope, String> {
    Ok(scope(tenant, &first_service(tenant)))
}

pub(crate) fn scope(tenant: &TenantId, service: &ServiceName) -> ServiceScope {
    ServiceScope::new(tenant.clone(), service.clone())
}

pub(crate) fn dpo(tenant: &TenantId) -> DpoScope {
    DpoScope::new(tenant.clone())
}

pub(crate) fn setup(open: &Opener) -> Result<Vault, String> {
    let v = vault(open())?;
    id(v.load_manifest(&AdminScope::new(), &t("ride")?, RIDE_HAILING))?;
    id(v.load_manifest(&AdminScope::new(), &t("jobs")?, JOB_BOARD))?;
    let notes = id(v.load_manifest(&AdminScope::new(), &t("freight")?, FREIGHT))?;
    ensure(
        notes.iter().any(|n| n.rule == "self_declared_app_type"),
        "freight's app type is reported as self-declared",
    )?;
    Ok(v)
}

pub(crate) fn denied_codes<T>(r: Result<T, CoreError>) -> Vec<ReasonCode> {
    match r {
        Err(CoreError::Denied(reasons)) => reasons.iter().map(|r| r.code).collect(),
        _ => Vec::new(),
    }
}

/// Every ledger entry's canonical bytes, to search for what must not be there.
pub(crate) fn ledger_bytes(v: &Vault) -> Result<Vec<Vec<u8>>, String> {
    id(v.ledger_entries(0, u64::MAX))?
        .into_iter()
        .map(|(_, e)| e.encode().map_err(|e| e.to_string()))
        .collect()
}
