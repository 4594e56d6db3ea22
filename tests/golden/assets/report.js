/* jssreport: the theme button, charts in the page's theme, printable charts, scrollable tables
   reachable with the keyboard. Works from file:// (localStorage may be refused: then the choice
   lasts for the page only). */
(function () {
  "use strict";
  var KEY = "jssreport-theme";
  var PRINT_WIDTH = 680; // px: an A4 or Letter page less its margins
  var root = document.documentElement;
  var media = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var button = document.getElementById("theme-toggle");
  var printing = false;
  var drawn = "light"; // charts.py draws the light theme

  var THEMES = {
    light: {font: "#1f2937", grid: "rgba(128, 128, 128, 0.22)", hover: "#ffffff",
            bar: "#5b6472", active: "#1f2937"},
    dark: {font: "#e5e7eb", grid: "rgba(160, 168, 182, 0.24)", hover: "#181b21",
           bar: "#a0a8b6", active: "#e5e7eb"}
  };

  function save(value) {
    try { window.localStorage.setItem(KEY, value); } catch (e) { /* private mode, file:// */ }
  }

  function dark() {
    var chosen = root.getAttribute("data-theme");
    if (chosen === "dark" || chosen === "light") {
      return chosen === "dark";
    }
    return Boolean(media && media.matches);
  }

  function plots() {
    return window.Plotly ? document.querySelectorAll(".plotly-graph-div") : [];
  }

  function themeCharts(name) {
    if (name === drawn) {
      return;
    }
    var t = THEMES[name];
    var all = plots();
    for (var i = 0; i < all.length; i += 1) {
      var plot = all[i];
      if (!plot.layout) {
        continue;
      }
      var update = {
        "font.color": t.font,
        "hoverlabel.bgcolor": t.hover,
        "hoverlabel.font.color": t.font,
        "modebar.color": t.bar,
        "modebar.activecolor": t.active,
        "modebar.bgcolor": "rgba(0, 0, 0, 0)"
      };
      for (var key in plot.layout) {
        if (/^[xy]axis\d*$/.test(key)) {
          update[key + ".gridcolor"] = t.grid;
          update[key + ".zerolinecolor"] = t.grid;
        }
      }
      window.Plotly.relayout(plot, update);
    }
    drawn = name;
  }

  function apply() {
    var isDark = dark();
    if (button) {
      button.setAttribute("aria-pressed", isDark ? "true" : "false");
    }
    themeCharts(isDark && !printing ? "dark" : "light");
  }

  if (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var next = dark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      save(next);
      apply();
    });
  }
  if (media && media.addEventListener) {
    media.addEventListener("change", apply);
  }

  // Print on white, at the page's width; back to the screen afterwards.
  window.addEventListener("beforeprint", function () {
    printing = true;
    apply();
    var all = plots();
    for (var i = 0; i < all.length; i += 1) {
      if (all[i].layout) {
        window.Plotly.relayout(all[i], {width: PRINT_WIDTH, autosize: false});
      }
    }
  });
  window.addEventListener("afterprint", function () {
    printing = false;
    var all = plots();
    for (var i = 0; i < all.length; i += 1) {
      if (all[i].layout) {
        window.Plotly.relayout(all[i], {width: null, autosize: true});
      }
    }
    apply();
  });

  // A table wider than the screen scrolls; a keyboard user must be able to reach it.
  function reachableTables() {
    var boxes = document.querySelectorAll(".table-scroll");
    for (var i = 0; i < boxes.length; i += 1) {
      var box = boxes[i];
      var scrolls = box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        var caption = box.querySelector("caption");
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", caption ? caption.textContent.trim() : "Table (scrolls)");
      }
    }
  }

  apply();
  reachableTables();
  window.addEventListener("resize", reachableTables);
  document.addEventListener("toggle", reachableTables, true); // a chart's data table opened
})();
