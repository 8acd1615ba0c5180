/*
 * Chart loader. Every chart starts as a static SVG (light and dark variants, switched by CSS).
 * When the reader points at, taps or focuses a chart, this loads the site's own Vega bundle once
 * and replaces the static images on that page with interactive charts.
 *
 * Why it is written this way:
 * - Material's instant navigation swaps page content without a reload, so set-up runs from
 *   document$ (once per page view) and skips canvases it has already seen.
 * - The palette toggle does not reload either: a MutationObserver re-embeds charts with the
 *   dark or light theme when body[data-md-color-scheme] changes.
 * - Nothing is fetched from other hosts; URLs come from data- attributes written at build time,
 *   so the site works under any sub-path.
 */
(function () {
  "use strict";

  var MIN_WIDTH = 560;
  var bundles = {};
  var themes = {};
  var specs = {};

  function loadOnce(cache, url, load) {
    // Pages at different depths write different relative URLs for the same file.
    url = new URL(url, document.baseURI).href;
    if (!cache[url]) {
      cache[url] = load(url).catch(function (error) {
        delete cache[url];
        throw error;
      });
    }
    return cache[url];
  }

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      if (window.vegaEmbed) return resolve();
      var script = document.createElement("script");
      script.src = url;
      script.onload = resolve;
      script.onerror = function () {
        reject(new Error("could not load " + url));
      };
      document.head.appendChild(script);
    });
  }

  function fetchJson(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error(url + ": HTTP " + response.status);
      return response.json();
    });
  }

  function scheme() {
    return document.body.getAttribute("data-md-color-scheme") === "slate" ? "dark" : "light";
  }

  function render(canvas) {
    var bundle = loadOnce(bundles, canvas.dataset.bundle, loadScript);
    var theme = loadOnce(themes, canvas.dataset.theme, fetchJson);
    var spec = loadOnce(specs, canvas.dataset.spec, fetchJson);
    var wanted = scheme();
    canvas.dataset.state = "loading";
    return Promise.all([theme, spec, bundle]).then(function (loaded) {
      var copy = JSON.parse(JSON.stringify(loaded[1]));
      var target = canvas.querySelector(".chart__interactive");
      if (!target) {
        target = document.createElement("div");
        target.className = "chart__interactive";
        canvas.appendChild(target);
      }
      // Below MIN_WIDTH labels and legends collide: keep that width and let the chart scroll
      // sideways inside its box (focusable, so keyboard readers can scroll it too).
      if (canvas.clientWidth < MIN_WIDTH) {
        copy.width = MIN_WIDTH;
        target.classList.add("is-scrollable");
        target.tabIndex = 0;
        target.setAttribute("aria-label", "Chart, scrolls sideways");
      } else {
        copy.width = "container";
        copy.autosize = { type: "fit-x", contains: "padding" };
      }
      if (canvas._chart) canvas._chart.finalize();
      return window.vegaEmbed(target, copy, {
        config: loaded[0][wanted],
        actions: false,
        renderer: "svg",
        ariaLabel: canvas.getAttribute("aria-label") || undefined
      }).then(function (result) {
        canvas._chart = result;
        canvas.dataset.scheme = wanted;
        canvas.dataset.state = "ready";
        canvas.classList.add("is-interactive");
      });
    }).catch(function (error) {
      canvas.dataset.state = "failed";
      console.warn("chart " + canvas.dataset.chartId + " stays static: " + error.message);
    });
  }

  function upgradeAll() {
    document.querySelectorAll(".chart__canvas").forEach(function (canvas) {
      if (!canvas.dataset.state) render(canvas);
    });
  }

  function setUp() {
    showDarkStatics();
    document.querySelectorAll(".chart__canvas:not([data-armed])").forEach(function (canvas) {
      canvas.dataset.armed = "true";
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        canvas.addEventListener(type, upgradeAll, { once: true, passive: true });
      });
    });
  }

  // The dark static images load only once a reader picks the dark scheme (which needs JavaScript).
  function showDarkStatics() {
    if (scheme() !== "dark") return;
    document.querySelectorAll("img.chart__static--dark[data-src]").forEach(function (img) {
      img.src = img.dataset.src;
      img.removeAttribute("data-src");
    });
  }

  new MutationObserver(function () {
    showDarkStatics();
    document.querySelectorAll('.chart__canvas[data-state="ready"]').forEach(function (canvas) {
      if (canvas.dataset.scheme !== scheme()) render(canvas);
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // Tests and readers' scripts can ask for every chart at once.
  window.chipsiteCharts = { upgradeAll: upgradeAll };

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else {
    document.addEventListener("DOMContentLoaded", setUp);
  }
})();
