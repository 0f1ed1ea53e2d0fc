// A line chart in SVG (no library): series = [{name, color, points: [[x, y], …]}].
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs, text) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text !== undefined) e.textContent = text;
  return e;
}

export function lineChart(series, { width = 720, height = 280, xLabel = 'step', yLabel = 'loss' } = {}) {
  const svg = el('svg', { class: 'chart', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  const all = series.flatMap((s) => s.points);
  const pad = { l: 56, r: 16, t: 24, b: 36 };
  if (!all.length) {
    svg.append(el('text', { x: width / 2, y: height / 2, 'text-anchor': 'middle', fill: '#667085' }, 'waiting for progress events…'));
    return svg;
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs, Math.min(...xs) + 1)];
  let [y0, y1] = [Math.min(...ys), Math.max(...ys)];
  if (y1 - y0 < 1e-9) { y0 -= 0.5; y1 += 0.5; }
  const X = (x) => pad.l + ((x - x0) / (x1 - x0)) * (width - pad.l - pad.r);
  const Y = (y) => height - pad.b - ((y - y0) / (y1 - y0)) * (height - pad.t - pad.b);
  svg.append(el('line', { x1: pad.l, y1: height - pad.b, x2: width - pad.r, y2: height - pad.b, stroke: '#c9ced8' }));
  svg.append(el('line', { x1: pad.l, y1: pad.t, x2: pad.l, y2: height - pad.b, stroke: '#c9ced8' }));
  for (let i = 0; i <= 4; i++) {
    const y = y0 + ((y1 - y0) * i) / 4;
    svg.append(el('text', { x: pad.l - 6, y: Y(y) + 4, 'text-anchor': 'end', 'font-size': 11, fill: '#667085' }, y.toFixed(3)));
  }
  svg.append(el('text', { x: width / 2, y: height - 8, 'text-anchor': 'middle', 'font-size': 12, fill: '#667085' }, xLabel));
  svg.append(el('text', { x: pad.l + 6, y: pad.t - 4, 'font-size': 12, fill: '#667085' }, yLabel));
  svg.append(el('text', { x: pad.l, y: height - pad.b + 14, 'font-size': 11, fill: '#667085' }, String(x0)));
  svg.append(el('text', { x: width - pad.r, y: height - pad.b + 14, 'text-anchor': 'end', 'font-size': 11, fill: '#667085' }, String(x1)));
  series.forEach((s, i) => {
    if (!s.points.length) return;
    const d = s.points.map((p, j) => `${j ? 'L' : 'M'}${X(p[0]).toFixed(1)},${Y(p[1]).toFixed(1)}`).join(' ');
    svg.append(el('path', { d, fill: 'none', stroke: s.color, 'stroke-width': 2, 'data-series': s.name }));
    s.points.forEach((p) => svg.append(el('circle', { cx: X(p[0]), cy: Y(p[1]), r: 2.5, fill: s.color, class: 'point' })));
    svg.append(el('text', { x: width - pad.r - 4, y: pad.t + 14 + 16 * i, 'text-anchor': 'end', 'font-size': 12, fill: s.color }, s.name));
  });
  return svg;
}
