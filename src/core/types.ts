// The data every step passes along: manifests as declared, the lock as accepted, and the report as decided.
import type { Condition } from './input/condition.ts';
import type { InputProblem } from './input/problems.ts';

export interface Dataset {
  id: string;
  version: string;
  /** Repository-relative path of the .dvc file or dvc.lock the version came from. */
  dvc?: string;
  /** Repository-relative path DVC tracks the data at (the out), when the version came from DVC. */
  path?: string;
  description?: string;
  meta: Record<string, unknown>;
  file: string;
}

export interface Model {
  id: string;
  version: string;
  description: string;
  /** Dataset id → version this model version was trained on. */
  datasets: Record<string, string>;
  /** Repository-relative path of the metric file. */
  metrics?: string;
  gate: Condition[];
  /** What a condition on `baseline` does when the lock has no baseline yet: skip (default) or fail. */
  on_missing_baseline: 'skip' | 'fail';
  /** The DVC stage the version, datasets and metrics were read from (repository-relative paths). */
  dvc?: DvcStageRef;
  /** Why the model is stale although its datasets are current (a DVC stage ran on an older input). */
  stale_reasons?: string[];
  /** Context for the reviewer: code deps of its DVC stages whose files changed since the lock was written. */
  notes?: string[];
  file: string;
}

export interface DvcStageRef {
  lock: string;
  stage: string;
  out: string;
}

export interface WorkflowNode {
  id: string;
  model: string;
  dataset: string;
  weight: number;
  metric: string;
  needs: string[];
}

export interface Workflow {
  id: string;
  version: string;
  description?: string;
  threshold: number;
  max_drop?: number;
  nodes: WorkflowNode[];
  file: string;
}

/**
 * One edge of the association graph with the versions in force at both ends, pointing the way data flows:
 * dataset → model (trained_on), model → node (runs), dataset → node (reads), node → node (needs).
 */
export interface Edge {
  kind: string;
  src_kind: string;
  src: string;
  src_version: string;
  dst_kind: string;
  dst: string;
  dst_version: string;
}

export interface Manifests {
  datasets: Dataset[];
  models: Model[];
  workflows: Workflow[];
}

export interface LockNode {
  model: string;
  model_version: string;
  dataset: string;
  dataset_version: string;
  weight: number;
  metric: string;
  score?: number;
  needs: string[];
}

export interface LockModel {
  version: string;
  datasets: Record<string, string>;
  gate: string[];
  /** Present only when it is not the default "skip". */
  on_missing_baseline?: 'fail';
  metrics: Record<string, number>;
  /** The metric file as it was read when this version was accepted; absent when the model declared none. */
  metric_file?: MetricFile;
}

/** A metric file by its path relative to the lineage root, and its content's git blob id (SHA-1 form). */
export interface MetricFile {
  path: string;
  blob: string;
}

export interface LockWorkflow {
  version: string;
  threshold: number;
  max_drop?: number;
  score: number;
  nodes: Record<string, LockNode>;
}

export interface Lock {
  lock_version: 1;
  evaluations: number;
  fingerprint?: string;
  datasets: Record<string, { version: string }>;
  models: Record<string, LockModel>;
  workflows: Record<string, LockWorkflow>;
}

export const EMPTY_LOCK: Lock = { lock_version: 1, evaluations: 0, datasets: {}, models: {}, workflows: {} };

export type Status = 'pass' | 'fail' | 'noop' | 'invalid';

export interface BaseState {
  /** The revision as it was named, e.g. origin/main. */
  name: string;
  sha: string;
  /** unchanged: the change leaves the lock and history alone; accepted: it updates them exactly as accept computes. */
  lock: 'unchanged' | 'accepted';
}
export type EntityStatus = 'pass' | 'fail' | 'unchanged';

export interface ConditionResult {
  text: string;
  metric: string;
  op: string;
  expected: number | null;
  actual: number | null;
  /** The right-hand side exactly, as a decimal (what the comparison used). */
  expected_text: string | null;
  /** The metric exactly as its file wrote it. */
  actual_text: string | null;
  result: 'pass' | 'fail' | 'skipped';
  /** Why it was skipped or failed without a comparison. */
  note?: string;
}

export interface ModelResult {
  id: string;
  version: string;
  accepted_version: string | null;
  status: EntityStatus;
  changed: boolean;
  stale: boolean;
  reasons: string[];
  /** Its metric file is not the one accepted with this same version (changed, moved, gone, or never recorded). */
  metrics_changed?: boolean;
  /** Context for the reviewer that does not decide the verdict: how the metric file changed, code a DVC stage read that changed since. */
  notes?: string[];
  conditions: ConditionResult[];
  datasets: { id: string; trained_on: string; current: string | null }[];
  file: string;
  /** With --base: the change leaves it as the base declares it, so its result was already pending there and does not decide. */
  pending?: boolean;
}

export interface NodeResult extends WorkflowNode {
  model_version: string;
  dataset_version: string;
  score: number | null;
  contribution: number | null;
  /** How far the score may fall before the workflow fails (negative: how far it must rise). */
  headroom: number | null;
}

export interface WorkflowResult {
  id: string;
  version: string;
  accepted_version: string | null;
  status: EntityStatus;
  score: number | null;
  threshold: number;
  max_drop: number | null;
  accepted_score: number | null;
  nodes: NodeResult[];
  reasons: string[];
  file: string;
  /** With --base: the change leaves it as the base declares it, so its result was already pending there and does not decide. */
  pending?: boolean;
}

export interface DatasetResult {
  id: string;
  version: string;
  accepted_version: string | null;
  changed: boolean;
  dvc: string | null;
  file: string;
  /** With --base: the change leaves it as the base declares it, so its result was already pending there and does not decide. */
  pending?: boolean;
}

export interface Weakening {
  entity: 'model' | 'workflow';
  id: string;
  /**
   * threshold, max_drop, condition, weights; renamed (a new id takes over an accepted one's nodes or baseline
   * conditions), metric (a node's metric switched), datasets (one dropped from the trained-on map), node (a node
   * removed), skipped (an accepted condition would be skipped for want of a baseline).
   */
  kind: 'threshold' | 'max_drop' | 'condition' | 'weights' | 'renamed' | 'metric' | 'datasets' | 'node' | 'skipped';
  message: string;
  /** What the lock accepted, and what the change declares instead. */
  before?: string;
  after?: string;
  /** With --base: the change leaves this entity as the base declares it, so the weakening was already pending there. */
  pending?: boolean;
}

export interface Report {
  report_version: 1;
  status: Status;
  fingerprint: string;
  all: boolean;
  /** Ids re-evaluated on request (--only, the Action's `only`); absent when none. */
  only?: string[];
  /** With --base: the revision the accepted state came from, and whether the change leaves it as it was. */
  base?: BaseState;
  errors: InputProblem[];
  /** Files that look like manifests where none are read, a root holding none: reported, never decisive. */
  warnings?: InputProblem[];
  summary: {
    datasets_changed: number;
    models_affected: number;
    models_failed: number;
    workflows_affected: number;
    workflows_failed: number;
    weakened: number;
    removed: number;
  };
  datasets: DatasetResult[];
  models: ModelResult[];
  workflows: WorkflowResult[];
  weakened: Weakening[];
  removed: { kind: 'dataset' | 'model' | 'workflow'; id: string; pending?: boolean }[];
  /** Whether weakened gates were allowed (--allow-weakening, or the Action's label); otherwise they fail. */
  allow_weakening?: boolean;
}
