// Reads one model's metrics for an evaluation: a metric file, or a folder of dvclive TSV files (one metric each).
import type { Repo } from './adapters/repo-fs.ts';
import { type Metrics, parseMetricFolder, parseMetrics } from './core/input/metrics.ts';
import { type InputProblem, problem } from './core/input/problems.ts';

export type MetricRead =
  | { state: 'ok'; metrics: Metrics; files: { path: string; text: string }[] }
  | { state: 'missing' }
  | { state: 'invalid'; problems: InputProblem[] };

/** `where` is the manifest field that named the metrics, for errors about the path itself. */
export async function readModelMetrics(repo: Repo, rel: string, where: { file: string; line: number | undefined }): Promise<MetricRead> {
  const r = await repo.read(rel);
  const refuse = (detail: string, hint: string): MetricRead => ({
    state: 'invalid',
    problems: [problem(where.file, `metrics: ${detail}`, { line: where.line, field: 'metrics', hint })],
  });
  if (r.ok) {
    const m = parseMetrics(r.text, rel);
    return m.ok ? { state: 'ok', metrics: m.metrics, files: [{ path: rel, text: r.text }] } : { state: 'invalid', problems: m.problems };
  }
  if (r.reason === 'symlink') return refuse(r.detail, 'commit the metric file itself, not a link to it');
  if (r.reason !== 'not-a-file' && r.reason !== 'missing') return refuse(r.detail, 'check the metric file');
  // A folder (a git revision lists no folders, so "missing" may be one too): dvclive's plots/metrics, one *.tsv per
  // metric, named by its path below the folder.
  const refused = repo.folderProblem(rel);
  if (refused) return refuse(refused, 'make it a real folder inside the repository: links are not followed');
  const listed = await repo.list(rel);
  if (r.reason === 'missing' && listed.length === 0) return { state: 'missing' };
  const files: { path: string; text: string }[] = [];
  const problems: InputProblem[] = [];
  for (const p of listed) {
    if (!p.toLowerCase().endsWith('.tsv')) continue;
    const f = await repo.read(p);
    if (f.ok) files.push({ path: p, text: f.text });
    else
      problems.push(
        problem(p, f.detail, {
          hint: f.reason === 'symlink' ? 'commit the metric file itself, not a link to it' : 'check the metric file',
        }),
      );
  }
  if (problems.length > 0) return { state: 'invalid', problems };
  const m = parseMetricFolder(files, rel);
  return m.ok ? { state: 'ok', metrics: m.metrics, files } : { state: 'invalid', problems: m.problems };
}
