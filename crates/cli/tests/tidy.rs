//! Tidy: the architecture as rules the code must keep (rust-analyzer's `tidy.rs` is the
//! model). Each check reads the workspace's files; a failure names the file and the rule.
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("the workspace root")
        .to_path_buf()
}

/// Every `.rs` file under `dir`.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if p.file_name().is_some_and(|n| n != "target") {
                    stack.push(p);
                }
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn rel(p: &Path) -> String {
    p.strip_prefix(root()).unwrap().display().to_string()
}

/// The workspace crates: (package name, directory).
fn crates() -> Vec<(String, PathBuf)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(root().join("crates")).unwrap() {
        let dir = e.unwrap().path();
        let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
        let name = toml
            .lines()
            .find_map(|l| l.strip_prefix("name = \""))
            .and_then(|l| l.strip_suffix('"'))
            .unwrap()
            .to_string();
        out.push((name, dir));
    }
    out.sort();
    out
}

/// The names in a crate's `[dependencies]` table (not dev- or build-dependencies).
fn dependencies(dir: &Path) -> Vec<String> {
    let toml = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    let mut deps = Vec::new();
    let mut inside = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            inside = line == "[dependencies]";
            continue;
        }
        if inside && let Some((name, _)) = line.split_once(['=', '.']) {
            let name = name.trim();
            if !name.is_empty() && !name.starts_with('#') {
                deps.push(name.to_string());
            }
        }
    }
    deps.sort();
    deps
}

/// ARCHITECTURE.md's crate graph (between `<!-- crate-graph -->` markers) is the one the
/// manifests declare.
#[test]
fn crate_graph_is_as_drawn() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let block = doc
        .split("<!-- crate-graph -->")
        .nth(1)
        .and_then(|b| b.split("<!-- /crate-graph -->").next())
        .expect("ARCHITECTURE.md has a crate-graph block");
    let drawn: BTreeMap<String, Vec<String>> = block
        .lines()
        .filter_map(|l| l.split_once(':'))
        .map(|(name, deps)| {
            let mut d: Vec<String> = deps.split_whitespace().map(String::from).collect();
            d.sort();
            (name.trim().to_string(), d)
        })
        .collect();
    let actual: BTreeMap<String, Vec<String>> = crates()
        .into_iter()
        .map(|(name, dir)| {
            let d = dependencies(&dir)
                .into_iter()
                .filter(|d| d.starts_with("custodian"))
                .collect();
            (name, d)
        })
        .collect();
    assert_eq!(
        drawn, actual,
        "ARCHITECTURE.md's crate graph differs from the Cargo.toml files"
    );
}

/// The domain crates do no I/O: no async runtime, HTTP or database crate.
#[test]
fn domain_crates_have_no_io_dependencies() {
    const IO: &[&str] = &[
        "tokio",
        "axum",
        "tower-http",
        "hyper",
        "reqwest",
        "rusqlite",
        "tokio-postgres",
        "deadpool-postgres",
    ];
    for (name, dir) in crates() {
        if ![
            "custodian-detect",
            "custodian-ledger",
            "custodian-core",
            "custodian-conformance",
        ]
        .contains(&name.as_str())
        {
            continue;
        }
        for d in dependencies(&dir) {
            assert!(
                !IO.contains(&d.as_str()),
                "{name} depends on `{d}`: domain crates do no I/O"
            );
        }
    }
}

/// Role names as strings live in `core/src/access.rs` only (`Role::as_str`, `Role::parse`);
/// everything else uses the enum. A JSON key `"service":` is not a role.
#[test]
fn no_role_strings_outside_access() {
    let mut bad = Vec::new();
    for krate in ["core", "store", "server", "cli", "conformance"] {
        for f in rust_files(&root().join("crates").join(krate).join("src")) {
            if f.ends_with("core/src/access.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&f).unwrap();
            for (n, line) in text.lines().enumerate() {
                for role in ["\"admin\"", "\"service\"", "\"dpo\"", "\"regulator\""] {
                    for (at, _) in line.match_indices(role) {
                        let after = line[at + role.len()..].trim_start();
                        if !after.starts_with(':') {
                            bad.push(format!("{}:{}: {role}", rel(&f), n + 1));
                        }
                    }
                }
            }
        }
    }
    assert!(
        bad.is_empty(),
        "role strings outside access.rs (use `Role`):\n{}",
        bad.join("\n")
    );
}

/// Lints are silenced only with `#[expect(…, reason = "…")]`, never a bare `#[allow(`.
#[test]
fn lint_exceptions_give_reasons() {
    let mut bad = Vec::new();
    for f in rust_files(&root().join("crates"))
        .into_iter()
        .chain(rust_files(&root().join("fuzz")))
    {
        let text = std::fs::read_to_string(&f).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (n, line) in lines.iter().enumerate() {
            let t = line.trim_start();
            if t.starts_with("#[allow(") || t.starts_with("#![allow(") {
                bad.push(format!(
                    "{}:{}: `#[allow(` (use `#[expect(.., reason = \"..\")]`)",
                    rel(&f),
                    n + 1
                ));
            }
            if t.starts_with("#[expect(") || t.starts_with("#![expect(") {
                // The attribute may span lines; its reason must be in it.
                let attr: String = lines[n..]
                    .iter()
                    .take(8)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(" ");
                let end = attr.find(")]").unwrap_or(attr.len());
                if !attr[..end].contains("reason") {
                    bad.push(format!(
                        "{}:{}: `#[expect(` without a reason",
                        rel(&f),
                        n + 1
                    ));
                }
            }
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Source files stay small enough to read: at most 700 lines, and at most 500 in the vault's
/// act families. Files that were longer when the rule came in are listed with the length
/// they had: they may shrink, never grow (split them when they are next changed).
#[test]
fn source_files_stay_small() {
    const LIMIT: usize = 700;
    const VAULT_LIMIT: usize = 500;
    const OLDER: &[(&str, usize)] = &[("crates/cli/tests/cli.rs", 1025)];
    let mut bad = Vec::new();
    for f in rust_files(&root().join("crates")) {
        let name = rel(&f);
        let n = std::fs::read_to_string(&f).unwrap().lines().count();
        let limit = if name.contains("crates/core/src/vault/") {
            VAULT_LIMIT
        } else {
            OLDER
                .iter()
                .find(|(p, _)| *p == name)
                .map_or(LIMIT, |(_, l)| *l)
        };
        if n > limit {
            bad.push(format!("{name}: {n} lines (limit {limit})"));
        }
    }
    assert!(
        bad.is_empty(),
        "files over their line limit:\n{}",
        bad.join("\n")
    );
}

/// Every crate forbids unsafe code at its root.
#[test]
fn unsafe_code_is_forbidden() {
    for (name, dir) in crates() {
        let root_file = ["src/lib.rs", "src/main.rs"]
            .iter()
            .map(|f| dir.join(f))
            .find(|p| p.exists())
            .unwrap();
        let text = std::fs::read_to_string(&root_file).unwrap();
        assert!(
            text.contains("#![forbid(unsafe_code)]"),
            "{name}: `#![forbid(unsafe_code)]` missing in {}",
            rel(&root_file)
        );
    }
}

/// Every Rust file ARCHITECTURE.md names exists, so the codemap cannot point at a file that
/// was moved or deleted.
#[test]
fn files_named_in_architecture_exist() {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let all: Vec<String> = rust_files(&root().join("crates"))
        .iter()
        .map(|p| rel(p))
        .collect();
    let mut missing = Vec::new();
    for piece in doc.split('`').skip(1).step_by(2) {
        let piece = piece.trim();
        if !piece.ends_with(".rs") || piece.contains(' ') {
            continue;
        }
        let found = all
            .iter()
            .any(|f| f == piece || f.ends_with(&format!("/{piece}")));
        if !found {
            missing.push(piece.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names files that do not exist: {missing:?}"
    );
}

/// The core's modules import each other without cycles (`ids` at the bottom, `vault` at the
/// top): a module is the first path segment under `crates/core/src`, and an edge is a
/// `crate::module` path in its files.
#[test]
fn core_modules_form_no_cycle() {
    let src = root().join("crates/core/src");
    let mut graph: BTreeMap<String, std::collections::BTreeSet<String>> = BTreeMap::new();
    for f in rust_files(&src) {
        let r = f.strip_prefix(&src).unwrap();
        let first = r
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy()
            .to_string();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "lib" {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let deps = graph.entry(module.clone()).or_default();
        for piece in text.split("crate::").skip(1) {
            let name: String = piece
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() && name != module && src.join(format!("{name}.rs")).exists()
                || src.join(&name).is_dir() && name != module && !name.is_empty()
            {
                deps.insert(name);
            }
        }
        // `use crate::{a, b}` lists.
        for piece in text.split("crate::{").skip(1) {
            let list = piece.split('}').next().unwrap_or("");
            for item in list.split(',') {
                let name: String = item
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty()
                    && name != module
                    && (src.join(format!("{name}.rs")).exists() || src.join(&name).is_dir())
                {
                    deps.insert(name);
                }
            }
        }
    }
    // Depth-first search for a back edge.
    fn visit(
        m: &str,
        graph: &BTreeMap<String, std::collections::BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut std::collections::BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|p| p == m) {
            let mut cycle = path[at..].to_vec();
            cycle.push(m.to_string());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        path.push(m.to_string());
        for d in graph.get(m).into_iter().flatten() {
            if let Some(c) = visit(d, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(m.to_string());
        None
    }
    let mut done = std::collections::BTreeSet::new();
    for m in graph.keys() {
        if let Some(cycle) = visit(m, &graph, &mut Vec::new(), &mut done) {
            panic!(
                "core modules import each other in a circle: {}",
                cycle.join(" → ")
            );
        }
    }
    assert!(
        graph.contains_key("vault") && graph.contains_key("decision"),
        "core's modules were found"
    );
}

/// The fuzz crate's lock file is in step with the workspace's dependencies, so its smoke run
/// (`--locked`, at the end of `scripts/test`) cannot fail on a dependency added elsewhere.
#[test]
fn fuzz_lock_file_is_current() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = std::process::Command::new(cargo)
        .args(["update", "--workspace", "--locked"])
        .current_dir(root().join("fuzz"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "fuzz/Cargo.lock is stale; run `cargo update -w` in fuzz/: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
