/**
 * The bench's goals and how a figure is printed beside its goal.
 *
 *   const g = check('whole course, gzip', 829.3, '<=', 1024, 'KiB');   // prints nothing, returns the row
 *   console.log(line(g));     // "  whole course, gzip ........ 829.3 KiB   goal <= 1024 KiB   met"
 *   summary();                // every checked goal, met or missed, with the margin (printed at the end)
 */

const checked = [];

/** Pads `s` to `n` characters (right-aligned numbers, left-aligned labels). */
export const padStart = (s, n) => String(s).padStart(n);
export const padEnd = (s, n) => String(s).padEnd(n);

/** Formats a number with the precision that suits its size. */
export function num(v) {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : a >= 1 ? v.toFixed(2) : v.toFixed(3);
}

/**
 * Records a figure against its goal: op is '<=' or '>='. Returns
 * { label, value, op, limit, unit, met, margin } where margin says how far it is from the goal
 * (positive: room left; negative: how much is missing), in the goal's unit.
 */
export function check(label, value, op, limit, unit = '') {
  const met = op === '<=' ? value <= limit : value >= limit;
  const margin = op === '<=' ? limit - value : value - limit;
  const row = { label, value, op, limit, unit, met, margin };
  checked.push(row);
  return row;
}

/** One printed line for a checked figure. */
export function line(row, width = 46) {
  const u = row.unit ? ` ${row.unit}` : '';
  return `  ${padEnd(row.label, width)} ${padStart(num(row.value) + u, 12)}   goal ${row.op} ${num(row.limit)}${u}   ${row.met ? 'met' : 'MISSED'}`;
}

/** Prints and records in one go. */
export function report(label, value, op, limit, unit) {
  console.log(line(check(label, value, op, limit, unit)));
}

/** Every goal checked in this run: the missed ones first, then a count. */
export function summary() {
  const missed = checked.filter((r) => !r.met);
  console.log(`\nGoals: ${checked.length - missed.length} of ${checked.length} met.`);
  for (const r of missed) {
    const u = r.unit ? ` ${r.unit}` : '';
    console.log(`  MISSED ${r.label}: ${num(r.value)}${u} (goal ${r.op} ${num(r.limit)}${u}; off by ${num(Math.abs(r.margin))}${u})`);
  }
  return { met: checked.length - missed.length, missed: missed.length };
}
