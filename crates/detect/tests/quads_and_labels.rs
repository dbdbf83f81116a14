//! Dotted quads that are versions, and numbers after a type word and its `No.`.

mod common;

use common::check;
use custodian_detect::PiType::{BankCard, CnResidentId, IpAddress};

/// A quad shaped like a version (its first three parts at most 20, not starting with 10) is no
/// address unless a word naming one stands right before it; after an operating system's or a
/// browser's name, or with a file's name after it, no quad is.
#[test]
fn version_shaped_quads_are_addresses_only_when_named_so() {
    check(
        "（服务器 183.201.188.174，客户端 4.10.7.23）",
        &[(IpAddress, "183.201.188.174")],
    );
    check(
        "登录IP: 58.57.14.161  Client 1.5.2.234",
        &[(IpAddress, "58.57.14.161")],
    );
    check("app: upgrade 12.11.10 -> 8.2.9.23 ok", &[]);
    check("version 1.2.3.4 to 1.2.3.5", &[]);
    check("iOS 16.5.1.2 on iPhone", &[]);
    check("Android 10.0.3.1 build", &[]);
    check("(Windows NT 10.0.1.2)", &[]);
    check("HarmonyOS 4.0.0.116", &[]);
    check("pkg 1.10.2.3.tar.gz", &[]);
    // A word naming an address keeps it, whatever its shape.
    check("IP: 4.10.7.23", &[(IpAddress, "4.10.7.23")]);
    check("client_ip=4.10.7.23", &[(IpAddress, "4.10.7.23")]);
    check("登录IP：4.10.7.23", &[(IpAddress, "4.10.7.23")]);
    check("\"ip\": \"1.2.3.4\"", &[(IpAddress, "1.2.3.4")]);
    check("服务器地址 4.10.7.23", &[(IpAddress, "4.10.7.23")]);
    // Not a word that merely ends in `ip`.
    check("zip 4.10.7.23", &[]);
    // Private networks' addresses keep their shape's benefit of the doubt.
    check("host 10.0.0.5 up", &[(IpAddress, "10.0.0.5")]);
    check("peer 10.1.2.3 joined", &[(IpAddress, "10.1.2.3")]);
    // Addresses of any other shape are found as before.
    check("from 203.0.113.9 at noon", &[(IpAddress, "203.0.113.9")]);
}

/// `No.` after a type word is that type's label, with a dot between them or a slash before
/// (`ID.NO.`, `Card/Account No.`); an account word names a bank account only so.
#[test]
fn type_words_before_their_number_label() {
    check(
        "ID.NO.：110101195810288211",
        &[(CnResidentId, "110101195810288211")],
    );
    check(
        "I.D. NO.: 110101195810288211",
        &[(CnResidentId, "110101195810288211")],
    );
    check(
        "Identity No.: 110101195810288211",
        &[(CnResidentId, "110101195810288211")],
    );
    check(
        "Card/Account No.:6217000010001234569",
        &[(BankCard, "6217000010001234569")],
    );
    check(
        "Account No.: 6217000010001234569",
        &[(BankCard, "6217000010001234569")],
    );
    check(
        "Acct No.6217000010001234569",
        &[(BankCard, "6217000010001234569")],
    );
    check(
        "A/C No. 6217000010001234569",
        &[(BankCard, "6217000010001234569")],
    );
    // An order's number stays a reference, and a bare `No.` says nothing of a type.
    check("Order No.: 110101195810288211", &[]);
    check("No. 110101195810288211", &[]);
}

/// The review's cases: a change of a value (`updated to`) is no version cue; `iPhone` names no
/// address; a long input of `NT` before addresses stays linear.
#[test]
fn review_cases_for_quads_and_labels() {
    use custodian_detect::PiType::{CnMobile, CnPassport, UsSsn};
    check(
        "Customer phone updated to 13812345678 today.",
        &[(CnMobile, "13812345678")],
    );
    check("手机号更新至13812345678", &[(CnMobile, "13812345678")]);
    check("SSN updated to 123-45-6789.", &[(UsSsn, "123-45-6789")]);
    check(
        "Passport updated to E12345678",
        &[(CnPassport, "E12345678")],
    );
    check(
        "Server IP updated to 192.168.1.10",
        &[(IpAddress, "192.168.1.10")],
    );
    check("iPhone 12.1.4.2 build", &[]);
    let long = "NT 192.168.1.1\n".repeat(150_000);
    let started = std::time::Instant::now();
    assert_eq!(common::found(&long).len(), 150_000);
    assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
}
