/**
 * The page-wide notice line (#progress-notice, role=status) that tells the learner about
 * storage problems such as a reset of corrupt progress.
 */

/** Show `text` in the page's notice element; does nothing for empty text or a page without one. */
export function showNotice(text, doc = document) {
  const el = doc.getElementById('progress-notice');
  if (!el || !text) return;
  el.textContent = text;
  el.hidden = false;
}
