// Training jobs: the list with a start form; one job with its live loss curve (training progress events).
import { api, request } from '../api.js';
import { h, badge, table, when, failure, fmt } from '../dom.js';
import { lineChart } from '../chart.js';

export async function list(view, params, page) {
  const dataset = h('input', { id: 'job-dataset', placeholder: 'ds-…', size: 24, required: true });
  const base = h('input', { id: 'job-base', placeholder: 'base model (optional)', size: 18 });
  const epochs = h('input', { id: 'job-epochs', type: 'number', min: 1, placeholder: 'epochs', size: 6 });
  const msg = h('p', { id: 'job-result' });
  const form = h('form', {
    class: 'card inline', id: 'start-job',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = { datasetId: dataset.value.trim() };
      if (base.value) body.baseModel = base.value.trim();
      if (epochs.value) body.params = { schedule: { epochs: Number(epochs.value) } };
      try {
        const job = await api('training', '/v1/training-jobs', { method: 'POST', body: JSON.stringify(body), contentType: 'application/json' });
        location.hash = `#/jobs/${job.jobId}`;
      } catch (e) {
        msg.className = 'error';
        msg.textContent = `Refused: ${e.message}`;
      }
    },
  }, h('label', {}, 'Dataset', dataset), h('label', {}, 'Base model', base), h('label', {}, 'Epochs', epochs),
  h('button', { type: 'submit' }, 'Start training'));
  const rows = h('div', { id: 'jobs' });
  view.replaceChildren(h('h1', {}, 'Training jobs'), form, msg, rows);
  async function refresh() {
    try {
      const jobs = await api('training', '/v1/training-jobs');
      rows.replaceChildren(table(['job', 'state', 'dataset', 'progress', 'loss', 'model', 'updated'], jobs.map((j) => [
        h('a', { href: `#/jobs/${j.jobId}` }, j.jobId), badge(j.state),
        j.datasetId ? h('a', { href: `#/datasets/${j.datasetId}` }, j.datasetId) : '—',
        j.totalSteps ? `${j.step}/${j.totalSteps}` : '—', fmt(j.loss), j.modelId || '—', when(j.updatedAt),
      ]), 'No training jobs yet.'));
    } catch (e) {
      rows.replaceChildren(failure(e, 'Job list'));
    }
  }
  page.on((stage) => { if (stage.startsWith('training.') || stage === 'model.trained') refresh(); });
  await refresh();
}

export async function show(view, [id], page) {
  const head = h('div', { id: 'job-info' });
  const chart = h('div', { id: 'loss-chart' });
  const note = h('p', { class: 'muted', id: 'job-live' }, 'Live: the curve grows with each progress event.');
  view.replaceChildren(h('h1', {}, `Job ${id}`), head, h('h2', {}, 'Loss'), chart, note);
  const train = [];
  const validation = [];
  const draw = () => chart.replaceChildren(lineChart([
    { name: 'train loss', color: '#2f5fd0', points: train },
    { name: 'validation loss', color: '#b26b00', points: validation },
  ]));
  const add = (p) => {
    if (p.loss !== undefined && p.loss !== null && !train.some(([s]) => s === p.step)) train.push([p.step, p.loss]);
    if (p.validationLoss !== undefined && p.validationLoss !== null && !validation.some(([s]) => s === p.step)) {
      validation.push([p.step, p.validationLoss]);
    }
  };
  function info(j) {
    head.replaceChildren(h('p', {}, badge(j.state), ` step ${j.step}/${j.totalSteps} · epoch ${j.epoch}`,
      j.tokensPerSecond ? ` · ${Math.round(j.tokensPerSecond)} tok/s` : '', j.etaSeconds ? ` · ETA ${Math.round(j.etaSeconds)} s` : ''),
    h('p', {}, 'dataset ', j.datasetId ? h('a', { href: `#/datasets/${j.datasetId}` }, j.datasetId) : '—',
      j.modelId ? [' · model ', h('a', { href: `#/evaluations/${j.modelId}`, id: 'link-job-evaluation' }, j.modelId)] : ''),
    j.message ? h('p', { class: 'muted' }, j.message) : '');
    head.dataset.state = j.state;
  }
  page.on((stage, e) => {
    if (stage === 'training.progress' && e.jobId === id) {
      add(e);
      train.sort((a, b) => a[0] - b[0]);
      validation.sort((a, b) => a[0] - b[0]);
      info({ ...e, datasetId: e.datasetId, modelId: e.modelId });
      draw();
    }
  });
  try {
    const j = await api('training', `/v1/training-jobs/${encodeURIComponent(id)}`);
    info(j);
    const seen = await (await request(`/console/v1/jobs/${encodeURIComponent(id)}/progress`)).json();
    seen.forEach(add);
    add(j);
    train.sort((a, b) => a[0] - b[0]);
    validation.sort((a, b) => a[0] - b[0]);
  } catch (e) {
    head.replaceChildren(failure(e, 'Job'));
  }
  draw();
}
