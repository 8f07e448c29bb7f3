// Search: tokenises the query like the index builder, fetches the shards of its tokens, and intersects the hits.
const form = document.getElementById('search-form') as HTMLFormElement;
const base = form.dataset.base ?? '/';
const input = document.getElementById('q') as HTMLInputElement;
const status = document.getElementById('search-status')!;
const results = document.getElementById('results')!;
const shards = new Map<string, Record<string, string[]>>();

const tokens = (text: string) => [
  ...new Set(
    text
      .toLowerCase()
      .split(/[^\p{L}\p{N}_.-]+/u)
      .map((w) => w.replace(/^[._-]+|[._-]+$/g, ''))
      .filter((w) => w.length >= 2 && w.length <= 40),
  ),
];
const shardOf = (t: string) =>
  t
    .slice(0, 2)
    .replace(/[^a-z0-9]/g, '_')
    .padEnd(2, '_');

async function shard(name: string): Promise<Record<string, string[]>> {
  const known = shards.get(name);
  if (known) return known;
  const res = await fetch(`${base}data/search/${name}.json`);
  const data = res.ok ? ((await res.json()) as Record<string, string[]>) : {};
  shards.set(name, data);
  return data;
}

async function run(query: string): Promise<void> {
  const ts = tokens(query);
  results.replaceChildren();
  if (ts.length === 0) {
    status.textContent = 'Type at least two characters.';
    return;
  }
  let hits = null as Set<string> | null;
  for (const t of ts) {
    const data = await shard(shardOf(t));
    // A token matches index words it starts, so "tox" finds "toxicity".
    const found = new Set<string>(
      Object.entries(data)
        .filter(([word]) => word.startsWith(t))
        .flatMap(([, ids]) => ids),
    );
    hits = hits === null ? found : new Set([...hits].filter((h) => found.has(h)));
  }
  const list = [...(hits ?? [])].sort().slice(0, 200);
  status.textContent = `${list.length} result(s) for “${query}”.`;
  for (const key of list) {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const li = document.createElement('li');
    const a = document.createElement('a');
    a.href = `${base}${kind}s/${encodeURIComponent(id)}/`;
    a.textContent = id;
    li.append(`${kind} `, a);
    results.append(li);
  }
  const url = new URL(location.href);
  url.searchParams.set('q', query);
  history.replaceState(null, '', url);
}

form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  void run(input.value);
});
const initial = new URL(location.href).searchParams.get('q');
if (initial) {
  input.value = initial;
  void run(initial);
}
