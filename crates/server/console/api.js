// The console's one way to the API and its one way to build the page.
//
// The key lives in sessionStorage only (gone when the tab closes) and goes out as a bearer
// header on same-origin requests; the console holds no other credential and no cookie.
// Everything is built with DOM nodes and textContent: no string of the server's or the
// person's ever becomes HTML.

const KEY = 'custodian.key';

// A regulator signed in with its order key instead: the key is imported into WebCrypto as
// non-extractable and held in this page's memory only (a reload asks for the file again).
let signer = null;

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  signer: () => signer,
  clear: () => {
    sessionStorage.removeItem(KEY);
    signer = null;
  },
};

const b64 = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes)));

/**
 * Takes a regulator's order key file (`PRIVATE+KEY+<name>+<hex id>+base64(0x01 || seed)`, what
 * `custodian order keygen` writes) for signed requests (RFC 9421, as `custodian order submit
 * --key` signs them). The file's text is not kept.
 */
export async function useOrderKey(text) {
  needCrypto();
  const parts = text.trim().split('+');
  if (parts.length < 5 || parts[0] !== 'PRIVATE' || parts[1] !== 'KEY' || !/^[0-9a-f]{8}$/.test(parts[3])) {
    throw new Error('This is not an order key file (PRIVATE+KEY+<name>+<id>+<key>, as `custodian order keygen` writes it).');
  }
  let raw;
  try {
    raw = Uint8Array.from(atob(parts.slice(4).join('+')), (c) => c.charCodeAt(0));
  } catch {
    throw new Error('The key file\'s key is not base64.');
  }
  if (raw.length !== 33 || raw[0] !== 1) throw new Error('The key file does not hold an Ed25519 key.');
  // PKCS#8 of an Ed25519 private key (RFC 8410): a fixed prefix, then the 32-byte seed.
  const der = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20, ...raw.slice(1)]);
  const key = await crypto.subtle.importKey('pkcs8', der, { name: 'Ed25519' }, false, ['sign']);
  raw.fill(0);
  der.fill(0);
  const health = await (await fetch('/healthz', { cache: 'no-store' })).json();
  signer = { keyId: `${parts[2]}+${parts[3]}`, key, origin: health.origin };
}

/** The three headers of a signed request (see `crates/server/src/api/signed.rs`). */
async function signed(method, path, body) {
  const bytes = body === undefined ? new Uint8Array() : typeof body === 'string' ? new TextEncoder().encode(body) : new Uint8Array(body);
  const digest = `sha-256=:${b64(await crypto.subtle.digest('SHA-256', bytes))}:`;
  const nonce = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
  const created = Math.floor(Date.now() / 1000);
  const params = `("@method" "@authority" "@path" "@query" "content-digest");created=${created};keyid="${signer.keyId}";alg="ed25519";nonce="${nonce}";tag="${signer.origin}"`;
  const [p, q] = path.split(/\?(.*)/s);
  const base = [
    `"@method": ${method.toUpperCase()}`,
    `"@authority": ${location.host.toLowerCase()}`,
    `"@path": ${p}`,
    `"@query": ?${q ?? ''}`,
    `"content-digest": ${digest}`,
    `"@signature-params": ${params}`,
  ].join('\n');
  const sig = await crypto.subtle.sign({ name: 'Ed25519' }, signer.key, new TextEncoder().encode(base));
  return { 'Content-Digest': digest, 'Signature-Input': `reg=${params}`, Signature: `reg=:${b64(sig)}:` };
}

/** WebCrypto exists in secure contexts only (HTTPS, or this machine's own addresses). */
export function needCrypto() {
  if (!window.isSecureContext || !crypto.subtle) {
    throw new Error('This page is not in a secure context (HTTPS, or localhost): the browser withholds WebCrypto, so nothing can be signed or verified here. Reach the cell over HTTPS.');
  }
}

/** An answer other than 2xx, in the API's error shape. */
export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * Calls the API. `json` sends a JSON body, `text` a text one, `raw` a file's bytes as `type`;
 * the answer comes back parsed
 * (JSON) or as text. Throws ApiError with the server's code and message.
 */
export async function api(method, path, { json, text, raw, type: rawType } = {}) {
  const headers = signer ? {} : { Authorization: `Bearer ${session.key() ?? ''}` };
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (text !== undefined) {
    headers['Content-Type'] = 'text/plain; charset=utf-8';
    body = text;
  } else if (raw !== undefined) {
    headers['Content-Type'] = rawType;
    body = raw;
  }
  if (signer) Object.assign(headers, await signed(method, path, body));
  let r;
  try {
    r = await fetch(path, { method, headers, body, cache: 'no-store', credentials: 'omit', redirect: 'error' });
  } catch (e) {
    throw new ApiError(0, 'network', `the cell did not answer (${e.message})`);
  }
  const type = r.headers.get('content-type') ?? '';
  if (!r.ok) {
    let e = {};
    try {
      e = await r.json();
    } catch {
      // not in the API's shape: the status says it
    }
    throw new ApiError(r.status, e.code ?? `http_${r.status}`, e.message ?? r.statusText);
  }
  return type.startsWith('application/json') ? r.json() : r.text();
}

/**
 * Builds an element: h('a', {href: '#/x', class: 'c', onclick: f}, 'text', child, …).
 * Attributes named on* become listeners; `false`, `null` and `undefined` children and
 * attributes are skipped; strings become text nodes.
 */
export function h(tag, attrs = {}, ...kids) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs ?? {})) {
    if (v === false || v === null || v === undefined) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const kid of kids.flat(Infinity)) {
    if (kid === false || kid === null || kid === undefined) continue;
    el.append(kid instanceof Node ? kid : document.createTextNode(String(kid)));
  }
  return el;
}

/** Replaces an element's children, leaving out null, undefined and false. */
export function show(el, ...kids) {
  el.replaceChildren(...kids.flat(Infinity).filter((k) => k !== null && k !== undefined && k !== false));
}

/** A date from milliseconds since the epoch, in UTC, to the second. */
export function when(ms) {
  if (ms === null || ms === undefined) return '—';
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** A table: heads, then rows of cells (strings or nodes). */
export function table(caption, heads, rows, empty = 'None.') {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'table',
    {},
    caption ? h('caption', {}, caption) : null,
    h('thead', {}, h('tr', {}, heads.map((x) => h('th', { scope: 'col' }, x)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((c) => h('td', {}, c))))),
  );
}

/** A message box: kind `error`, `ok` or `info`. Errors are announced to screen readers. */
export function notice(kind, ...text) {
  return h('div', { class: `notice ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...text);
}

/** The message of an error as a person should read it. */
export function explain(e) {
  if (e instanceof ApiError) {
    if (e.status === 401) return 'The key was not accepted (revoked or mistyped). Sign in again.';
    return `${e.message} (${e.code})`;
  }
  return e?.message ?? String(e);
}
