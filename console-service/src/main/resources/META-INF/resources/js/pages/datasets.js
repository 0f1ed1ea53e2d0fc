// Datasets: the list with an upload form; one dataset's pipeline (live) and its cleaning report.
import { api, request } from '../api.js';
import { h, badge, table, when, failure, fmt } from '../dom.js';

export async function list(view) {
  const file = h('input', { type: 'file', id: 'upload-file', required: true });
  const name = h('input', { id: 'upload-name', placeholder: 'support', size: 16 });
  const base = h('input', { id: 'upload-base', placeholder: 'tailor-starter', size: 16 });
  const autoTrain = h('input', { type: 'checkbox', id: 'upload-autotrain', checked: true });
  const msg = h('p', { id: 'upload-result' });
  const form = h('form', {
    class: 'card inline', id: 'upload',
    onsubmit: async (ev) => {
      ev.preventDefault();
      const body = new FormData();
      body.append('file', file.files[0]);
      if (name.value) body.append('name', name.value);
      if (base.value) body.append('baseModel', base.value);
      body.append('autoTrain', String(autoTrain.checked));
      msg.textContent = 'Uploading…';
      msg.className = 'muted';
      try {
        const res = await (await request('/api/ingest/v1/datasets', { method: 'POST', body })).json();
        location.hash = `#/datasets/${res.datasetId}`;
      } catch (e) {
        msg.className = 'error';
        msg.textContent = `Upload refused: ${e.message}`;
      }
    },
  }, h('label', {}, 'File (JSONL, CSV, text, PDF, …)', file), h('label', {}, 'Name', name),
  h('label', {}, 'Base model', base), h('label', {}, h('span', {}, 'Train when cleaned'), autoTrain),
  h('button', { type: 'submit', id: 'upload-submit' }, 'Upload'));
  const rows = h('div', { id: 'datasets' });
  view.replaceChildren(h('h1', {}, 'Datasets'), form, msg, rows);
  try {
    const all = await api('ingest', '/v1/datasets');
    rows.replaceChildren(table(['dataset', 'name', 'stage', 'state', 'updated'], all.map((d) => [
      h('a', { href: `#/datasets/${d.datasetId}` }, d.datasetId), d.name || '—', d.stage || '—', badge(d.state), when(d.updated),
    ]), 'No datasets yet: upload one above.'));
  } catch (e) {
    rows.replaceChildren(failure(e, 'Dataset list'));
  }
}

function stageSummary(name, s) {
  const d = s.details || {};
  switch (name) {
    case 'ingested': return d.records !== undefined ? `${d.records} records (${d.format})` : '';
    case 'cleaned': return d.train !== undefined ? `train ${d.train} · validation ${d.validation} · test ${d.test}` : '';
    case 'training': return d.totalSteps ? `step ${d.step}/${d.totalSteps}` + (d.loss !== undefined ? ` · loss ${fmt(d.loss)}` : '') : (d.note || '');
    case 'trained': return d.modelId || '';
    case 'evaluated': return d.verdict ? `${d.verdict}: ${fmt(d.baseLoss)} → ${fmt(d.tunedLoss)}` : '';
    case 'deployed': return d.alias ? `alias ${d.alias}` : (d.reason || '');
    default: return '';
  }
}

export async function show(view, [id], page) {
  const title = h('h1', {}, `Dataset ${id}`);
  const pipeline = h('div', { class: 'pipeline', id: 'pipeline' });
  const info = h('div', { id: 'dataset-info' });
  const links = h('p', { id: 'dataset-links' });
  const errors = h('div', { id: 'dataset-errors' });
  const report = h('div', { id: 'report' }, h('p', { class: 'muted' }, 'The report appears when cleaning is done.'));
  const profile = h('div', { id: 'profile' });
  const history = h('div', { id: 'dataset-history' });
  view.replaceChildren(title, info, pipeline, links, errors, history, h('h2', {}, 'Cleaning report'), report,
    h('h2', {}, 'Profile'), profile);
  let reportVersion = null;

  async function refresh() {
    let s;
    try {
      s = await api('ingest', `/v1/datasets/${encodeURIComponent(id)}`);
    } catch (e) {
      info.replaceChildren(failure(e, 'Status'));
      return;
    }
    title.textContent = `Dataset ${s.name ? s.name + ' · ' : ''}${s.datasetId}`;
    info.replaceChildren(h('p', {}, badge(s.state), ` last stage: ${s.stage || '—'} · updated ${when(s.updated)}`));
    pipeline.replaceChildren(...Object.entries(s.stages).map(([name, st]) => h('div', {
      class: `stage ${st.state}`, 'data-stage': name, 'data-state': st.state,
    }, h('div', { class: 'name' }, name), h('div', { class: 'state' }, st.state), h('div', { class: 'muted' }, stageSummary(name, st)))));
    const jobId = s.stages.training.details.jobId || s.stages.trained.details.jobId;
    const modelId = s.stages.trained.details.modelId;
    const evaluationId = s.stages.evaluated.details.evaluationId || s.stages.evaluated.details.modelId;
    links.replaceChildren(
      jobId ? h('a', { href: `#/jobs/${jobId}`, id: 'link-job' }, `job ${jobId}`) : '', jobId ? ' · ' : '',
      evaluationId ? h('a', { href: `#/evaluations/${evaluationId}`, id: 'link-evaluation' }, `evaluation of ${modelId || evaluationId}`) : '',
      !jobId ? h('a', { href: '#/jobs' }, 'start a training job') : '');
    errors.replaceChildren(...(s.errors || []).map((e) => h('p', { class: 'error' }, `${e.stage}: ${e.message}`)));
    // every version and training run, where ingest's status lists them (newer servers)
    history.replaceChildren(
      ...(Array.isArray(s.versions) && s.versions.length > 1 ? [h('h2', {}, 'Versions'), table(['version', 'cleaned', 'examples'],
        s.versions.map((v) => [v.version, when(v.at), Object.entries(v.counts || {}).map(([k, n]) => `${k} ${n}`).join(' · ')]))] : []),
      ...(Array.isArray(s.jobs) && s.jobs.length ? [h('h2', {}, 'Training runs'), table(['job', 'state', 'version', 'model', 'verdict', 'deployed as'],
        s.jobs.map((r) => [h('a', { href: `#/jobs/${r.jobId}` }, r.jobId), badge(r.state), r.datasetVersion || '—',
          r.modelId || '—', r.verdict ? h('a', { href: `#/evaluations/${r.evaluationId || r.modelId}` }, r.verdict) : '—',
          r.deployedAs || '—']))] : []));
    const version = s.stages.cleaned.details.version;
    if (version && version !== reportVersion) {
      reportVersion = version;
      showReport(report, id, version);
      showProfile(profile, id, version);
    }
  }
  let timer = null;
  page.on((stage, event) => {
    if (event.datasetId === id) {
      clearTimeout(timer);
      timer = setTimeout(refresh, 250);
    }
  });
  page.cleanup(() => clearTimeout(timer));
  await refresh();
}

async function showReport(target, id, version) {
  let r;
  try {
    r = await api('ingest', `/v1/datasets/${encodeURIComponent(id)}/versions/${version}/report`);
  } catch (e) {
    target.replaceChildren(failure(e, 'Cleaning report'));
    return;
  }
  const counts = Object.entries(r.counts || {}).sort(([a], [b]) => a.localeCompare(b));
  const samples = r.samples || {};
  target.replaceChildren(
    h('p', { id: 'report-summary' }, `version ${r.version}: ${r.records} records in, ${r.kept} kept · train ${r.splits?.train} · validation ${r.splits?.validation} · test ${r.splits?.test} · ${fmt(r.seconds, 2)} s`),
    h('table', { id: 'report-rules' }, h('thead', {}, h('tr', {}, h('th', {}, 'rule'), h('th', {}, 'count'), h('th', {}, 'samples'))),
      h('tbody', {}, counts.map(([rule, n]) => {
        const key = rule.replace(/^dropped\./, '');
        const rows = samples[key] || [];
        return h('tr', { 'data-rule': rule }, h('td', {}, rule), h('td', {}, String(n)),
          h('td', {}, rows.slice(0, 3).map((x) => h('div', {},
            h('span', { class: 'muted' }, [[x.file, x.line].filter((v) => v !== undefined && v !== null).join(':'), x.reason].filter(Boolean).join(' · ')),
            (x.before || x.text) ? h('pre', { class: 'sample' }, (x.before || x.text).slice(0, 400)) : ''))));
      }))),
  );
}

/** The version's data profile (ingest's profile endpoint, where the server has it): its figures and notes. */
async function showProfile(target, id, version) {
  let p;
  try {
    p = await api('ingest', `/v1/datasets/${encodeURIComponent(id)}/versions/${version}/profile`);
  } catch (e) {
    target.replaceChildren(failure(e, 'Profile'));
    return;
  }
  const scalars = Object.entries(p || {}).filter(([, v]) => v === null || typeof v !== 'object');
  const notes = [...(Array.isArray(p?.notes) ? p.notes : []), ...(Array.isArray(p?.sufficiency) ? p.sufficiency : [])];
  // one row per source and overall: the figures profile.json holds (lengths in its lengthUnit, relevance to the use case)
  const pct = (x) => (typeof x === 'number' ? `${(100 * x).toFixed(1)}%` : '—');
  const tok = p?.lengthUnit === 'tokens';
  const row = (name, s) => {
    const l = s?.length || {};
    const r = s?.relevance;
    return [name, String(s?.kept ?? '—'), pct(s?.dropRate), pct(s?.duplicateShare),
      String(l[tok ? 'medianTokens' : 'medianChars'] ?? '—'), String(l[tok ? 'p95Tokens' : 'p95Chars'] ?? '—'),
      pct(l[tok ? 'shareOverMaxSeqLength' : 'shareOverMaxSeqLengthEstimated']),
      r ? r.meanSimilarity.toFixed(3) : '—', r ? pct(r.shareBelowThreshold) : '—'];
  };
  const rows = p?.overall ? [row('overall', p.overall), ...Object.entries(p.sources || {}).map(([k, v]) => row(k, v))] : [];
  const least = p?.overall?.relevance?.leastRelevant || [];
  target.replaceChildren(table(['figure', 'value'], scalars.map(([k, v]) => [k, String(v)]), 'An empty profile.'),
    ...(rows.length ? [table(['source', 'kept', 'dropped', 'duplicates', `median ${p.lengthUnit || ''}`, 'p95',
      `over maxSeqLength ${p.overall?.length?.maxSeqLength ?? ''}`, 'relevance', 'off-topic'], rows)] : []),
    ...(least.length ? [table(['least relevant', 'similarity', 'excerpt'],
      least.map((x) => [x.id, x.similarity.toFixed(3), x.excerpt]))] : []),
    ...notes.map((n) => h('p', { class: 'muted' }, typeof n === 'string' ? n : JSON.stringify(n))));
}
