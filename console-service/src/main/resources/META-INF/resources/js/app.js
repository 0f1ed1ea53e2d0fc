// The console's router: #/page/id → a page module's render(view, params, page).
import { auth, request, onPipelineEvent, startEvents } from './api.js';
import { h } from './dom.js';
import * as datasets from './pages/datasets.js';
import * as jobs from './pages/jobs.js';
import * as evaluations from './pages/evaluations.js';
import * as models from './pages/models.js';
import * as chat from './pages/chat.js';

const routes = [
  [/^#\/datasets$/, datasets.list], [/^#\/datasets\/([\w.-]+)$/, datasets.show],
  [/^#\/jobs$/, jobs.list], [/^#\/jobs\/([\w.-]+)$/, jobs.show],
  [/^#\/evaluations$/, evaluations.list], [/^#\/evaluations\/([\w.-]+)$/, evaluations.show],
  [/^#\/models$/, models.list], [/^#\/chat$/, chat.show],
];

let cleanups = [];

function loginPage(view) {
  const input = h('input', { id: 'api-key', type: 'password', placeholder: 'tlr_…', autocomplete: 'off', size: 50 });
  const msg = h('p', { class: 'error', id: 'login-error' });
  const form = h('form', {
    class: 'card login', id: 'login',
    onsubmit: async (ev) => {
      ev.preventDefault();
      auth.set(input.value);
      try {
        await request('/api/ingest/v1/datasets', { signingIn: true });
        location.hash = '#/datasets';
      } catch (e) {
        auth.clear();
        msg.textContent = `Sign-in failed: ${e.message}`;
      }
    },
  }, h('h1', {}, 'Sign in to Tailor'),
  h('p', { class: 'muted' }, 'Paste an API key (tlr_…) or an access token. It stays in this tab only (sessionStorage).'),
  h('label', {}, 'API key or token', input), h('p', {}, h('button', { type: 'submit', id: 'sign-in' }, 'Sign in')), msg);
  view.replaceChildren(form);
  input.focus();
}

async function route() {
  cleanups.forEach((fn) => fn());
  cleanups = [];
  const view = document.getElementById('view');
  const hash = location.hash || '#/datasets';
  document.getElementById('logout').hidden = !auth.get();
  document.querySelectorAll('#nav a').forEach((a) => a.classList.toggle('active', hash.startsWith(a.getAttribute('href'))));
  if (!auth.get() || hash === '#/login') {
    loginPage(view);
    return;
  }
  startEvents(document.getElementById('live'));
  const page = {
    on: (fn) => cleanups.push(onPipelineEvent(fn)),
    every: (ms, fn) => { const t = setInterval(fn, ms); cleanups.push(() => clearInterval(t)); },
    cleanup: (fn) => cleanups.push(fn),
  };
  for (const [re, render] of routes) {
    const m = hash.match(re);
    if (m) {
      view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
      try {
        await render(view, m.slice(1).map(decodeURIComponent), page);
      } catch (e) {
        view.replaceChildren(h('p', { class: 'error' }, e.message));
      }
      return;
    }
  }
  view.replaceChildren(h('p', { class: 'error' }, `No page ${hash}`));
}

document.getElementById('logout').addEventListener('click', () => {
  auth.clear();
  location.hash = '#/login';
});
window.addEventListener('hashchange', route);
route();
