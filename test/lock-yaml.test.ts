import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseLock, serializeLock } from '../src/core/lock/lock-file.ts';
import { readLockYaml, writeLockYaml } from '../src/core/lock/lock-yaml.ts';
import type { Lock } from '../src/core/types.ts';

const lock: Lock = {
  lock_version: 1,
  evaluations: 3,
  fingerprint: 'a'.repeat(64),
  datasets: { '123': { version: '3.10' }, true: { version: 'yes' }, 'ds.x-1': { version: 'v "quoted" \\ \u2028 é' } },
  models: {
    m: {
      version: '1e3',
      datasets: { '123': '3.10' },
      gate: ['acc >= 0.8', 'x <= baseline * 1.05'],
      metrics: { acc: 0.1, tiny: 5e-7, big: 1e21, neg: -0.5 },
    },
  },
  workflows: {
    w: {
      version: '1',
      threshold: 0.8,
      score: 0.8125,
      nodes: { a: { model: 'm', model_version: '1e3', dataset: '123', dataset_version: '3.10', weight: 0, metric: 'acc', needs: [] } },
    },
  },
};

describe('the lock codec', () => {
  it('round-trips, and the general YAML parser reads the same values', () => {
    const text = serializeLock(lock);
    expect(parse(text)).toEqual(JSON.parse(JSON.stringify(lock)));
    expect(readLockYaml(text)).toEqual(parse(text));
    const back = parseLock(text, 'lock');
    expect(back.ok && back.lock).toEqual(lock);
    expect(serializeLock(back.ok ? back.lock : lock)).toBe(text);
  });

  it('quotes keys and strings YAML would read as something else', () => {
    const text = writeLockYaml({ '123': '3.10', true: 'null', plain_key: 1 });
    expect(text).toBe('"123": "3.10"\nplain_key: 1\n"true": "null"\n');
  });

  it.each([
    ['an anchor', 'a: &x "1"\nb: *x\n'],
    ['a tag', 'a: !!str 1\n'],
    ['a flow map', 'a: {b: 1}\n'],
    ['a plain string', 'a: hello\n'],
    ['a tab', 'a:\n\t b: 1\n'],
    ['a duplicate key', 'a: 1\na: 2\n'],
    ['a __proto__ key', '__proto__:\n  x: 1\n'],
    ['odd indentation', 'a:\n   b: 1\n'],
    ['a dangling key', 'a:\n'],
    ['a trailing quote', 'a: "x"y\n'],
  ])('hands %s to the full parser', (_name, text) => {
    expect(readLockYaml(text)).toBeNull();
  });

  it('still reads a valid lock someone reformatted, through the full parser', () => {
    const reformatted = `lock_version: 1\nevaluations: 0\ndatasets: {d: {version: '1'}}\nmodels: {}\nworkflows: {}\n`;
    expect(parseLock(reformatted, 'lock')).toMatchObject({ ok: true, lock: { datasets: { d: { version: '1' } } } });
  });
});
