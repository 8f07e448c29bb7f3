// What the physical floors of the benchmark read: the files `check` read (not those it knew from git's index), and the same data written as JSON (each
// file's parsed value, one JSON file per file) so that read + JSON.parse can be timed on exactly that data.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from '../src/core/input/document.ts';
import { KIND_DIRS } from '../src/core/input/manifests.ts';
import { parseMetrics } from '../src/core/input/metrics.ts';
import { extensionFormat } from '../src/core/input/paths.ts';
import { LOCK_FILE, parseLock } from '../src/core/lock/lock-file.ts';
import type { Evaluation } from '../src/evaluate.ts';

export function writeFloorInputs(dir: string, ev: Evaluation): { list: string; bytes: number; files: number } {
  const jsonDir = path.join(dir, 'floor-json');
  rmSync(jsonDir, { recursive: true, force: true });
  const under = (p: string) => (ev.rootRel ? `${ev.rootRel}/${p}` : p);
  let bytes = 0;
  // What check read: files whose bytes it read, not the metric files git's index named without a read.
  const read = [...new Set([...ev.repo.filesRead().keys(), ...ev.state.filesRead().keys()])].sort();
  for (const f of read) {
    const raw = readFileSync(path.join(ev.repo.root, f));
    bytes += raw.length;
    const text = raw.toString('utf8');
    let value: unknown;
    if (f === under(LOCK_FILE)) {
      const r = parseLock(text, f);
      if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
      value = r.lock;
    } else if (f.startsWith(`${under('')}`) && (extensionFormat(f) === 'yaml' || extensionFormat(f) === 'json')) {
      const r = parseDocument(text, f, extensionFormat(f) === 'json' ? 'json' : 'yaml');
      if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
      value = r.doc.value;
    } else if (f.endsWith('.dvc') || f.endsWith('dvc.lock')) {
      const r = parseDocument(text, f, 'yaml');
      if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
      value = r.doc.value;
    } else {
      const r = parseMetrics(text, f);
      if (!r.ok) throw new Error(`${f}: ${r.problems[0]?.message}`);
      value = Object.fromEntries([...r.metrics].map(([k, m]) => [k, m.value]));
    }
    const out = path.join(jsonDir, `${f}.json`);
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(out, JSON.stringify(value));
  }
  const list = path.join(dir, 'floor-files.json');
  const folders = Object.values(KIND_DIRS).map(under);
  writeFileSync(list, JSON.stringify({ repo: ev.repo.root, files: read, jsonDir, folders }));
  return { list, bytes, files: read.length };
}
