/* jssreport: give the charts readable colours in dark mode (the page CSS cannot reach them). */
(function () {
  "use strict";
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function applyTheme() {
    if (!window.Plotly) {
      return;
    }
    var dark = Boolean(media && media.matches);
    var update = {
      "font.color": dark ? "#e5e7eb" : "#1f2937",
      "hoverlabel.bgcolor": dark ? "#181b21" : "#ffffff",
      "hoverlabel.font.color": dark ? "#e5e7eb" : "#1f2937"
    };
    var plots = document.querySelectorAll(".plotly-graph-div");
    for (var i = 0; i < plots.length; i += 1) {
      if (plots[i].data) {
        window.Plotly.relayout(plots[i], update);
      }
    }
  }

  if (media && media.matches) {
    applyTheme();
  }
  if (media && media.addEventListener) {
    media.addEventListener("change", applyTheme);
  }
})();
