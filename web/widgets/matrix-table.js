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
