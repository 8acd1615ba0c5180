// Labels and points of a chart's SVG that touch a line or a point (tests/test_chart_labels.py).
//
// A label (a text mark, not an axis or a legend) is measured by the box the browser lays its text out
// in, line by line (the font's full height: its letters have a little air above and below inside it).
// - A line or rule drawn as a mark keeps `lineClear` px from that box, measured from the edge of its
//   stroke, not its middle: a label closer than that reads as sitting on the line. A rule from a
//   point to the label is its leader line and does not count.
// - A point keeps `pointClear` px from that box.
// - A line keeps `pointLineClear` px from a point it does not pass through or start at (a line whose
//   middle passes within half a point's radius of its center runs through it, as a trend through a
//   figure that lies on it; a line that ends at it joins it, as a leader does): a line that grazes a
//   point reads as touching it.
// What a halo (a mark in the page's own color, drawn around a point) covers is not seen, and a
// halo is no ink itself.
([lineClear, pointClear, pointLineClear]) => {
  const page = ['#ffffff', '#fff', 'white', '#1e2129', 'transparent'];
  const svg = document.querySelector('svg');
  const paint = (el) => (el.getAttribute('fill') || '').toLowerCase();
  const labels = [];
  for (const t of svg.querySelectorAll('g.mark-text.role-mark text')) {
    if (!t.textContent.trim()) continue;
    const lines = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    const boxes = lines.filter(l => l.textContent.trim()).map(l => {
      const r = l.getBoundingClientRect();
      return {l: r.left, r: r.right, t: r.top, b: r.bottom};
    });
    labels.push({text: t.textContent.trim(), boxes});
  }
  const symbols = [...svg.querySelectorAll('g.mark-symbol.role-mark path')]
    .filter(p => p.getBoundingClientRect().width && p.getAttribute('opacity') !== '0');
  const disc = (p) => {
    const r = p.getBoundingClientRect();
    return {x: (r.left + r.right) / 2, y: (r.top + r.bottom) / 2, r: r.width / 2, box: r};
  };
  const halos = symbols.filter(p => page.includes(paint(p))).map(disc);
  const points = symbols.filter(p => !page.includes(paint(p))).map(disc);
  const hidden = (q) => halos.some(h => Math.hypot(q.x - h.x, q.y - h.y) < h.r);
  const strokes = [];
  for (const el of svg.querySelectorAll('g.mark-line.role-mark path, g.mark-rule.role-mark line')) {
    const m = el.getScreenCTM();
    const scale = Math.hypot(m.a, m.b);
    const half = (parseFloat(el.getAttribute('stroke-width') || '1') * scale) / 2;
    const length = el.getTotalLength();
    const all = [];
    for (let at = 0; at <= length + 0.01; at += 0.5) {
      const q = el.getPointAtLength(Math.min(at, length));
      all.push({x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f});
    }
    strokes.push({half, all, seen: all.filter(q => !hidden(q)), rule: el.tagName === 'line'});
  }
  const toBox = (q, b) => Math.hypot(Math.max(b.l - q.x, 0, q.x - b.r), Math.max(b.t - q.y, 0, q.y - b.b));
  const found = [];
  for (const lab of labels) {
    const near = (q) => Math.min(...lab.boxes.map(b => toBox(q, b)));
    for (const s of strokes) {
      // A leader: a rule from a point to the label.
      const [a, z] = [s.all[0], s.all[s.all.length - 1]];
      const atPoint = (q) => points.some(p => Math.hypot(q.x - p.x, q.y - p.y) <= p.r + 4);
      if (s.rule && ((near(a) <= 5 && atPoint(z)) || (near(z) <= 5 && atPoint(a)))) continue;
      const gap = Math.min(...s.seen.map(q => near(q) - s.half));
      if (gap < lineClear) found.push(`"${lab.text}" sits on a line (${gap.toFixed(1)} px)`);
    }
    for (const p of points) {
      const b = p.box;
      const gap = Math.min(...lab.boxes.map(a =>
        Math.hypot(Math.max(a.l - b.right, b.left - a.r, 0), Math.max(a.t - b.bottom, b.top - a.b, 0)) *
        (Math.min(a.r, b.right) > Math.max(a.l, b.left) && Math.min(a.b, b.bottom) > Math.max(a.t, b.top) ? -1 : 1)));
      if (gap < pointClear) found.push(`"${lab.text}" sits on a point (${gap.toFixed(1)} px)`);
    }
  }
  for (const p of points) {
    for (const s of strokes) {
      if (!s.all.length) continue;
      const middle = Math.min(...s.all.map(q => Math.hypot(q.x - p.x, q.y - p.y)));
      if (middle <= p.r / 2) continue;  // the line runs through the point
      const ends = [s.all[0], s.all[s.all.length - 1]];
      if (ends.some(q => Math.hypot(q.x - p.x, q.y - p.y) <= p.r + 3)) continue;  // it starts at the point (a leader)
      if (!s.seen.length) continue;
      const gap = Math.min(...s.seen.map(q => Math.hypot(q.x - p.x, q.y - p.y))) - p.r - s.half;
      if (gap < pointLineClear)
        found.push(`a point at ${Math.round(p.x)},${Math.round(p.y)} touches a line (${gap.toFixed(1)} px)`);
    }
  }
  return [...new Set(found)];
}
