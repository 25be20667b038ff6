/**
 * A presentational matrix: a real <table> (caption, column and row headers) whose cells are tinted
 * by value on a colour-blind-safe diverging scale (blue positive, orange negative) and always show
 * the number, so nothing depends on colour alone. It knows nothing about attention.
 */
import { el, fmt } from './base.js';

/**
 * Renders `rows` (array of arrays; null = masked) into a table.
 * options: { caption, rowLabels, colLabels, rowTitle, colTitle, scale (max |v| for full tint),
 *            focusable (cells get tabindex/roving focus), className }
 * Returns { table, cells } where cells[i][j] is the <td>.
 */
export function matrixTable(rows, options = {}) {
  const { caption, rowLabels = [], colLabels = [], focusable = false, className = '' } = options;
  const scale = options.scale ?? Math.max(1e-9, ...rows.flat().filter((v) => v !== null).map(Math.abs));
  const table = el('table', { class: `matrix ${className}`.trim() });
  if (caption) table.append(el('caption', {}, caption));
  const head = el('tr', {}, el('td', { class: 'corner' }));
  colLabels.forEach((c) => head.append(el('th', { scope: 'col' }, c)));
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const cells = rows.map((row, i) => {
    const tr = el('tr', {}, el('th', { scope: 'row' }, rowLabels[i] ?? String(i)));
    const tds = row.map((v, j) => {
      const td = el('td', { class: `cell ${tint(v, scale)}`, 'data-row': i, 'data-col': j }, fmt(v));
      if (focusable) td.tabIndex = -1;
      tr.append(td);
      return td;
    });
    body.append(tr);
    return tds;
  });
  table.append(body);
  return { table, cells };
}

/** Class names for a value's tint: sign and one of 5 intensity steps (no inline styles: CSP). */
export function tint(v, scale) {
  if (v === null) return 'masked';
  const step = Math.min(4, Math.round((Math.abs(v) / scale) * 4));
  return step === 0 ? 't0' : `${v > 0 ? 'pos' : 'neg'} t${step}`;
}

/**
 * Writes new `rows` into a table matrixTable built, keeping its elements (and their listeners and
 * focus): each cell gets back the classes and number matrixTable gives it, the caption is replaced.
 * Returns false (and changes nothing) when the shape differs: then build a new table.
 * options: { caption, rowLabels, colLabels, scale } as for matrixTable.
 */
export function refillTable(tb, rows, options = {}) {
  const { cells, table } = tb;
  if (cells.length !== rows.length || rows.some((row, i) => row.length !== cells[i].length)) return false;
  const scale = options.scale ?? Math.max(1e-9, ...rows.flat().filter((v) => v !== null).map(Math.abs));
  if (options.caption) table.caption?.replaceChildren(options.caption);
  const heads = table.tHead?.rows[0]?.cells;
  (options.colLabels ?? []).forEach((c, j) => { if (heads?.[j + 1] && heads[j + 1].textContent !== c) heads[j + 1].textContent = c; });
  (options.rowLabels ?? []).forEach((r, i) => { const th = table.tBodies[0]?.rows[i]?.cells[0]; if (th && th.textContent !== r) th.textContent = r; });
  rows.forEach((row, i) => row.forEach((v, j) => {
    const td = cells[i][j];
    td.hiddenChildren = null;
    td.hiddenTint = null;
    td.removeAttribute('aria-label');
    td.className = `cell ${tint(v, scale)}`;
    td.textContent = fmt(v);
  }));
  return true;
}
