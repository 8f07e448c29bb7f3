// The association graph as JSON, Mermaid or DOT: from the edge rows DuckDB returns (`lineage-gate graph`) or from what
// the site's explorer draws (its exports), through the same writers. Every edge points the way data flows; kinds are
// shapes and gate results are styles and words, never colour alone. Labels are quoted and escaped for each syntax.
import type { Edge, Manifests, Report } from '../types.ts';

export type ExportKind = 'dataset' | 'model' | 'node';
export type ExportStatus = 'pass' | 'fail' | 'unchanged';
export interface ExportNode {
  key: string;
  kind: ExportKind;
  id: string;
  version: string;
  label: string;
  status: ExportStatus;
  stale: boolean;
  changed: boolean;
}
export interface ExportEdge {
  from: string;
  to: string;
  kind: string;
  from_version: string;
  to_version: string;
}
export interface ExportGraph {
  nodes: readonly ExportNode[];
  edges: readonly ExportEdge[];
}

/** The whole graph with each entity's result in the evaluation (a workflow's result is its nodes'). */
export function buildGraph(m: Manifests, edges: readonly Edge[], report?: Report): ExportGraph {
  const model = new Map(report?.models.map((x) => [x.id, x]));
  const workflow = new Map(report?.workflows.map((x) => [x.id, x]));
  const dataset = new Map(report?.datasets.map((x) => [x.id, x]));
  const nodes: ExportNode[] = [
    ...m.datasets.map((d) => ({
      key: `dataset:${d.id}`,
      kind: 'dataset' as const,
      id: d.id,
      version: d.version,
      label: d.id,
      status: 'unchanged' as const,
      stale: false,
      changed: dataset.get(d.id)?.changed ?? false,
    })),
    ...m.models.map((x) => {
      const r = model.get(x.id);
      return {
        key: `model:${x.id}`,
        kind: 'model' as const,
        id: x.id,
        version: x.version,
        label: x.id,
        status: r?.status ?? 'unchanged',
        stale: r?.stale ?? false,
        changed: (r?.status ?? 'unchanged') !== 'unchanged',
      };
    }),
    ...m.workflows.flatMap((w) =>
      w.nodes.map((n) => {
        const r = workflow.get(w.id);
        return {
          key: `node:${w.id}/${n.id}`,
          kind: 'node' as const,
          id: `${w.id}/${n.id}`,
          version: w.version,
          label: `${w.id}/${n.id} (w=${n.weight})`,
          status: r?.status ?? 'unchanged',
          stale: false,
          changed: (r?.status ?? 'unchanged') !== 'unchanged',
        };
      }),
    ),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return {
    nodes,
    edges: edges.map((e) => ({
      ...e,
      from: `${e.src_kind}:${e.src}`,
      to: `${e.dst_kind}:${e.dst}`,
      kind: e.kind,
      from_version: e.src_version,
      to_version: e.dst_version,
    })),
  };
}

export function toJson(g: ExportGraph): string {
  return `${JSON.stringify(g, null, 2)}\n`;
}

const MARK: Record<ExportStatus, string> = { pass: '✓ ', fail: '✗ ', unchanged: '' };
/** A node's text: the gate's result as a symbol and a word, so that it reads without the colours. */
function nodeText(n: ExportNode): string {
  const words = [n.status !== 'unchanged' ? `gate ${n.status}` : '', n.stale ? 'stale' : '', n.changed ? 'changed' : ''].filter(Boolean);
  return `${MARK[n.status]}${n.label} @ ${n.version}${words.length ? ` (${words.join(', ')})` : ''}`;
}

/**
 * Text inside a quoted Mermaid label: everything but letters, digits and a few plain signs becomes a numeric entity
 * (`#34;`), so no quote, bracket, pipe, semicolon or newline can end the label or start a statement.
 */
export function mermaidText(s: string): string {
  return s.replace(/[^A-Za-z0-9 _.,@/=+()→✓✗-]/gu, (c) => `#${c.codePointAt(0)};`);
}

const MERMAID_SHAPE: Record<ExportKind, [string, string]> = { dataset: ['[(', ')]'], model: ['[', ']'], node: ['([', '])'] };
/** Styles for Mermaid's classDef lines: one per gate result, a thicker border for what changed. */
export const MERMAID_CLASSES = [
  'classDef pass stroke:#1a7f37,stroke-width:2px',
  'classDef fail stroke:#cf222e,stroke-width:3px,stroke-dasharray:5 3',
  'classDef stale stroke:#9a6700,stroke-width:3px,stroke-dasharray:2 2',
  'classDef unchanged stroke:#57606a',
];

export function toMermaid(g: ExportGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.key, `n${i}`]));
  const lines = ['flowchart LR'];
  for (const n of g.nodes) {
    const [open, close] = MERMAID_SHAPE[n.kind];
    lines.push(`  ${ids.get(n.key)}${open}"${mermaidText(nodeText(n))}"${close}`);
  }
  for (const e of g.edges) {
    const a = ids.get(e.from);
    const b = ids.get(e.to);
    if (a && b) lines.push(`  ${a} -->|"${mermaidText(`${e.kind} ${e.from_version} → ${e.to_version}`)}"| ${b}`);
  }
  lines.push(...MERMAID_CLASSES.map((c) => `  ${c}`));
  for (const status of ['pass', 'fail', 'stale', 'unchanged'] as const) {
    const members = g.nodes.filter((n) =>
      status === 'stale' ? n.stale && n.status !== 'fail' : n.status === status && !(status !== 'fail' && n.stale),
    );
    if (members.length) lines.push(`  class ${members.map((n) => ids.get(n.key)).join(',')} ${status}`);
  }
  return `${lines.join('\n')}\n`;
}

const DOT_SHAPE: Record<ExportKind, string> = { dataset: 'cylinder', model: 'box', node: 'ellipse' };
const DOT_STYLE: Record<ExportStatus, string> = {
  pass: 'color="#1a7f37", penwidth=2',
  fail: 'color="#cf222e", penwidth=3, style=dashed',
  unchanged: 'color="#57606a"',
};

export function toDot(g: ExportGraph): string {
  const q = (s: string) =>
    `"${s
      .replace(/\\/g, '\\\\')
      .replace(/"/g, '\\"')
      .replace(/\r?\n|\r/g, '\\n')}"`;
  const lines = ['digraph lineage {', '  rankdir=LR;'];
  for (const n of g.nodes) {
    const style = n.stale && n.status !== 'fail' ? 'color="#9a6700", penwidth=3, style=dotted' : DOT_STYLE[n.status];
    lines.push(`  ${q(n.key)} [label=${q(nodeText(n))}, shape=${DOT_SHAPE[n.kind]}, ${style}];`);
  }
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(`${e.kind} ${e.from_version} → ${e.to_version}`)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
