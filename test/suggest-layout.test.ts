// The pure rules behind "did you mean" and the layout warnings.
import { describe, expect, it } from 'vitest';
import { layoutWarnings } from '../src/core/input/layout.ts';
import { closest, distance } from '../src/core/input/suggest.ts';

describe('closest', () => {
  it('counts a transposition as one edit, prefers a case difference, and breaks ties by code-unit order', () => {
    expect(distance('m_sentimnet', 'm_sentiment', 3)).toBe(1);
    expect(distance('abc', 'xyz', 1)).toBe(2);
    expect(closest('m_sentimnet', ['m_sentiment', 'm_other'])).toBe('m_sentiment');
    expect(closest('Model_A', ['model_a', 'model_b'])).toBe('model_a');
    expect(closest('ab', ['ac', 'aa'])).toBe('aa');
  });

  it('suggests nothing beyond the budget: one edit for short names, up to three for long ones', () => {
    expect(closest('abcd', ['abxy'])).toBeNull();
    expect(closest('ds_reviews_2024', ['ds_reveiws_2042'])).toBe('ds_reveiws_2042');
    expect(closest('completely_other', ['m'])).toBeNull();
    expect(closest('same', ['same'])).toBeNull();
  });
});

describe('layoutWarnings', () => {
  const none = { root: 'lineage', topLevel: [], unread: [], manifests: 3 };
  it('leaves the kind folders, history, the lock, hidden entries and unrelated folders alone', () => {
    const topLevel = ['datasets', 'models', 'workflows', 'history', '.cache', 'docs', 'results'].map((name) => ({ name, dir: true }));
    expect(layoutWarnings({ ...none, topLevel: [...topLevel, { name: 'associations.lock.yaml', dir: false }] })).toEqual([]);
  });

  it('flags near-miss extensions but not other formats or editor leftovers', () => {
    const unread = ['m.ymal', 'm.jsno', 'm.ym', 'm.xml', 'm.toml', 'm.yaml~', 'm.yml.bak', 'README', 'notes.md'].map((f) => ({
      kind: 'model' as const,
      path: `lineage/models/${f}`,
    }));
    expect(layoutWarnings({ ...none, unread }).map((w) => w.hint)).toEqual([
      'did you mean lineage/models/m.yaml? rename the file',
      'did you mean lineage/models/m.json? rename the file',
      'did you mean lineage/models/m.yml? rename the file',
    ]);
  });

  it('names a root that holds no manifests, at the repository root too', () => {
    expect(layoutWarnings({ ...none, root: '', manifests: 0 })).toEqual([
      {
        file: '.',
        message: 'the lineage root holds no manifests',
        hint: 'put one dataset a file in datasets/, one model a file in models/ and one workflow a file in workflows/ (.yaml, .yml or .json)',
      },
    ]);
  });
});
