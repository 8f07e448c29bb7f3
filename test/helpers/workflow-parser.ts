// @actions/workflow-parser, GitHub's own parser of workflow files, loaded with the JSON import hook it needs.
import { register } from 'node:module';

register('./json-import-hook.ts', import.meta.url);
export const { parseWorkflow, convertWorkflowTemplate, NoOperationTraceWriter } = (await import(
  '@actions/workflow-parser'
)) as typeof import('@actions/workflow-parser');
