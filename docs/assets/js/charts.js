/*
 * Chart loader. Every chart starts as a static picture (the browser picks the narrow or wide image;
 * CSS picks light or dark). When the reader points at, taps or focuses a chart, this loads the
 * site's own Vega bundle once and lays the interactive charts of the page over their pictures.
 *
 * Why it is written this way:
 * - No layout shift: the interactive chart is drawn into the box the picture already occupies
 *   (spec width and height set to the box, autosize "fit"), so the page does not move.
 * - Readable at every width: the chart is drawn for the box's real width, from the narrow spec up
 *   to the same media query the <picture> uses (data-narrow-media), so static and interactive
 *   charts always share a layout; it is drawn again when the box changes size.
 * - Tooltips on touch and keyboard: Vega shows tooltips on pointer movement only, so a tap
 *   (click) shows the tooltip of the mark under the finger and a tap elsewhere hides it; with the
 *   chart focused, arrow keys step through the marks and a live region reads the tooltip out.
 * - Material's instant navigation swaps page content without a reload, so set-up runs from
 *   document$ (once per page view, once Material has started) and skips canvases it has
 *   already seen.
 * - The palette toggle does not reload either: a MutationObserver redraws charts with the dark or
 *   light theme when body[data-md-color-scheme] changes.
 * - Tabs stay put: a view's panel may be much shorter or taller than the chart's, so choosing one
 *   scrolls by what the tabs moved (without JavaScript the views still switch, in CSS alone).
 * - Nothing is fetched from other hosts; URLs come from data- attributes written at build time,
 *   so the site works under any sub-path.
 */
(function () {
  "use strict";

  var bundles = {};
  var themes = {};
  var specs = {};
  var resizeTimers = new WeakMap();

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

  function layout(canvas) {
    var media = canvas.dataset.narrowMedia;
    return media && window.matchMedia(media).matches ? "narrow" : "wide";
  }

  // Vega-Lite fits single and layered views to a box; concatenated or faceted ones keep their
  // own size and are scaled into the box like the static picture.
  function fitsBox(spec) {
    return Boolean(spec.layer || spec.mark);
  }

  function render(canvas) {
    var width = Math.floor(canvas.clientWidth);
    var height = Math.floor(canvas.clientHeight);
    if (width < 1 || height < 1) {
      // Hidden (another view of the figure is open): drawn when it is shown (see resized).
      canvas.dataset.state = "waiting";
      return Promise.resolve();
    }
    var wantedLayout = layout(canvas);
    var url = wantedLayout === "narrow" ? canvas.dataset.specNarrow || canvas.dataset.spec : canvas.dataset.spec;
    var bundle = loadOnce(bundles, canvas.dataset.bundle, loadScript);
    var theme = loadOnce(themes, canvas.dataset.theme, fetchJson);
    var spec = loadOnce(specs, url, fetchJson);
    var wanted = scheme();
    var generation = (canvas._generation || 0) + 1;
    canvas._generation = generation;
    canvas.dataset.state = "loading";
    return Promise.all([theme, spec, bundle]).then(function (loaded) {
      var copy = JSON.parse(JSON.stringify(loaded[1]));
      var scaled = !fitsBox(copy);
      if (!scaled) {
        copy.width = width;
        copy.height = height;
        copy.autosize = { type: "fit", contains: "padding" };
      }
      var target = document.createElement("div");
      target.className = "chart__interactive";
      canvas.appendChild(target);
      return window.vegaEmbed(target, copy, {
        config: loaded[0][wanted],
        actions: false,
        renderer: "svg",
        tooltip: { theme: wanted },
        ariaLabel: canvas.getAttribute("aria-label") || undefined
      }).then(function (result) {
        if (canvas._generation !== generation) {
          result.finalize();
          target.remove();
          return;
        }
        var svg = target.querySelector("svg");
        if (scaled && svg) {
          svg.setAttribute("viewBox", "0 0 " + svg.getAttribute("width") + " " + svg.getAttribute("height"));
          svg.setAttribute("preserveAspectRatio", "xMinYMin meet");
          svg.style.width = "100%";
          svg.style.height = "100%";
        }
        if (svg) svg.setAttribute("aria-hidden", "true");
        var old = canvas._chart;
        canvas.querySelectorAll(".chart__interactive").forEach(function (el) {
          if (el !== target) el.remove();
        });
        if (old) old.finalize();
        canvas._chart = result;
        canvas._tipIndex = -1;
        watchTaps(canvas, result.view);
        canvas.dataset.scheme = wanted;
        canvas.dataset.layout = wantedLayout;
        canvas.dataset.size = width + "x" + height;
        canvas.dataset.state = "ready";
        canvas.classList.add("is-interactive");
        // The box may have changed while the chart was being drawn.
        if (Math.floor(canvas.clientWidth) + "x" + Math.floor(canvas.clientHeight) !== canvas.dataset.size) render(canvas);
      });
    }).catch(function (error) {
      canvas.dataset.state = "failed";
      console.warn("chart " + canvas.dataset.chartId + " stays static: " + error.message);
    });
  }

  // --- Tooltips by tap and by keyboard -------------------------------------------------------

  function showTip(view, event, item) {
    var handler = view.tooltip();
    if (typeof handler !== "function") return;
    handler.call(view, null, event, item, item ? item.tooltip : null);
    // vega-tooltip places the tip beside the point; on a phone that can be off screen: pull it in.
    var tip = document.getElementById("vg-tooltip-element");
    if (!item || !tip) return;
    var box = tip.getBoundingClientRect();
    var margin = 8;
    tip.style.left = Math.max(margin, Math.min(box.left, window.innerWidth - box.width - margin)) + "px";
    tip.style.top = Math.max(margin, Math.min(box.top, window.innerHeight - box.height - margin)) + "px";
  }

  function hideTip(canvas) {
    if (canvas._chart) showTip(canvas._chart.view, { clientX: 0, clientY: 0 }, null);
    var live = canvas.querySelector(".chart__live");
    if (live) live.textContent = "";
  }

  function watchTaps(canvas, view) {
    view.addEventListener("click", function (event, item) {
      if (item && item.tooltip != null && item.mark && item.mark.marktype !== "group") {
        showTip(view, event, item);
      } else {
        hideTip(canvas);
      }
    });
  }

  function tipItems(view) {
    var found = [];
    function visit(node) {
      if (!node) return;
      if (node.marktype) {
        (node.items || []).forEach(visit);
        return;
      }
      if (node.tooltip != null && node.tooltip !== "" && node.mark && node.mark.marktype !== "group" && node._svg) {
        found.push(node);
      }
      (node.items || []).forEach(visit);
    }
    visit(view.scenegraph().root);
    var seen = {};
    return found
      .map(function (item) {
        var box = item._svg.getBoundingClientRect();
        return { item: item, x: box.left + box.width / 2, y: box.top + box.height / 2 };
      })
      .filter(function (tip) {
        var key = Math.round(tip.x) + "," + Math.round(tip.y) + "," + JSON.stringify(tip.item.tooltip);
        if (seen[key]) return false;
        seen[key] = true;
        return true;
      })
      .sort(function (a, b) {
        return a.x - b.x || a.y - b.y;
      });
  }

  function tipText(value) {
    if (value && typeof value === "object") {
      return Object.keys(value)
        .map(function (key) {
          return key + ": " + value[key];
        })
        .join("; ");
    }
    return String(value);
  }

  var KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };

  function onKey(event) {
    var canvas = event.currentTarget;
    if (event.key === "Escape") return hideTip(canvas);
    if (!(event.key in KEYS) || !canvas._chart) return;
    var tips = tipItems(canvas._chart.view);
    if (!tips.length) return;
    event.preventDefault();
    var step = KEYS[event.key];
    var index = canvas._tipIndex == null ? -1 : canvas._tipIndex;
    if (step === "first") index = 0;
    else if (step === "last") index = tips.length - 1;
    else index = index < 0 ? (step > 0 ? 0 : tips.length - 1) : (index + step + tips.length) % tips.length;
    canvas._tipIndex = index;
    var tip = tips[index];
    showTip(canvas._chart.view, { clientX: tip.x, clientY: tip.y }, tip.item);
    var live = canvas.querySelector(".chart__live");
    if (!live) {
      live = document.createElement("p");
      live.className = "chart__live";
      live.setAttribute("aria-live", "polite");
      canvas.appendChild(live);
    }
    live.textContent = tipText(tip.item.tooltip) + " (" + (index + 1) + " of " + tips.length + ")";
  }

  // A tap or click outside a chart hides its tooltip.
  document.addEventListener(
    "pointerdown",
    function (event) {
      document.querySelectorAll('.chart__canvas[data-state="ready"]').forEach(function (canvas) {
        if (!canvas.contains(event.target)) hideTip(canvas);
      });
    },
    { passive: true }
  );

  // Choosing a view (Chart, Table, Sources, Download, Cite) swaps panels of different heights
  // above the bar of tabs: keep the bar where the reader's finger or pointer left it.
  var tabsBefore = null;
  function rememberTabs(event) {
    var bar = event.target.closest && event.target.closest(".chart__views");
    if (bar) tabsBefore = { views: bar, top: bar.querySelector(".chart__bar").getBoundingClientRect().top };
  }
  document.addEventListener("pointerdown", rememberTabs, { capture: true, passive: true });
  document.addEventListener("keydown", rememberTabs, { capture: true, passive: true });
  document.addEventListener("change", function (event) {
    if (!event.target.matches || !event.target.matches(".chart__view-input")) return;
    var views = event.target.closest(".chart__views");
    if (!tabsBefore || tabsBefore.views !== views) return;
    var moved = views.querySelector(".chart__bar").getBoundingClientRect().top - tabsBefore.top;
    if (Math.abs(moved) > 1) window.scrollBy(0, moved);
    tabsBefore = null;
  });

  // --- Set-up ---------------------------------------------------------------------------------

  // Once a reader has asked for interactive charts, later pages (instant navigation) start with them.
  var interactiveWanted = false;

  function upgradeAll() {
    interactiveWanted = true;
    document.querySelectorAll(".chart__canvas").forEach(function (canvas) {
      if (!canvas.dataset.state) render(canvas);
    });
  }

  var resizes = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var canvas = entry.target;
      var state = canvas.dataset.state;
      if (state !== "ready" && state !== "waiting") return;
      var size = Math.floor(canvas.clientWidth) + "x" + Math.floor(canvas.clientHeight);
      if (size === canvas.dataset.size && layout(canvas) === canvas.dataset.layout) return;
      clearTimeout(resizeTimers.get(canvas));
      resizeTimers.set(
        canvas,
        setTimeout(function () {
          render(canvas);
        }, 120)
      );
    });
  });

  function setUp() {
    showDarkStatics();
    document.querySelectorAll(".chart__canvas:not([data-armed])").forEach(function (canvas) {
      canvas.dataset.armed = "true";
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        canvas.addEventListener(type, upgradeAll, { once: true, passive: true });
      });
      canvas.addEventListener("keydown", onKey);
      canvas.addEventListener("focusout", function () {
        hideTip(canvas);
      });
      resizes.observe(canvas);
    });
    if (interactiveWanted) upgradeAll();
  }

  // The dark pictures name their files in data- attributes, so readers without JavaScript (who
  // always get the light scheme) never download them. Turned on here, they still load only when
  // shown: they are lazy and hidden (display: none) in the light scheme.
  function showDarkStatics() {
    document.querySelectorAll(".chart__picture--dark [data-srcset]").forEach(function (source) {
      source.srcset = source.dataset.srcset;
      source.removeAttribute("data-srcset");
    });
    document.querySelectorAll(".chart__picture--dark img[data-src]").forEach(function (img) {
      img.src = img.dataset.src;
      img.removeAttribute("data-src");
    });
  }

  new MutationObserver(function () {
    document.querySelectorAll('.chart__canvas[data-state="ready"]').forEach(function (canvas) {
      if (canvas.dataset.scheme !== scheme()) render(canvas);
    });
  }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });

  // Tests and readers' scripts can ask for every chart at once.
  window.chipsiteCharts = { upgradeAll: upgradeAll };

  // Material's bundle loads after the first paint (see main.html): set the page up now, then again
  // from document$ once Material has started, for the pages instant navigation brings in.
  function followMaterial() {
    if (window.document$ && typeof window.document$.subscribe === "function") window.document$.subscribe(setUp);
  }
  if (window.document$) {
    followMaterial();
  } else {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
    else setUp();
    document.addEventListener("chipsite:material-started", followMaterial, { once: true });
  }
})();
