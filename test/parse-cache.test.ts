// What the parse cache stores must come back exactly, or not be stored: JSON for manifests and the lock (checked by
// isPlainJson), tagged JSON for DVC's parses with their Maps and absent fields (toStored / fromStored).
import { describe, expect, it } from 'vitest';
import { fromStored, isPlainJson, toStored } from '../src/cached-inputs.ts';

const roundTrip = (v: unknown) => fromStored(JSON.parse(JSON.stringify(toStored(v))));

describe('values the cache keeps', () => {
  it('plain JSON values pass, and anything JSON would change does not', () => {
    expect(isPlainJson({ id: 'm', gate: [{ text: 'a >= 1', rhs: { n: '1' } }], n: 0.1, ok: true, none: null })).toBe(true);
    // Each of these reads back as something else from JSON: Infinity and NaN as null, -0 as 0, a hole or
    // undefined dropped or null, a Map or a class instance as {}.
    for (const v of [
      { meta: { rows: Number.POSITIVE_INFINITY } },
      { x: Number.NaN },
      { x: -0 },
      { x: undefined },
      [1, undefined],
      // biome-ignore lint/suspicious/noSparseArray: the hole is the point
      [1, , 3],
      { m: new Map() },
      { d: new Date(0) },
      Object.create(null),
      { big: 10n },
    ])
      expect(isPlainJson(v)).toBe(false);
  });

  it('DVC parses come back with their Maps, absent lines and odd keys intact', () => {
    const lock = {
      file: 'dvc.lock',
      stages: new Map([
        [
          'train',
          { name: 'train', deps: [{ path: 'd.csv', repoPath: 'd.csv', hash: 'ab', legacy: false, line: undefined }], outs: [], line: 3 },
        ],
      ]),
    };
    const back = roundTrip(lock) as typeof lock;
    expect(back).toStrictEqual(lock);
    expect(back.stages).toBeInstanceOf(Map);
    expect('line' in back.stages.get('train')!.deps[0]!).toBe(true);
    const odd = { '\u0000': 'map', e: [1], nested: new Map([['k', { '\u0000': 'u' }]]) };
    expect(roundTrip(odd)).toStrictEqual(odd);
    expect(roundTrip([undefined, null, 'x'])).toStrictEqual([undefined, null, 'x']);
    expect(roundTrip('0123456789abcdef0123456789abcdef')).toBe('0123456789abcdef0123456789abcdef');
  });

  it('refuses what it cannot bring back, and what it did not write', () => {
    expect(toStored({ x: Number.POSITIVE_INFINITY })).toBeUndefined();
    expect(toStored(new Set([1]))).toBeUndefined();
    expect(toStored({ when: new Date(0) })).toBeUndefined();
    expect(fromStored({ '\u0000': 'map', e: [[1]] })).toBeUndefined();
    expect(fromStored({ '\u0000': 'set', e: [] })).toBeUndefined();
    expect(fromStored({ a: { '\u0000': 'o', e: [[1, 2]] } })).toBeUndefined();
  });
});
