//! Dotted quads: an address or a software version. A version cue settles it where one stands
//! (`numbers.rs::version_cue`); without one, the quad's shape and the word before it do.

/// A dotted quad shaped like a software version rather than an address: its first three parts
/// each at most 20, the first not 10 (private networks' addresses start so: `10.0.3.1`):
/// `客户端 4.10.7.23`, `upgrade 12.11.10 -> 8.2.9.23`. Few addresses have that shape (one in
/// about two thousand of the public ones); a word naming an address before one keeps it
/// (`IP: 4.10.7.23`, see [`names_an_ip`]).
pub(super) fn version_shaped(v: &[u8]) -> bool {
    let mut parts = v.split(|&c| c == b'.').map(|p| {
        (1..=3).contains(&p.len()).then_some(())?;
        p.iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    });
    let mut head = [0u32; 3];
    for h in &mut head {
        match parts.next().flatten() {
            Some(n) if n <= 20 => *h = n,
            _ => return false,
        }
    }
    head[0] != 10
}

/// Whether the word right before a value (across spaces, quotes, `:`, `=`, `：`) names an
/// address: one with `ip` in it (`IP`, `client_ip`, `登录IP`), a host or server word, or a
/// Chinese word ending in 地址, 服务器, 网关 or 主机.
pub(super) fn names_an_ip(before: &[u8]) -> bool {
    let (head, word) = word_before(before);
    if ["地址", "服务器", "网关", "主机"]
        .iter()
        .any(|w| head.ends_with(w.as_bytes()))
    {
        return true;
    }
    if word.is_empty() || word.len() > 24 {
        return false;
    }
    let lower = word.to_ascii_lowercase();
    // `ip`, `ipv4`, `ip_addr`, `client_ip`, `clientIp`, `登录IP`; not `zip`, `trip`, `vip`,
    // `iPhone`.
    let ip_word = |seg: &[u8]| {
        seg == b"ip"
            || seg == b"ips"
            || seg.starts_with(b"ipv4")
            || seg.starts_with(b"ipv6")
            || seg.starts_with(b"ipaddr")
            || seg.strip_suffix(b"ip").is_some_and(|p| {
                [
                    "client", "remote", "src", "dst", "source", "dest", "host", "server", "login",
                    "user", "real", "public", "private", "local", "peer", "proxy", "device",
                ]
                .iter()
                .any(|w| p == w.as_bytes())
            })
    };
    lower.split(|&c| c == b'_' || c == b'-').any(ip_word)
        || [
            "addr",
            "address",
            "host",
            "hostname",
            "server",
            "dns",
            "gateway",
            "peer",
            "remote",
            "src",
            "dst",
            "source",
            "destination",
            "proxy",
            "nameserver",
            "router",
        ]
        .iter()
        .any(|w| lower == w.as_bytes())
}

/// Whether an operating system's or a browser's name stands right before a value: what follows
/// is its version (`Android 10.0.3.1`, `Windows NT 10.0.1.2`, `HarmonyOS 4.0.0.116`).
pub(super) fn after_a_product(before: &[u8]) -> bool {
    let (head, word) = word_before(before);
    let nt = word.eq_ignore_ascii_case(b"nt") && {
        let h = head[..head.len() - word.len()].trim_ascii_end();
        h.len() >= 7 && h[h.len() - 7..].eq_ignore_ascii_case(b"windows")
    };
    nt || [
        "android",
        "ios",
        "ipados",
        "harmonyos",
        "macos",
        "emui",
        "coloros",
        "miui",
        "chrome",
        "firefox",
        "safari",
    ]
    .iter()
    .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
}

/// The text before a value without the separators right before it (spaces, quotes, `:`, `=`,
/// `：`; at most six), and the run of ASCII letters, digits, `_` and `-` it ends with.
fn word_before(before: &[u8]) -> (&[u8], &[u8]) {
    let mut e = before.len();
    let mut skipped = 0;
    while e > 0 && skipped < 6 {
        if matches!(before[e - 1], b' ' | b':' | b'=' | b'"' | b'\'' | b'\t') {
            e -= 1;
        } else if before[..e].ends_with("：".as_bytes()) {
            e -= 3;
        } else {
            break;
        }
        skipped += 1;
    }
    let head = &before[..e];
    let s = head
        .iter()
        .rposition(|c| !(c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-'))
        .map_or(0, |p| p + 1);
    (head, &head[s..])
}
