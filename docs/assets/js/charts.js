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
 * - A first tap answers at once: the site's own tooltip reads the picture's tooltip map until the
 *   interactive chart is ready (on a slow phone the bundle takes seconds), then Vega's scenegraph.
 *   Pointer, tap and keyboard reach every mark: the nearest mark within reach answers, and with
 *   the chart focused, arrow keys step through the marks in reading order while a live region
 *   reads the tooltip out.
 * - Material's instant navigation swaps page content without a reload, so set-up runs from
 *   document$ (once per page view, once Material has started) and skips canvases it has
 *   already seen.
 * - The palette toggle does not reload either: a MutationObserver redraws charts with the dark or
 *   light theme when body[data-md-color-scheme] changes.
 * - Tabs stay put: a view's panel may be much shorter or taller than the chart's, so choosing one
 *   scrolls by what the tabs moved (without JavaScript the views still switch, in CSS alone).
 * - The hint under a chart ("Point at, tap or focus the chart...") goes once the reader has used a
 *   chart, each hint when it is below the screen: one hidden in place left a blank line, one taken
 *   away under the reader's eyes or above them would move the page. Below the screen, it moves
 *   nothing the reader sees (in every browser, with or without scroll anchoring).
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
        // The site's own tooltip answers (see below), before and after this chart is drawn.
        tooltip: false,
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

  // --- Tooltips: by pointer, tap and keyboard, from the picture or the live chart --------------
  //
  // The site shows its own tooltip, the same before and after the interactive chart loads. Before,
  // marks are found in the picture's tooltip map (data-tips, written at build time by
  // chipsite.tipmap), so a first tap answers at once even while the Vega bundle is still on its way
  // over a slow connection. After, they are found in Vega's scenegraph. Either way the mark nearest
  // to the finger or pointer answers, within REACH CSS pixels: thin rules, hollow rings and small
  // dots are as easy to hit as large bars, and a label drawn over a mark does not swallow the tap.
  // Marks drawn on top of each other answer together.

  var REACH = 28;
  var TOGETHER = 3;
  var tipElement = null;

  function fieldsKey(fields) {
    return fields
      .map(function (pair) {
        return pair[0] + "\u001f" + pair[1];
      })
      .join("\u001e");
  }

  function fieldsOf(tooltip) {
    if (!tooltip || typeof tooltip !== "object") return tooltip == null || tooltip === "" ? [] : [["", String(tooltip)]];
    return Object.keys(tooltip)
      .filter(function (key) {
        var value = tooltip[key];
        return value != null && String(value).trim() !== "" && String(value) !== "undefined";
      })
      .map(function (key) {
        return [key, String(tooltip[key]).trim()];
      });
  }

  function tipMaps(canvas) {
    if (canvas._tipMaps === undefined) {
      try {
        canvas._tipMaps = canvas.dataset.tips ? JSON.parse(canvas.dataset.tips) : null;
      } catch (error) {
        canvas._tipMaps = null;
      }
    }
    return canvas._tipMaps;
  }

  // The map of the picture on screen: its tips, their boxes in the picture's pixels, and where the
  // picture is and how much it is scaled.
  function pictureMap(canvas) {
    var maps = tipMaps(canvas);
    var map = maps && (maps[layout(canvas)] || maps.wide);
    if (!map) return null;
    var shown = null;
    canvas.querySelectorAll("img.chart__static").forEach(function (img) {
      if (!shown && img.offsetWidth > 0) shown = img;
    });
    if (!shown) return null;
    var frame = shown.getBoundingClientRect();
    return { tips: map.tips, frame: frame, scale: frame.width / map.width };
  }

  // The same for the live chart, read from Vega's scenegraph, in the picture map's reading order.
  function liveMap(canvas) {
    var view = canvas._chart && canvas._chart.view;
    var svg = canvas.querySelector(".chart__interactive svg");
    if (!view || !svg) return null;
    var byKey = {};
    var order = [];
    function visit(node, dx, dy) {
      (node.items || []).forEach(function (item) {
        if (node.marktype === "group") {
          (item.items || []).forEach(function (child) {
            visit(child, dx + (item.x || 0), dy + (item.y || 0));
          });
          return;
        }
        var fields = fieldsOf(item.tooltip);
        if (!fields.length) return;
        var nested = node.marktype === "line" || node.marktype === "area";
        var b = item.bounds;
        var box = nested || !b ? [item.x, item.y, item.x, item.y] : [b.x1, b.y1, b.x2, b.y2];
        if (box.some(isNaN)) return;
        var key = fieldsKey(fields);
        if (!byKey[key]) {
          byKey[key] = { fields: fields, boxes: [], line: nested };
          order.push(key);
        }
        byKey[key].boxes.push([box[0] + dx, box[1] + dy, box[2] + dx, box[3] + dy]);
      });
    }
    // The root is drawn at the view's origin inside its padding.
    var origin = view.origin();
    var padding = view.padding() || {};
    visit(view.scenegraph().root, origin[0] + (padding.left || 0), origin[1] + (padding.top || 0));
    var frame = svg.getBoundingClientRect();
    var drawnWidth = svg.viewBox && svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal.width : Number(svg.getAttribute("width"));
    var maps = tipMaps(canvas);
    var reading = maps && (maps[canvas.dataset.layout] || maps.wide);
    var rank = {};
    if (reading) {
      reading.tips.forEach(function (tip, index) {
        rank[fieldsKey(tip.fields)] = index;
      });
    }
    var tips = order.map(function (key) {
      return byKey[key];
    });
    tips.sort(function (a, b) {
      var ra = rank[fieldsKey(a.fields)];
      var rb = rank[fieldsKey(b.fields)];
      if (ra != null && rb != null) return ra - rb;
      if (ra != null) return -1;
      if (rb != null) return 1;
      return a.boxes[0][0] - b.boxes[0][0] || a.boxes[0][1] - b.boxes[0][1];
    });
    return { tips: tips, frame: frame, scale: frame.width / (drawnWidth || frame.width) };
  }

  function currentMap(canvas) {
    return (canvas.dataset.state === "ready" && liveMap(canvas)) || pictureMap(canvas);
  }

  function screenBox(map, box) {
    return {
      left: map.frame.left + box[0] * map.scale,
      top: map.frame.top + box[1] * map.scale,
      right: map.frame.left + box[2] * map.scale,
      bottom: map.frame.top + box[3] * map.scale
    };
  }

  function distance(rect, x, y) {
    var dx = Math.max(rect.left - x, 0, x - rect.right);
    var dy = Math.max(rect.top - y, 0, y - rect.bottom);
    return Math.sqrt(dx * dx + dy * dy);
  }

  // How far (x, y) is from the segment between two boxes' middles: a line is reached along its length.
  function segmentDistance(a, b, x, y) {
    var ax = (a.left + a.right) / 2;
    var ay = (a.top + a.bottom) / 2;
    var bx = (b.left + b.right) / 2;
    var by = (b.top + b.bottom) / 2;
    var length = (bx - ax) * (bx - ax) + (by - ay) * (by - ay);
    var t = length ? Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / length)) : 0;
    return Math.hypot(ax + t * (bx - ax) - x, ay + t * (by - ay) - y);
  }

  // The tips nearest to (x, y) within reach: the nearest, and any drawn at the same place (marks
  // before the lines that pass through them).
  function nearest(map, x, y) {
    var scored = [];
    map.tips.forEach(function (tip) {
      var rects = tip.boxes.map(function (box) {
        return screenBox(map, box);
      });
      var best = Infinity;
      var center = Infinity;
      rects.forEach(function (rect, i) {
        var d = distance(rect, x, y);
        if (tip.line && i > 0) d = Math.min(d, segmentDistance(rects[i - 1], rect, x, y));
        var c = tip.line ? d : Math.hypot((rect.left + rect.right) / 2 - x, (rect.top + rect.bottom) / 2 - y);
        if (d < best || (d === best && c < center)) {
          best = d;
          center = c;
        }
      });
      if (best <= REACH) scored.push({ tip: tip, d: best, c: center, line: tip.line ? 1 : 0 });
    });
    if (!scored.length) return [];
    scored.sort(function (a, b) {
      return a.d - b.d || a.line - b.line || a.c - b.c;
    });
    return scored
      .filter(function (s) {
        return s.d <= scored[0].d + 2 && Math.abs(s.c - scored[0].c) <= 4;
      })
      .slice(0, TOGETHER)
      .map(function (s) {
        return s.tip;
      });
  }

  function tipBox() {
    if (!tipElement || !tipElement.isConnected) {
      tipElement = document.createElement("div");
      tipElement.id = "chart-tip";
      tipElement.className = "chart-tip";
      tipElement.setAttribute("role", "tooltip");
      document.body.appendChild(tipElement);
    }
    return tipElement;
  }

  // Fact text is shown as text, never read as HTML.
  function showTip(tips, x, y) {
    var box = tipBox();
    box.textContent = "";
    tips.forEach(function (tip) {
      var table = document.createElement("table");
      tip.fields.forEach(function (pair) {
        var row = table.insertRow();
        var key = row.insertCell();
        key.className = "chart-tip__key";
        key.textContent = pair[0];
        var value = row.insertCell();
        value.className = "chart-tip__value";
        value.textContent = pair[1];
      });
      box.appendChild(table);
    });
    box.classList.add("is-visible");
    // Beside the point, pulled back onto the screen on a phone.
    var margin = 8;
    var rect = box.getBoundingClientRect();
    var left = x + 12;
    if (left + rect.width > window.innerWidth - margin) left = x - 12 - rect.width;
    var top = y + 12;
    if (top + rect.height > window.innerHeight - margin) top = y - 12 - rect.height;
    box.style.left = Math.max(margin, Math.min(left, window.innerWidth - rect.width - margin)) + "px";
    box.style.top = Math.max(margin, Math.min(top, window.innerHeight - rect.height - margin)) + "px";
  }

  function hideTip(canvas) {
    if (tipElement && (!canvas || tipElement._canvas === canvas || !tipElement._canvas)) {
      tipElement.classList.remove("is-visible");
    }
    var live = canvas && canvas.querySelector(".chart__live");
    if (live) live.textContent = "";
  }

  function answer(canvas, x, y) {
    var map = currentMap(canvas);
    var tips = map ? nearest(map, x, y) : [];
    if (!tips.length) {
      hideTip(canvas);
      return false;
    }
    showTip(tips, x, y);
    tipElement._canvas = canvas;
    return true;
  }

  function onTap(event) {
    var canvas = event.currentTarget;
    if (!answer(canvas, event.clientX, event.clientY)) {
      // Visible feedback for a tap between marks: the chart's frame lights up for a moment.
      canvas.classList.remove("is-pressed");
      void canvas.offsetWidth;
      canvas.classList.add("is-pressed");
    }
  }

  function onHover(event) {
    if (event.pointerType !== "mouse") return;
    var canvas = event.currentTarget;
    if (canvas._hoverFrame) return;
    var x = event.clientX;
    var y = event.clientY;
    canvas._hoverFrame = requestAnimationFrame(function () {
      canvas._hoverFrame = 0;
      answer(canvas, x, y);
    });
  }

  function tipText(fields) {
    return fields
      .map(function (pair) {
        return pair[0] + ": " + pair[1];
      })
      .join("; ");
  }

  var KEYS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: "first", End: "last" };

  // Arrow keys step through the marks in reading order (chipsite.tipmap sorts them: row by row
  // where the rows are categories, left to right along a time axis).
  function onKey(event) {
    var canvas = event.currentTarget;
    if (event.key === "Escape") return hideTip(canvas);
    if (!(event.key in KEYS)) return;
    var map = currentMap(canvas);
    if (!map || !map.tips.length) return;
    event.preventDefault();
    var count = map.tips.length;
    var step = KEYS[event.key];
    var index = canvas._tipIndex == null ? -1 : canvas._tipIndex;
    if (step === "first") index = 0;
    else if (step === "last") index = count - 1;
    else index = index < 0 ? (step > 0 ? 0 : count - 1) : (index + step + count) % count;
    canvas._tipIndex = index;
    var tip = map.tips[index];
    var rect = screenBox(map, tip.boxes[0]);
    showTip([tip], (rect.left + rect.right) / 2, (rect.top + rect.bottom) / 2);
    tipElement._canvas = canvas;
    var live = canvas.querySelector(".chart__live");
    if (!live) {
      live = document.createElement("p");
      live.className = "chart__live";
      live.setAttribute("aria-live", "polite");
      canvas.appendChild(live);
    }
    live.textContent = tipText(tip.fields) + " (" + (index + 1) + " of " + count + ")";
  }

  // A tap or click outside a chart hides its tooltip.
  document.addEventListener(
    "pointerdown",
    function (event) {
      if (tipElement && tipElement._canvas && !tipElement._canvas.contains(event.target)) hideTip(tipElement._canvas);
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

  // --- The hints under the charts -------------------------------------------------------------

  var hintWatcher =
    "IntersectionObserver" in window
      ? new IntersectionObserver(function (entries) {
          entries.forEach(function (entry) {
            if (interactiveWanted && belowTheScreen(entry.target)) dropHint(entry.target);
          });
        })
      : null;

  function watchHints() {
    if (!hintWatcher) return;
    document.querySelectorAll(".chart__hint:not([data-watched])").forEach(function (hint) {
      hint.dataset.watched = "true";
      hintWatcher.observe(hint);
    });
  }

  // Below the screen, or not laid out at all (another view of its figure is open).
  function belowTheScreen(hint) {
    var box = hint.getBoundingClientRect();
    return box.height === 0 || box.top >= window.innerHeight;
  }

  // The observer reports changes only: when the reader first uses a chart, the hints already below
  // the screen go at once.
  function dropHintsBelow() {
    if (!hintWatcher) return;
    document.querySelectorAll(".chart__hint[data-watched]:not(.is-gone)").forEach(function (hint) {
      if (belowTheScreen(hint)) dropHint(hint);
    });
  }

  function dropHint(hint) {
    if (!hint.isConnected || hint.classList.contains("is-gone")) return;
    hintWatcher.unobserve(hint);
    hint.classList.add("is-gone");
  }

  // --- Set-up ---------------------------------------------------------------------------------

  // Once a reader has asked for interactive charts, later pages (instant navigation) start with them.
  var interactiveWanted = false;

  function upgradeAll() {
    interactiveWanted = true;
    document.querySelectorAll(".chart__canvas").forEach(function (canvas) {
      if (!canvas.dataset.state) render(canvas);
    });
    dropHintsBelow();
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
    watchHints();
    document.querySelectorAll(".chart__canvas:not([data-armed])").forEach(function (canvas) {
      canvas.dataset.armed = "true";
      ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
        canvas.addEventListener(type, upgradeAll, { once: true, passive: true });
      });
      canvas.addEventListener("keydown", onKey);
      canvas.addEventListener("click", onTap);
      canvas.addEventListener("pointermove", onHover, { passive: true });
      canvas.addEventListener("pointerleave", function (event) {
        if (event.pointerType === "mouse") hideTip(canvas);
      });
      canvas.addEventListener("animationend", function () {
        canvas.classList.remove("is-pressed");
      });
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
  window.chipsiteCharts = {
    upgradeAll: upgradeAll,
    // Every mark a tap can reach, with its fields and its boxes on screen, in reading order.
    marks: function (canvas) {
      var map = currentMap(canvas);
      if (!map) return [];
      return map.tips.map(function (tip) {
        return {
          fields: tip.fields,
          line: Boolean(tip.line),
          boxes: tip.boxes.map(function (box) {
            return screenBox(map, box);
          })
        };
      });
    }
  };

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
