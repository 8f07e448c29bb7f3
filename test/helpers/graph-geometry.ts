/// <reference lib="dom" />
// Geometry of a drawn (or exported) lineage graph, measured in the browser on the SVG itself: which edges pass
// through the box of a node they do not connect, which lack an arrowhead pointing into their target, which labels
// overlap each other or a box. Runs inside the page (page.evaluate), on whatever document holds the drawing.

export interface GraphGeometry {
  nodes: number;
  edges: number;
  /** Edge labels shown. */
  labels: number;
  /** "from → to crosses key" for every edge sample strictly inside a box it does not connect. */
  crossings: string[];
  /** Edges without a marker-end pointing at a marker with a path, or whose end does not point into its target. */
  arrowless: string[];
  /** Pairs of labels whose boxes overlap, and labels that overlap a node's box. */
  labelOverlaps: string[];
}

/** To be passed to page.evaluate: `page.evaluate(measureGraph, 'svg')`. Works on the page and on an exported file. */
export function measureGraph(rootSelector: string): GraphGeometry {
  const root = document.querySelector(rootSelector) as SVGSVGElement;
  const boxes = [...root.querySelectorAll<SVGRectElement>('a.gnode rect.box')].map((r) => {
    const key = r.closest('a.gnode')!.getAttribute('data-key')!;
    const b = r.getBBox();
    return { key, x: b.x, y: b.y, w: b.width, h: b.height };
  });
  const paths = [...root.querySelectorAll<SVGPathElement>('path.edge')];
  const crossings: string[] = [];
  const arrowless: string[] = [];
  const inside = (p: DOMPoint, b: { x: number; y: number; w: number; h: number }) =>
    p.x > b.x + 0.5 && p.x < b.x + b.w - 0.5 && p.y > b.y + 0.5 && p.y < b.y + b.h - 0.5;
  for (const path of paths) {
    const from = path.getAttribute('data-from')!;
    const to = path.getAttribute('data-to')!;
    const length = path.getTotalLength();
    const samples: DOMPoint[] = [];
    for (let s = 0; s <= length; s += 2) samples.push(path.getPointAtLength(s));
    samples.push(path.getPointAtLength(length));
    for (const b of boxes) {
      if (b.key === from || b.key === to) continue;
      if (samples.some((p) => inside(p, b))) crossings.push(`${from} → ${to} crosses ${b.key}`);
    }
    // An arrowhead: a marker at the end, defined in this document with a drawn shape, at an end that arrives at the
    // target's left side moving rightwards (downstream).
    const marker = /^url\(#([^)]+)\)$/.exec(path.getAttribute('marker-end') ?? '')?.[1];
    const shape = marker ? root.querySelector(`marker#${CSS.escape(marker)} path`) : null;
    const target = boxes.find((b) => b.key === to);
    const end = path.getPointAtLength(length);
    const before = path.getPointAtLength(Math.max(0, length - 4));
    const pointsIn =
      target !== undefined &&
      end.x <= target.x + 0.5 &&
      end.x >= target.x - 4 &&
      end.y > target.y &&
      end.y < target.y + target.h &&
      before.x < end.x;
    if (!shape || !pointsIn) arrowless.push(`${from} → ${to}`);
  }
  // Labels hidden at a zoom too small to read them take no room.
  const shown = (t: Element) => getComputedStyle(t).display !== 'none' && getComputedStyle(t.parentElement!).display !== 'none';
  const labels = [...root.querySelectorAll<SVGTextElement>('text.edge-label')].filter(shown).map((t) => {
    const b = t.getBBox();
    return { text: `${t.getAttribute('data-from')} → ${t.getAttribute('data-to')}`, x: b.x, y: b.y, w: b.width, h: b.height };
  });
  const overlap = (a: { x: number; y: number; w: number; h: number }, b: { x: number; y: number; w: number; h: number }) =>
    a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  const labelOverlaps: string[] = [];
  for (let i = 0; i < labels.length; i++) {
    for (let j = i + 1; j < labels.length; j++)
      if (overlap(labels[i]!, labels[j]!)) labelOverlaps.push(`label ${labels[i]!.text} overlaps label ${labels[j]!.text}`);
    for (const b of boxes) if (overlap(labels[i]!, b)) labelOverlaps.push(`label ${labels[i]!.text} overlaps node ${b.key}`);
  }
  return { nodes: boxes.length, edges: paths.length, labels: labels.length, crossings, arrowless, labelOverlaps };
}

/** To be passed to page.evaluate: whether every drawn node lies inside the drawing's visible box on screen. */
export function nodesOutsideView(): string[] {
  const svg = document.getElementById('graph-svg')!.getBoundingClientRect();
  return [...document.querySelectorAll('#graph-svg a.gnode rect.box')]
    .filter((r) => {
      const b = r.getBoundingClientRect();
      return b.left < svg.left - 0.5 || b.top < svg.top - 0.5 || b.right > svg.right + 0.5 || b.bottom > svg.bottom + 0.5;
    })
    .map((r) => r.closest('a.gnode')!.getAttribute('data-key')!);
}
