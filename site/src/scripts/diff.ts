// The diff page: fetches what each evaluation between the two chosen ones moved and folds it into one table per kind.
import { diffEvaluations } from '../../../src/core/site/evaluation-diff.ts';
import type { DiffFile } from '../../../src/core/site/site-contract.ts';

/** More records than this between two evaluations are not fetched; the page says so. */
const MAX_RECORDS = 500;
const form = document.getElementById('diff-form') as HTMLFormElement;
const base = form.dataset.base ?? '/';
const last = Number(form.dataset.last || 0);
const status = document.getElementById('diff-status')!;
const result = document.getElementById('diff-result')!;
const selectA = document.getElementById('diff-a') as HTMLSelectElement;
const selectB = document.getElementById('diff-b') as HTMLSelectElement;

const rank = (v: string) => (v === 'pending' ? Number.POSITIVE_INFINITY : Number(v));
const valid = (v: string | null): v is string => v !== null && [...selectA.options].some((o) => o.value === v);

function cell(tr: HTMLTableRowElement, text: string, cls = ''): void {
  const td = document.createElement('td');
  td.textContent = text;
  if (cls) td.className = cls;
  tr.append(td);
}
function table(caption: string, head: string[], rows: string[][], kind: string): HTMLElement {
  const wrap = document.createElement('div');
  wrap.className = 'table-scroll';
  wrap.tabIndex = 0;
  const t = document.createElement('table');
  const c = document.createElement('caption');
  c.textContent = caption;
  const thead = document.createElement('thead');
  const hr = document.createElement('tr');
  for (const h of head) {
    const th = document.createElement('th');
    th.textContent = h;
    hr.append(th);
  }
  thead.append(hr);
  const tbody = document.createElement('tbody');
  for (const r of rows) {
    const tr = document.createElement('tr');
    const td = document.createElement('td');
    const a = document.createElement('a');
    a.href = `${base}${kind}s/${encodeURIComponent(r[0]!)}/`;
    a.className = 'id';
    a.textContent = r[0]!;
    td.append(a);
    tr.append(td);
    for (const text of r.slice(1)) cell(tr, text, 'mono');
    tbody.append(tr);
  }
  t.append(c, thead, tbody);
  wrap.append(t);
  return wrap;
}
const num = (x: number | undefined | null) => (x === undefined || x === null ? '—' : String(Number(x.toFixed(4))));

async function compare(a: string, b: string): Promise<void> {
  result.replaceChildren();
  if (rank(a) > rank(b)) [a, b] = [b, a];
  if (a === b) {
    status.textContent = 'Choose two different evaluations.';
    return;
  }
  const upto = b === 'pending' ? last : Number(b);
  const wanted: string[] = [];
  for (let s = Number(a) + 1; s <= upto; s++) wanted.push(String(s));
  if (b === 'pending') wanted.push('pending');
  if (wanted.length > MAX_RECORDS) {
    status.textContent = `${wanted.length} evaluations lie between these two; compare at most ${MAX_RECORDS} apart.`;
    return;
  }
  status.textContent = 'Comparing…';
  const records = await Promise.all(
    wanted.map(async (s) => {
      const r = await fetch(`${base}data/diff/${s}.json`);
      if (!r.ok) throw new Error(`evaluation ${s} is missing from the site`);
      return (await r.json()) as DiffFile;
    }),
  );
  const d = diffEvaluations(records);
  const label = (v: string) => (v === 'pending' ? 'the pending evaluation' : `#${v}`);
  const moved = d.datasets.length + d.models.length + d.workflows.length;
  status.textContent = `From ${label(a)} to ${label(b)}: ${moved} association(s) moved over ${records.length} evaluation(s).`;
  if (d.datasets.length)
    result.append(
      table(
        'Datasets',
        ['Dataset', `Accepted at ${label(a)}`, `Accepted at ${label(b)}`],
        d.datasets.map((m) => [m.id, m.before ?? 'new', m.after]),
        'dataset',
      ),
    );
  if (d.models.length)
    result.append(
      table(
        'Models',
        ['Model', 'Version', 'Gated metrics'],
        d.models.map((m) => [
          m.id,
          `${m.before?.version ?? 'new'} → ${m.after.version}`,
          Object.keys(m.after.metrics)
            .sort()
            .map((k) => `${k} ${m.before?.metrics[k] !== undefined ? `${num(m.before.metrics[k])} → ` : ''}${num(m.after.metrics[k])}`)
            .join(', ') || '—',
        ]),
        'model',
      ),
    );
  if (d.workflows.length)
    result.append(
      table(
        'Workflows',
        ['Workflow', 'Version', 'Score', 'Threshold'],
        d.workflows.map((w) => [
          w.id,
          `${w.before?.version ?? 'new'} → ${w.after.version}`,
          `${num(w.before?.score)} → ${num(w.after.score)}`,
          `${w.before && w.before.threshold !== w.after.threshold ? `${num(w.before.threshold)} → ` : ''}${num(w.after.threshold)}`,
        ]),
        'workflow',
      ),
    );
  const kept = [...d.kept.models.map((id) => `model ${id}`), ...d.kept.workflows.map((id) => `workflow ${id}`)];
  if (kept.length) {
    const p = document.createElement('p');
    p.textContent = `${label(b)} kept back: ${kept.join(', ')}.`;
    result.append(p);
  }
}

const params = new URL(location.href).searchParams;
const a = params.get('a');
const b = params.get('b');
if (valid(a)) selectA.value = a;
if (valid(b)) selectB.value = b;
form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  const url = new URL(location.href);
  url.searchParams.set('a', selectA.value);
  url.searchParams.set('b', selectB.value);
  history.replaceState(null, '', url);
  void compare(selectA.value, selectB.value).catch((e: Error) => {
    status.textContent = e.message;
  });
});
if (selectA.options.length >= 2)
  void compare(selectA.value, selectB.value).catch((e: Error) => {
    status.textContent = e.message;
  });
