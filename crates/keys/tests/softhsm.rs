//! The PKCS#11 holder against a real token: SoftHSM2 from Debian's packages (`scripts/test`
//! installs it; without it this test fails, it does not skip). Each run makes its own token in a
//! temporary directory; the checks run in a child process whose environment points SoftHSM2 at
//! it (the library reads `SOFTHSM2_CONF` when it loads).
#![expect(clippy::unwrap_used, clippy::expect_used, reason = "tests fail loudly")]

use std::path::{Path, PathBuf};
use std::process::Command;

use cryptoki::object::{Attribute, AttributeType, ObjectClass};
use custodian_core::crypto::DataKey;
use custodian_core::keyring::KeyHolder;
use custodian_keys::{Pkcs11Config, Pkcs11Keys};

const CHILD: &str = "CUSTODIAN_TEST_SOFTHSM_URI";

/// The SoftHSM2 module: Debian's path, or `CUSTODIAN_TEST_PKCS11_MODULE`.
fn module() -> String {
    let m = std::env::var("CUSTODIAN_TEST_PKCS11_MODULE")
        .unwrap_or_else(|_| "/usr/lib/softhsm/libsofthsm2.so".into());
    assert!(
        Path::new(&m).exists(),
        "SoftHSM2 is not installed ({m}): run the tests with scripts/test, which installs it"
    );
    m
}

/// A fresh token in `dir`: its SOFTHSM2_CONF and the URI naming it.
fn token(dir: &Path) -> (PathBuf, String) {
    let tokens = dir.join("tokens");
    std::fs::create_dir_all(&tokens).unwrap();
    let conf = dir.join("softhsm2.conf");
    std::fs::write(
        &conf,
        format!(
            "directories.tokendir = {}\nobjectstore.backend = file\nlog.level = ERROR\n",
            tokens.display()
        ),
    )
    .unwrap();
    let out = Command::new("softhsm2-util")
        .args([
            "--init-token",
            "--free",
            "--label",
            "custodian-test",
            "--so-pin",
            "0000",
            "--pin",
            "1234",
        ])
        .env("SOFTHSM2_CONF", &conf)
        .output()
        .expect("softhsm2-util (package softhsm2)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pin = dir.join("pin");
    std::fs::write(&pin, "1234\n").unwrap();
    (
        conf,
        format!(
            "pkcs11:token=custodian-test?module-path={}&pin-source=file:{}",
            module(),
            pin.display()
        ),
    )
}

#[test]
fn epoch_keys_live_and_die_in_the_token() {
    let d = tempfile::tempdir().unwrap();
    let (conf, uri) = token(d.path());
    let out = Command::new(std::env::current_exe().unwrap())
        .args(["token_child", "--exact", "--ignored", "--nocapture"])
        .env("SOFTHSM2_CONF", &conf)
        .env(CHILD, &uri)
        .output()
        .unwrap();
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && text.contains("1 passed"), "{text}");
}

/// Run by `epoch_keys_live_and_die_in_the_token` in a child process only.
#[test]
#[ignore = "a child of epoch_keys_live_and_die_in_the_token"]
fn token_child() {
    let Ok(uri) = std::env::var(CHILD) else {
        return;
    };
    // A wrong PIN is refused clearly (before any login: a process logs in once).
    let bad = uri.replace(
        &format!(
            "pin-source=file:{}",
            uri.split("pin-source=file:").nth(1).unwrap()
        ),
        "pin-value=9999",
    );
    let e = Pkcs11Keys::open(Pkcs11Config::parse(&bad).unwrap())
        .unwrap_err()
        .to_string();
    assert!(e.contains("PIN"), "{e}");
    let h = Pkcs11Keys::open(Pkcs11Config::parse(&uri).unwrap()).unwrap();
    assert!(h.describe().starts_with("pkcs11 token custodian-test"));
    assert!(h.held_epochs().unwrap().is_empty());
    h.create_epoch(1).unwrap();
    h.create_epoch(1).unwrap();
    assert_eq!(h.held_epochs().unwrap(), vec![1], "created once");
    let k = DataKey::generate().unwrap();
    let w = h
        .wrap(1, &k, b"custodian/subject-key/v1\nride\nsub_a")
        .unwrap();
    assert!(
        !w.windows(32).any(|x| x == k.bytes()),
        "the key is not in the blob in clear"
    );
    assert_eq!(
        h.unwrap(1, &w, b"custodian/subject-key/v1\nride\nsub_a")
            .unwrap()
            .bytes(),
        k.bytes()
    );
    assert!(
        h.unwrap(1, &w, b"custodian/subject-key/v1\nride\nsub_b")
            .is_err(),
        "bound to its place"
    );
    let mut t = w.clone();
    t[20] ^= 1;
    assert!(
        h.unwrap(1, &t, b"custodian/subject-key/v1\nride\nsub_a")
            .is_err(),
        "tampering"
    );
    assert!(h.unwrap(0, &w, b"x").is_err(), "no file-KEK keys here");
    assert!(
        h.rotate_kek().is_err(),
        "no KEK outside the token to rotate"
    );

    // The epoch key is sensitive and not extractable: the token will not give its value out.
    {
        let ctx = cryptoki::context::Pkcs11::new(module()).unwrap();
        let _ = ctx.initialize(cryptoki::context::CInitializeArgs::OsThreads);
        let slot = ctx.get_slots_with_token().unwrap()[0];
        let s = ctx.open_ro_session(slot).unwrap();
        let _ = s.login(
            cryptoki::session::UserType::User,
            Some(&"1234".to_string().into()),
        );
        let objs = s
            .find_objects(&[
                Attribute::Class(ObjectClass::SECRET_KEY),
                Attribute::Label(b"custodian-epoch-00000001".to_vec()),
            ])
            .unwrap();
        assert_eq!(objs.len(), 1);
        let attrs = s
            .get_attributes(
                objs[0],
                &[AttributeType::Sensitive, AttributeType::Extractable],
            )
            .unwrap();
        assert!(attrs.contains(&Attribute::Sensitive(true)), "{attrs:?}");
        assert!(attrs.contains(&Attribute::Extractable(false)), "{attrs:?}");
        let value = s.get_attributes(objs[0], &[AttributeType::Value]).unwrap();
        assert!(
            !value
                .iter()
                .any(|a| matches!(a, Attribute::Value(v) if !v.is_empty())),
            "the key's value came out: {value:?}"
        );
    }

    // A second holder (another process would be the same) sees and uses the same epoch.
    let h2 = Pkcs11Keys::open(Pkcs11Config::parse(&uri).unwrap()).unwrap();
    assert_eq!(
        h2.unwrap(1, &w, b"custodian/subject-key/v1\nride\nsub_a")
            .unwrap()
            .bytes(),
        k.bytes()
    );
    h.create_epoch(2).unwrap();
    let w2 = h.wrap(2, &k, b"a").unwrap();
    h.destroy_epoch(1).unwrap();
    assert_eq!(h.held_epochs().unwrap(), vec![2]);
    assert!(
        h.unwrap(1, &w, b"custodian/subject-key/v1\nride\nsub_a")
            .is_err(),
        "destroyed"
    );
    assert!(
        h2.unwrap(1, &w, b"custodian/subject-key/v1\nride\nsub_a")
            .is_err(),
        "destroyed for all"
    );
    assert_eq!(h2.unwrap(2, &w2, b"a").unwrap().bytes(), k.bytes());
}
