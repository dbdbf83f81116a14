//! What an app really collects: captured traffic (HAR 1.2, NDJSON request logs) read entry by
//! entry, every value the detection engine finds located by endpoint and field, and each
//! field judged against the necessary-PI scope of the app's type (the 2021 Provisions) and the
//! tenant's manifest — necessary, declared but beyond the scope, undeclared, sensitive without
//! a declaration that brings separate consent, sent to a third-party host, sent before consent.
//!
//! [`capture`] reads, [`extract`] finds, [`report`] judges and gathers; [`html`] and [`sarif`]
//! render. The report never holds a value, only masked examples.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod capture;
pub mod extract;
pub mod html;
pub mod report;
pub mod sarif;

pub use capture::{CaptureError, Exchange, read_har, read_ndjson};
pub use report::{Inspector, Policy, Report, Scope, Severity, Verdict};
