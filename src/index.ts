// lineage-gate as a library (package.json "exports"): evaluate a lineage root, accept what passed, plan the
// retraining, export the lineage, render the report, and the types of what they return. The command line
// (src/cli.ts) is built from the same functions.
export { acceptEvaluation as accept, planAcceptance, type Written } from './acceptance.ts';
export type { InputProblem } from './core/input/problems.ts';
export type { HistoryRecord } from './core/lock/history.ts';
export type { RunEvent } from './core/openlineage/facets.ts';
export type { ModelView, Plan, PlanEntry, RescoreEntry } from './core/plan/plan.ts';
export { type MarkdownOptions, renderMarkdown } from './core/render/report-markdown.ts';
export { renderText } from './core/render/text.ts';
export type {
  ConditionResult,
  Dataset,
  DatasetResult,
  Edge,
  EntityStatus,
  Lock,
  Manifests,
  Model,
  ModelResult,
  NodeResult,
  Report,
  Status,
  Weakening,
  Workflow,
  WorkflowNode,
  WorkflowResult,
} from './core/types.ts';
export { type EvaluatedGraph, type EvaluateOptions, type Evaluation, evaluate } from './evaluate.ts';
export { type ExportOptions, type ExportResult, exportLineage, toNdjson } from './lineage-export.ts';
export { planOf } from './planning.ts';
