// Independent verification of Custodian's ledger in the browser.
//
// Everything here checks what the server sends against a verifier key the person pins, not
// against the server's word: C2SP signed notes (c2sp.org/signed-note) with Ed25519 keys,
// C2SP checkpoints (c2sp.org/tlog-checkpoint), RFC 9162 Merkle inclusion and consistency
// proofs, and Custodian's canonical ledger entry (crates/ledger/src/entry.rs).
//
// The cryptographic primitives are WebCrypto's (SHA-256 and Ed25519); only the formats and
// the proof algorithms are written here. They follow the Rust implementation in
// crates/ledger (note.rs, checkpoint.rs, tree.rs, entry.rs, proofs.rs) rule for rule, so the
// browser refuses what the server's own verifier refuses. Sizes and indices are BigInt.
//
// Every failure throws an Error whose message is meant to be shown to a person.

const HASH_LEN = 32;
const ALG_ED25519 = 0x01;
const MAX_SIGNATURES = 100;
const SIG_PREFIX = '\u2014 ';
const U64_MAX = (1n << 64n) - 1n;

const enc = new TextEncoder();

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) {
    throw new Error(
      'this browser offers no WebCrypto here: open the console over https or from 127.0.0.1',
    );
  }
  return s;
}

async function sha256(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const buf = new Uint8Array(n);
  let at = 0;
  for (const p of parts) {
    buf.set(p, at);
    at += p.length;
  }
  return new Uint8Array(await subtle().digest('SHA-256', buf));
}

function bytesEqual(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

function asBytes(x, what) {
  if (x instanceof Uint8Array) return x;
  if (x instanceof ArrayBuffer) return new Uint8Array(x);
  if (ArrayBuffer.isView(x)) return new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  throw new Error(`${what} is not bytes`);
}

function toBig(x, what) {
  if (typeof x === 'bigint') {
    if (x < 0n) throw new Error(`${what} is negative`);
    return x;
  }
  if (typeof x === 'number') {
    if (!Number.isSafeInteger(x) || x < 0) {
      throw new Error(`${what} is not a whole number from 0 to 2^53`);
    }
    return BigInt(x);
  }
  if (typeof x === 'string' && /^(0|[1-9][0-9]*)$/.test(x)) return BigInt(x);
  throw new Error(`${what} is not a whole number`);
}

// ---------------------------------------------------------------------------------------------
// Encodings

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < 64; i++) t[B64.charCodeAt(i)] = i;
  return t;
})();

/** Standard base64 with padding, strictly: no white space, no missing or extra padding, no
 * stray bits in the last character. Throws on anything else. */
export function b64decode(str) {
  if (typeof str !== 'string') throw new Error('base64 value is not text');
  if (str.length % 4 !== 0) throw new Error('not base64: length is not a multiple of 4');
  let pad = 0;
  if (str.endsWith('==')) pad = 2;
  else if (str.endsWith('=')) pad = 1;
  const out = new Uint8Array((str.length / 4) * 3 - pad);
  let o = 0;
  for (let i = 0; i < str.length; i += 4) {
    const last = i + 4 === str.length;
    const v = [0, 0, 0, 0];
    for (let j = 0; j < 4; j++) {
      const c = str.charCodeAt(i + j);
      if (c === 0x3d && last && j >= 4 - pad) {
        v[j] = 0;
        continue;
      }
      const d = c < 128 ? B64_INDEX[c] : -1;
      if (d < 0) throw new Error('not base64: unexpected character');
      v[j] = d;
    }
    const n = (v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3];
    if (last && pad === 2) {
      if (n & 0xffff) throw new Error('not base64: stray bits before the padding');
      out[o++] = n >>> 16;
    } else if (last && pad === 1) {
      if (n & 0xff) throw new Error('not base64: stray bits before the padding');
      out[o++] = n >>> 16;
      out[o++] = (n >>> 8) & 0xff;
    } else {
      out[o++] = n >>> 16;
      out[o++] = (n >>> 8) & 0xff;
      out[o++] = n & 0xff;
    }
  }
  return out;
}

/** Standard base64 with padding. */
export function b64encode(bytes) {
  const b = asBytes(bytes, 'value');
  let s = '';
  let i = 0;
  for (; i + 2 < b.length; i += 3) {
    const n = (b[i] << 16) | (b[i + 1] << 8) | b[i + 2];
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + B64[n & 63];
  }
  if (i + 1 === b.length) {
    const n = b[i] << 16;
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + '==';
  } else if (i + 2 === b.length) {
    const n = (b[i] << 16) | (b[i + 1] << 8);
    s += B64[n >>> 18] + B64[(n >>> 12) & 63] + B64[(n >>> 6) & 63] + '=';
  }
  return s;
}

/** Lower-case hex. */
export function hex(bytes) {
  const b = asBytes(bytes, 'value');
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

// ---------------------------------------------------------------------------------------------
// Signed notes (c2sp.org/signed-note), Ed25519 keys

const NAME_BAD = /[\p{White_Space}\p{Cc}+]/u;

function isValidKeyName(name) {
  return name.length > 0 && !NAME_BAD.test(name);
}

function keyIdHex(id) {
  return hex(id);
}

async function computeKeyId(name, alg, pub) {
  const h = await sha256(enc.encode(name), new Uint8Array([0x0a, alg]), pub);
  return h.slice(0, 4);
}

/** Parses a verifier key `<name>+<8 hex key ID>+base64(0x01 || 32-byte Ed25519 public key)`.
 * Returns `{name, keyId, key}` with `keyId` the 4 ID bytes and `key` a WebCrypto key. */
export async function parseVkey(str) {
  if (typeof str !== 'string') throw new Error('verifier key is not text');
  const text = str.replace(/\n+$/, '');
  const p1 = text.indexOf('+');
  const p2 = p1 < 0 ? -1 : text.indexOf('+', p1 + 1);
  if (p1 < 0 || p2 < 0) {
    throw new Error('verifier key is not <name>+<key ID>+<base64 key>');
  }
  const name = text.slice(0, p1);
  const idHex = text.slice(p1 + 1, p2);
  const data = text.slice(p2 + 1);
  if (!isValidKeyName(name)) {
    throw new Error('verifier key name is empty or holds a space, a control character or +');
  }
  if (!/^[0-9a-fA-F]{8}$/.test(idHex)) {
    throw new Error(`verifier key ID "${idHex.slice(0, 16)}" is not 8 hex digits`);
  }
  const keyId = new Uint8Array(4);
  for (let i = 0; i < 4; i++) keyId[i] = parseInt(idHex.slice(2 * i, 2 * i + 2), 16);
  let raw;
  try {
    raw = b64decode(data);
  } catch {
    throw new Error(`verifier key ${name}: key data is not base64`);
  }
  if (raw.length === 0) throw new Error(`verifier key ${name}: key data is empty`);
  if (raw[0] !== ALG_ED25519) {
    throw new Error(
      `verifier key ${name}: key type 0x${raw[0].toString(16).padStart(2, '0')} is not Ed25519 (0x01)`,
    );
  }
  const pub = raw.slice(1);
  if (pub.length !== 32) {
    throw new Error(`verifier key ${name}: Ed25519 public key is ${pub.length} bytes, not 32`);
  }
  const want = await computeKeyId(name, ALG_ED25519, pub);
  if (!bytesEqual(want, keyId)) {
    throw new Error(`verifier key ${name}: key ID ${idHex} does not match the key`);
  }
  let key;
  try {
    key = await subtle().importKey('raw', pub, { name: 'Ed25519' }, false, ['verify']);
  } catch {
    throw new Error(`verifier key ${name}: not an Ed25519 public key`);
  }
  return { name, keyId, key };
}

function malformed(why) {
  return new Error(`malformed note: ${why}`);
}

/** Opens a signed note against the known verifier keys (parsed by parseVkey, or vkey
 * strings). Signatures by unknown keys are ignored; a signature by a known key that fails
 * rejects the note; at least one known signature must verify. Returns `{text, verified}`,
 * `verified` the names of the known keys whose signatures verified, in note order, once each. */
export async function openNote(text, vkeys) {
  if (typeof text !== 'string') throw malformed('not text');
  const known = [];
  for (const v of vkeys || []) known.push(typeof v === 'string' ? await parseVkey(v) : v);

  if (!text.isWellFormed()) throw malformed('not valid Unicode');
  const split = text.lastIndexOf('\n\n');
  if (split < 0) throw malformed('no blank line before the signatures');
  const body = text.slice(0, split + 1);
  let sigs = text.slice(split + 2);
  const ctl = body.match(/[^\n\P{Cc}]/u);
  if (ctl) {
    throw malformed(
      `text holds control character U+${ctl[0].codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}`,
    );
  }
  if (sigs.length === 0) throw malformed('no signature lines');
  if (!sigs.endsWith('\n')) throw malformed('last signature line does not end with a newline');
  sigs = sigs.slice(0, -1);
  const msg = enc.encode(body);

  const verified = []; // {name, id}
  const lines = sigs.split('\n');
  for (let n = 0; n < lines.length; n++) {
    if (n >= MAX_SIGNATURES) throw malformed(`more than ${MAX_SIGNATURES} signatures`);
    const line = lines[n];
    if (!line.startsWith(SIG_PREFIX)) {
      throw malformed(`line ${n + 1} after the text is not a signature line`);
    }
    const rest = line.slice(SIG_PREFIX.length);
    const sp = rest.indexOf(' ');
    if (sp < 0) throw malformed(`signature line ${n + 1} has no signature`);
    const name = rest.slice(0, sp);
    if (!isValidKeyName(name)) throw malformed(`signature line ${n + 1} has an invalid key name`);
    let blob;
    try {
      blob = b64decode(rest.slice(sp + 1));
    } catch {
      throw malformed(`signature line ${n + 1} is not base64`);
    }
    if (blob.length < 5) throw malformed(`signature line ${n + 1} is too short`);
    const id = blob.slice(0, 4);
    const matching = known.filter((v) => v.name === name && bytesEqual(v.keyId, id));
    if (matching.length === 0) continue; // unknown key: not checked
    if (matching.length > 1) {
      throw new Error(`ambiguous key: two verifier keys are ${name}+${keyIdHex(id)}`);
    }
    if (verified.some((v) => v.name === name && bytesEqual(v.id, id))) continue;
    const sig = blob.slice(4);
    let ok = false;
    if (sig.length === 64) {
      try {
        ok = await subtle().verify({ name: 'Ed25519' }, matching[0].key, sig, msg);
      } catch {
        ok = false;
      }
    }
    if (!ok) throw new Error(`signature by ${name} does not verify`);
    verified.push({ name, id });
  }
  if (verified.length === 0) {
    throw new Error('no signature by a known key: the note is not signed by any pinned key');
  }
  return { text: body, verified: verified.map((v) => v.name) };
}

// ---------------------------------------------------------------------------------------------
// Checkpoints (c2sp.org/tlog-checkpoint)

/** Parses a checkpoint body strictly: non-empty origin, size without sign or leading zero
 * (at most 2^64-1), root as standard base64 of exactly 32 bytes, non-empty extension lines,
 * final newline. */
export function parseCheckpoint(text) {
  if (typeof text !== 'string') throw new Error('checkpoint is not text');
  if (!text.endsWith('\n')) throw new Error('checkpoint does not end with a newline');
  const lines = text.slice(0, -1).split('\n');
  const origin = lines[0];
  if (origin === '') throw new Error('checkpoint origin line is empty');
  if (lines.length < 2) throw new Error('checkpoint has no tree size line');
  const sizeLine = lines[1];
  if (!/^(0|[1-9][0-9]*)$/.test(sizeLine)) {
    throw new Error(
      `checkpoint tree size "${sizeLine.slice(0, 32)}" is not a decimal number without leading zeros`,
    );
  }
  const size = BigInt(sizeLine);
  if (size > U64_MAX) throw new Error('checkpoint tree size does not fit in 64 bits');
  if (lines.length < 3) throw new Error('checkpoint has no root hash line');
  let root;
  try {
    root = b64decode(lines[2]);
  } catch {
    throw new Error('checkpoint root hash is not standard base64');
  }
  if (root.length !== HASH_LEN) {
    throw new Error(`checkpoint root hash is ${root.length} bytes, not 32`);
  }
  const extensions = [];
  for (let i = 3; i < lines.length; i++) {
    if (lines[i] === '') throw new Error(`checkpoint extension line ${i - 2} is empty`);
    extensions.push(lines[i]);
  }
  return { origin, size, root, extensions };
}

// ---------------------------------------------------------------------------------------------
// Merkle trees (RFC 9162 §2.1)

/** SHA-256(0x00 || bytes): the hash of a leaf. */
export async function leafHash(bytes) {
  return sha256(new Uint8Array([0]), asBytes(bytes, 'leaf'));
}

/** SHA-256(0x01 || left || right): the hash of an interior node. */
export async function nodeHash(left, right) {
  return sha256(new Uint8Array([1]), asBytes(left, 'left node'), asBytes(right, 'right node'));
}

function checkHash(h, what) {
  let b;
  try {
    b = asBytes(h, what);
  } catch {
    throw new Error(`${what} is not a hash`);
  }
  if (b.length !== HASH_LEN) throw new Error(`${what} is ${b.length} bytes, not 32`);
  return b;
}

function checkPath(proof) {
  const path = proof == null ? [] : proof;
  if (!Array.isArray(path)) throw new Error('proof is not a list of hashes');
  return path.map((p, i) => checkHash(p, `proof hash ${i + 1}`));
}

/** RFC 9162 §2.1.3.2: resolves when `leaf` is at `index` in the tree of `treeSize` leaves
 * whose root is `root`; throws otherwise. */
export async function verifyInclusion(index, treeSize, leaf, proof, root) {
  const idx = toBig(index, 'leaf index');
  const size = toBig(treeSize, 'tree size');
  const lh = checkHash(leaf, 'leaf hash');
  const rh = checkHash(root, 'root hash');
  const path = checkPath(proof);
  if (idx >= size) {
    throw new Error(`leaf index ${idx} is not below the tree size ${size}`);
  }
  let f = idx;
  let s = size - 1n;
  let r = lh;
  for (const p of path) {
    if (s === 0n) throw new Error('inclusion proof has too many hashes for this tree');
    if ((f & 1n) === 1n || f === s) {
      r = await nodeHash(p, r);
      if ((f & 1n) === 0n) {
        while ((f & 1n) === 0n && f !== 0n) {
          f >>= 1n;
          s >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    f >>= 1n;
    s >>= 1n;
  }
  if (s !== 0n) throw new Error('inclusion proof has too few hashes for this tree');
  if (!bytesEqual(r, rh)) throw new Error("inclusion proof does not lead to the checkpoint's root");
}

/** RFC 9162 §2.1.4.2: resolves when the tree of `size1` leaves with root `root1` is a prefix
 * of the tree of `size2` leaves with root `root2`; throws otherwise. Equal sizes need an
 * empty proof and equal roots; a proof from the empty tree (size1 = 0) is refused as
 * meaningless, as upstream's vectors want. */
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  const m = toBig(size1, 'first tree size');
  const n = toBig(size2, 'second tree size');
  const path = checkPath(proof);
  if (m > n) throw new Error(`the tree shrank: size ${n} is below size ${m}`);
  // As upstream (transparency-dev/merkle): the empty tree is a prefix of every tree, so a
  // proof from it proves nothing, and is refused even between two empty trees.
  if (m === 0n) throw new Error('a consistency proof from the empty tree is meaningless');
  if (m === n) {
    if (path.length !== 0) throw new Error('consistency proof between equal sizes must be empty');
    if (!bytesEqual(asBytes(root1, 'first root hash'), asBytes(root2, 'second root hash'))) {
      throw new Error('two different roots for the same tree size');
    }
    return;
  }
  const r1 = checkHash(root1, 'first root hash');
  const r2 = checkHash(root2, 'second root hash');
  if (path.length === 0) throw new Error('consistency proof is empty');
  const c = [];
  if ((m & (m - 1n)) === 0n) c.push(r1);
  c.push(...path);
  let f = m - 1n;
  let s = n - 1n;
  while ((f & 1n) === 1n) {
    f >>= 1n;
    s >>= 1n;
  }
  let fr = c[0];
  let sr = c[0];
  for (let i = 1; i < c.length; i++) {
    const h = c[i];
    if (s === 0n) throw new Error('consistency proof has too many hashes for these sizes');
    if ((f & 1n) === 1n || f === s) {
      fr = await nodeHash(h, fr);
      sr = await nodeHash(h, sr);
      if ((f & 1n) === 0n) {
        while ((f & 1n) === 0n && f !== 0n) {
          f >>= 1n;
          s >>= 1n;
        }
      }
    } else {
      sr = await nodeHash(sr, h);
    }
    f >>= 1n;
    s >>= 1n;
  }
  if (s !== 0n) throw new Error('consistency proof has too few hashes for these sizes');
  if (!bytesEqual(fr, r1)) {
    throw new Error('consistency proof does not lead to the earlier root');
  }
  if (!bytesEqual(sr, r2)) {
    throw new Error('consistency proof does not lead to the later root');
  }
}

// ---------------------------------------------------------------------------------------------
// Ledger entries (crates/ledger/src/entry.rs)

const ENTRY_VERSION = 1;
const KINDS = [
  null,
  'register',
  'collect',
  'detokenize',
  'lookup',
  'transfer',
  'consent_grant',
  'consent_withdraw',
  'order',
  'order_enforced',
  'erase',
  'export',
  'key_rotation',
  'config_change',
  'access',
  'receive',
];
const DECISIONS = ['none', 'allow', 'deny'];
const OPTIONAL_IDS = ['tenant', 'subject', 'purpose', 'service', 'reason', 'order', 'destination'];

function isIdByte(b) {
  return (
    (b >= 0x30 && b <= 0x39) || // 0-9
    (b >= 0x41 && b <= 0x5a) || // A-Z
    (b >= 0x61 && b <= 0x7a) || // a-z
    b === 0x2e || // .
    b === 0x5f || // _
    b === 0x3a || // :
    b === 0x2f || // /
    b === 0x2d || // -
    b === 0x3d || // =
    b === 0x2b // +
  );
}

/** Decodes Custodian's canonical ledger entry strictly, into the shape of the server's JSON:
 * `{kind, time_ms, decision, tenant?, subject?, purpose?, service?, reason?, order?,
 * destination?, fields?, tokens?}`. */
export function decodeEntry(bytes) {
  const b = asBytes(bytes, 'entry');
  let at = 0;
  const take = (n) => {
    if (at + n > b.length) throw new Error('entry is truncated');
    const s = b.subarray(at, at + n);
    at += n;
    return s;
  };
  const u8 = () => take(1)[0];
  const id = (len) => {
    if (len === 0) throw new Error('entry holds an empty identifier');
    const s = take(len);
    // An identifier is 1-128 ASCII characters from the set; the value is never echoed (it may
    // be personal information written by mistake).
    if (len > 128 || !s.every(isIdByte)) {
      throw new Error(
        `entry holds a value of ${len} bytes that is not a ledger identifier ` +
          '(1-128 of A-Z a-z 0-9 . _ : / - = +)',
      );
    }
    return String.fromCharCode(...s);
  };

  const version = u8();
  if (version !== ENTRY_VERSION) throw new Error(`unknown entry version ${version}`);
  const k = u8();
  const kind = KINDS[k];
  if (!kind) throw new Error(`unknown entry kind ${k}`);
  const t = take(8);
  const time = new DataView(t.buffer, t.byteOffset, 8).getBigInt64(0, false);
  const d = u8();
  const decision = DECISIONS[d];
  if (decision === undefined) throw new Error(`unknown entry decision ${d}`);
  const out = { kind, time_ms: Number(time), decision };
  for (const name of OPTIONAL_IDS) {
    const n = u8();
    if (n !== 0) out[name] = id(n);
  }
  for (const name of ['fields', 'tokens']) {
    const c = take(2);
    const count = (c[0] << 8) | c[1];
    const list = [];
    for (let i = 0; i < count; i++) list.push(id(u8()));
    if (list.length > 0) out[name] = list;
  }
  if (at !== b.length) throw new Error(`entry has ${b.length - at} trailing bytes`);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Proof files (crates/ledger/src/proofs.rs)

const INT_KEYS = new Set(['index', 'tree_size', 'size1', 'size2']);

function readProofFile(file, type) {
  let obj = file;
  if (typeof file === 'string') {
    try {
      // Sizes may exceed 2^53: read them from their source text.
      obj = JSON.parse(file, function (key, value, ctx) {
        if (INT_KEYS.has(key) && typeof value === 'number' && ctx && typeof ctx.source === 'string') {
          return /^(0|[1-9][0-9]*)$/.test(ctx.source) ? BigInt(ctx.source) : value;
        }
        return value;
      });
    } catch {
      throw new Error('proof file is not JSON');
    }
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw new Error('proof file is not a JSON object');
  }
  if (obj.type !== type) {
    throw new Error(`proof file is not an ${type} proof (its type is ${JSON.stringify(obj.type)})`);
  }
  const allowed =
    type === 'inclusion'
      ? ['type', 'index', 'tree_size', 'entry', 'leaf_hash', 'proof']
      : ['type', 'size1', 'size2', 'proof'];
  for (const k of Object.keys(obj)) {
    if (!allowed.includes(k)) throw new Error(`proof file has an unknown field "${k.slice(0, 40)}"`);
  }
  if (!Array.isArray(obj.proof)) throw new Error('proof file has no list of proof hashes');
  const proof = obj.proof.map((h, i) => {
    let b = null;
    if (typeof h === 'string') {
      try {
        b = b64decode(h);
      } catch {
        b = null;
      }
    }
    if (!b || b.length !== HASH_LEN) {
      throw new Error(`proof hash ${i + 1} is not base64 of 32 bytes`);
    }
    return b;
  });
  return { obj, proof };
}

function fileInt(v, what) {
  if (typeof v === 'bigint' && v >= 0n && v <= U64_MAX) return v;
  if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  throw new Error(`proof file ${what} is not a whole number`);
}

/** Verifies a server inclusion proof file (JSON text or parsed object)
 * `{"type":"inclusion","index","tree_size","entry","proof"}` against a checkpoint's root and
 * size. Returns `{index, entry}`, the entry decoded. (A file that carries `leaf_hash` instead
 * of `entry` is verified too and returns `entry: null`.) */
export async function verifyProofFile(file, root, treeSize) {
  const { obj, proof } = readProofFile(file, 'inclusion');
  const index = fileInt(obj.index, 'index');
  const size = fileInt(obj.tree_size, 'tree_size');
  const want = toBig(treeSize, "checkpoint's tree size");
  if (size !== want) {
    throw new Error(`proof is for a tree of ${size} entries, the checkpoint's tree has ${want}`);
  }
  const hasEntry = obj.entry !== undefined && obj.entry !== null;
  const hasLeaf = obj.leaf_hash !== undefined && obj.leaf_hash !== null;
  if (hasEntry === hasLeaf) {
    throw new Error('an inclusion proof needs exactly one of "entry" and "leaf_hash"');
  }
  let bytes = null;
  let lh;
  if (hasEntry) {
    try {
      bytes = b64decode(obj.entry);
    } catch {
      throw new Error('the proof file\'s "entry" is not base64');
    }
    lh = await leafHash(bytes);
  } else {
    try {
      lh = b64decode(obj.leaf_hash);
    } catch {
      lh = null;
    }
    if (!lh || lh.length !== HASH_LEN) {
      throw new Error('the proof file\'s "leaf_hash" is not base64 of 32 bytes');
    }
  }
  await verifyInclusion(index, size, lh, proof, checkHash(root, "checkpoint's root"));
  const entry = bytes === null ? null : decodeEntry(bytes);
  return { index, entry };
}

/** Verifies a server consistency proof file (JSON text or parsed object)
 * `{"type":"consistency","size1","size2","proof"}` between two checkpoints. */
export async function verifyConsistencyFile(file, size1, root1, size2, root2) {
  const { obj, proof } = readProofFile(file, 'consistency');
  const s1 = fileInt(obj.size1, 'size1');
  const s2 = fileInt(obj.size2, 'size2');
  const w1 = toBig(size1, 'earlier tree size');
  const w2 = toBig(size2, 'later tree size');
  if (s1 !== w1 || s2 !== w2) {
    throw new Error(
      `proof is from size ${s1} to ${s2}, the checkpoints are of sizes ${w1} and ${w2}`,
    );
  }
  await verifyConsistency(s1, s2, root1, root2, proof);
  return { size1: s1, size2: s2 };
}
