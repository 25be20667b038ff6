/**
 * Optional companion of the iframe form (embed.html): sizes each Attention Lab frame on the page to
 * the height it reports with postMessage({ type: 'attention-lab:height', height }).
 *
 *   <iframe src="https://HOST/embed.html#widget=softmax" height="600" ...></iframe>
 *   <script src="https://HOST/embed-resize.js" async></script>
 *
 * A message is used only when all of these hold, so no other frame or window can resize anything:
 * - it comes from the window of an <iframe> on this page whose src is this script's own
 *   embed.html (same origin and folder) — the frames this script manages;
 * - its origin is this script's origin;
 * - data is a plain object with type 'attention-lab:height' and a height that is a number (not
 *   text such as '1e4'), finite, from MIN_HEIGHT to MAX_HEIGHT px.
 * window.__attentionLabResize.accept(event) returns { frame, height } or { error } for tests.
 */
(function () {
  'use strict';
  if (window.__attentionLabResize) return;
  var MIN_HEIGHT = 40;
  var MAX_HEIGHT = 12000;
  var me = document.currentScript;
  var frameUrl = null;
  try {
    frameUrl = new URL('embed.html', (me && me.src) || document.baseURI);
  } catch (e) {
    frameUrl = null;
  }

  /** True when `frame` is an <iframe> whose src is our embed.html (any hash). */
  function managed(frame) {
    if (!frameUrl) return false;
    try {
      var u = new URL(frame.getAttribute('src') || '', document.baseURI);
      return u.origin === frameUrl.origin && u.pathname === frameUrl.pathname;
    } catch (e) {
      return false;
    }
  }

  /** The frame a message event comes from and the height it asks for, or { error: why }. */
  function accept(e) {
    var d = e && e.data;
    if (!d || typeof d !== 'object' || d.type !== 'attention-lab:height') return { error: 'not an Attention Lab height message' };
    if (!frameUrl || e.origin !== frameUrl.origin) return { error: 'origin ' + String(e.origin).slice(0, 60) + ' is not ' + (frameUrl ? frameUrl.origin : 'known') };
    var frames = document.getElementsByTagName('iframe');
    var frame = null;
    for (var i = 0; i < frames.length; i++) {
      if (e.source && frames[i].contentWindow === e.source) frame = frames[i];
    }
    if (!frame) return { error: 'the sender is not an iframe on this page' };
    if (!managed(frame)) return { error: 'the sender is not an Attention Lab embed.html frame' };
    var h = d.height;
    if (typeof h !== 'number') return { error: 'height must be a number, not ' + (h === null ? 'null' : typeof h) };
    if (!isFinite(h)) return { error: 'height must be finite' };
    if (h < MIN_HEIGHT || h > MAX_HEIGHT) return { error: 'height ' + h + ' is outside ' + MIN_HEIGHT + '..' + MAX_HEIGHT };
    return { frame: frame, height: Math.ceil(h) };
  }

  window.__attentionLabResize = { accept: accept, MIN_HEIGHT: MIN_HEIGHT, MAX_HEIGHT: MAX_HEIGHT };
  window.addEventListener('message', function (e) {
    var r = accept(e);
    if (r.frame) r.frame.setAttribute('height', String(r.height));
  });
})();
