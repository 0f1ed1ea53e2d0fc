// Evaluations: listed per model or dataset (the API asks for one); one evaluation with its metrics and HTML report.
import { api, request } from '../api.js';
import { h, badge, table, when, failure, fmt } from '../dom.js';

export async function list(view) {
  const by = h('select', { id: 'eval-by' }, h('option', { value: 'dataset' }, 'dataset'), h('option', { value: 'model' }, 'model'));
  const id = h('input', { id: 'eval-id', placeholder: 'ds-… or ft-…', size: 26 });
  const rows = h('div', { id: 'evaluations' });
  const show = async () => {
    if (!id.value.trim()) return;
    try {
      const all = await api('eval', `/v1/evaluations?${by.value}=${encodeURIComponent(id.value.trim())}`);
      rows.replaceChildren(table(['evaluation', 'state', 'verdict', 'model', 'dataset', 'updated'], all.map((e) => [
        h('a', { href: `#/evaluations/${e.evaluationId}` }, e.evaluationId), badge(e.state), badge(e.verdict),
        e.modelId, e.datasetId || '—', when(e.updatedAt)]), 'No evaluations.'));
    } catch (e) {
      rows.replaceChildren(failure(e, 'Evaluations'));
    }
  };
  const form = h('form', { class: 'card inline', onsubmit: (ev) => { ev.preventDefault(); show(); } },
    h('label', {}, 'of a', by), h('label', {}, 'id', id), h('button', { type: 'submit' }, 'List'));
  view.replaceChildren(h('h1', {}, 'Evaluations'), form, rows);
  // every dataset's latest evaluation, from the datasets' status (one list for the whole tenant)
  try {
    const datasets = await api('ingest', '/v1/datasets');
    const evaluated = datasets.filter((d) => d.stages?.evaluated?.state === 'DONE');
    rows.replaceChildren(table(['evaluation', 'verdict', 'dataset', 'base → tuned loss'], evaluated.map((d) => {
      const e = d.stages.evaluated.details;
      const evalId = e.evaluationId || e.modelId;
      return [h('a', { href: `#/evaluations/${evalId}` }, evalId), badge(e.verdict), d.datasetId, `${fmt(e.baseLoss)} → ${fmt(e.tunedLoss)}`];
    }), 'No evaluated dataset yet.'));
  } catch (e) {
    rows.replaceChildren(failure(e, 'Evaluations'));
  }
}

export async function show(view, [id]) {
  const head = h('div', { id: 'eval-info' });
  const metrics = h('div', { id: 'eval-metrics' });
  const report = h('div', { id: 'eval-report' });
  view.replaceChildren(h('h1', {}, `Evaluation ${id}`), head, h('h2', {}, 'Metrics'), metrics, h('h2', {}, 'Report'), report);
  let ev;
  try {
    ev = await api('eval', `/v1/evaluations/${encodeURIComponent(id)}`);
  } catch (e) {
    head.replaceChildren(failure(e, 'Evaluation'));
    return;
  }
  head.replaceChildren(h('p', {}, badge(ev.state), ' ', h('span', { id: 'eval-verdict' }, badge(ev.verdict)), ` model ${ev.modelId}`,
    ev.baselineId ? ` vs ${ev.baselineId}` : ' vs its base model', ev.datasetId ? [' · dataset ', h('a', { href: `#/datasets/${ev.datasetId}` }, ev.datasetId)] : ''),
  ev.reason ? h('p', { id: 'eval-reason' }, ev.reason) : '');
  metrics.replaceChildren(table(['metric', 'examples', 'base', 'tuned', 'gain', '95% interval'], (ev.metrics || []).map((m) => {
    const c = m.comparison || {};
    const ci = c.interval || {};
    return [m.label || m.metric, String(c.examples ?? '—'), fmt(c.meanBase, 4), fmt(c.meanTuned, 4), fmt(c.meanGain, 4),
      ci.lower !== undefined ? `[${fmt(ci.lower, 4)}, ${fmt(ci.upper, 4)}]` : '—'];
  }), 'No metrics yet.'));
  if (!ev.reportUrl) {
    report.replaceChildren(h('p', { class: 'muted' }, 'The report is written when the evaluation finishes.'));
    return;
  }
  try {
    const html = await (await request(`/api/eval${ev.reportUrl}`)).text();
    // the report is one self-contained page (inline SVG charts); shown sandboxed, without scripts
    report.replaceChildren(h('iframe', { class: 'report', id: 'eval-report-frame', sandbox: '', srcdoc: html, title: 'evaluation report' }));
  } catch (e) {
    report.replaceChildren(failure(e, 'HTML report'));
  }
}
