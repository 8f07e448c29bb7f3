// The manifests `lineage-gate init` writes: a starting point whose placeholders `check` refuses until they are replaced.

/** Marks text a person must still write; `check` refuses a manifest that still holds it. */
export const PLACEHOLDER = 'TODO(lineage-gate init)';

export interface StartingDataset {
  id: string;
  /** Relative to the manifest: a .dvc file, {file, out}, or {lock, out}; absent for a hand-versioned dataset. */
  dvc?: string | { file: string; out: string } | { lock: string; out: string };
  version?: string;
}

export interface StartingModel {
  id: string;
  dvc?: { lock: string; stage: string };
  version?: string;
  datasets?: Record<string, string>;
}

/** YAML scalars as JSON strings: double-quoted YAML, so no path or id can turn into YAML syntax. */
const q = (s: string) => JSON.stringify(s);
const flow = (o: Record<string, string>) =>
  `{ ${Object.entries(o)
    .map(([k, v]) => `${k}: ${q(v)}`)
    .join(', ')} }`;

export function datasetManifest(d: StartingDataset, schema: string): string {
  const lines = [`# yaml-language-server: $schema=${schema}`, `id: ${q(d.id)}`];
  if (d.dvc !== undefined) lines.push(`dvc: ${typeof d.dvc === 'string' ? q(d.dvc) : flow(d.dvc)}`);
  if (d.version !== undefined) lines.push(`version: ${q(d.version)}`);
  lines.push(`description: ${q(`${PLACEHOLDER}: say what this dataset holds, where it comes from and who maintains it.`)}`);
  return `${lines.join('\n')}\n`;
}

export function modelManifest(m: StartingModel, schema: string): string {
  const lines = [`# yaml-language-server: $schema=${schema}`, `id: ${q(m.id)}`];
  lines.push(`description: ${q(`${PLACEHOLDER}: say what this model predicts and when to use it.`)}`);
  if (m.dvc !== undefined) lines.push(`dvc: ${flow(m.dvc)}`);
  if (m.version !== undefined) lines.push(`version: ${q(m.version)}`);
  if (m.datasets !== undefined) lines.push(`datasets: ${flow(m.datasets)}`);
  lines.push(
    '# Gate 1: the conditions a new version must meet before it is accepted, for example',
    '#   gate: ["test.auc >= 0.85", "test.auc >= baseline - 2%", "\\"metrics/mAP50-95(B)\\" >= 0.45"]',
    '# baseline is the value accepted for the previous version; see "Gate conditions" in lineage-gate\'s README.',
  );
  return `${lines.join('\n')}\n`;
}

/** An id from a file or stage name: the characters ids allow, starting with a letter or digit. */
export function idFrom(name: string, prefix: string): string {
  const clean = name.replace(/[^A-Za-z0-9_.-]+/g, '_').replace(/^[^A-Za-z0-9]+/, '');
  return `${prefix}${clean || 'unnamed'}`.slice(0, 128);
}
