// The usage page: reads GET /v1/usage and GET /v1/usage/series with the key the user entered
// (kept in sessionStorage, sent as a bearer token) and draws totals, tables and SVG charts by hand:
// the page is served by the Api itself, with no build step and nothing loaded from elsewhere.
'use strict';

const KEY = 'platform.usage.key';
const RANGES = { '1h': [3600e3, 'minute'], '24h': [86400e3, 'hour'], '7d': [7 * 86400e3, 'hour'], '30d': [30 * 86400e3, 'day'] };
const GROUPS = [['model', 'By model'], ['deployment', 'By deployment'], ['key', 'By key'], ['tenant', 'By tenant']];
const COLORS = ['#0969da', '#1a7f37', '#bf8700', '#8250df', '#cf222e', '#1b7c83', '#bc4c00', '#6e7781', '#a40e26', '#4d2d00'];
const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
const money = new Intl.NumberFormat('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 6 });
const percent = new Intl.NumberFormat('en-US', { style: 'percent', maximumFractionDigits: 1 });

const $ = (id) => document.getElementById(id);
const status = (text, error = false) => { $('status').textContent = text; $('status').className = error ? 'error' : ''; };

function element(tag, attributes = {}, ...children) {
  const svg = ['svg', 'g', 'rect', 'line', 'text', 'title'].includes(tag);
  const node = svg ? document.createElementNS('http://www.w3.org/2000/svg', tag) : document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) node.append(child);
  return node;
}

async function get(path, key) {
  const response = await fetch(path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
  if (response.status === 401 || response.status === 403) throw new Error('The key was refused: usage needs the admin key or a key allowed to read usage.');
  const body = await response.json().catch(() => null);
  if (!response.ok) throw new Error(body?.error?.message || `${path} answered ${response.status}`);
  return body;
}

async function load() {
  const key = sessionStorage.getItem(KEY) || '';
  const [span, bucket] = RANGES[$('range').value];
  const to = new Date();
  const from = new Date(to.getTime() - span);
  const range = `from=${encodeURIComponent(from.toISOString())}&to=${encodeURIComponent(to.toISOString())}`;
  const group = $('group').value;
  status('Loading…');
  try {
    const [series, ...summaries] = await Promise.all([
      get(`/v1/usage/series?${range}&groupBy=${group}&bucket=${bucket}`, key),
      ...GROUPS.map(([name]) => get(`/v1/usage?${range}&groupBy=${name}`, key)),
    ]);
    drawCards(summaries[0].data);
    drawChart($('chart-cost'), series.data, from, to, bucket, (p) => Number(p.cost), (v) => '$' + money.format(v));
    drawChart($('chart-tokens'), series.data, from, to, bucket, (p) => p.input_tokens + p.output_tokens, (v) => integer.format(v));
    drawTables(summaries);
    status(`${from.toLocaleString()} – ${to.toLocaleString()} · ${key ? 'with your key' : 'without a key (anonymous usage only)'}`);
    document.body.dataset.loaded = 'true';
  } catch (error) {
    status(error.message, true);
  }
}

function totals(rows) {
  const sum = (field) => rows.reduce((total, row) => total + Number(row[field]), 0);
  return {
    requests: sum('requests'), input: sum('input_tokens'), output: sum('output_tokens'), cost: sum('cost'),
    hits: sum('cache_hits'), saved: sum('tokens_saved'), unpriced: sum('unpriced'),
  };
}

function drawCards(byModel) {
  const t = totals(byModel);
  const cards = [
    ['requests', 'Requests', integer.format(t.requests)],
    ['input', 'Input tokens', integer.format(t.input)],
    ['output', 'Output tokens', integer.format(t.output)],
    ['cost', 'Spend', '$' + money.format(t.cost) + (t.unpriced ? ` (${integer.format(t.unpriced)} unpriced)` : '')],
    ['hit-rate', 'Cache hit rate', t.requests ? percent.format(t.hits / t.requests) : '–'],
    ['saved', 'Tokens saved by the cache', integer.format(t.saved)],
  ];
  $('cards').replaceChildren(...cards.map(([id, label, value]) =>
    element('div', { class: 'card', 'data-card': id }, element('div', { class: 'label' }, label), element('div', { class: 'value' }, value))));
}

function drawTables(summaries) {
  $('tables').replaceChildren(...GROUPS.map(([name, title], i) => {
    const rows = summaries[i].data;
    const table = element('table', { 'data-group': name }, element('caption', {}, title));
    table.append(element('tr', {}, ...['', 'Requests', 'Input', 'Output', 'Spend', 'Cache hits', 'Hit rate', 'Tokens saved'].map((h) => element('th', {}, h))));
    for (const row of rows) {
      table.append(element('tr', { 'data-key': row.key },
        element('td', {}, row.key),
        element('td', { 'data-field': 'requests' }, integer.format(row.requests)),
        element('td', { 'data-field': 'input_tokens' }, integer.format(row.input_tokens)),
        element('td', { 'data-field': 'output_tokens' }, integer.format(row.output_tokens)),
        element('td', { 'data-field': 'cost' }, '$' + money.format(row.cost)),
        element('td', { 'data-field': 'cache_hits' }, integer.format(row.cache_hits)),
        element('td', {}, row.requests ? percent.format(row.cache_hits / row.requests) : '–'),
        element('td', { 'data-field': 'tokens_saved' }, integer.format(row.tokens_saved))));
    }
    if (rows.length === 0) table.append(element('tr', {}, element('td', { class: 'empty', colspan: 8 }, 'No usage in this range.')));
    return table;
  }));
}

// Stacked bars per time bucket, one colour per group; buckets without usage are drawn empty.
function drawChart(target, points, from, to, bucket, measure, format) {
  const step = { minute: 60e3, hour: 3600e3, day: 86400e3 }[bucket];
  const start = Math.floor(from.getTime() / step) * step;
  const count = Math.max(1, Math.ceil((to.getTime() - start) / step));
  const keys = [...new Set(points.map((p) => p.key))].sort();
  const stacks = Array.from({ length: count }, () => new Map());
  for (const point of points) {
    const index = Math.floor((Date.parse(point.bucket) - start) / step);
    if (index >= 0 && index < count) stacks[index].set(point.key, (stacks[index].get(point.key) || 0) + measure(point));
  }
  const highest = Math.max(0, ...stacks.map((stack) => [...stack.values()].reduce((a, b) => a + b, 0)));
  const [width, height, left, bottom, top] = [600, 220, 64, 22, 8];
  const plot = height - bottom - top;
  const svg = element('svg', { viewBox: `0 0 ${width} ${height}`, width: '100%', role: 'img' });
  const ceiling = highest > 0 ? highest : 1;
  for (let i = 0; i <= 4; i++) {
    const y = top + plot - (plot * i) / 4;
    svg.append(element('line', { x1: left, x2: width, y1: y, y2: y, stroke: '#d0d7de', 'stroke-width': i ? 0.5 : 1 }));
    svg.append(element('text', { x: left - 6, y: y + 4, 'text-anchor': 'end' }, highest > 0 ? format((ceiling * i) / 4) : i ? '' : '0'));
  }
  const slot = (width - left) / count;
  const bar = Math.max(1, slot * 0.8);
  stacks.forEach((stack, i) => {
    let y = top + plot;
    for (const key of keys) {
      const value = stack.get(key) || 0;
      if (value <= 0) continue;
      const h = (value / ceiling) * plot;
      y -= h;
      const rect = element('rect', { x: left + i * slot + (slot - bar) / 2, y, width: bar, height: Math.max(h, 0.5), fill: COLORS[keys.indexOf(key) % COLORS.length] });
      rect.append(element('title', {}, `${new Date(start + i * step).toLocaleString()} · ${key}: ${format(value)}`));
      svg.append(rect);
    }
  });
  const labels = Math.min(6, count);
  for (let j = 0; j < labels; j++) {
    const i = Math.round((j * (count - 1)) / Math.max(1, labels - 1));
    const at = new Date(start + i * step);
    const text = bucket === 'day' ? at.toLocaleDateString() : at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    const anchor = j === 0 ? 'start' : j === labels - 1 ? 'end' : 'middle';
    const x = anchor === 'start' ? left + i * slot : anchor === 'end' ? left + (i + 1) * slot : left + i * slot + slot / 2;
    svg.append(element('text', { x, y: height - 6, 'text-anchor': anchor }, text));
  }
  const legend = element('div', { class: 'legend' }, ...keys.map((key, i) => element('span', { style: `--c:${COLORS[i % COLORS.length]}` }, key)));
  const empty = keys.length === 0 ? 'No usage in this range.' : highest === 0 ? 'Every value in this range is 0 (no price is set, or the model is free).' : null;
  target.replaceChildren(svg, empty ? element('div', { class: 'empty' }, empty) : legend);
}

$('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(KEY, $('key').value.trim());
  $('key').value = '';
  load();
});
$('forget').addEventListener('click', () => { sessionStorage.removeItem(KEY); status('The key is forgotten.'); });
$('range').addEventListener('change', load);
$('group').addEventListener('change', load);
$('refresh').addEventListener('click', load);
if (sessionStorage.getItem(KEY)) load();
