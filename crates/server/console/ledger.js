// The ledger page: entries with filters, and verification in this browser. The checkpoint's
// signature is checked against a verifier key the person pins here (never one the server
// hands over), each shown entry's inclusion proof against the signed root, and the new
// checkpoint's consistency with the last one this browser verified: a cell that rewrote its
// history, or a proxy that altered what it serves, fails here with the reason shown.
import { api, explain, h, needCrypto, notice, show, when } from './api.js';
import { hex, openNote, parseCheckpoint, parseVkey, verifyConsistencyFile, verifyProofFile } from './verify.js';

const PAGE = 100;
const VERIFY_AT_MOST = 300;
const KINDS = ['register', 'collect', 'detokenize', 'lookup', 'transfer', 'consent_grant', 'consent_withdraw', 'order', 'order_enforced', 'erase', 'export', 'key_rotation', 'config_change', 'access', 'receive'];

const store = {
  vkey: () => localStorage.getItem('custodian.ledger.vkey') ?? '',
  setVkey: (v) => localStorage.setItem('custodian.ledger.vkey', v),
  last: () => JSON.parse(localStorage.getItem('custodian.ledger.verified') ?? 'null'),
  setLast: (c) => localStorage.setItem('custodian.ledger.verified', JSON.stringify(c)),
};

/** JSON with keys in one order, to compare two entries. */
function canon(v) {
  return JSON.stringify(v, (_, x) => (x && typeof x === 'object' && !Array.isArray(x) ? Object.fromEntries(Object.entries(x).sort()) : x));
}

function input(id, label, attrs = {}) {
  return [h('label', { for: id }, label), h('input', { id, name: id, ...attrs })];
}

export async function ledger(me, main) {
  const note = await api('GET', '/v1/ledger/checkpoint');
  let cp = parseCheckpoint(note.slice(0, note.indexOf('\n\n') + 1));
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
    show(body, 
      h('p', {}, `${rows.length} of ${loaded.length} loaded entries (indexes ${lowest}–${Number(cp.size) - 1} of a ledger of ${cp.size}; a DPO sees its tenant's only).`),
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
  };
  const load = async () => {
    const top = lowest;
    lowest = Math.max(0, top - PAGE);
    const page = await api('GET', `/v1/ledger/entries?from=${lowest}&to=${top}`);
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
  for (const el of [kind, dec, ten, sub, from, to]) el.addEventListener('input', draw);

  const verify = async () => {
    const steps = h('ol', { class: 'steps' });
    const step = (ok, text) => steps.append(h('li', { class: ok ? 'pass' : 'fail' }, h('span', { class: 'sr' }, ok ? 'passed: ' : 'failed: '), text));
    show(result, notice('info', 'Verifying in this browser…'), steps);
    try {
      needCrypto();
      if (!key.value.trim()) throw new Error('Give the ledger verifier key first (the line `custodian serve` prints, published by the cell\'s operator).');
      const vk = await parseVkey(key.value.trim());
      store.setVkey(key.value.trim());
      const fresh = await api('GET', '/v1/ledger/checkpoint');
      const opened = await openNote(fresh, [vk]);
      const c = parseCheckpoint(opened.text);
      step(true, `Checkpoint of ${c.origin} (${c.size} entries, root ${hex(c.root).slice(0, 16)}…) signed by ${opened.verified.join(', ')}.`);
      const last = store.last();
      if (last && last.origin === c.origin && BigInt(last.size) > 0n && BigInt(last.size) <= c.size) {
        const proof = await api('GET', `/v1/ledger/proofs/consistency?size1=${last.size}&size2=${c.size}`);
        await verifyConsistencyFile(proof, BigInt(last.size), Uint8Array.from(last.root), c.size, c.root);
        step(true, `Consistent with the checkpoint this browser verified before (${last.size} entries, ${when(last.at)}): nothing earlier was changed or removed.`);
      } else if (last && last.origin === c.origin && BigInt(last.size) > c.size) {
        throw new Error(`The ledger is smaller (${c.size}) than when this browser last verified it (${last.size}): entries were removed.`);
      } else {
        step(true, 'First verification in this browser: its checkpoint is kept to check the next one against.');
      }
      store.setLast({ origin: c.origin, size: c.size.toString(), root: [...c.root], at: Date.now() });
      const rows = shown().filter(([i]) => BigInt(i) < c.size).slice(0, VERIFY_AT_MOST);
      let n = 0;
      for (const [i, e] of rows) {
        const file = await api('GET', `/v1/ledger/proofs/inclusion?index=${i}&tree_size=${c.size}`);
        const got = await verifyProofFile(file, c.root, c.size);
        const cell = body.querySelector(`tr[data-index="${i}"] .proof`);
        if (canon(got.entry) !== canon(e)) {
          if (cell) show(cell, h('span', { class: 'fail' }, '✗ differs'));
          throw new Error(`Entry ${i} as listed differs from the entry its inclusion proof carries: the listing was altered.`);
        }
        if (cell) show(cell, h('span', { class: 'pass', title: 'in the signed tree' }, '✓'));
        n += 1;
      }
      step(true, `${n} shown entr${n === 1 ? 'y is' : 'ies are'} in the signed tree, each as listed${rows.length < shown().length ? ` (the first ${VERIFY_AT_MOST} shown)` : ''}.`);
      cp = c;
      result.prepend(notice('ok', h('strong', {}, 'Verified'), ' in this browser with WebCrypto, against the key you gave.'));
      result.querySelector('.notice.info')?.remove();
    } catch (e) {
      step(false, explain(e));
      result.querySelector('.notice.info')?.remove();
      result.prepend(notice('error', h('strong', {}, 'Verification failed'), ` — ${explain(e)}`));
    }
  };

  await load();
  show(main, 
    h('h1', {}, 'Ledger'),
    h('section', { class: 'card', 'aria-labelledby': 'verify-title' },
      h('h2', { id: 'verify-title' }, 'Verify in this browser'),
      h('div', { class: 'row' }, keyL, key),
      h('p', { id: 'vkey-help', class: 'help' }, 'The cell\'s ledger verifier key as its operator published it (', h('code', {}, 'custodian serve'), ' prints it at start). It is kept in this browser; the cell is never asked for it.'),
      h('div', { class: 'actions' }, h('button', { type: 'button', id: 'verify', onclick: verify }, 'Verify checkpoint and shown entries')),
      result),
    h('section', { class: 'card', 'aria-labelledby': 'entries-title' },
      h('h2', { id: 'entries-title' }, 'Entries'),
      h('div', { class: 'filters' }, h('div', {}, kindL, kind), h('div', {}, decL, dec), h('div', {}, tenL, ten), h('div', {}, subL, sub), h('div', {}, fromL, from), h('div', {}, toL, to)),
      body,
      h('div', { class: 'actions' }, more)),
  );
  draw();
}
