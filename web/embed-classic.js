/**
 * The classic-script form of embed.js, for pages (or editors) that only allow a plain
 * `<script src="https://HOST/embed-classic.js"></script>`: it imports embed.js from next to itself.
 * The import is a module fetch, so a cross-origin host still needs Access-Control-Allow-Origin.
 */
(function () {
  'use strict';
  var me = document.currentScript;
  var src;
  try {
    src = new URL('embed.js', (me && me.src) || document.baseURI).href;
  } catch (e) {
    src = 'embed.js';
  }
  import(src).catch(function (err) {
    console.error('Attention Lab: the widgets could not be loaded from ' + src + ' (' + (err && err.message) + ')');
  });
})();
