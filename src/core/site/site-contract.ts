// The lineage site's data contract: the shape of every JSON file `lineage-gate site` writes, typed once. site-data.ts
// writes these (checked with `satisfies`), the Astro pages and the browser scripts read them.

import type { InputProblem } from '../input/problems.ts';
import type { HistoryRecord } from '../lock/history.ts';
import type { ConditionResult, EntityStatus, NodeResult, Report, Status, Weakening } from '../types.ts';

export type { ConditionResult, EntityStatus, NodeResult, Report, Status, Weakening };

/** config.json: how the site is served and what it was built from. */
export interface SiteConfig {
  /** Base path the site is served under, e.g. /my-repo/. */
  base: string;
  /** The repository's web address (https://github.com/owner/repo), for links to files; null without one. */
  repo_url: string | null;
  /** The evaluated commit, for links and the "built from" stamp; null outside git. */
  commit: { sha: string; date: string } | null;
}

/** ids.json: every entity with a page, and how many catalogue pages each kind has. */
export interface IdsFile {
  datasets: string[];
  models: string[];
  workflows: string[];
  evaluations: number[];
  /** Whether there is an evaluation not accepted yet (the pending page). */
  pending: boolean;
  catalogue_pages: { datasets: number; models: number; workflows: number };
}

export interface OverviewFile {
  graph_start: { key: string; chunk: number } | null;
  status: Status;
  fingerprint: string;
  summary: Report['summary'];
  errors: InputProblem[];
  errors_total: number;
  counts: {
    datasets: number;
    models: number;
    workflows: number;
    nodes: number;
    evaluations: number;
    accepted_models: number;
    accepted_workflows: number;
  };
  failing: { kind: 'model' | 'workflow'; id: string; version: string; reasons: string[] }[];
  failing_total: number;
  passed: { kind: 'model' | 'workflow'; id: string; version: string; accepted_version: string | null; score?: number | null }[];
  passed_total: number;
  changed_datasets: { id: string; accepted_version: string | null; version: string }[];
  stale: { id: string; version: string; datasets: { id: string; trained_on: string; current: string | null }[] }[];
  stale_total: number;
  weakened: Weakening[];
  removed: Report['removed'];
  recent: {
    sequence: number;
    at: string;
    status: 'pass' | 'fail';
    fingerprint: string;
    accepted_models: number;
    accepted_workflows: number;
    rejected: string[];
  }[];
}

export interface DatasetPage {
  kind: 'dataset';
  id: string;
  chunk: number;
  version: string;
  dvc: string | null;
  description: string;
  meta: Record<string, unknown>;
  file: string;
  accepted_version: string | null;
  changed: boolean;
  models: { id: string; version: string; trained_on: string; stale: boolean; status: EntityStatus }[];
  used_by: { workflow: string; node: string; model: string }[];
  history: { sequence: number; at: string; version: string }[];
}

/** A gate condition's line on a chart: the value the metric must reach (or stay under) now. */
export interface GateLine {
  text: string;
  metric: string;
  op: string;
  /** null when it depends on a baseline that has not been accepted yet. */
  value: number | null;
}

export interface ModelPage {
  kind: 'model';
  id: string;
  chunk: number;
  version: string;
  description: string;
  file: string;
  metrics_file: string | null;
  status: EntityStatus;
  stale: boolean;
  reasons: string[];
  accepted_version: string | null;
  /** Each trained-on dataset: the version this model version used, the one the accepted version used, and now. */
  datasets: { id: string; trained_on: string; accepted_trained_on: string | null; current: string | null }[];
  conditions: ConditionResult[];
  gate: string[];
  gate_lines: GateLine[];
  accepted_metrics: Record<string, number>;
  /** Every metric of the metric file as committed now (null: not a finite number); null when it could not be read. */
  metrics: Record<string, number | null> | null;
  /** Metrics the file has beyond what is listed. */
  metrics_more: number;
  used_by: { workflow: string; node: string; dataset: string }[];
  history: { sequence: number; at: string; version: string; metrics: Record<string, number> }[];
}

export interface WorkflowPage {
  kind: 'workflow';
  id: string;
  version: string;
  description: string;
  file: string;
  status: EntityStatus;
  reasons: string[];
  accepted_version: string | null;
  score: number | null;
  accepted_score: number | null;
  threshold: number;
  max_drop: number | null;
  nodes: (NodeResult & { layer: number; chunk: number })[];
  history: { sequence: number; at: string; version: string; score: number; threshold: number }[];
}

/** An entity's accepted state just before an evaluation (null: not accepted before). */
export interface Before {
  datasets: Record<string, string | null>;
  models: Record<string, { version: string; metrics: Record<string, number> } | null>;
  workflows: Record<string, { version: string; score: number; threshold: number } | null>;
}

/** evaluations/<n>.json (and pending.json): a history record, with what each entity it accepted was before. */
export interface EvaluationFile extends Omit<HistoryRecord, 'report'> {
  report: Partial<Report>;
  before: Before;
}

/** data/diff/<n>.json, fetched by the diff page: what an evaluation moved, without its report. */
export interface DiffFile {
  sequence: number | 'pending';
  at: string;
  status: 'pass' | 'fail';
  accepted: HistoryRecord['accepted'];
  rejected: HistoryRecord['rejected'];
  before: Before;
}

export interface DatasetRow {
  id: string;
  version: string;
  accepted_version: string | null;
  changed: boolean;
  tags: string[];
  models: number;
  line: string;
}
export interface ModelRow {
  id: string;
  version: string;
  accepted_version: string | null;
  status: EntityStatus;
  stale: boolean;
  datasets: number;
  line: string;
}
export interface WorkflowRow {
  id: string;
  version: string;
  status: EntityStatus;
  score: number | null;
  threshold: number;
  nodes: number;
  line: string;
}
export interface CatalogueRows {
  datasets: DatasetRow;
  models: ModelRow;
  workflows: WorkflowRow;
}
export type CatalogueKind = keyof CatalogueRows;
/** catalogue/<kind>/<page>.json: one page of a catalogue, in its default order (failing first, then by id). */
export interface CataloguePage<K extends CatalogueKind> {
  kind: K;
  page: number;
  pages: number;
  total: number;
  rows: CatalogueRows[K][];
  /** Every tag, for the filter (datasets). */
  tags: string[];
}
