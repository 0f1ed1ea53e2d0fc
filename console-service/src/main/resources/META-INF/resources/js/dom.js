// A tiny element builder: h('td', {class: 'x'}, 'text', child). Text is always text (textContent), never HTML.
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export const badge = (text) => h('span', { class: `badge ${text || ''}` }, text || '—');

export const fmt = (n, digits = 3) => (typeof n === 'number' ? n.toFixed(digits) : n ?? '—');

export const when = (iso) => (iso ? new Date(iso).toLocaleString() : '—');

/** The error of a failed call, or the "not available" note when the endpoint does not exist on this server. */
export function failure(e, what) {
  if (e && e.missingEndpoint) {
    return h('p', { class: 'na', 'data-na': what }, `${what}: not available on this server (HTTP ${e.status})`);
  }
  return h('p', { class: 'error' }, `${what}: ${e.message}`);
}

export function table(columns, rows, empty = 'Nothing yet.') {
  if (!rows.length) return h('p', { class: 'muted' }, empty);
  return h('table', {}, h('thead', {}, h('tr', {}, columns.map((c) => h('th', {}, c)))),
    h('tbody', {}, rows.map((r) => h('tr', {}, r.map((cell) => h('td', {}, cell))))));
}
