// Measures the <text> of one SVG against the box it is shown in (tests/test_chart_layout.py):
// text smaller than minPx on screen, cut short with "…", outside the box, or overlapping other text.
// Glyph boxes include the font's line gap, so boxes are compared with 15% of their height trimmed
// at top and bottom. A text of several lines is measured line by line (a short first line over a
// long second one leaves room beside it). Hidden text (display, visibility, opacity) does not count.
([svg, box, minPx]) => {
  const frame = box.getBoundingClientRect();
  const shown = (el) => {
    let opacity = 1;
    for (let node = el; node && node !== svg.parentNode; node = node.parentNode) {
      const style = getComputedStyle(node);
      if (style.display === 'none' || style.visibility === 'hidden') return false;
      opacity *= parseFloat(style.opacity) * parseFloat(node.getAttribute('fill-opacity') ?? 1);
    }
    return opacity > 0.05;
  };
  const texts = [...svg.querySelectorAll('text')].filter(t => t.textContent.trim() && shown(t));
  const items = texts.flatMap((t, n) => {
    const m = t.getScreenCTM();
    const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
    const lines = t.querySelectorAll('tspan').length ? [...t.querySelectorAll('tspan')] : [t];
    return lines.filter(line => line.textContent.trim()).map(line => {
      const r = line.getBoundingClientRect();
      return {text: line.textContent.trim(), of: n, px, left: r.left, right: r.right, top: r.top, bottom: r.bottom};
    });
  });
  const problems = [];
  for (const it of items) {
    if (it.px < minPx - 0.05) problems.push(`"${it.text}" is ${it.px.toFixed(1)} px`);
    if (it.text.includes('…')) problems.push(`"${it.text}" is truncated`);
    const outside = it.left < frame.left - 1 || it.right > frame.right + 1 ||
      it.top < frame.top - 1 || it.bottom > frame.bottom + 1;
    if (outside)
      problems.push(`"${it.text}" is clipped by the chart's box`);
  }
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      const a = items[i], b = items[j];
      if (a.of === b.of) continue;  // two lines of one text
      const trim = (r) => {
        const gap = 0.15 * (r.bottom - r.top);
        return {l: r.left + 0.5, r: r.right - 0.5, t: r.top + gap, b: r.bottom - gap};
      };
      const p = trim(a), q = trim(b);
      if (Math.min(p.r, q.r) > Math.max(p.l, q.l) && Math.min(p.b, q.b) > Math.max(p.t, q.t))
        problems.push(`"${a.text}" overlaps "${b.text}"`);
    }
  }
  return {count: items.length, problems};
}
