//! Trains the name model and writes its weights where the build includes them:
//!
//! ```sh
//! cargo run --release -p custodian-detect --example train_names           # write
//! cargo run --release -p custodian-detect --example train_names -- --check  # verify
//! ```
//!
//! Training is deterministic (fixed seed, size and epochs), so `--check` retrains and fails
//! unless the result is byte for byte the shipped table.

use std::path::Path;
use std::process::ExitCode;

use custodian_detect::model::train::{DOCUMENTS, EPOCHS, SEED, Script, train};

fn main() -> ExitCode {
    let check = std::env::args().any(|a| a == "--check");
    for script in [Script::Han, Script::Latin] {
        let code = one(script, check);
        if code != ExitCode::SUCCESS {
            return code;
        }
    }
    ExitCode::SUCCESS
}

fn one(script: Script, check: bool) -> ExitCode {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/model")
        .join(script.file());
    let Some((table, report)) = train(script, SEED, DOCUMENTS, EPOCHS) else {
        eprintln!("train_names: the lexicon could not be built");
        return ExitCode::FAILURE;
    };
    eprintln!(
        "train_names: {script:?}: {} candidate spans ({} names), held-out generated text: precision {:.4}, recall {:.4}",
        report.examples, report.positives, report.heldout_precision, report.heldout_recall
    );
    if check {
        return match std::fs::read(&path) {
            Ok(shipped) if shipped == table => {
                eprintln!(
                    "train_names: {} matches a fresh training run",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Ok(_) => {
                eprintln!(
                    "train_names: {} differs from a fresh training run; run without --check to rewrite it",
                    path.display()
                );
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("train_names: cannot read {}: {e}", path.display());
                ExitCode::FAILURE
            }
        };
    }
    if let Err(e) = std::fs::write(&path, &table) {
        eprintln!("train_names: cannot write {}: {e}", path.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "train_names: wrote {} ({} bytes)",
        path.display(),
        table.len()
    );
    ExitCode::SUCCESS
}
