// Draws every chart whose option JSON the server placed in a
// <script type="application/json" data-chart="ID"> element. Options are
// data, never code, so a strict Content-Security-Policy holds.
(function () {
  'use strict';
  if (typeof echarts === 'undefined') { return; }
  var nodes = document.querySelectorAll('script[type="application/json"][data-chart]');
  var charts = [];
  for (var i = 0; i < nodes.length; i++) {
    var el = document.getElementById(nodes[i].getAttribute('data-chart'));
    if (!el) { continue; }
    // The CSP forbids inline style attributes; a script may set styles.
    var h = parseInt(el.getAttribute('data-height'), 10);
    if (h > 0) { el.style.height = h + 'px'; }
    // Reports draw SVG, which prints sharply; pages draw on a canvas.
    var renderer = el.getAttribute('data-renderer') === 'svg' ? 'svg' : 'canvas';
    var chart = echarts.init(el, null, { renderer: renderer });
    chart.setOption(JSON.parse(nodes[i].textContent));
    el.setAttribute('data-drawn', 'true');
    charts.push(chart);
  }
  window.addEventListener('resize', function () {
    for (var j = 0; j < charts.length; j++) { charts[j].resize(); }
  });
})();
