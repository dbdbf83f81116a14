// The console's shell: sign-in, the navigation a key's role allows, and the hash router.
import { api, explain, h, notice, session, show } from './api.js';
import { findings, orderPage, orders, overview, subjectPage, subjects, tenantPage, tenants } from './pages.js';
import { ledger } from './ledger.js';

// The pages each role sees: the API decides what a key may do; the console only leaves out
// the pages whose every call the role would be refused.
const PAGES = {
  admin: ['overview', 'tenants', 'orders', 'ledger', 'findings'],
  regulator: ['overview', 'tenants', 'orders', 'ledger', 'findings'],
  dpo: ['overview', 'tenants', 'subjects', 'orders', 'ledger', 'findings'],
};
const TITLES = {
  overview: 'Overview',
  tenants: 'Tenants',
  subjects: 'Subjects',
  orders: 'Orders',
  ledger: 'Ledger',
  findings: 'Findings',
};
const ROUTES = {
  overview: (me, main) => overview(me, main),
  tenants: (me, main, id) => (id ? tenantPage(me, main, id) : tenants(me, main)),
  subjects: (me, main, id) => (id ? subjectPage(me, main, id) : subjects(me, main)),
  orders: (me, main, id) => (id ? orderPage(me, main, id) : orders(me, main)),
  ledger: (me, main) => ledger(me, main),
  findings: (me, main) => findings(me, main),
};

let me = null;
let generation = 0;

async function signIn(key) {
  if (!window.isSecureContext) {
    throw new Error('This page is not in a secure context: the key would cross the network in clear. Reach the cell over HTTPS, or on this machine (localhost).');
  }
  session.set(key.trim());
  try {
    const who = await api('GET', '/v1/session');
    if (!PAGES[who.role]) {
      session.clear();
      throw new Error(`A ${who.role} key has no console: services call the API directly.`);
    }
    me = who;
  } catch (e) {
    session.clear();
    throw e;
  }
}

function signOut(why) {
  session.clear();
  me = null;
  if (location.hash !== '#/') history.replaceState(null, '', '#/');
  render(why);
}

function signInPage(main, problem) {
  const input = h('input', {
    id: 'key',
    name: 'key',
    type: 'password',
    autocomplete: 'off',
    spellcheck: 'false',
    required: true,
    'aria-describedby': 'key-help',
  });
  const out = h('div', { id: 'signin-result' }, problem ? notice('error', problem) : null);
  const form = h(
    'form',
    {
      class: 'card narrow',
      'aria-labelledby': 'signin-title',
      onsubmit: async (ev) => {
        ev.preventDefault();
        show(out, notice('info', 'Signing in…'));
        try {
          await signIn(input.value);
          if (!location.hash || location.hash === '#/') location.hash = '#/overview';
          render();
        } catch (e) {
          show(out, notice('error', explain(e)));
          input.focus();
        }
      },
    },
    h('h1', { id: 'signin-title' }, 'Sign in'),
    h('label', { for: 'key' }, 'API key'),
    input,
    h(
      'p',
      { id: 'key-help', class: 'help' },
      'An administrator, DPO or regulator key (cst_…). It is kept in this tab only and sent to this cell alone.',
    ),
    h(
      'p',
      { class: 'help' },
      'Regulators: the console never asks for the key that signs your orders. Its code comes from the cell, and that key must never meet code the operator serves: sign orders on your own machine (custodian order sign) and submit the signed file here.',
    ),
    h('button', { type: 'submit' }, 'Sign in'),
    out,
  );
  show(main, form);
  input.focus();
}

function nav(current) {
  const el = document.getElementById('nav');
  const who = document.getElementById('who');
  if (!me) {
    show(el);
    show(who);
    return;
  }
  show(el, 
    h(
      'ul',
      {},
      PAGES[me.role].map((p) =>
        h('li', {}, h('a', { href: `#/${p}`, 'aria-current': p === current ? 'page' : false }, TITLES[p])),
      ),
    ),
  );
  show(who, 
    h('span', { class: 'role' }, me.role),
    me.tenant ? h('span', { class: 'tenant' }, me.tenant) : null,
    h('span', { class: 'cell' }, `cell ${me.jurisdiction}`),
    h('button', { type: 'button', class: 'link', onclick: signOut }, 'Sign out'),
  );
}

async function render(why) {
  const main = document.getElementById('main');
  if (!me && session.key()) {
    try {
      await signIn(session.key());
    } catch (e) {
      nav(null);
      signInPage(main, explain(e));
      return;
    }
  }
  if (!me) {
    nav(null);
    document.title = 'Sign in · Custodian';
    signInPage(main, typeof why === 'string' ? why : undefined);
    return;
  }
  const [page, ...rest] = location.hash.replace(/^#\/?/, '').split('/');
  const name = PAGES[me.role].includes(page) ? page : 'overview';
  nav(name);
  document.title = `${TITLES[name]} · Custodian`;
  // Each render draws into a view of its own and shows it only if no later navigation
  // started meanwhile: a slow page never overwrites the one the person went on to.
  const gen = ++generation;
  main.setAttribute('aria-busy', 'true');
  delete main.dataset.page;
  show(main, h('h1', {}, TITLES[name]), notice('info', 'Loading…'));
  const view = h('div', {});
  try {
    await ROUTES[name](me, view, rest.map(decodeURIComponent).join('/') || null);
  } catch (e) {
    if (gen !== generation) return;
    if (e.status === 401) {
      signOut('The cell no longer accepts this key (revoked?): sign in again.');
      return;
    }
    show(view, h('h1', {}, TITLES[name]), notice('error', explain(e)));
  }
  if (gen !== generation) return;
  show(main, [...view.childNodes]);
  main.dataset.page = name;
  main.removeAttribute('aria-busy');
  main.focus({ preventScroll: true });
}

window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/')) render();
});
document.querySelector('.skip')?.addEventListener('click', (ev) => {
  ev.preventDefault();
  document.getElementById('main').focus();
});
render();
