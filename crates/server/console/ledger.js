// The ledger page: entries with filters, and verification in this browser. The checkpoint's
// signature is checked against a verifier key the person pins here (never one the server
// hands over), each shown entry's inclusion proof against the signed root, and the new
// checkpoint's consistency with the last one this browser verified: a cell that rewrote its
// history, or a proxy that altered what it serves, fails here with the reason shown.
import { api, explain, h, needCrypto, notice, show, statedCheckpoint, when } from './api.js';
import { hex, openNote, parseCheckpoint, parseVkey, verifyConsistencyFile, verifyProofFile } from './verify.js';

const PAGE = 100;
const VERIFY_AT_MOST = 500;
const KINDS = ['register', 'collect', 'detokenize', 'lookup', 'transfer', 'consent_grant', 'consent_withdraw', 'order', 'order_enforced', 'erase', 'export', 'key_rotation', 'config_change', 'access', 'receive'];

const store = {
  vkey: () => localStorage.getItem('custodian.ledger.vkey') ?? '',
  setVkey: (v) => localStorage.setItem('custodian.ledger.vkey', v),
  // The last checkpoint verified, per verifier key: another key (or origin) never replaces it.
  last: (vkey) => JSON.parse(localStorage.getItem(`custodian.ledger.verified ${vkey}`) ?? 'null'),
  setLast: (vkey, c) => localStorage.setItem(`custodian.ledger.verified ${vkey}`, JSON.stringify(c)),
};

/** JSON with keys in one order, to compare two entries. */
function canon(v) {
  return JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
}

function input(id, label, attrs = {}) {
  return [h('label', { for: id }, label), h('input', { id, name: id, ...attrs })];
}

export async function ledger(me, main) {
  let cp = await statedCheckpoint();
  let loaded = []; // [index, entry], newest first
  let lowest = Number(cp.size);

  const [kindL, kind] = [h('label', { for: 'f-kind' }, 'Kind'), h('select', { id: 'f-kind', name: 'kind' }, h('option', { value: '' }, 'any'), KINDS.map((k) => h('option', { value: k }, k.replaceAll('_', ' '))))];
  const [decL, dec] = [h('label', { for: 'f-decision' }, 'Decision'), h('select', { id: 'f-decision', name: 'decision' }, ['', 'allow', 'deny', 'none'].map((d) => h('option', { value: d }, d || 'any')))];
  const [tenL, ten] = input('f-tenant', 'Tenant', { value: me.tenant ?? '', spellcheck: 'false' });
  const [subL, sub] = input('f-subject', 'Subject or token', { spellcheck: 'false' });
  const [fromL, from] = input('f-from', 'From (UTC)', { type: 'datetime-local' });
  const [toL, to] = input('f-to', 'To (UTC)', { type: 'datetime-local' });
  const [keyL, key] = input('vkey', 'Ledger verifier key', { value: store.vkey(), spellcheck: 'false', class: 'wide', 'aria-describedby': 'vkey-help' });
  const body = h('div', {});
  const result = h('div', { id: 'verify-result', 'aria-live': 'polite' });
  const more = h('button', { type: 'button' }, 'Load older entries');

  const utc = (v) => (v ? Date.parse(`${v}Z`) : null);
  const shown = () => {
    const f = { kind: kind.value, decision: dec.value, tenant: ten.value.trim(), sub: sub.value.trim(), from: utc(from.value), to: utc(to.value) };
    return loaded.filter(([, e]) =>
      (!f.kind || e.kind === f.kind) &&
      (!f.decision || e.decision === f.decision) &&
      (!f.tenant || e.tenant === f.tenant) &&
      (!f.sub || e.subject === f.sub || (e.tokens ?? []).includes(f.sub)) &&
      (f.from === null || e.time_ms >= f.from) &&
      (f.to === null || e.time_ms <= f.to));
  };
  const draw = () => {
    const rows = shown();
    // A verification covers the rows it checked: any redraw takes its result away.
    show(result);
    show(body, 
      h('p', { role: 'status' }, `${rows.length} of ${loaded.length} loaded entries (indexes ${lowest}–${Number(cp.size) - 1} of a ledger of ${cp.size}${me.tenant ? '; yours only' : ''}).`),
      rows.length === 0
        ? h('p', { class: 'empty' }, 'No entry matches.')
        : h('table', { id: 'entries' },
            h('thead', {}, h('tr', {}, ['#', 'Time', 'Kind', 'Decision', 'Tenant', 'Subject', 'Purpose', 'Service', 'Reason', 'Fields', 'Tokens', 'Proof'].map((x) => h('th', { scope: 'col' }, x)))),
            h('tbody', {}, rows.map(([i, e]) => h('tr', { 'data-index': i },
              h('td', {}, String(i)), h('td', {}, when(e.time_ms)), h('td', {}, e.kind), h('td', {}, e.decision), h('td', {}, e.tenant ?? ''),
              h('td', { class: 'mono' }, e.subject ?? ''), h('td', {}, e.purpose ?? ''), h('td', {}, e.service ?? ''), h('td', {}, e.reason ?? ''),
              h('td', {}, (e.fields ?? []).join(', ')), h('td', { class: 'mono' }, (e.tokens ?? []).join(', ')), h('td', { class: 'proof' }, '')))),
          ),
    );
    more.disabled = lowest === 0;
    if (more.disabled && document.activeElement === more) body.focus();
  };
  const load = async () => {
    const top = lowest;
    const from = Math.max(0, top - PAGE);
    const page = await api('GET', `/v1/ledger/entries?from=${from}&to=${top}`);
    const got = page.entries.map((r) => r.index);
    // What the listing must be: indexes inside the range asked, each once, in order; for a
    // cell-wide key every index of the range (a DPO's listing leaves other tenants out, so
    // an omission cannot be seen from it).
    const inRange = got.every((i, k) => Number.isSafeInteger(i) && i >= from && i < top && (k === 0 || i > got[k - 1]));
    if (!inRange || (!me.tenant && got.length !== top - from)) {
      throw new Error(`The cell listed entries ${from}–${top - 1} with indexes missing, repeated or out of range: the listing is not the ledger.`);
    }
    lowest = from;
    loaded = loaded.concat(page.entries.reverse().map((r) => [r.index, r.entry]));
  };
  more.addEventListener('click', async () => {
    try {
      await load();
      draw();
    } catch (e) {
      body.prepend(notice('error', explain(e)));
    }
  });
  body.setAttribute('tabindex', '-1');
  for (const el of [kind, dec, ten, sub, from, to]) el.addEventListener('input', draw);

  const button = h('button', { type: 'button', id: 'verify' }, 'Verify checkpoint and shown entries');
  const verify = async () => {
    const steps = h('ol', { class: 'steps' });
    const step = (ok, text) => steps.append(h('li', { class: ok ? 'pass' : 'fail' }, h('span', { class: 'sr' }, ok ? 'passed: ' : 'failed: '), text));
    show(result, notice('info', 'Verifying in this browser…'), steps);
    for (const cell of body.querySelectorAll('td.proof')) show(cell);
    button.disabled = true;
    try {
      needCrypto();
      const vkey = key.value.trim();
      if (!vkey) throw new Error('Give the ledger verifier key first (the line `custodian serve` prints, published by the cell\'s operator).');
      const vk = await parseVkey(vkey);
      store.setVkey(vkey);
      const opened = await openNote(await api('GET', '/v1/ledger/checkpoint'), [vk]);
      const c = parseCheckpoint(opened.text);
      // A cell's checkpoints carry its key's name as their origin: another origin under the
      // same key is another log, never a continuation of this one.
      if (c.origin !== vk.name) throw new Error(`The checkpoint's origin ${c.origin} is not the key's log (${vk.name}).`);
      step(true, `Checkpoint of ${c.origin} (${c.size} entries, root ${hex(c.root).slice(0, 16)}…) signed by ${opened.verified.join(', ')}.`);
      const last = store.last(vkey);
      if (last && BigInt(last.size) > c.size) {
        throw new Error(`The ledger is smaller (${c.size}) than when this browser last verified it (${last.size}): entries were removed.`);
      } else if (last && BigInt(last.size) > 0n) {
        const proof = await api('GET', `/v1/ledger/proofs/consistency?size1=${last.size}&size2=${c.size}`);
        await verifyConsistencyFile(proof, BigInt(last.size), Uint8Array.from(last.root), c.size, c.root);
        step(true, `Consistent with the checkpoint this browser verified before (${last.size} entries, ${when(last.at)}): nothing earlier was changed or removed.`);
      } else {
        step(true, 'First verification in this browser with this key: its checkpoint is kept to check the next one against.');
      }
      const now = store.last(vkey);
      if (!now || BigInt(now.size) <= c.size) store.setLast(vkey, { origin: c.origin, size: c.size.toString(), root: [...c.root], at: Date.now() });
      const all = shown();
      const beyond = all.find(([i]) => BigInt(i) >= c.size);
      if (beyond) throw new Error(`Entry ${beyond[0]} is listed, but the signed ledger has ${c.size} entries: it is not in the ledger.`);
      const rows = all.slice(0, VERIFY_AT_MOST);
      for (const [i, e] of rows) {
        const file = await api('GET', `/v1/ledger/proofs/inclusion?index=${i}&tree_size=${c.size}`);
        const got = await verifyProofFile(file, c.root, c.size);
        const cell = body.querySelector(`tr[data-index="${i}"] .proof`);
        if (got.index !== BigInt(i) || got.entry === null || canon(got.entry) !== canon(e)) {
          if (cell) show(cell, h('span', { class: 'fail' }, '✗ differs'));
          throw new Error(got.index !== BigInt(i)
            ? `The proof asked for entry ${i} is a proof of entry ${got.index}: the listing was altered.`
            : `Entry ${i} as listed differs from the entry its inclusion proof carries: the listing was altered.`);
        }
        if (cell) show(cell, h('span', { class: 'pass', title: 'in the signed tree' }, '✓'));
      }
      for (const [i] of all.slice(VERIFY_AT_MOST)) {
        const cell = body.querySelector(`tr[data-index="${i}"] .proof`);
        if (cell) show(cell, h('span', { title: 'not checked' }, '—'));
      }
      const n = rows.length;
      step(true, n === all.length
        ? `All ${n} shown entr${n === 1 ? 'y is' : 'ies are'} in the signed tree, each as listed.`
        : `The first ${n} of ${all.length} shown entries are in the signed tree, each as listed; the rest (marked —) were not checked: narrow the filter.`);
      step(true, me.tenant
        ? 'Your key sees its tenant\'s entries only, so an entry left out of the listing cannot be seen from here (the regulator\'s view can).'
        : 'The listing has every index of the loaded range: no entry was left out.');
      cp = c;
      result.querySelector('.notice.info')?.remove();
      result.prepend(notice('ok', h('strong', {}, 'Verified'), ' in this browser with WebCrypto, against the key you gave.'));
    } catch (e) {
      step(false, explain(e));
      result.querySelector('.notice.info')?.remove();
      result.prepend(notice('error', h('strong', {}, 'Verification failed'), ` — ${explain(e)}`));
    } finally {
      button.disabled = false;
    }
  };
  button.addEventListener('click', verify);

  await load();
  show(main, 
    h('h1', {}, 'Ledger'),
    h('section', { class: 'card', 'aria-labelledby': 'verify-title' },
      h('h2', { id: 'verify-title' }, 'Verify in this browser'),
      h('div', { class: 'row' }, keyL, key),
      h('p', { id: 'vkey-help', class: 'help' }, 'The cell\'s ledger verifier key as its operator published it (', h('code', {}, 'custodian serve'), ' prints it at start). It is kept in this browser; the cell is never asked for it.'),
      h('div', { class: 'actions' }, button),
      result),
    h('section', { class: 'card', 'aria-labelledby': 'entries-title' },
      h('h2', { id: 'entries-title' }, 'Entries'),
      h('div', { class: 'filters' }, h('div', {}, kindL, kind), h('div', {}, decL, dec), h('div', {}, tenL, ten), h('div', {}, subL, sub), h('div', {}, fromL, from), h('div', {}, toL, to)),
      body,
      h('div', { class: 'actions' }, more)),
  );
  draw();
}
