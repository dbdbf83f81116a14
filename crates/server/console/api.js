// The console's one way to the API and its one way to build the page.
//
// The key lives in sessionStorage only (gone when the tab closes) and goes out as a bearer
// header on same-origin requests; the console holds no other credential and no cookie.
// Everything is built with DOM nodes and textContent: no string of the server's or the
// person's ever becomes HTML.

import { parseCheckpoint } from './verify.js';

const KEY = 'custodian.key';

export const session = {
  key: () => sessionStorage.getItem(KEY),
  set: (k) => sessionStorage.setItem(KEY, k),
  clear: () => sessionStorage.removeItem(KEY),
};

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
  const headers = { Authorization: `Bearer ${session.key() ?? ''}` };
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
 * The latest checkpoint as the cell states it: parsed, its signature not checked (the ledger
 * page checks it). For sizes and display only.
 */
export async function statedCheckpoint() {
  const note = await api('GET', '/v1/ledger/checkpoint');
  return parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
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
