/**
 * Wide formulas, tables and widgets scroll sideways inside their own box on narrow screens.
 * A box that actually overflows gets tabindex=0 so keyboard users can scroll it too
 * (and loses it again when the window grows). Boxes inside a closed "Go deeper" section have no
 * width until it opens, so opening one re-checks too.
 */

const SELECTOR = '.math-block, .katex-display, .prose table, .widget';

/** Mark every overflowing scroll box under `root` as focusable; re-checks on window resize. */
export function watchScrollableRegions(root = document) {
  const update = () => {
    for (const el of root.querySelectorAll(SELECTOR)) {
      const overflows = el.scrollWidth > el.clientWidth + 1;
      if (overflows && !el.hasAttribute('data-scrollable')) {
        el.setAttribute('data-scrollable', '');
        el.tabIndex = 0;
      } else if (!overflows && el.hasAttribute('data-scrollable')) {
        el.removeAttribute('data-scrollable');
        el.removeAttribute('tabindex');
      }
    }
  };
  update();
  let pending = 0;
  const later = () => {
    cancelAnimationFrame(pending);
    pending = requestAnimationFrame(update);
  };
  window.addEventListener('resize', later);
  root.addEventListener('toggle', later, true);
  return update;
}
