/**
 * Optional companion of the iframe form (embed.html): sizes each Attention Lab frame on the page to
 * the height it reports with postMessage({ type: 'attention-lab:height', height }). Only messages
 * from this script's own origin and from an <iframe> on the page are used.
 *
 *   <iframe src="https://HOST/embed.html#widget=softmax" height="600" ...></iframe>
 *   <script src="https://HOST/embed-resize.js" async></script>
 */
(function () {
  'use strict';
  if (window.__attentionLabResize) return;
  window.__attentionLabResize = true;
  var me = document.currentScript;
  var origin = null;
  try {
    origin = new URL((me && me.src) || document.baseURI).origin;
  } catch (e) {
    origin = null;
  }
  window.addEventListener('message', function (e) {
    var d = e.data;
    if (!d || typeof d !== 'object' || d.type !== 'attention-lab:height') return;
    if (origin && e.origin !== origin) return;
    var h = Number(d.height);
    if (!isFinite(h) || h < 40 || h > 20000) return;
    var frames = document.getElementsByTagName('iframe');
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === e.source) frames[i].setAttribute('height', String(Math.ceil(h)));
    }
  });
})();
