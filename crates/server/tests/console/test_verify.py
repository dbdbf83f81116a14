#!/usr/bin/env python3
"""Checks the console's in-browser verifier (crates/server/console/verify.js) in a real
headless Chromium against the shared test vectors:

- testdata/merkle: all inclusion/consistency files (each `wantErr` must fail, the others pass)
  and every value of reference_tree.json;
- testdata/note: every vkey, note, checkpoint and signer key of the four files;
- Custodian's canonical ledger entry and the server's proof files, built here in Python with an
  independent RFC 9162 implementation (hashlib).

Run from the repository root with the console venv's Python:

    python3 -m venv target/console-venv
    target/console-venv/bin/pip install playwright axe-playwright-python
    target/console-venv/bin/python crates/server/tests/console/test_verify.py

It drives Debian's /usr/bin/chromium (never a downloaded browser). The page is served from
http://127.0.0.1 (a secure context, so WebCrypto is there) with the console's own
Content-Security-Policy. Exit status 0 when every check passes.
"""

import base64
import hashlib
import http.server
import json
import os
import re
import signal
import struct
import sys
import threading
import urllib.parse
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]
CONSOLE = REPO / "crates" / "server" / "console"
TESTDATA = Path(os.environ.get("CUSTODIAN_TESTDATA", REPO.parent / "shared" / "testdata"))
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
TIMEOUT_S = 240
# The browser flags the console tests use (conftest.py beside this file).
from conftest import CHROMIUM_ARGS  # noqa: E402


def console_csp():
    """The Content-Security-Policy console.rs sends, so the test runs under the same rules."""
    src = (REPO / "crates" / "server" / "src" / "console.rs").read_text()
    m = re.search(r'pub const CSP: &str = "((?:[^"\\]|\\.)*)";', src, re.S)
    if not m:
        raise SystemExit("console.rs has no `pub const CSP`: the test cannot run under the console's policy")
    return re.sub(r"\\\n\s*", "", m.group(1))


# --------------------------------------------------------------------------------------------
# RFC 9162 in Python (independent of the JavaScript under test)


def sha(b):
    return hashlib.sha256(b).digest()


def leaf_hash(b):
    return sha(b"\x00" + b)


def node_hash(left, right):
    return sha(b"\x01" + left + right)


def split(n):
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(leaves):
    if not leaves:
        return sha(b"")
    if len(leaves) == 1:
        return leaves[0]
    k = split(len(leaves))
    return node_hash(mth(leaves[:k]), mth(leaves[k:]))


def inclusion_path(m, leaves):
    if len(leaves) <= 1:
        return []
    k = split(len(leaves))
    if m < k:
        return inclusion_path(m, leaves[:k]) + [mth(leaves[k:])]
    return inclusion_path(m - k, leaves[k:]) + [mth(leaves[:k])]


def subproof(m, leaves, b):
    n = len(leaves)
    if m == n:
        return [] if b else [mth(leaves)]
    k = split(n)
    if m <= k:
        return subproof(m, leaves[:k], b) + [mth(leaves[k:])]
    return subproof(m - k, leaves[k:], False) + [mth(leaves[:k])]


def b64(b):
    return base64.b64encode(b).decode()


# --------------------------------------------------------------------------------------------
# Custodian's canonical ledger entry (crates/ledger/src/entry.rs), written from the format

KINDS = {
    "register": 1, "collect": 2, "detokenize": 3, "lookup": 4, "transfer": 5,
    "consent_grant": 6, "consent_withdraw": 7, "order": 8, "order_enforced": 9, "erase": 10,
    "export": 11, "key_rotation": 12, "config_change": 13, "access": 14, "receive": 15,
}
DECISIONS = {"none": 0, "allow": 1, "deny": 2}
OPTIONAL = ["tenant", "subject", "purpose", "service", "reason", "order", "destination"]


def encode_entry(e, version=1, kind=None, decision=None):
    out = bytes([version, KINDS[e["kind"]] if kind is None else kind])
    out += struct.pack(">q", e["time_ms"])
    out += bytes([DECISIONS[e["decision"]] if decision is None else decision])
    for name in OPTIONAL:
        v = e.get(name)
        out += b"\x00" if v is None else bytes([len(v)]) + v.encode()
    for name in ["fields", "tokens"]:
        lst = e.get(name, [])
        out += struct.pack(">H", len(lst))
        for v in lst:
            out += bytes([len(v)]) + v.encode()
    return out


def entry_cases():
    """(name, bytes, expected decoded object or None when decoding must fail)."""
    ok = [
        ("minimal register", {"kind": "register", "time_ms": 1700000000000, "decision": "allow"}),
        ("key rotation at the epoch", {"kind": "key_rotation", "time_ms": 0, "decision": "none"}),
        ("negative time", {"kind": "config_change", "time_ms": -86400000, "decision": "none",
                           "service": "svc.admin"}),
        ("every field", {
            "kind": "transfer", "time_ms": 1767225600123, "decision": "allow",
            "tenant": "acme", "subject": "sub_4f1c9e", "purpose": "billing:invoice",
            "service": "svc/payments", "reason": "consent=granted", "order": "ord-2026-001",
            "destination": "jp/recipient+1", "fields": ["email", "phone", "address.line1"],
            "tokens": ["tok_a1b2", "tok_c3d4", "tok_e5f6"],
        }),
        ("receive, deny, tokens only", {
            "kind": "receive", "time_ms": 253402300799999, "decision": "deny",
            "subject": "s" * 128, "tokens": ["t.1"],
        }),
        ("collect with fields only", {
            "kind": "collect", "time_ms": 42, "decision": "allow", "tenant": "t",
            "fields": ["A-Z_a-z.0-9:/=+"],
        }),
    ]
    cases = []
    for name, e in ok:
        cases.append((name, encode_entry(e), e))
    for k in range(1, 16):
        e = {"kind": [n for n, c in KINDS.items() if c == k][0], "time_ms": k, "decision": "none"}
        cases.append((f"kind {k}", encode_entry(e), e))
    base = {"kind": "collect", "time_ms": 1, "decision": "allow", "subject": "s1",
            "fields": ["email"]}
    good = encode_entry(base)
    bad = [
        ("trailing byte", good + b"\x00"),
        ("version 2", encode_entry(base, version=2)),
        ("version 0", encode_entry(base, version=0)),
        ("kind 99", encode_entry(base, kind=99)),
        ("kind 0", encode_entry(base, kind=0)),
        ("kind 16", encode_entry(base, kind=16)),
        ("decision 3", encode_entry(base, decision=3)),
        ("space in an id", encode_entry(dict(base, subject="a b"))),
        ("@ in an id", encode_entry(dict(base, subject="me@example.com"))),
        ("non-ASCII id", encode_entry(dict(base, subject="\u00e9t\u00e9"))),
        ("CJK id", encode_entry(dict(base, tenant="\u5f20\u4e09"))),
        ("id of 129 chars", encode_entry(dict(base, subject="s" * 129))),
        ("id length 0 inside fields", encode_entry(dict(base, fields=["email", ""]))),
        ("id length 0 inside tokens", encode_entry(dict(base, tokens=[""]))),
        ("truncated by one byte", good[:-1]),
        ("truncated in the time", good[:6]),
        ("empty", b""),
        ("list count beyond the data", good[:-8] + b"\x00\x02\x05email"),
        ("id length beyond the data", good[:-6] + b"\x09email"),
    ]
    for name, b in bad:
        cases.append((name, b, None))
    return cases


# --------------------------------------------------------------------------------------------
# Vectors


def merkle_files():
    out = []
    for kind in ["inclusion", "consistency"]:
        for p in sorted((TESTDATA / "merkle" / kind).rglob("*.json")):
            out.append(p.relative_to(TESTDATA / "merkle").as_posix())
    return out


def note_files():
    return sorted(p.name for p in (TESTDATA / "note").glob("*.json"))


def checkpoint_policy(files):
    """Checkpoints the vectors mark valid but Custodian refuses by policy: roots that are not
    32 bytes (C2SP leaves the hash to the log; a root of this log is SHA-256). Keyed by
    (file, index). The vectors already mark empty extension lines invalid (C2SP: MUST be
    non-empty), which is Custodian's policy too."""
    policy = {}
    for f in files:
        doc = json.loads((TESTDATA / "note" / f).read_text())
        for i, c in enumerate(doc.get("checkpoints", [])):
            lines = c["text"].split("\n")
            if c["valid"] and len(lines) >= 3:
                try:
                    n = len(base64.b64decode(lines[2], validate=True))
                except ValueError:
                    n = -1
                if n != 32:
                    policy[f"{f}#{i}"] = f"root is {n} bytes, not 32"
            if not c["valid"] and c.get("go_formats_accepts"):
                policy[f"{f}#{i}"] = "empty extension lines (Go's formats/log accepts them)"
    return policy


def end_to_end_case():
    """The generated size-5 and size-8 checkpoints, a consistency proof 5->8 and inclusion
    proofs of the reference leaves, all computed here from reference_tree.json."""
    ref = json.loads((TESTDATA / "merkle" / "reference_tree.json").read_text())
    gen = json.loads((TESTDATA / "note" / "generated_checkpoints.json").read_text())
    inputs = [bytes.fromhex(h) for h in ref["leaf_inputs_hex"]]
    leaves = [leaf_hash(b) for b in inputs]
    notes = {}
    for n in gen["notes"]:
        if n["valid"] and len(n["verifier_keys"]) == 1:
            size = int(n["note"].split("\n")[1])
            notes.setdefault(size, n)
    if 5 not in notes or 8 not in notes:
        return None
    return {
        "note5": notes[5]["note"],
        "note8": notes[8]["note"],
        "vkey": notes[8]["verifier_keys"][0],
        "consistency": json.dumps({"type": "consistency", "size1": 5, "size2": 8,
                                   "proof": [b64(h) for h in subproof(5, leaves, True)]}),
        "inputs": [b64(b) for b in inputs],
        "paths": [[b64(h) for h in inclusion_path(i, leaves)] for i in range(8)],
    }


def proof_file_cases():
    """A small ledger of hand-built entries, its root and the server's proof files."""
    entries = [
        {"kind": "register", "time_ms": 1000, "decision": "allow", "tenant": "acme",
         "subject": "sub_1"},
        {"kind": "collect", "time_ms": 1001, "decision": "allow", "tenant": "acme",
         "subject": "sub_1", "purpose": "billing", "fields": ["email", "phone"],
         "tokens": ["tok_1", "tok_2"]},
        {"kind": "detokenize", "time_ms": 1002, "decision": "deny", "tenant": "acme",
         "subject": "sub_1", "purpose": "marketing", "reason": "no_consent",
         "fields": ["email"]},
        {"kind": "consent_grant", "time_ms": 1003, "decision": "allow", "subject": "sub_1",
         "purpose": "marketing"},
        {"kind": "transfer", "time_ms": 1004, "decision": "allow", "subject": "sub_1",
         "destination": "eu:de"},
        {"kind": "erase", "time_ms": 1005, "decision": "allow", "subject": "sub_1"},
        {"kind": "key_rotation", "time_ms": 1006, "decision": "none"},
    ]
    raw = [encode_entry(e) for e in entries]
    # An eighth leaf that is in the tree but is no valid entry: its proof verifies, its
    # decoding must not.
    raw.append(encode_entry(entries[0]) + b"\x00")
    leaves = [leaf_hash(b) for b in raw]
    size = len(leaves)
    root = mth(leaves)
    good = []
    for i in range(size):
        f = {"type": "inclusion", "index": i, "tree_size": size, "entry": b64(raw[i]),
             "proof": [b64(h) for h in inclusion_path(i, leaves)]}
        good.append({"file": json.dumps(f), "index": i,
                     "expect": entries[i] if i < len(entries) else None})
    f1 = json.loads(good[1]["file"])
    bad = []

    def mutate(name, **kw):
        g = dict(f1)
        for k, v in kw.items():
            if v is None:
                g.pop(k, None)
            else:
                g[k] = v
        bad.append({"name": name, "file": json.dumps(g)})

    mutate("wrong type", type="consistency")
    mutate("unknown field", extra=1)
    mutate("index moved", index=2)
    mutate("entry changed", entry=b64(encode_entry(dict(entries[1], time_ms=9999))))
    mutate("entry not base64", entry="not base64!")
    mutate("proof hash not 32 bytes", proof=f1["proof"][:-1] + [b64(b"short")])
    mutate("proof hash missing", proof=f1["proof"][:-1])
    mutate("both entry and leaf_hash", leaf_hash=b64(leaves[1]))
    mutate("neither entry nor leaf_hash", entry=None)
    mutate("index beyond u64 range", index=18446744073709551615)
    mutate("tree size differs from the checkpoint", tree_size=size - 1)
    leaf_only = dict(f1)
    del leaf_only["entry"]
    leaf_only["leaf_hash"] = b64(leaves[1])
    cons = []
    for m in range(1, size + 1):
        cons.append({"size1": m, "size2": size, "root1": b64(mth(leaves[:m])),
                     "file": json.dumps({"type": "consistency", "size1": m, "size2": size,
                                         "proof": [b64(h) for h in subproof(m, leaves, True)]})})
    return {
        "root": b64(root),
        "size": size,
        "good": good,
        "bad": bad,
        "leafOnly": json.dumps(leaf_only),
        "consistency": cons,
    }


# --------------------------------------------------------------------------------------------
# The page side

PAGE_JS = r"""
async (args) => {
  const v = await import('/verify.js');
  const results = [];
  const rec = (group, name, ok, detail) => results.push({ group, name, ok: !!ok, detail: detail || '' });
  const fromHex = (h) => Uint8Array.from(h.match(/../g) || [], (x) => parseInt(x, 16));
  // Integers in the vectors may exceed 2^53: read them from their source text.
  const parseBig = (text) => JSON.parse(text, (k, val, ctx) =>
    typeof val === 'number' && /^-?[0-9]+$/.test(ctx.source) ? BigInt(ctx.source) : val);
  const fetchText = async (path) => {
    const r = await fetch(path);
    if (!r.ok) throw new Error(`GET ${path}: ${r.status}`);
    return r.text();
  };
  const outcome = async (fn) => {
    try {
      return { ok: true, value: await fn() };
    } catch (e) {
      return { ok: false, isError: e instanceof Error && typeof e.message === 'string' && e.message.length > 0,
               message: e instanceof Error ? e.message : String(e) };
    }
  };
  // A failure must be an Error with a message (shown to a person).
  const mustFail = (group, name, out, re) => {
    if (out.ok) return rec(group, name, false, 'accepted, must be refused');
    if (!out.isError) return rec(group, name, false, 'threw a non-Error: ' + out.message);
    if (re && !re.test(out.message)) return rec(group, name, false, `message "${out.message}" does not match ${re}`);
    rec(group, name, true, out.message);
  };
  const mustPass = (group, name, out, check) => {
    if (!out.ok) return rec(group, name, false, 'refused: ' + out.message);
    const why = check ? check(out.value) : '';
    rec(group, name, !why, why || '');
  };
  const eqBytes = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const counts = {};
  const bump = (k, n = 1) => { counts[k] = (counts[k] || 0) + n; };

  rec('env', 'secure context with WebCrypto', window.isSecureContext && !!crypto.subtle, '');

  // --- codec -----------------------------------------------------------------------------
  for (const [s, want] of [['', ''], ['YQ==', '61'], ['YWI=', '6162'], ['YWJj', '616263'],
                           ['+/+/', 'fbffbf'], ['AAECAwQ=', '0001020304']]) {
    mustPass('codec', `b64decode(${JSON.stringify(s)})`, await outcome(() => v.b64decode(s)),
      (b) => (b instanceof Uint8Array && v.hex(b) === want ? '' : `got ${v.hex(b)}`));
    mustPass('codec', `b64encode(${want})`, await outcome(() => v.b64encode(fromHex(want))),
      (t) => (t === s ? '' : `got ${t}`));
  }
  for (const s of ['YQ', 'YQ=', 'YR==', 'YWJ=', 'Y Q==', 'YQ==\n', '=YQ=', 'YQ==YQ==', 'YW=j',
                   '-_-_', 'YQ\u00e9=', '====', 'A===']) {
    mustFail('codec', `b64decode(${JSON.stringify(s)}) refuses`, await outcome(() => v.b64decode(s)));
  }
  mustPass('codec', 'hex', await outcome(() => v.hex(Uint8Array.of(0, 15, 16, 255))),
    (h) => (h === '000f10ff' ? '' : h));

  // --- merkle files ------------------------------------------------------------------------
  for (const path of args.merkleFiles) {
    const url = '/testdata/merkle/' + path.split('/').map(encodeURIComponent).join('/');
    const t = parseBig(await fetchText(url));
    const dec = (s) => v.b64decode(s);
    let out;
    if (path.startsWith('inclusion/')) {
      out = await outcome(() => v.verifyInclusion(t.leafIdx, t.treeSize, dec(t.leafHash),
        t.proof === null ? null : t.proof.map(dec), dec(t.root)));
    } else {
      out = await outcome(() => v.verifyConsistency(t.size1, t.size2, dec(t.root1), dec(t.root2),
        t.proof === null ? null : t.proof.map(dec)));
    }
    bump('merkle');
    if (t.wantErr) {
      bump('merkleMustFail');
      mustFail('merkle', path, out);
    } else {
      mustPass('merkle', path, out);
    }
  }

  // --- reference tree ----------------------------------------------------------------------
  {
    const ref = JSON.parse(await fetchText('/testdata/merkle/reference_tree.json'));
    const g = 'reference';
    const mth = async (hs) => {
      if (hs.length === 0) return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array()));
      if (hs.length === 1) return hs[0];
      let k = 1;
      while (k * 2 < hs.length) k *= 2;
      return v.nodeHash(await mth(hs.slice(0, k)), await mth(hs.slice(k)));
    };
    for (const hv of ref.hasher_vectors) {
      let out;
      if (hv.kind === 'empty') out = await outcome(() => mth([]));
      else if (hv.kind === 'leaf') out = await outcome(() => v.leafHash(fromHex(hv.input_hex)));
      else out = await outcome(() => v.nodeHash(fromHex(hv.left_hex), fromHex(hv.right_hex)));
      bump('reference');
      mustPass(g, 'hasher: ' + hv.desc, out, (h) => (v.hex(h) === hv.want_hex ? '' : v.hex(h)));
    }
    const leaves = [];
    for (let i = 0; i < ref.leaf_inputs_hex.length; i++) {
      const h = await v.leafHash(fromHex(ref.leaf_inputs_hex[i]));
      leaves.push(h);
      bump('reference');
      rec(g, `leaf ${i}`, v.hex(h) === ref.node_hashes_hex_by_level[0][i], v.hex(h));
    }
    for (let l = 1; l < ref.node_hashes_hex_by_level.length; l++) {
      const below = ref.node_hashes_hex_by_level[l - 1];
      for (let j = 0; j < ref.node_hashes_hex_by_level[l].length; j++) {
        const h = await v.nodeHash(fromHex(below[2 * j]), fromHex(below[2 * j + 1]));
        bump('reference');
        rec(g, `node level ${l} index ${j}`, v.hex(h) === ref.node_hashes_hex_by_level[l][j], v.hex(h));
      }
    }
    for (let n = 0; n < ref.root_hashes_hex.length; n++) {
      const h = await mth(leaves.slice(0, n));
      bump('reference');
      rec(g, `root of size ${n}`, v.hex(h) === ref.root_hashes_hex[n], v.hex(h));
    }
    const roots = ref.root_hashes_hex.map(fromHex);
    for (const p of ref.inclusion_proofs) {
      const proof = p.proof_hex.map(fromHex);
      const i = BigInt(p.leaf_index), n = BigInt(p.tree_size);
      bump('reference', 3);
      mustPass(g, `inclusion ${p.leaf_index} in ${p.tree_size}`,
        await outcome(() => v.verifyInclusion(i, n, leaves[p.leaf_index], proof, roots[p.tree_size])));
      const bad = roots[p.tree_size].slice();
      bad[0] ^= 1;
      mustFail(g, `inclusion ${p.leaf_index} in ${p.tree_size}, wrong root`,
        await outcome(() => v.verifyInclusion(i, n, leaves[p.leaf_index], proof, bad)));
      mustFail(g, `inclusion ${p.leaf_index} in ${p.tree_size}, next leaf`,
        await outcome(() => v.verifyInclusion(i, n, leaves[(p.leaf_index + 1) % 8], proof, roots[p.tree_size])));
    }
    for (const p of ref.consistency_proofs) {
      const proof = p.proof_hex.map(fromHex);
      const m = BigInt(p.size1), n = BigInt(p.size2);
      bump('reference');
      mustPass(g, `consistency ${p.size1} -> ${p.size2}`,
        await outcome(() => v.verifyConsistency(m, n, roots[p.size1], roots[p.size2], proof)));
      if (p.size1 !== p.size2) {
        bump('reference');
        mustFail(g, `consistency ${p.size1} -> ${p.size2}, roots swapped`,
          await outcome(() => v.verifyConsistency(m, n, roots[p.size2], roots[p.size1], proof)));
      }
    }
  }

  // --- notes, vkeys, checkpoints, signer keys ------------------------------------------------
  const errorShape = {
    'malformed note': /^malformed note/,
    'invalid signature': /^signature by \S+ does not verify$/,
    'no verifiable signatures': /^no signature by a known key/,
    'ambiguous key': /^ambiguous key/,
  };
  for (const f of args.noteFiles) {
    const doc = JSON.parse(await fetchText('/testdata/note/' + f));
    const g = 'note';
    for (const [i, k] of (doc.vkeys || []).entries()) {
      bump('vkeys');
      const out = await outcome(() => v.parseVkey(k.vkey));
      const [name, id] = k.vkey.split('+');
      if (k.valid) {
        mustPass(g, `${f} vkey ${i} ${name}`, out, (p) =>
          p.name !== name ? `name ${p.name}` :
          !(p.keyId instanceof Uint8Array) || v.hex(p.keyId) !== id.toLowerCase() ? 'key id' :
          !(p.key instanceof CryptoKey) || p.key.algorithm.name !== 'Ed25519' ? 'not an Ed25519 CryptoKey' : '');
      } else {
        bump('vkeysMustFail');
        mustFail(g, `${f} vkey ${i} (${k.why || 'invalid'})`, out);
      }
    }
    for (const [i, n] of (doc.notes || []).entries()) {
      bump('notes');
      const keys = [];
      for (const s of n.verifier_keys) keys.push(await v.parseVkey(s));
      const out = await outcome(() => v.openNote(n.note, keys));
      const name = `${f} note ${i}: ${n.desc}`;
      if (n.valid) {
        mustPass(g, name, out, (r) => {
          if (typeof r.text !== 'string') return 'no text';
          if (n.want_text !== undefined && r.text !== n.want_text) return 'text differs';
          if (!n.note.startsWith(r.text + '\n')) return 'text is not the note\'s head';
          if (n.want_verified !== undefined && JSON.stringify(r.verified) !== JSON.stringify(n.want_verified))
            return 'verified ' + JSON.stringify(r.verified);
          if (!Array.isArray(r.verified) || r.verified.length === 0) return 'nothing verified';
          return '';
        });
        // The same note opened with vkey strings instead of parsed keys.
        bump('notes');
        mustPass(g, name + ' (vkey strings)', await outcome(() => v.openNote(n.note, n.verifier_keys)),
          (r) => (n.want_text !== undefined && r.text !== n.want_text ? 'text differs' : ''));
      } else {
        bump('notesMustFail');
        mustFail(g, name, out, errorShape[n.want_error]);
      }
    }
    for (const [i, c] of (doc.checkpoints || []).entries()) {
      bump('checkpoints');
      const key = `${f}#${i}`;
      const policy = args.policy[key];
      const valid = c.valid && !policy;
      const out = await outcome(() => v.parseCheckpoint(c.text));
      const name = `${f} checkpoint ${i}: ${c.desc}` + (policy ? ` [policy: ${policy}]` : '');
      if (policy) bump('policy');
      if (valid) {
        const ext = c.text.split('\n').slice(3, -1);
        mustPass(g, name, out, (cp) =>
          cp.origin !== c.want_origin ? 'origin ' + cp.origin :
          typeof cp.size !== 'bigint' || cp.size !== BigInt(c.want_size) ? 'size ' + cp.size :
          !(cp.root instanceof Uint8Array) || v.hex(cp.root) !== c.want_root_hex ? 'root' :
          JSON.stringify(cp.extensions) !== JSON.stringify(ext) ? 'extensions' : '');
      } else {
        bump('checkpointsMustFail');
        mustFail(g, name, out);
      }
    }
    for (const [i, sk] of (doc.signer_keys || []).entries()) {
      // Go's signer key: PRIVATE+KEY+<name>+<hex id>+base64(0x01 || seed). WebCrypto imports
      // the seed as PKCS#8; Ed25519 is deterministic, so signing must reproduce the vector.
      bump('signers');
      const name = `${f} signer ${i}`;
      const out = await outcome(async () => {
        const parts = sk.skey.split('+');
        const kname = parts[2], idHex = parts[3], data = parts.slice(4).join('+');
        const raw = v.b64decode(data);
        if (raw[0] !== 1 || raw.length !== 33) throw new Error('signer key is not Ed25519');
        const pkcs8 = new Uint8Array([...fromHex('302e020100300506032b657004220420'), ...raw.slice(1)]);
        const priv = await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, true, ['sign']);
        const jwk = await crypto.subtle.exportKey('jwk', priv);
        const pub = v.b64decode(jwk.x.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - jwk.x.length % 4) % 4));
        const vkey = `${kname}+${idHex}+${v.b64encode(Uint8Array.of(1, ...pub))}`;
        const parsed = await v.parseVkey(vkey); // checks the key id against the public key
        const listed = (doc.vkeys || []).find((k) => k.valid && k.vkey.startsWith(kname + '+'));
        if (listed && listed.vkey !== vkey) throw new Error(`derived vkey ${vkey} is not the listed ${listed.vkey}`);
        if (sk.sign_text !== undefined) {
          const sig = new Uint8Array(await crypto.subtle.sign({ name: 'Ed25519' }, priv, new TextEncoder().encode(sk.sign_text)));
          const note = `${sk.sign_text}\n\u2014 ${kname} ${v.b64encode(Uint8Array.of(...parsed.keyId, ...sig))}\n`;
          if (note !== sk.want_signed_note) throw new Error('signed note differs from want_signed_note');
          const opened = await v.openNote(sk.want_signed_note, [parsed]);
          if (opened.text !== sk.sign_text || JSON.stringify(opened.verified) !== JSON.stringify([kname]))
            throw new Error('want_signed_note does not open to its text and signer');
          // Tampering with one character of the text must break the signature.
          const tampered = sk.want_signed_note.replace(/^./, (c) => (c === 'x' ? 'y' : 'x'));
          const t = await outcome(() => v.openNote(tampered, [parsed]));
          if (t.ok || !/does not verify/.test(t.message)) throw new Error('tampered note: ' + (t.message || 'accepted'));
        }
        return true;
      });
      mustPass(g, name, out);
    }
  }
  {
    // Checkpoints built here, with a 32-byte root, so that each is refused for its one fault.
    const root = 'XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=';
    const ok = [
      [`o\n18446744073709551615\n${root}\n`, 'size 2^64-1', (cp) => cp.size === 18446744073709551615n],
      [`o\n1\n${root}\next one\next two\n`, 'two extension lines',
        (cp) => JSON.stringify(cp.extensions) === '["ext one","ext two"]'],
      [`origin with spaces\n1\n${root}\n`, 'origin with spaces', (cp) => cp.origin === 'origin with spaces'],
    ];
    for (const [text, name, check] of ok) {
      bump('checkpoints');
      mustPass('checkpoint', name, await outcome(() => v.parseCheckpoint(text)), (cp) => (check(cp) ? '' : 'wrong value'));
    }
    const bad = [
      [`o\n8\n${root}\n\n`, 'one empty extension line'],
      [`o\n8\n${root}\next\n\n`, 'empty line after an extension'],
      [`o\n8\n${root}\n\next\n`, 'empty line before an extension'],
      [`o\n18446744073709551616\n${root}\n`, 'size 2^64'],
      [`o\n+8\n${root}\n`, 'size with a sign'],
      [`o\n8 \n${root}\n`, 'size with a space'],
      [`o\n00\n${root}\n`, 'size 00'],
      [`o\n\n${root}\n`, 'empty size'],
      [`o\n8\n${root.slice(0, -4)}\n`, 'root of 30 bytes'],
      [`o\n8\n${v.b64encode(new Uint8Array(33))}\n`, 'root of 33 bytes'],
      [`o\n8\n${root.replace(/=$/, '')}\n`, 'root without padding'],
      [`o\n8\n ${root}\n`, 'root with a leading space'],
      [`o\n8\n${root}`, 'no final newline'],
      [`o\n8\n`, 'no root line'],
      [`o\n`, 'no size line'],
      ['', 'empty text'],
    ];
    for (const [text, name] of bad) {
      bump('checkpoints');
      bump('checkpointsMustFail');
      mustFail('checkpoint', name, await outcome(() => v.parseCheckpoint(text)));
    }
  }
  {
    // Notes built here: a witness cosignature (type 0x04, 72-byte payload) from an unknown key
    // is ignored; a known key's signature of the wrong length rejects; CR and DEL are control
    // characters; U+2014 without its space is no signature line.
    const gen = JSON.parse(await fetchText('/testdata/note/generated_checkpoints.json'));
    const base = gen.notes[0];
    const keys = [await v.parseVkey(base.verifier_keys[0])];
    const cosig = '\u2014 witness.example/w2 ' + v.b64encode(new Uint8Array(76).fill(7)) + '\n';
    bump('notes', 6);
    mustPass('note', 'cosignature from an unknown witness is ignored',
      await outcome(() => v.openNote(base.note + cosig, keys)),
      (r) => (JSON.stringify(r.verified) === JSON.stringify(base.want_verified) ? '' : 'verified'));
    const [head, sigline] = base.note.split('\n\n');
    const blob = v.b64decode(sigline.slice(sigline.lastIndexOf(' ') + 1).trim());
    const longer = '\u2014 ' + keys[0].name + ' ' + v.b64encode(Uint8Array.of(...blob, 0)) + '\n';
    mustFail('note', 'known key, 65-byte signature', await outcome(() => v.openNote(head + '\n\n' + longer, keys)),
      /does not verify/);
    mustFail('note', 'CR in the text', await outcome(() => v.openNote(head.replace('\n', '\r\n') + '\n\n' + sigline, keys)),
      /^malformed note/);
    mustFail('note', 'DEL in the text', await outcome(() => v.openNote('\u007f' + base.note, keys)),
      /^malformed note/);
    mustFail('note', 'em dash without a space', await outcome(() => v.openNote(base.note.replace('\u2014 ', '\u2014'), keys)),
      /^malformed note/);
    mustFail('note', 'lone surrogate in the text', await outcome(() => v.openNote('\ud800' + base.note, keys)),
      /^malformed note/);
  }

  // --- generated checkpoints end to end ------------------------------------------------------
  if (args.endToEnd) {
    const e = args.endToEnd, g = 'end-to-end';
    const out = await outcome(async () => {
      const key = await v.parseVkey(e.vkey);
      const cp5 = v.parseCheckpoint((await v.openNote(e.note5, [key])).text);
      const cp8 = v.parseCheckpoint((await v.openNote(e.note8, [key])).text);
      const r = await v.verifyConsistencyFile(e.consistency, cp5.size, cp5.root, cp8.size, cp8.root);
      if (r.size1 !== 5n || r.size2 !== 8n) throw new Error('sizes');
      for (let i = 0; i < 8; i++) {
        await v.verifyInclusion(BigInt(i), cp8.size, await v.leafHash(v.b64decode(e.inputs[i])),
          e.paths[i].map(v.b64decode), cp8.root);
      }
      const t = await outcome(() => v.verifyConsistencyFile(e.consistency, cp5.size, cp8.root, cp8.size, cp5.root));
      if (t.ok) throw new Error('swapped checkpoints accepted');
      const u = await outcome(() => v.verifyConsistencyFile(e.consistency, 4n, cp5.root, cp8.size, cp8.root));
      if (u.ok || !/sizes? /.test(u.message)) throw new Error('size mismatch accepted');
      return true;
    });
    bump('endToEnd');
    mustPass(g, 'signed checkpoints 5 and 8, consistency 5->8, inclusion of the 8 leaves', out);
  }

  // --- entries -------------------------------------------------------------------------------
  for (const c of args.entries) {
    const bytes = v.b64decode(c.bytes);
    const out = await outcome(() => v.decodeEntry(bytes));
    bump('entries');
    if (c.expect === null) {
      bump('entriesMustFail');
      mustFail('entry', c.name, out);
    } else {
      mustPass('entry', c.name, out, (e) => (JSON.stringify(e) === c.expect ? '' : 'got ' + JSON.stringify(e)));
    }
  }

  // --- proof files ---------------------------------------------------------------------------
  {
    const pf = args.proofFiles, g = 'proof file';
    const root = v.b64decode(pf.root), size = BigInt(pf.size);
    for (const c of pf.good) {
      bump('proofFiles');
      const out = await outcome(() => v.verifyProofFile(c.index % 2 ? JSON.parse(c.file) : c.file, root, size));
      if (c.expect === null) {
        bump('proofFilesMustFail');
        mustFail(g, `leaf ${c.index}: in the tree but no valid entry`, out, /trailing/);
      } else {
        mustPass(g, `leaf ${c.index}`, out, (r) =>
          r.index !== BigInt(c.index) ? 'index ' + r.index :
          JSON.stringify(r.entry) !== c.expect ? 'entry ' + JSON.stringify(r.entry) : '');
      }
    }
    for (const c of pf.bad) {
      bump('proofFiles');
      bump('proofFilesMustFail');
      mustFail(g, c.name, await outcome(() => v.verifyProofFile(c.file, root, size)));
    }
    const wrong = root.slice();
    wrong[31] ^= 0x80;
    bump('proofFiles', 4);
    bump('proofFilesMustFail', 2);
    mustFail(g, 'wrong root', await outcome(() => v.verifyProofFile(pf.good[0].file, wrong, size)),
      /does not lead to the checkpoint's root/);
    mustFail(g, "checkpoint's size differs", await outcome(() => v.verifyProofFile(pf.good[0].file, root, size + 1n)));
    mustPass(g, 'leaf_hash instead of entry', await outcome(() => v.verifyProofFile(pf.leafOnly, root, size)),
      (r) => (r.entry === null && r.index === 1n ? '' : 'got ' + r.entry));
    mustPass(g, 'tree size as a Number', await outcome(() => v.verifyProofFile(pf.good[2].file, root, Number(size))));
    for (const c of pf.consistency) {
      bump('proofFiles', 2);
      bump('proofFilesMustFail');
      const r1 = v.b64decode(c.root1);
      mustPass(g, `consistency ${c.size1} -> ${c.size2}`,
        await outcome(() => v.verifyConsistencyFile(c.file, BigInt(c.size1), r1, size, root)));
      const bad = r1.slice();
      bad[0] ^= 1;
      mustFail(g, `consistency ${c.size1} -> ${c.size2}, wrong earlier root`,
        await outcome(() => v.verifyConsistencyFile(JSON.parse(c.file), BigInt(c.size1), bad, size, root)));
    }
  }

  return { results, counts };
}
"""


# --------------------------------------------------------------------------------------------
# The server


def make_handler(csp):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_GET(self):
            path = urllib.parse.unquote(urllib.parse.urlsplit(self.path).path)
            if path in ("/", "/test.html"):
                page = (b'<!doctype html><meta charset=utf-8><link rel=icon href="data:,">'
                        b"<title>verify.js test</title>")
                return self.send(page, "text/html; charset=utf-8")
            if path.startswith("/testdata/"):
                base, rel = TESTDATA, path[len("/testdata/"):]
            else:
                base, rel = CONSOLE, path.lstrip("/")
            target = (base / rel).resolve()
            if base.resolve() not in target.parents or not target.is_file():
                self.send_error(404)
                return
            ctype = {
                ".js": "text/javascript; charset=utf-8",
                ".json": "application/json",
                ".html": "text/html; charset=utf-8",
                ".css": "text/css; charset=utf-8",
            }.get(target.suffix, "application/octet-stream")
            self.send(target.read_bytes(), ctype)

        def send(self, body, ctype):
            self.send_response(200)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", csp)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def kill_descendants():
    """Ends the processes this test started (Playwright's driver and its Chromium), by id."""
    children = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                stat = (d / "stat").read_text()
            except OSError:
                continue
            ppid = int(stat.rsplit(")", 1)[1].split()[1])
            children.setdefault(ppid, []).append(int(d.name))
    todo, found = [os.getpid()], []
    while todo:
        for c in children.get(todo.pop(), []):
            found.append(c)
            todo.append(c)
    for pid in found:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def main():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is not installed: python3 -m venv target/console-venv && "
              "target/console-venv/bin/pip install playwright axe-playwright-python, then run "
              "this with target/console-venv/bin/python", file=sys.stderr)
        return 2
    for need in [CONSOLE / "verify.js", TESTDATA / "merkle" / "README.md", TESTDATA / "note" / "README.md"]:
        if not need.is_file():
            print(f"missing {need}", file=sys.stderr)
            return 2

    files = note_files()
    args = {
        "merkleFiles": merkle_files(),
        "noteFiles": files,
        "policy": checkpoint_policy(files),
        "endToEnd": end_to_end_case(),
        "entries": [{"name": n, "bytes": b64(b),
                     "expect": None if e is None else json.dumps(e, separators=(",", ":"))}
                    for n, b, e in entry_cases()],
        "proofFiles": proof_file_cases(),
    }
    for c in args["proofFiles"]["good"]:
        if c["expect"] is not None:
            c["expect"] = json.dumps(c["expect"], separators=(",", ":"))

    # A verifier that loops must fail the test, not hang it.
    def timed_out():
        print(f"FAIL: the checks did not finish in {TIMEOUT_S} s", flush=True)
        kill_descendants()
        os._exit(1)

    watchdog = threading.Timer(TIMEOUT_S, timed_out)
    watchdog.daemon = True
    watchdog.start()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), make_handler(console_csp()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    origin = f"http://127.0.0.1:{server.server_address[1]}"
    page_errors = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                page = browser.new_page()
                page.on("pageerror", lambda e: page_errors.append(str(e)))
                page.on("console", lambda m: m.type == "error" and page_errors.append(m.text))
                page.goto(origin + "/test.html")
                out = page.evaluate(PAGE_JS, args)
            finally:
                browser.close()
    finally:
        server.shutdown()
        watchdog.cancel()

    results, counts = out["results"], out["counts"]
    failed = [r for r in results if not r["ok"]]
    for r in failed:
        print(f"FAIL [{r['group']}] {r['name']}: {r['detail']}")
    for e in page_errors:
        print(f"FAIL [page] {e}")
    c = lambda k: counts.get(k, 0)  # noqa: E731
    print(f"merkle: {c('merkle')} files, {c('merkleMustFail')} must-fail; "
          f"reference tree: {c('reference')} checks")
    print(f"notes: {c('vkeys')} vkeys ({c('vkeysMustFail')} must-fail), {c('notes')} notes "
          f"({c('notesMustFail')} must-fail), {c('checkpoints')} checkpoints "
          f"({c('checkpointsMustFail')} must-fail, {c('policy')} by policy), "
          f"{c('signers')} signer keys, {c('endToEnd')} end-to-end")
    print(f"entries: {c('entries')} ({c('entriesMustFail')} must-fail); proof files: "
          f"{c('proofFiles')} ({c('proofFilesMustFail')} must-fail)")
    n_failed = len(failed) + len(page_errors)
    print(f"{len(results) - len(failed)} passed, {n_failed} failed")
    return 1 if n_failed else 0


if __name__ == "__main__":
    sys.exit(main())
