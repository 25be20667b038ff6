/**
 * The embed docs page (/embed/): defines the widgets of the live examples (only their code loads), writes this site's real
 * address into every snippet (they are built with https://YOUR-SITE/) and gives each snippet a
 * Copy button. When the clipboard is unavailable the snippet is selected and the button's status
 * says to press Ctrl+C.
 */
import { defineWidgetsOnPage } from '../widgets/registry.js';

const PLACEHOLDER = 'https://YOUR-SITE/';
const site = new URL('../', import.meta.url).href;
const COPY_KEY = /Mac|iPhone|iPad/.test(navigator.platform ?? '') ? '⌘C' : 'Ctrl+C';

for (const code of document.querySelectorAll('code[data-snippet]')) {
  code.textContent = code.textContent.split(PLACEHOLDER).join(site);
  const pre = code.parentElement;
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'snippet-copy';
  button.textContent = 'Copy';
  const label = pre.closest('figure')?.querySelector('figcaption')?.textContent ?? 'snippet';
  button.setAttribute('aria-label', `Copy: ${label}`);
  const status = document.createElement('span');
  status.className = 'snippet-status';
  status.setAttribute('role', 'status');
  button.addEventListener('click', async () => {
    let ok = false;
    try {
      if (navigator.clipboard?.writeText) {
        await navigator.clipboard.writeText(code.textContent);
        ok = true;
      }
    } catch {
      ok = false;
    }
    if (ok) {
      status.textContent = 'Copied.';
      return;
    }
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    status.textContent = `Selected: press ${COPY_KEY} to copy.`;
  });
  const bar = document.createElement('div');
  bar.className = 'snippet-bar';
  bar.append(button, status);
  pre.after(bar);
}

defineWidgetsOnPage();
