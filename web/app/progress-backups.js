/**
 * Copies of earlier progress kept in the browser's storage under
 * `attention-lab/progress-backup-<ms>` (and `-<ms>-2`, `-3`... for several in one millisecond).
 * A copy is written before the store replaces text it cannot read, before an upgrade, and before
 * an import. The copies are bounded: only the MAX_BACKUPS newest are kept, and when storage is
 * full the oldest copies are removed to make room for a newer one. Every removal is told to the
 * learner through `say`. Keys that do not have exactly this form are never touched.
 */

export const BACKUP_PREFIX = 'attention-lab/progress-backup-';
/** How many copies of earlier progress are kept at most. */
export const MAX_BACKUPS = 3;

const BACKUP_KEY = /^attention-lab\/progress-backup-(\d{1,16})(?:-(\d{1,6}))?$/;

/**
 * The backups of a Storage-like object.
 *   storage(): the current Storage-like object (getItem/setItem/removeItem, and key(i)/length
 *              to list copies; without those nothing is ever pruned);
 *   now(): clock in ms;  say(sentence): show a sentence to the learner.
 * Returns { list, write, pruneForRoom }:
 *   list() -> backup keys, oldest first;
 *   write(raw) -> the new key, or null when the copy cannot be written even after removing every
 *     older copy (then storage is left as it was, apart from those removals, which are told);
 *   pruneForRoom() -> removes the oldest copy but never the newest one; returns its key or null.
 */
export function createBackups({ storage, now, say }) {
  const list = () => {
    const s = storage();
    const keys = [];
    try {
      if (typeof s.key !== 'function' || !Number.isInteger(s.length)) return keys;
      for (let i = 0; i < s.length; i++) {
        const k = s.key(i);
        if (typeof k === 'string' && BACKUP_KEY.test(k)) keys.push(k);
      }
    } catch {
      return keys;
    }
    return keys.sort(byAge);
  };

  const remove = (key) => {
    try {
      storage().removeItem(key);
      return true;
    } catch {
      return false;
    }
  };

  const tellRemoved = (keys, why) => {
    if (!keys.length) return;
    const names = keys.map((k) => `"${k}"`).join(', ');
    const one = keys.length === 1;
    say(why === 'room'
      ? `Storage for this site is nearly full, so the oldest cop${one ? 'y' : 'ies'} of earlier progress (${names}) ${one ? 'was' : 'were'} removed to make room.`
      : `Only the ${MAX_BACKUPS} newest copies of earlier progress are kept, so the oldest (${names}) ${one ? 'was' : 'were'} removed.`);
  };

  const freshKey = () => {
    const s = storage();
    const base = `${BACKUP_PREFIX}${now()}`;
    let key = base;
    for (let i = 2; s.getItem(key) !== null; i++) key = `${base}-${i}`;
    return key;
  };

  const write = (raw) => {
    const forRoom = [];
    let key;
    try {
      key = freshKey();
    } catch {
      return null;
    }
    for (;;) {
      try {
        storage().setItem(key, raw);
        break;
      } catch {
        const oldest = list().find((k) => k !== key);
        if (!oldest || !remove(oldest)) {
          tellRemoved(forRoom, 'room');
          return null;
        }
        forRoom.push(oldest);
      }
    }
    tellRemoved(forRoom, 'room');
    const all = list();
    const extra = all.slice(0, Math.max(0, all.length - MAX_BACKUPS)).filter((k) => k !== key && remove(k));
    tellRemoved(extra, 'count');
    return key;
  };

  const pruneForRoom = () => {
    const all = list();
    if (all.length < 2 || !remove(all[0])) return null;
    tellRemoved([all[0]], 'room');
    return all[0];
  };

  return { list, write, pruneForRoom };
}

/** Order backup keys by time, then by the same-millisecond counter. */
function byAge(a, b) {
  const [, ta, na = '1'] = BACKUP_KEY.exec(a);
  const [, tb, nb = '1'] = BACKUP_KEY.exec(b);
  return Number(ta) - Number(tb) || Number(na) - Number(nb);
}
