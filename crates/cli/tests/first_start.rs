//! A cell's first start cannot lose its administrator's key: a start that cannot listen
//! creates nothing, and the next one prints the key; `--listen` takes a bare port.
#![expect(clippy::unwrap_used, reason = "tests fail loudly")]

mod common;

use std::io::BufRead;
use std::process::{Command, Stdio};

use common::{cli, serve};

#[test]
fn a_first_start_that_cannot_listen_creates_no_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let o = cli(&[
        "serve",
        "--listen",
        &format!("127.0.0.1:{port}"),
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr).to_string();
    assert!(err.contains("cannot listen on"), "{err}");
    assert!(!data.exists(), "nothing created before the address is held");
    // The bare port is loopback's, and taken too.
    let o = cli(&[
        "serve",
        "--listen",
        &port,
        "--data-dir",
        data.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains(&format!("127.0.0.1:{port}")));
    drop(taken);
    // The next start that listens prints the key, once.
    let srv = serve(&data, &[], &[]);
    assert!(
        srv.admin.is_some(),
        "the first start that listens prints the key"
    );
    drop(srv);
    let again = serve(&data, &[], &[]);
    assert!(again.admin.is_none(), "shown once");
}

#[test]
fn listen_takes_a_bare_port() {
    let dir = tempfile::tempdir().unwrap();
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut child = Command::new(env!("CARGO_BIN_EXE_custodian"))
        .args(["serve", "--listen", &port.to_string(), "--data-dir"])
        .arg(dir.path().join("data"))
        .env("CUSTODIAN_ROTATE_EPOCH_HOURS", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let started = lines
        .map_while(Result::ok)
        .take(5)
        .find(|l| l.contains("on http://"));
    let _ = child.kill();
    let _ = child.wait();
    let line = started.expect("serve printed its address");
    assert!(
        line.contains(&format!("on http://127.0.0.1:{port} ")),
        "{line}"
    );
}

/// A key file open to group or others stops the cell at start, naming the file.
#[test]
#[cfg(unix)]
fn shared_key_files_are_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(serve(&data, &[], &[]));
    for key in ["ledger.key", "kek.key"] {
        let p = data.join(key);
        assert_eq!(
            std::fs::metadata(&p).unwrap().permissions().mode() & 0o777,
            0o600,
            "{key} is created the owner's alone"
        );
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = cli(&[
            "serve",
            "--listen",
            "127.0.0.1:0",
            "--data-dir",
            data.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(2));
        let err = String::from_utf8_lossy(&o.stderr).to_string();
        assert!(err.contains(key) && err.contains("chmod 600"), "{err}");
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    drop(serve(&data, &[], &[]));
}
