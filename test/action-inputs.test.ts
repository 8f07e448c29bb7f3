// The Action's inputs as the runner hands them over (INPUT_* variables), read and validated by src/action/inputs.ts,
// and action.yml passing every input it declares to that step (a composite action passes none by itself).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { readInputs } from '../src/action/inputs.ts';

const TOKEN = { INPUT_TOKEN: 'ghs_x' };
const ok = (env: Record<string, string>) => {
  const r = readInputs({ ...TOKEN, ...env });
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.inputs;
};
const errors = (env: Record<string, string>) => {
  const r = readInputs({ ...TOKEN, ...env });
  return r.ok ? [] : r.errors;
};

describe('readInputs', () => {
  it('takes the defaults action.yml documents when inputs are unset or blank', () => {
    const i = ok({ INPUT_MODE: '  ', INPUT_LABELS: '' });
    expect(i).toMatchObject({
      root: 'lineage',
      mode: 'auto',
      failOn: 'gate',
      comment: true,
      prBranch: 'lineage-gate/accept',
      prTitle: 'lineage-gate: accept passing associations',
      labels: [],
      all: false,
      only: [],
      botLogin: 'github-actions[bot]',
      siteDir: '',
      siteBase: '/',
    });
  });

  it('reads both spellings of a dashed name, trims, and splits lists on commas and newlines', () => {
    expect(ok({ INPUT_FAIL_ON: 'never' }).failOn).toBe('never');
    expect(ok({ 'INPUT_FAIL-ON': ' never ' }).failOn).toBe('never');
    expect(ok({ INPUT_LABELS: 'lineage, data\n ml ,' }).labels).toEqual(['lineage', 'data', 'ml']);
    expect(ok({ INPUT_ONLY: 'mol_toxicity,wf.a-1' }).only).toEqual(['mol_toxicity', 'wf.a-1']);
    expect(ok({ INPUT_COMMENT: 'OFF', INPUT_ALL: 'Yes' })).toMatchObject({ comment: false, all: true });
  });

  it('reduces the PR title to one line of plain text', () => {
    expect(ok({ INPUT_PR_TITLE: 'accept\n::warning::pwned' }).prTitle).not.toMatch(/\n/);
  });

  it('refuses each bad input with a message naming it, and reports them all at once', () => {
    expect(
      errors({
        INPUT_MODE: 'deploy',
        INPUT_FAIL_ON: 'sometimes',
        INPUT_COMMENT: 'maybe',
        INPUT_ROOT: '../outside',
        INPUT_PR_BRANCH: 'x;rm -rf ~',
        INPUT_LABELS: 'x'.repeat(51),
        INPUT_ONLY: 'ok,not an id',
        INPUT_SITE_DIR: '/etc',
        INPUT_SITE_BASE: 'no-slashes',
      }),
    ).toEqual([
      'input root must be a path inside the repository',
      'input pr-branch is not a branch name lineage-gate will use (letters, digits, . _ / -; no "..", no leading "." or "-")',
      'input labels: each label is at most 50 characters of plain text',
      'input only: list model or workflow ids separated by commas',
      'input site-dir must be a folder inside the workspace',
      'input site-base must look like /repo-name/',
      'input mode must be one of auto, check, propose, comment, plan',
      'input fail-on must be one of gate, never',
      'input comment must be true or false',
    ]);
  });

  it.each([['/abs'], ['a/../../b'], ['lineage\u0000x'], ['..']])('refuses the root %j, which leaves the repository', (root) => {
    expect(errors({ INPUT_ROOT: root })).toEqual(['input root must be a path inside the repository']);
  });

  it('needs a token', () => {
    expect(readInputs({})).toEqual({ ok: false, errors: ['input token is empty; pass ${{ github.token }} or a GitHub App token'] });
  });
});

describe('action.yml', () => {
  const action = parse(readFileSync('action.yml', 'utf8')) as {
    inputs: Record<string, unknown>;
    runs: { steps: { id?: string; env?: Record<string, string> }[] };
  };
  const run = action.runs.steps.find((s) => s.id === 'run')!;

  it('passes every input it declares to the step that runs lineage-gate, under the name readInputs reads', () => {
    for (const name of Object.keys(action.inputs)) {
      const variable = `INPUT_${name.toUpperCase().replace(/-/g, '_')}`;
      expect(run.env?.[variable], name).toBe(`\${{ inputs.${name} }}`);
    }
  });

  it('passes nothing it does not declare', () => {
    const declared = new Set(Object.keys(action.inputs).map((n) => `INPUT_${n.toUpperCase().replace(/-/g, '_')}`));
    expect(Object.keys(run.env ?? {}).filter((k) => k.startsWith('INPUT_') && !declared.has(k))).toEqual([]);
  });
});
