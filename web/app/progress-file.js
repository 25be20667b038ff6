/**
 * Progress files: the text "Export progress" writes and "Import progress" reads. Pure functions;
 * web/app/progress.js uses them for the store's exportText / importText.
 *
 * An export file is { format: "attention-lab/progress", exportedAt: ISO time, progress: record }.
 * Import also takes a bare record of version 1 or 2 (e.g. a backup copied out of the browser's
 * storage).
 */
import { VERSION, lostSentence, isObject, short, upgrade } from './progress-record.js';
import { dayString } from './leitner.js';

/** The `format` field of an exported file. */
export const EXPORT_FORMAT = 'attention-lab/progress';
/** Imported files larger than this (in characters) are refused before parsing. */
export const MAX_IMPORT_BYTES = 1_000_000;

/** The file name of an export made at time `ms`: attention-lab-progress-YYYY-MM-DD.json (local day). */
export function exportFileName(ms) {
  return `attention-lab-progress-${dayString(ms)}.json`;
}

/** The text of an export file for the version-2 record `progress` made at ISO time `at`. */
export function exportText(progress, at) {
  return `${JSON.stringify({ format: EXPORT_FORMAT, exportedAt: at, progress }, null, 2)}\n`;
}

/**
 * Read the text of a file the learner wants to import.
 *   { today: "YYYY-MM-DD", at: ISO time } date a v1 migration.
 * Returns { data, from, lost, warning } (data: a clean version-2 record, migrated when needed;
 * lost: entries left out because their names are not valid; warning: a sentence saying so, or '')
 * or { error } with a sentence for the learner. Never throws.
 */
export function parseProgressFile(text, { today, at }) {
  const s = String(text ?? '');
  if (s.length > MAX_IMPORT_BYTES)
    return { error: `The file is ${Math.round(s.length / 1000)} kB, far larger than an Attention Lab progress file, so it was not read.` };
  if (s.trim() === '') return { error: 'The file is empty.' };
  let parsed;
  try {
    parsed = JSON.parse(s.replace(/^\uFEFF/, ''));
  } catch {
    return { error: 'The file is not JSON, so it cannot be Attention Lab progress. Pick a file made with "Export progress".' };
  }
  if (!isObject(parsed)) return { error: 'The file holds JSON, but not an Attention Lab progress record (expected an object with "format" and "progress").' };
  let record;
  if (Object.hasOwn(parsed, 'format')) {
    if (parsed.format !== EXPORT_FORMAT) return { error: `The file is not an Attention Lab progress file (its format is ${short(parsed.format)}, expected "${EXPORT_FORMAT}").` };
    if (!isObject(parsed.progress)) return { error: 'The file says it is Attention Lab progress, but it holds no "progress" record.' };
    record = parsed.progress;
  } else if (Object.hasOwn(parsed, 'version')) {
    record = parsed;
  } else {
    return { error: 'The file holds JSON, but not Attention Lab progress: it has neither a "format" nor a "version" field.' };
  }
  const r = upgrade(record, { today, at });
  if (r.future) return { error: `The file was saved by a newer version of Attention Lab (schema version ${r.future}); this site reads schema versions 1 and ${VERSION}. Update the site, then import it again.` };
  if (r.error) return { error: `The file looks like Attention Lab progress but is damaged: ${r.error}.` };
  return { data: r.data, from: r.from, lost: r.lost, warning: lostSentence(r.lost) };
}
