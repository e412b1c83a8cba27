// storyline UI behaviour, loaded as a static file (the pages carry no inline script).
// Timeline charts: hovering or focusing a mark shows its data-tip text in the chart's live region;
// the zoom buttons widen or narrow the chart (it scrolls sideways inside its frame).
(function () {
  "use strict";

  function setupChart(box) {
    var svg = box.querySelector("svg.chart");
    var tip = box.querySelector(".chart-tip");
    if (!svg) return;
    var base = svg.getBoundingClientRect().width || parseFloat(svg.getAttribute("width")) || 800;
    var zoom = 1;

    function show(ev) {
      var el = ev.target.closest ? ev.target.closest("[data-tip]") : null;
      if (el && tip) tip.textContent = el.getAttribute("data-tip");
    }
    svg.addEventListener("mouseover", show);
    svg.addEventListener("focusin", show);

    function apply() {
      svg.style.width = Math.round(base * zoom) + "px";
      var label = box.querySelector("[data-zoom-level]");
      if (label) label.textContent = Math.round(zoom * 100) + "%";
    }
    box.querySelectorAll("button[data-zoom]").forEach(function (button) {
      button.addEventListener("click", function () {
        var how = button.getAttribute("data-zoom");
        if (how === "in") zoom = Math.min(zoom * 1.5, 12);
        else if (how === "out") zoom = Math.max(zoom / 1.5, 1);
        else zoom = 1;
        apply();
      });
    });
    svg.addEventListener("wheel", function (ev) {
      if (!ev.ctrlKey) return;
      ev.preventDefault();
      zoom = ev.deltaY < 0 ? Math.min(zoom * 1.2, 12) : Math.max(zoom / 1.2, 1);
      apply();
    }, { passive: false });
  }

  function init(root) {
    (root || document).querySelectorAll("[data-chart]").forEach(function (box) {
      if (box.getAttribute("data-ready")) return;
      box.setAttribute("data-ready", "1");
      setupChart(box);
    });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", function () { init(); });
  else init();
  document.addEventListener("htmx:afterSwap", function (ev) { init(ev.target); });
})();
