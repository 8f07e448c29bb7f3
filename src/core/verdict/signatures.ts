// Order-free comparison keys for sets that the lock and the manifests must agree on.

/** The gate as a set of canonical condition texts, with its policy for a missing baseline when that is not the default. */
export function gateSignature(texts: readonly string[], onMissingBaseline: 'skip' | 'fail' = 'skip'): string {
  const sig = [...new Set(texts)].sort().join('\n');
  return onMissingBaseline === 'fail' ? `${sig}\n\u0000on_missing_baseline=fail` : sig;
}

/** The trained-on map as sorted `id=version` lines. */
export function datasetsSignature(map: Readonly<Record<string, string>>): string {
  return Object.keys(map)
    .sort()
    .map((k) => `${k}=${map[k]}`)
    .join('\n');
}

/** A node's needs as a sorted list (node ids cannot contain commas). */
export function needsSignature(needs: readonly string[]): string {
  return [...needs].sort().join(',');
}
