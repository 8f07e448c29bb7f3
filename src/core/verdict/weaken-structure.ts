// Weakenings in the shape of the graph rather than in a gate's numbers: an accepted id replaced by a new one (its
// baselines would be skipped), a node's metric switched, a node removed, a dataset dropped from what a model was
// trained on (its staleness no longer checked), and an accepted condition that would be skipped for want of a baseline.
import { cmp } from '../order.ts';
import type { Lock, Manifests, Weakening } from '../types.ts';

export function structuralWeakenings(m: Manifests, lock: Lock): Weakening[] {
  const out: Weakening[] = [];
  const nodeNow = new Map<string, Manifests['workflows'][number]['nodes'][number]>(
    m.workflows.flatMap((w) => w.nodes.map((n) => [`${w.id}/${n.id}`, n] as const)),
  );

  for (const x of m.models) {
    const old = lock.models[x.id];
    if (!old) continue;
    for (const ds of Object.keys(old.datasets).sort(cmp))
      if (!(ds in x.datasets))
        out.push({
          entity: 'model',
          id: x.id,
          kind: 'datasets',
          message: `dataset ${ds} dropped from what it was trained on: whether it is stale against ${ds} is no longer checked`,
          before: `${ds}@${old.datasets[ds]}`,
          after: '(dropped)',
        });
    for (const c of x.gate)
      if (c.rhs.kind === 'baseline' && old.gate.includes(c.text) && old.metrics[c.metric] === undefined && x.on_missing_baseline !== 'fail')
        out.push({
          entity: 'model',
          id: x.id,
          kind: 'skipped',
          message: `condition ${c.text} would be skipped: the lock holds no baseline for ${c.metric}, though it accepted this condition`,
          before: c.text,
          after: `${c.text} (skipped)`,
        });
  }

  for (const w of m.workflows) {
    const old = lock.workflows[w.id];
    if (!old) continue;
    const now = new Map(w.nodes.map((n) => [n.id, n]));
    for (const nid of Object.keys(old.nodes).sort(cmp)) {
      const pin = old.nodes[nid]!;
      const n = now.get(nid);
      if (!n)
        out.push({
          entity: 'workflow',
          id: w.id,
          kind: 'node',
          message: `node ${nid} removed: it ran ${pin.model} (${pin.metric}) with weight ${pin.weight}`,
          before: `${nid}: ${pin.model} ${pin.metric}, weight ${pin.weight}`,
          after: '(removed)',
        });
      else if (n.metric !== pin.metric)
        out.push({
          entity: 'workflow',
          id: w.id,
          kind: 'metric',
          message: `node ${nid}'s metric switched: ${pin.metric} → ${n.metric}`,
          before: pin.metric,
          after: n.metric,
        });
    }
  }

  // An accepted id gone and a new one taking over what it did: its accepted baselines and scores no longer bind.
  const models = new Set(m.models.map((x) => x.id));
  const goneModels = Object.keys(lock.models)
    .filter((id) => !models.has(id))
    .sort(cmp);
  for (const y of m.models) {
    if (lock.models[y.id]) continue;
    for (const gone of goneModels) {
      const was = lock.models[gone]!;
      const nodes = Object.entries(lock.workflows)
        .flatMap(([wid, lw]) => Object.entries(lw.nodes).map(([nid, pin]) => ({ key: `${wid}/${nid}`, pin })))
        .filter(({ key, pin }) => pin.model === gone && nodeNow.get(key)?.model === y.id)
        .map(({ key }) => key)
        .sort(cmp);
      const sameData = JSON.stringify(Object.keys(was.datasets).sort()) === JSON.stringify(Object.keys(y.datasets).sort());
      const baselines = y.gate.filter((c) => c.rhs.kind === 'baseline' && was.gate.includes(c.text)).map((c) => c.text);
      if (nodes.length === 0 && !(sameData && baselines.length > 0)) continue;
      const what =
        nodes.length > 0 ? `its nodes ${nodes.join(', ')}` : `its baseline conditions (${baselines.join(', ')}) on the same datasets`;
      out.push({
        entity: 'model',
        id: y.id,
        kind: 'renamed',
        message: `${gone} is gone and ${y.id} takes over ${what}: the baselines accepted for ${gone} no longer apply`,
        before: gone,
        after: y.id,
      });
    }
  }
  const workflows = new Set(m.workflows.map((w) => w.id));
  for (const v of m.workflows) {
    if (lock.workflows[v.id]) continue;
    for (const gone of Object.keys(lock.workflows)
      .filter((id) => !workflows.has(id))
      .sort(cmp)) {
      const was = lock.workflows[gone]!;
      const shared = v.nodes.filter((n) => was.nodes[n.id]?.model === n.model).map((n) => n.id);
      if (shared.length === 0) continue;
      out.push({
        entity: 'workflow',
        id: v.id,
        kind: 'renamed',
        message: `${gone} is gone and ${v.id} takes over its nodes ${shared.join(', ')}: its accepted score ${was.score}${was.max_drop !== undefined ? ` and max_drop ${was.max_drop}` : ''} no longer apply`,
        before: gone,
        after: v.id,
      });
    }
  }
  return out;
}
