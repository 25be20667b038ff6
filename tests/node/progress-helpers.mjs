// Fakes shared by the progress-store tests: a Storage-like object with an optional quota and a
// clock that can be moved.
import { BACKUP_PREFIX, STORAGE_KEY, openProgress } from '../../web/app/progress.js';

/**
 * A Storage-like Map. `full` makes every setItem throw (quota); `quota` (characters of keys plus
 * values, as browsers count) makes a setItem throw when the total would exceed it.
 */
export function fakeStorage(entries = {}, { quota = Infinity } = {}) {
  const map = new Map(Object.entries(entries));
  const used = () => [...map].reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  const s = {
    map,
    full: false,
    quota,
    writes: 0,
    used,
    getItem: (k) => (map.has(k) ? map.get(k) : null),
    setItem: (k, v) => {
      const text = String(v);
      const after = used() - (map.has(k) ? k.length + map.get(k).length : 0) + k.length + text.length;
      if (s.full || after > s.quota) throw new Error('QuotaExceededError');
      s.writes += 1;
      map.set(k, text);
    },
    removeItem: (k) => void map.delete(k),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
  return s;
}

/** A clock that starts at noon local time on 10 March 2025 and can be moved by days or ms. */
export function fakeClock(start = new Date(2025, 2, 10, 12).getTime()) {
  let t = start;
  const now = () => t;
  now.addDays = (n) => (t += n * 86400000);
  now.addMs = (ms) => (t += ms);
  return now;
}

export const stored = (s) => JSON.parse(s.getItem(STORAGE_KEY));
export const backups = (s) => [...s.map.keys()].filter((k) => k.startsWith(BACKUP_PREFIX));
export const open = (storage, now = fakeClock()) => openProgress({ storage, now, events: null });
/** A plain-object copy (null-prototype maps become ordinary objects) for deepEqual. */
export const plain = (x) => JSON.parse(JSON.stringify(x));
