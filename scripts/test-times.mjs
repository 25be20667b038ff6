/**
 * A node:test reporter for scripts/test.sh: after the run, each test file's wall-clock span (first
 * event to last) and its tests' own time, longest first, so a slow tier shows where its time goes.
 * Used beside the default TAP output: --test-reporter=./scripts/test-times.mjs.
 */
export default async function* fileTimes(source) {
  const files = new Map();
  for await (const { type, data } of source) {
    if (!data?.file) continue;
    const now = Date.now();
    const f = files.get(data.file) ?? { first: now, last: now, own: 0 };
    f.last = now;
    if ((type === 'test:pass' || type === 'test:fail') && data.nesting === 0) f.own += data.details?.duration_ms ?? 0;
    files.set(data.file, f);
  }
  const root = process.cwd() + '/';
  const rows = [...files].map(([file, f]) => ({ file: file.replace(root, ''), span: (f.last - f.first) / 1000, own: f.own / 1000 }))
    .sort((a, b) => b.span - a.span);
  yield '\ntest files by wall-clock span (s; the tests\' own time in brackets):\n';
  for (const r of rows) yield `${r.span.toFixed(0).padStart(6)} (${r.own.toFixed(0).padStart(4)})  ${r.file}\n`;
}
