// Models being served and the deployments (aliases, canary, rollback) of the inference service.
import { api } from '../api.js';
import { h, badge, table, failure } from '../dom.js';

export async function list(view, params, page) {
  const models = h('div', { id: 'models' });
  const deployments = h('div', { id: 'deployments' });
  const msg = h('p', { id: 'deploy-result' });
  const alias = h('input', { id: 'deploy-alias', placeholder: 'alias', size: 20, required: true });
  const model = h('input', { id: 'deploy-model', placeholder: 'model id', size: 26, required: true });
  const canary = h('input', { id: 'deploy-canary', placeholder: 'canary model (optional)', size: 26 });
  const percent = h('input', { id: 'deploy-percent', type: 'number', min: 1, max: 99, placeholder: '%', size: 4 });
  const form = h('form', {
    class: 'card inline', id: 'deploy',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { model: model.value.trim() };
      if (canary.value) body.canary = { model: canary.value.trim(), percent: Number(percent.value || 10) };
      await change(`/v1/deployments/${encodeURIComponent(alias.value.trim())}`, 'PUT', body, `deployed ${body.model} as ${alias.value}`);
    },
  }, h('label', {}, 'Alias', alias), h('label', {}, 'Model', model), h('label', {}, 'Canary', canary),
  h('label', {}, 'Canary %', percent), h('button', { type: 'submit' }, 'Deploy'));

  async function change(path, method, body, done) {
    try {
      await api('inference', path, { method, body: body ? JSON.stringify(body) : undefined, contentType: body ? 'application/json' : undefined });
      msg.className = 'muted';
      msg.textContent = done;
    } catch (e) {
      msg.className = 'error';
      msg.textContent = e.message;
    }
    refresh();
  }

  async function refresh() {
    try {
      const m = await api('inference', '/v1/models');
      models.replaceChildren(table(['model', 'kind', 'base model', 'dataset', 'version', 'eval verdict'], m.data.map((x) => [
        x.id, x.kind || '—', x.base_model || '—', x.dataset_id ? h('a', { href: `#/datasets/${x.dataset_id}` }, x.dataset_id) : '—',
        x.dataset_version || '—', x.eval_verdict ? badge(x.eval_verdict) : '—']), 'No model is served.'));
    } catch (e) {
      models.replaceChildren(failure(e, 'Models'));
    }
    try {
      const d = await api('inference', '/v1/deployments');
      deployments.replaceChildren(table(['alias', 'model', 'canary', 'previous', 'status', ''], d.data.map((x) => [
        x.alias, x.model, x.canary ? `${x.canary.model} (${x.canary.percent}%)` : '—',
        (x.history || []).map((t) => t.model).join(', ') || '—', x.status || '—',
        h('button', {
          class: 'secondary', type: 'button', 'data-rollback': x.alias, disabled: !(x.history || []).length,
          onclick: () => change(`/v1/deployments/${encodeURIComponent(x.alias)}/rollback`, 'POST', null, `${x.alias} rolled back`),
        }, 'Roll back')]), 'No deployments.'));
    } catch (e) {
      deployments.replaceChildren(failure(e, 'Deployments'));
    }
  }
  view.replaceChildren(h('h1', {}, 'Models'), models, h('h2', {}, 'Deployments'), form, msg, deployments);
  page.on((stage) => { if (stage === 'model.deployments' || stage === 'model.evaluated') refresh(); });
  await refresh();
}
