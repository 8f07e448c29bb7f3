// The association graph as JSON, Mermaid or DOT, from the edge rows DuckDB returns. Labels are quoted for each syntax.
import type { Edge, Manifests } from '../types.ts';

export interface ExportNode {
  key: string;
  kind: 'dataset' | 'model' | 'workflow' | 'node';
  id: string;
  version: string;
  label: string;
}
export interface ExportGraph {
  nodes: ExportNode[];
  edges: (Edge & { from: string; to: string })[];
}

export function buildGraph(m: Manifests, edges: readonly Edge[]): ExportGraph {
  const nodes: ExportNode[] = [
    ...m.datasets.map((d) => ({
      key: `dataset:${d.id}`,
      kind: 'dataset' as const,
      id: d.id,
      version: d.version,
      label: `${d.id}@${d.version}`,
    })),
    ...m.models.map((x) => ({ key: `model:${x.id}`, kind: 'model' as const, id: x.id, version: x.version, label: `${x.id}@${x.version}` })),
    ...m.workflows.flatMap((w) =>
      w.nodes.map((n) => ({
        key: `node:${w.id}/${n.id}`,
        kind: 'node' as const,
        id: `${w.id}/${n.id}`,
        version: w.version,
        label: `${w.id}/${n.id} (w=${n.weight})`,
      })),
    ),
  ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { nodes, edges: edges.map((e) => ({ ...e, from: `${e.src_kind}:${e.src}`, to: `${e.dst_kind}:${e.dst}` })) };
}

export function toJson(g: ExportGraph): string {
  return `${JSON.stringify(g, null, 2)}\n`;
}

/** Mermaid ids are our own counters; labels are entity-encoded so quotes and brackets cannot break out. */
export function toMermaid(g: ExportGraph): string {
  const ids = new Map(g.nodes.map((n, i) => [n.key, `n${i}`]));
  const esc = (s: string) => s.replace(/[^A-Za-z0-9 _.@/=()>-]/g, (c) => `#${c.codePointAt(0)};`);
  const shape: Record<ExportNode['kind'], [string, string]> = {
    dataset: ['[(', ')]'],
    model: ['[', ']'],
    workflow: ['{{', '}}'],
    node: ['([', '])'],
  };
  const lines = ['flowchart LR'];
  for (const n of g.nodes) lines.push(`  ${ids.get(n.key)}${shape[n.kind][0]}"${esc(n.label)}"${shape[n.kind][1]}`);
  for (const e of g.edges) {
    const a = ids.get(e.from);
    const b = ids.get(e.to);
    if (a && b) lines.push(`  ${a} -->|"${esc(`${e.kind} ${e.src_version} -> ${e.dst_version}`)}"| ${b}`);
  }
  return `${lines.join('\n')}\n`;
}

export function toDot(g: ExportGraph): string {
  const q = (s: string) => `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
  const shape: Record<ExportNode['kind'], string> = { dataset: 'cylinder', model: 'box', workflow: 'hexagon', node: 'ellipse' };
  const lines = ['digraph lineage {', '  rankdir=LR;'];
  for (const n of g.nodes) lines.push(`  ${q(n.key)} [label=${q(n.label)}, shape=${shape[n.kind]}];`);
  for (const e of g.edges) lines.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(`${e.kind} ${e.src_version} → ${e.dst_version}`)}];`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}
