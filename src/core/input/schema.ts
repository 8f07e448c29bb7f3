// Validates parsed data against the JSON Schemas in schemas/ and turns ajv's errors into located problems.

import type { ErrorObject, ValidateFunction } from 'ajv/dist/2020.js';
import { Ajv2020 } from 'ajv/dist/2020.js';
import datasetSchema from '../../../schemas/dataset.schema.json' with { type: 'json' };
import historySchema from '../../../schemas/history.schema.json' with { type: 'json' };
import lockSchema from '../../../schemas/lock.schema.json' with { type: 'json' };
import modelSchema from '../../../schemas/model.schema.json' with { type: 'json' };
import openLineageEventSchema from '../../../schemas/openlineage-event.schema.json' with { type: 'json' };
import planSchema from '../../../schemas/plan.schema.json' with { type: 'json' };
import reportSchema from '../../../schemas/report.schema.json' with { type: 'json' };
import workflowSchema from '../../../schemas/workflow.schema.json' with { type: 'json' };
import type { ParsedDocument, Path } from './document.ts';
import { type InputProblem, problem } from './problems.ts';

export type SchemaName = 'dataset' | 'model' | 'workflow' | 'lock' | 'report' | 'history' | 'openlineage-event' | 'plan';

export const SCHEMAS: Record<SchemaName, object> = {
  dataset: datasetSchema,
  model: modelSchema,
  workflow: workflowSchema,
  lock: lockSchema,
  report: reportSchema,
  history: historySchema,
  'openlineage-event': openLineageEventSchema,
  plan: planSchema,
};

const ajv = new Ajv2020({ allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true });
const compiled = new Map<SchemaName, ValidateFunction>();

function validator(name: SchemaName): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    v = ajv.compile(SCHEMAS[name]);
    compiled.set(name, v);
  }
  return v;
}

/** Problems of `value` against schema `name`, each at the line of the offending field. */
export function schemaProblems(name: SchemaName, value: unknown, file: string, doc?: ParsedDocument): InputProblem[] {
  const validate = validator(name);
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter(isInformative);
  return errors.map((e) => toProblem(e, file, doc));
}

/** anyOf/if wrappers only repeat what the branch errors already say. */
function isInformative(e: ErrorObject): boolean {
  return e.keyword !== 'if';
}

function toProblem(e: ErrorObject, file: string, doc?: ParsedDocument): InputProblem {
  const path: (string | number)[] = e.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let field = path.join('.');
  let message = e.message ?? 'is invalid';
  let hint: string | undefined;
  let at: Path = path;
  switch (e.keyword) {
    case 'required': {
      const missing = String((e.params as { missingProperty: string }).missingProperty);
      field = [...path, missing].join('.');
      message = 'is required';
      hint = `add a "${missing}" field`;
      break;
    }
    case 'additionalProperties': {
      const extra = String((e.params as { additionalProperty: string }).additionalProperty);
      field = [...path, extra].join('.');
      at = [...path, extra];
      message = 'is not a known field';
      hint = 'check the spelling; see the manifest reference in README.md';
      break;
    }
    case 'type':
      hint =
        (e.params as { type: string }).type === 'string'
          ? 'quote the value, e.g. version: "3.10" (unquoted numbers lose trailing zeros)'
          : `write a value of type ${(e.params as { type: string }).type}`;
      break;
    case 'pattern':
      message = 'has characters that are not allowed';
      hint =
        field.endsWith('id') || field.endsWith('model') || field.endsWith('dataset')
          ? 'ids use letters, digits, _ . - and start with a letter or digit'
          : field.endsWith('version') || field.startsWith('datasets.')
            ? 'a version is one line of text: remove line breaks, tabs and other control characters'
            : `it must match ${(e.params as { pattern: string }).pattern}`;
      break;
    case 'anyOf':
      message = 'needs "version" or "dvc"';
      hint = 'give the version, or the path of the .dvc file the version is read from';
      break;
    case 'minimum':
    case 'maximum':
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
    case 'uniqueItems':
    case 'const':
    case 'propertyNames':
      hint = 'correct the value';
      break;
  }
  const line = doc?.lineAt(at);
  return problem(file, field ? `${field} ${message}` : message, { line, field, hint });
}

/** For tests and for our own outputs: throws when a document we produce breaks its own schema. */
export function assertSchema(name: SchemaName, value: unknown): void {
  const problems = schemaProblems(name, value, `<${name}>`);
  if (problems.length > 0) throw new Error(`${name} does not match its schema: ${problems.map((p) => p.message).join('; ')}`);
}
