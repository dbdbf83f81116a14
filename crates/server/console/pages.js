// The console's pages other than the ledger's. Each reads only what the key's role may read
// through the API, and renders it with DOM nodes (see api.js).
import { api, explain, h, notice, show, statedCheckpoint, table, when } from './api.js';
import { hex } from './verify.js';

/** The tenants the caller sees: all for cell-wide keys, its own for a DPO. */
async function tenantIds(me) {
  if (me.tenant) return [me.tenant];
  return (await api('GET', '/v1/tenants')).map((t) => t.id);
}

const canReport = (me) => me.role === 'dpo' || me.role === 'regulator';

function status(s) {
  return h('span', { class: `badge ${s.replaceAll('_', '-')}` }, s.replaceAll('_', ' '));
}

function section(title, ...body) {
  const id = `s-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id }, title), ...body);
}

function figure(label, value, note) {
  return h('div', { class: 'figure' }, h('span', { class: 'value' }, String(value)), h('span', { class: 'label' }, label), note ? h('span', { class: 'note' }, note) : null);
}

// ---------------------------------------------------------------------------------- overview

export async function overview(me, main) {
  const ids = await tenantIds(me);
  const [orders, requests, c] = await Promise.all([
    api('GET', '/v1/orders'),
    api('GET', '/v1/requests'),
    statedCheckpoint(),
  ]);
  const inForce = orders.orders.filter((o) => o.status === 'in_force');
  const open = requests.filter((r) => r.status === 'open');
  const overdue = requests.filter((r) => r.overdue);
  const counts = await Promise.all(ids.map((t) => api('GET', `/v1/transfers/counts?tenant=${encodeURIComponent(t)}`)));
  const reports = canReport(me) ? await Promise.all(ids.map((t) => api('GET', `/v1/reports/${encodeURIComponent(t)}`))) : [];

  show(main, 
    h('h1', {}, 'Overview'),
    h(
      'div',
      { class: 'figures' },
      me.tenant && reports.length
        ? figure('live subjects', reports[0].subjects.live, reports[0].subjects.erased ? `${reports[0].subjects.erased} erased` : null)
        : figure('tenants', ids.length),
      figure('orders in force', inForce.length),
      figure('open requests', open.length),
      figure('overdue requests', overdue.length, overdue.length ? 'past the legal deadline' : null),
      figure('ledger entries', c.size.toString()),
    ),
    section(
      'Orders in force',
      table(null, ['Order', 'Kind', 'Targets', 'Issuer', 'Since'], inForce.map((o) => [
        h('a', { href: `#/orders/${encodeURIComponent(o.order.id)}` }, o.order.id),
        o.order.kind.type.replaceAll('_', ' '),
        (o.order.targets ?? []).join(', ') || 'every tenant',
        o.order.issuer,
        when(o.order.effective_from),
      ]), 'No order is in force.'),
    ),
    section(
      'Requests',
      table(null, ['Request', 'Tenant', 'Kind', 'Received', 'Due', 'Status'], open.map((r) => [
        r.id,
        r.tenant,
        r.kind,
        when(r.received_at),
        when(r.deadline),
        r.overdue ? status('overdue') : status(r.status),
      ]), 'No request is open.'),
    ),
    section(
      'Transfers abroad this year',
      table(null, ['Tenant', 'Organisation', 'General PI (persons)', 'Sensitive PI (persons)', 'Thresholds'], counts.map((k, i) => [
        ids[i],
        k.organisation,
        meter(k.general, k.thresholds.general_needs_contract_from, 'standard contract'),
        meter(k.sensitive, k.thresholds.sensitive_needs_assessment_from, 'security assessment'),
        `contract from ${k.thresholds.general_needs_contract_from.toLocaleString('en')}, assessment from ${k.thresholds.general_needs_assessment_from.toLocaleString('en')} (sensitive ${k.thresholds.sensitive_needs_assessment_from.toLocaleString('en')})`,
      ])),
    ),
    reports.length
      ? section(
          'Subjects, and the PI each tenant declares',
          table(null, ['Tenant', 'App type', 'Live subjects', 'Erased', 'Minors', 'Fields by type', 'Sensitive categories'], reports.map((r) => [
            h('a', { href: `#/tenants/${encodeURIComponent(r.tenant)}` }, r.tenant),
            r.app_type,
            r.subjects.live,
            r.subjects.erased,
            r.subjects.minors,
            tally(r.inventory.fields.map((f) => f.pi_type)),
            tally(r.inventory.fields.filter((f) => f.category).map((f) => f.category)) || 'none',
          ])),
        )
      : null,
    section(
      'Latest checkpoint',
      h('dl', {}, h('dt', {}, 'Origin'), h('dd', {}, c.origin), h('dt', {}, 'Tree size'), h('dd', {}, c.size.toString()), h('dt', {}, 'Root'), h('dd', { class: 'mono' }, hex(c.root))),
      h('p', {}, 'As the cell states it. ', h('a', { href: '#/ledger' }, 'Verify it in this browser'), ' against a verifier key you hold.'),
    ),
  );
}

function meter(n, limit, what) {
  const pct = Math.min(100, (100 * n) / limit);
  return h('span', {}, `${n.toLocaleString('en')} `, h('meter', { min: 0, max: limit, value: n, 'aria-label': `${n} of ${limit} before a ${what}` }), ` ${pct.toFixed(pct < 1 ? 2 : 0)}% of the ${what} threshold`);
}

function tally(list) {
  const m = new Map();
  for (const x of list) m.set(x, (m.get(x) ?? 0) + 1);
  return [...m].map(([k, n]) => (n > 1 ? `${k} ×${n}` : k)).join(', ');
}

// ----------------------------------------------------------------------------------- tenants

export async function tenants(me, main) {
  if (me.tenant) return tenantPage(me, main, me.tenant);
  const list = await api('GET', '/v1/tenants');
  show(main, 
    h('h1', {}, 'Tenants'),
    table(null, ['Tenant', 'App type', 'Scope'], list.map((t) => [
      h('a', { href: `#/tenants/${encodeURIComponent(t.id)}` }, t.id),
      t.app_type,
      t.self_declared ? 'self-declared app type' : 'listed in the 2021 Necessary-PI Provisions',
    ]), 'No tenant yet: an administrator loads a manifest to create one.'),
    me.role === 'admin' ? manifestUpload(me, null) : null,
  );
}

export async function tenantPage(me, main, id) {
  const src = await api('GET', `/v1/tenants/${encodeURIComponent(id)}/manifest`);
  const check = await api('POST', '/v1/manifests/check', { text: src });
  const report = canReport(me) ? await api('GET', `/v1/reports/${encodeURIComponent(id)}`) : null;
  show(main, 
    h('h1', {}, `Tenant ${id}`),
    h('p', {}, `App type ${check.app_type ?? '—'}.`),
    section('Fields against the necessary scope', fieldTable(check)),
    section('Checker notes', problemList(check.problems, 'The checker has nothing to say about this manifest.')),
    report ? section('Obligations', obligations(report)) : null,
    section('Manifest', sourceView(src, check.problems)),
    me.role === 'admin' ? manifestUpload(me, id) : null,
  );
}

function fieldTable(check) {
  return table(null, ['Field', 'Type', 'Purposes', 'Necessary PI', 'Sensitive', 'Kept (days)'], check.fields.map((f) => [
    h('code', {}, f.name),
    f.pi_type,
    f.purposes.join(', '),
    f.necessary ? h('span', { class: 'ok' }, `✓ ${f.necessary}`) : h('span', { class: 'warn' }, '✗ beyond the necessary scope: only with consent'),
    f.sensitive ? 'yes' : 'no',
    f.retention_days,
  ]));
}

function problemList(problems, empty) {
  if (problems.length === 0) return h('p', { class: 'empty' }, empty);
  return h('ul', { class: 'problems' }, problems.map((p) => h('li', { class: p.severity }, h('strong', {}, p.severity), ` line ${p.line}: ${p.message} `, h('code', {}, p.rule))));
}

function obligations(r) {
  const rows = [...r.pia_triggers, ...r.scale];
  return table(null, ['Obligation', 'Source', 'Status', 'Evidence'], rows.map((o) => [o.obligation, o.source, status(o.status), o.evidence]));
}

function sourceView(src, problems) {
  const at = new Map();
  for (const p of problems) at.set(p.line, [...(at.get(p.line) ?? []), p]);
  const lines = src.split('\n');
  return h('ol', { class: 'source', tabindex: 0, 'aria-label': 'Manifest source' }, lines.map((l, i) => h('li', { class: at.has(i + 1) ? 'flagged' : null }, h('code', {}, l || ' '), (at.get(i + 1) ?? []).map((p) => h('span', { class: `inline ${p.severity}` }, `${p.severity}: ${p.message}`)))));
}

function manifestUpload(me, id) {
  const tenant = h('input', { id: 'm-tenant', name: 'tenant', value: id ?? '', required: true, pattern: '[a-z0-9_-]{1,64}' });
  const file = h('input', { id: 'm-file', name: 'file', type: 'file', accept: '.toml,text/plain' });
  const text = h('textarea', { id: 'm-text', name: 'text', rows: 10, spellcheck: 'false' });
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  const apply = h('button', { type: 'button', disabled: true }, 'Apply manifest');
  let checked = null; // { tenant, text } the checker passed: Apply sends exactly that
  const changed = () => {
    checked = null;
    apply.disabled = true;
  };
  text.addEventListener('input', changed);
  tenant.addEventListener('input', changed);
  file.addEventListener('change', async () => {
    if (file.files[0]) text.value = await file.files[0].text();
    changed();
  });
  const checkBtn = h('button', {
    type: 'button',
    onclick: async () => {
      apply.disabled = true;
      show(out, notice('info', 'Checking…'));
      try {
        const sent = text.value;
        const c = await api('POST', '/v1/manifests/check', { text: sent });
        show(out, 
          c.ok ? notice('ok', `It loads: app type ${c.app_type}, ${c.fields.length} fields.`) : notice('error', `It does not load: ${c.problems.filter((p) => p.severity === 'error').length} error(s).`),
          problemList(c.problems, 'No problem found.'),
          c.ok ? fieldTable(c) : sourceView(text.value, c.problems),
        );
        checked = c.ok ? { tenant: tenant.value, text: sent } : null;
        apply.disabled = !c.ok;
      } catch (e) {
        show(out, notice('error', explain(e)));
      }
    },
  }, 'Check');
  apply.addEventListener('click', async () => {
    if (!checked) return;
    const { tenant: t, text: src } = checked;
    if (!confirm(`Apply this manifest to tenant ${t}? Its fields, purposes and services replace the current ones.`)) return;
    try {
      const r = await api('PUT', `/v1/tenants/${encodeURIComponent(t)}/manifest`, { text: src });
      show(out, notice('ok', `Applied to ${t}.`), problemList(r.notes, ''));
    } catch (e) {
      show(out, notice('error', explain(e)));
    }
  });
  return section(
    id ? 'Replace the manifest' : 'New tenant',
    h('p', { class: 'help' }, 'The checker runs first; a manifest is applied only once it loads.'),
    h('div', { class: 'row' }, h('label', { for: 'm-tenant' }, 'Tenant'), tenant),
    h('div', { class: 'row' }, h('label', { for: 'm-file' }, 'Manifest file (TOML)'), file),
    h('label', { for: 'm-text' }, 'Or paste it'),
    text,
    h('div', { class: 'actions' }, checkBtn, apply),
    out,
  );
}

// ------------------------------------------------------------------------------------ orders

export async function orders(me, main) {
  const list = (await api('GET', '/v1/orders')).orders;
  show(main, 
    h('h1', {}, 'Orders'),
    table(null, ['Order', 'Kind', 'Targets', 'Issuer', 'Effective', 'Status'], list.map((o) => [
      h('a', { href: `#/orders/${encodeURIComponent(o.order.id)}` }, o.order.id),
      o.order.kind.type.replaceAll('_', ' '),
      (o.order.targets ?? []).join(', ') || 'every tenant',
      o.order.issuer,
      when(o.order.effective_from),
      status(o.status),
    ]), 'No order has been submitted to this cell.'),
    me.role === 'regulator' ? submitOrder() : null,
  );
}

function submitOrder() {
  const file = h('input', { id: 'o-file', name: 'file', type: 'file', accept: '.note,text/plain' });
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  return section(
    'Submit a signed order',
    h('p', { class: 'help' }, 'A note signed with ', h('code', {}, 'custodian order sign'), '. The key never comes to the browser: the cell checks the signature against the regulator keys it trusts.'),
    h('div', { class: 'row' }, h('label', { for: 'o-file' }, 'Signed order (.note)'), file),
    h('div', { class: 'actions' }, h('button', {
      type: 'button',
      onclick: async () => {
        if (!file.files[0]) {
          show(out, notice('error', 'Choose the signed order file first.'));
          return;
        }
        show(out, notice('info', 'Submitting…'));
        try {
          const r = await api('POST', '/v1/orders', { text: await file.files[0].text() });
          show(out, notice('ok', 'Order ', h('a', { href: `#/orders/${encodeURIComponent(r.order.id)}` }, r.order.id), ` accepted: ${r.order.kind.type.replaceAll('_', ' ')} of ${(r.order.targets ?? []).join(', ') || 'every tenant'}.`));
        } catch (e) {
          show(out, notice('error', explain(e)));
        }
      },
    }, 'Submit order')),
    out,
  );
}

export async function orderPage(me, main, id) {
  const o = await api('GET', `/v1/orders/${encodeURIComponent(id)}`);
  const history = await entriesWhere((e) => e.order === id);
  show(main, 
    h('h1', {}, `Order ${id}`),
    h('p', {}, status(o.status)),
    section('Order', h('dl', {}, Object.entries(o.order).flatMap(([k, v]) => [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, typeof v === 'object' ? JSON.stringify(v) : k.endsWith('_from') || k.endsWith('_at') ? when(v) : String(v))]))),
    section('Signed by', h('ul', {}, (o.signed_by ?? []).map((k) => h('li', { class: 'mono' }, k)))),
    section('Signed note', h('pre', { class: 'note' }, o.note)),
    section('Status over time', table(null, ['Entry', 'Time', 'Kind', 'Decision', 'Tenant', 'Reason'], history.map(([i, e]) => [String(i), when(e.time_ms), e.kind, e.decision, e.tenant ?? '—', e.reason ?? '—']), 'The ledger names this order nowhere the key may read.')),
  );
}

/** Entries (index, entry) of the ledger the key may read that `keep` accepts, newest first. */
export async function entriesWhere(keep, limit = 200) {
  const out = [];
  const n = Number((await statedCheckpoint()).size);
  for (let to = n; to > 0 && out.length < limit; to -= 10000) {
    const from = Math.max(0, to - 10000);
    const page = await api('GET', `/v1/ledger/entries?from=${from}&to=${to}`);
    for (const r of page.entries.reverse()) if (keep(r.entry)) out.push([r.index, r.entry]);
  }
  return out.slice(0, limit);
}

// ---------------------------------------------------------------------------------- subjects

export async function subjects(me, main) {
  const q = h('input', { id: 'q', name: 'q', required: true, spellcheck: 'false', placeholder: 'sub_… or a token' });
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  show(main, 
    h('h1', {}, 'Subjects'),
    h('form', {
      class: 'card',
      onsubmit: async (ev) => {
        ev.preventDefault();
        const v = q.value.trim();
        if (v.startsWith('sub_')) {
          location.hash = `#/subjects/${encodeURIComponent(v)}`;
          return;
        }
        show(out, notice('info', 'Looking the token up in the ledger…'));
        try {
          const hit = await entriesWhere((e) => e.subject && (e.tokens ?? []).includes(v), 1);
          if (hit.length) location.hash = `#/subjects/${encodeURIComponent(hit[0][1].subject)}`;
          else show(out, notice('error', 'No entry of this tenant carries that token.'));
        } catch (e) {
          show(out, notice('error', explain(e)));
        }
      },
    },
    h('label', { for: 'q' }, 'Subject id or token'),
    h('div', { class: 'row' }, q, h('button', { type: 'submit' }, 'Find')),
    h('p', { class: 'help' }, 'A token is found through the ledger entries that carry it. Looking a subject up by a value (its blind index) is a service\'s call: the console never takes a value.'),
    out),
  );
  q.focus();
}

export async function subjectPage(me, main, id) {
  const { consents } = await api('GET', `/v1/subjects/${encodeURIComponent(id)}/consents`);
  const history = await entriesWhere((e) => e.subject === id);
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  const buttons = [
    h('button', { type: 'button', onclick: () => serve(id, 'copy', out, buttons) }, 'Copy of their data'),
    h('button', { type: 'button', class: 'danger', onclick: () => serve(id, 'erasure', out, buttons) }, 'Erase'),
  ];
  show(main,
    h('h1', {}, `Subject ${id}`),
    section('Consents', table(null, ['Purpose', 'Notice', 'Granted', 'Withdrawn', 'Separate', 'By guardian'], consents.map((c) => [c.purpose, c.notice_version, when(c.granted_at), c.withdrawn_at ? when(c.withdrawn_at) : '—', c.separate ? 'yes' : 'no', c.by_guardian ? 'yes' : 'no']), 'No consent recorded.')),
    section('Serve a request',
      h('p', { class: 'help' }, 'Each is recorded as a request and answered at once; the ledger keeps both.'),
      h('div', { class: 'actions' }, buttons),
      out),
    section('Ledger history', table(null, ['Entry', 'Time', 'Kind', 'Decision', 'Purpose', 'Service', 'Reason', 'Fields'], history.map(([i, e]) => [String(i), when(e.time_ms), e.kind, e.decision, e.purpose ?? '—', e.service ?? '—', e.reason ?? '—', (e.fields ?? []).join(', ')]), 'No entry names this subject.')),
  );
}

async function serve(id, kind, out, buttons) {
  const sure = kind === 'erasure'
    ? confirm(`Erase subject ${id}? Their data key is destroyed: no value can be read again, by anyone. This cannot be undone.`)
    : confirm(`Export a copy of subject ${id}'s data? The values are shown in clear on this page.`);
  if (!sure) return;
  for (const b of buttons) b.disabled = true;
  show(out, notice('info', 'Working…'));
  let req = null;
  let done = null;
  try {
    req = await api('POST', '/v1/requests', { json: { subject: id, kind } });
    done = kind === 'erasure'
      ? await api('DELETE', `/v1/subjects/${encodeURIComponent(id)}`)
      : await api('GET', `/v1/subjects/${encodeURIComponent(id)}/export`);
  } catch (e) {
    // The request is answered either way: refused, with the API's code as its reason.
    let closed = '';
    if (req) {
      try {
        await api('POST', `/v1/requests/${encodeURIComponent(req.id)}/close`, { json: { outcome: 'refused', reason: e.code ?? 'failed' } });
        closed = ` Request ${req.id} closed as refused (${e.code}).`;
      } catch (e2) {
        closed = ` Request ${req.id} is still open: closing it failed (${explain(e2)}).`;
      }
    }
    show(out, notice('error', `${explain(e)}.${closed}`));
    for (const b of buttons) b.disabled = false;
    return;
  }
  let closed = `Request ${req.id} closed.`;
  try {
    await api('POST', `/v1/requests/${encodeURIComponent(req.id)}/close`, { json: { outcome: 'completed' } });
  } catch (e) {
    closed = `Request ${req.id} is still open: closing it failed (${explain(e)}); close it once that is mended.`;
  }
  if (kind === 'erasure') {
    show(out, notice('ok', `Erased. ${closed} The erasure is ledger entry ${done.index}, in the signed checkpoint below.`), h('pre', { class: 'note' }, done.checkpoint));
  } else {
    show(out,
      notice('ok', `Copy made. ${closed}`),
      table('Values', ['Field', 'Type', 'Token', 'Value', 'Purpose', 'Collected', 'Uses'], done.values.map((v) => [v.field, v.pi_type, h('code', {}, v.token), h('span', { class: 'clear' }, v.value), v.purpose, when(v.collected_at), String(v.uses.length)])),
      h('button', { type: 'button', onclick: () => download(`${id}.json`, JSON.stringify(done, null, 2)) }, 'Save as JSON'),
    );
    for (const b of buttons) b.disabled = false;
  }
}

function download(name, text) {
  const a = h('a', { href: URL.createObjectURL(new Blob([text], { type: 'application/json' })), download: name });
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 60000);
}

// ---------------------------------------------------------------------------------- findings

export async function findings(me, main) {
  const text = h('textarea', { id: 'f-text', name: 'text', rows: 8, spellcheck: 'false' });
  const file = h('input', { id: 'f-file', name: 'file', type: 'file', accept: '.txt,.csv,.json,.log,text/*,application/json' });
  const out = h('div', { class: 'result', 'aria-live': 'polite' });
  file.addEventListener('change', async () => {
    if (file.files[0]) text.value = await file.files[0].text();
  });
  show(main, 
    h('h1', {}, 'Findings'),
    h('form', {
      class: 'card',
      onsubmit: async (ev) => {
        ev.preventDefault();
        show(out, notice('info', 'Scanning…'));
        try {
          show(out, await scanned(text.value));
        } catch (e) {
          show(out, notice('error', explain(e)));
        }
      },
    },
    h('p', { class: 'help' }, 'The cell scans what you give it and keeps nothing. Found PI is shown masked, never as it was.'),
    h('div', { class: 'row' }, h('label', { for: 'f-file' }, 'A text, CSV or JSON file'), file),
    h('label', { for: 'f-text' }, 'Or paste text'),
    text,
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, 'Scan')),
    out),
    me.role === 'regulator' ? await inspectForm() : null,
  );
}

/** The regulator's inspection of captured traffic against a tenant's manifest. */
async function inspectForm() {
  const list = await api('GET', '/v1/tenants');
  const tenant = h('select', { id: 'i-tenant', name: 'tenant' }, list.map((t) => h('option', { value: t.id }, `${t.id} (${t.app_type})`)));
  const file = h('input', { id: 'i-file', name: 'file', type: 'file', accept: '.har,.json,.ndjson,.jsonl' });
  const out = h('div', { id: 'inspect-result', class: 'result', 'aria-live': 'polite' });
  const run = async () => {
    const f = file.files[0];
    if (!f) {
      show(out, notice('error', 'Choose a capture file first.'));
      return;
    }
    show(out, notice('info', 'Inspecting…'));
    try {
      const type = /\.(ndjson|jsonl)$/i.test(f.name) ? 'application/x-ndjson' : 'application/json';
      const r = await api('POST', `/v1/inspect?tenant=${encodeURIComponent(tenant.value)}`, { raw: await f.arrayBuffer(), type });
      show(out, inspected(r));
    } catch (e) {
      show(out, notice('error', explain(e)));
    }
  };
  return section(
    'Inspect a capture',
    h('p', { class: 'help' }, 'A HAR file or an NDJSON request log of the app, judged against the app type\'s necessary scope and the tenant\'s manifest. Values are shown masked.'),
    h('div', { class: 'row' }, h('label', { for: 'i-tenant' }, 'Tenant'), tenant, h('label', { for: 'i-file' }, 'Capture'), file),
    h('div', { class: 'actions' }, h('button', { type: 'button', onclick: run }, 'Inspect')),
    out,
  );
}

function inspected(r) {
  const rows = r.endpoints.flatMap((e) => e.fields.map((f) => [
    h('code', {}, `${e.method} ${e.host}${e.template}`),
    `${f.location} ${f.name}`,
    f.pi_type,
    h('mark', {}, f.example),
    f.verdicts.map((v) => v.replaceAll('_', ' ')).join(', '),
    status(f.severity),
  ]));
  return h('div', {},
    notice(r.summary.by_severity.high ? 'error' : 'ok', `${r.exchanges} exchanges, ${r.summary.endpoints} endpoints, ${r.summary.fields} fields with PI: ${Object.entries(r.summary.by_verdict).map(([k, n]) => `${k.replaceAll('_', ' ')} ${n}`).join(', ') || 'none'}.`),
    h('p', {}, r.consent ? `Consent call: ${r.consent.call} (exchange ${r.consent.exchange}).` : 'No consent call seen.', ` First-party hosts: ${r.first_party_hosts.join(', ')}${r.first_party_inferred ? ' (inferred)' : ''}.`),
    table(null, ['Endpoint', 'Field', 'Type', 'Example (masked)', 'Verdicts', 'Severity'], rows, 'No PI found in the capture.'));
}

async function scanned(src) {
  let body = { text: src };
  try {
    const v = JSON.parse(src);
    if (v && typeof v === 'object') body = { json: v };
  } catch {
    // not JSON: scanned as text
  }
  const r = await api('POST', '/v1/scan', { json: body });
  const list = r.findings;
  const summary = h('p', {}, `${list.length} finding(s)${list.length ? `: ${tally(list.map((f) => f.type))}` : ''}.`);
  if (body.json) {
    return h('div', {}, summary, table(null, ['Where', 'Type', 'Masked', 'Score'], list.map((f) => [h('code', {}, f.pointer), f.type, h('mark', {}, f.masked), f.score.toFixed(2)])));
  }
  // The text with every finding replaced by its masked form, marked (offsets are characters).
  const chars = [...src];
  const parts = [];
  let at = 0;
  for (const f of [...list].sort((a, b) => a.start - b.start)) {
    if (f.start < at) continue;
    parts.push(chars.slice(at, f.start).join(''), h('mark', { title: f.type }, f.masked, h('span', { class: 'sr' }, ` (${f.type})`)));
    at = f.end;
  }
  parts.push(chars.slice(at).join(''));
  return h('div', {}, summary, h('pre', { class: 'masked', 'aria-label': 'The text, masked' }, parts), table(null, ['Type', 'Characters', 'Masked', 'Score'], list.map((f) => [f.type, `${f.start}–${f.end}`, f.masked, f.score.toFixed(2)])));
}

