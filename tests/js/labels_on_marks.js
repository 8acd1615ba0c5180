// Labels of a chart's SVG (text marks, not axes or legends) that sit on a point or a line
// (tests/test_chart_labels.py): a label's glyph box, trimmed of the font's line gap and widened by
// `clear` px, may not cover a point, nor may a line or rule drawn as a mark pass through it. A mark
// drawn in the page's own color (a halo around a point) is no ink and does not count.
(clear) => {
  const page = ['#ffffff', '#fff', 'white', '#1e2129', 'transparent'];
  const svg = document.querySelector('svg');
  const trim = (r) => {
    const gap = 0.15 * r.height - clear;
    return {l: r.left - clear, r: r.right + clear, t: r.top + gap, b: r.bottom - gap};
  };
  const labels = [...svg.querySelectorAll('g.mark-text.role-mark text')]
    .filter(t => t.textContent.trim())
    .map(t => ({text: t.textContent.trim(), box: trim(t.getBoundingClientRect())}));
  const inside = (p, b) => p.x > b.l && p.x < b.r && p.y > b.t && p.y < b.b;
  const found = [];
  for (const path of svg.querySelectorAll('g.mark-symbol.role-mark path')) {
    const r = path.getBoundingClientRect();
    if (!r.width || path.getAttribute('opacity') === '0') continue;
    if (page.includes((path.getAttribute('fill') || '').toLowerCase())) continue;
    const s = {l: r.left + 1, r: r.right - 1, t: r.top + 1, b: r.bottom - 1};
    for (const lab of labels) {
      const b = lab.box;
      if (Math.min(s.r, b.r) > Math.max(s.l, b.l) && Math.min(s.b, b.b) > Math.max(s.t, b.t))
        found.push(`"${lab.text}" sits on a point`);
    }
  }
  for (const el of svg.querySelectorAll('g.mark-line.role-mark path, g.mark-rule.role-mark line')) {
    const m = el.getScreenCTM();
    const length = el.getTotalLength();
    const hits = new Set();
    for (let at = 0; at <= length; at += 1) {
      const q = el.getPointAtLength(at);
      const p = {x: m.a * q.x + m.c * q.y + m.e, y: m.b * q.x + m.d * q.y + m.f};
      for (const lab of labels) if (inside(p, lab.box)) hits.add(lab.text);
    }
    for (const h of hits) found.push(`"${h}" sits on a line`);
  }
  return found;
}
