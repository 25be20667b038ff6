/*
 * Test helper injected first into every page of the cross-browser test copy of the site
 * (tests/cross-browser/site.mjs), as a classic script so it runs before the page's own. It records
 * what a learner would call an error — uncaught exceptions, unhandled rejections, console.error,
 * resources that fail to load, CSP violations — because WebKitWebDriver does not hand console
 * messages back, and it offers the engine-independent steps of the checks as
 * window.__attnTest.<name>(...) for the WebDriver clients to call. Never part of the site.
 */
(function () {
  'use strict';
  if (window.__attnTest) return;
  var errors = [];
  var push = function (kind, text) {
    errors.push(kind + ': ' + String(text).slice(0, 300));
  };
  window.addEventListener('error', function (e) {
    var t = e.target;
    if (t && t !== window && (t.src || t.href)) push('failed to load', t.src || t.href);
    else push('uncaught', (e.error && e.error.stack) || e.message);
  }, true);
  window.addEventListener('unhandledrejection', function (e) {
    push('unhandled rejection', e.reason && (e.reason.stack || e.reason.message) || e.reason);
  });
  document.addEventListener('securitypolicyviolation', function (e) {
    push('CSP violation', e.violatedDirective + ' ' + e.blockedURI);
  });
  var consoleError = console.error;
  console.error = function () {
    push('console.error', Array.prototype.map.call(arguments, String).join(' '));
    return consoleError.apply(console, arguments);
  };

  var CANDIDATES = [
    ['input[type=range]', 'ArrowRight'],
    ['input[type=number]', 'ArrowUp'],
    ['select', 'ArrowDown'],
    ['input[type=checkbox]', 'Space'],
    ['[tabindex="0"]:not(button):not(input):not(select)', 'ArrowRight'],
    ['[tabindex="0"]:not(button):not(input):not(select)', 'ArrowUp'],
    ['button:not(.tool)', 'Enter'],
  ];
  var MAX_TRIES = 6;

  var tags = [];
  var widgetList = function () {
    return Array.prototype.filter.call(document.querySelectorAll('*'), function (el) {
      return tags.indexOf(el.localName) >= 0;
    });
  };
  var within = function (promise, ms) {
    return Promise.race([promise, new Promise(function (ok) { setTimeout(function () { ok(false); }, ms); })]);
  };
  var visible = function (el) {
    return el.getClientRects().length > 0 && !el.disabled && !el.closest('[hidden], .toolbar, dialog');
  };
  /** What a learner sees of a widget (its state and text), to tell whether an interaction did something. */
  var snapshot = function (w) {
    var state = '';
    try {
      state = JSON.stringify(w.currentValues ? w.currentValues() : null);
    } catch (e) {
      state = 'unreadable';
    }
    return state + '|' + w.shadowRoot.textContent;
  };
  var tries = function (w) {
    var out = [];
    CANDIDATES.forEach(function (c) {
      var el = Array.prototype.find.call(w.shadowRoot.querySelectorAll(c[0]), visible);
      if (el) out.push({ el: el, key: c[1], what: c[0] });
    });
    return out.slice(0, MAX_TRIES);
  };
  var current = null;

  window.__attnTest = {
    errors: function () {
      return errors.slice();
    },
    readyState: function () {
      return document.readyState;
    },
    /** Scrolls to and waits for every widget (elements named in `widgetTags`); returns [{ tag, ready, notice }]. */
    widgets: function (timeout, widgetTags) {
      tags = widgetTags;
      var list = widgetList();
      var out = [];
      var step = function (i) {
        if (i >= list.length) return Promise.resolve(out);
        var w = list[i];
        return within(customElements.whenDefined(w.localName).then(function () { return true; }), timeout).then(function (defined) {
          if (!defined) {
            out.push({ tag: w.localName, ready: false, notice: 'never defined' });
            return step(i + 1);
          }
          var closed = w.closest('details:not([open])'); // a widget in a closed "Go deeper" starts when shown
          if (closed) closed.open = true;
          w.scrollIntoView({ block: 'center' });
          var ready = w.ready ? Promise.resolve(true) : new Promise(function (ok) { w.addEventListener('ready', function () { ok(true); }, { once: true }); });
          return within(ready, timeout).then(function (r) {
            out.push({ tag: w.localName, ready: Boolean(r), notice: w.notice && !w.notice.hidden ? w.notice.textContent : '' });
            return step(i + 1);
          });
        });
      };
      return step(0);
    },
    /** How many interactions can be tried on widget i. */
    tries: function (i) {
      return tries(widgetList()[i]).length;
    },
    /** Focuses the k-th control of widget i and remembers its state; returns { key, what } to press. */
    focus: function (i, k) {
      var w = widgetList()[i];
      var t = tries(w)[k];
      w.scrollIntoView({ block: 'center' });
      t.el.focus();
      current = { w: w, before: snapshot(w), changed: false };
      var c = current;
      w.addEventListener('change', function () { c.changed = true; }, { once: true });
      return { key: t.key, what: t.what, focused: w.shadowRoot.activeElement === t.el };
    },
    /** Whether the widget focused last emitted `change` or shows something else, within `ms`. */
    changed: function (ms) {
      var c = current;
      var t0 = Date.now();
      return new Promise(function (ok) {
        (function poll() {
          if (c.changed || snapshot(c.w) !== c.before) return ok(true);
          if (Date.now() - t0 > ms) return ok(false);
          setTimeout(poll, 50);
        })();
      });
    },
    /** Waits for the service worker: { supported, active, scope }. */
    serviceWorker: function (timeout) {
      if (!('serviceWorker' in navigator)) return Promise.resolve({ supported: false, active: false });
      return within(navigator.serviceWorker.ready, timeout).then(function (reg) {
        return { supported: true, active: Boolean(reg && reg.active), state: reg && reg.active ? reg.active.state : null, scope: reg ? reg.scope : null };
      });
    },
    /** Whether this page is controlled by a service worker. */
    controlled: function () {
      return Boolean(navigator.serviceWorker && navigator.serviceWorker.controller);
    },
  };
})();
