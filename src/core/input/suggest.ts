// "Did you mean": the known name closest to a mistyped one, by edit distance with transpositions counted once.

/** Edits allowed for a name of this length: one for short names, up to three for long ones. */
const budget = (name: string) => (name.length <= 4 ? 1 : name.length <= 10 ? 2 : 3);

/**
 * The candidate nearest to `name` within its edit budget (case differences first, then fewest edits, then the first
 * in code-unit order), or null. Bounded: a candidate whose length alone rules it out costs nothing.
 */
export function closest(name: string, candidates: Iterable<string>): string | null {
  const max = budget(name);
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const c of candidates) {
    if (c === name || Math.abs(c.length - name.length) > max) continue;
    // A difference of case alone is the likeliest slip: it scores below any real edit.
    const d = c.toLowerCase() === lower ? 0.5 : distance(lower, c.toLowerCase(), max);
    if (d > max) continue;
    if (d < bestScore || (d === bestScore && best !== null && c < best)) {
      best = c;
      bestScore = d;
    }
  }
  return best;
}

/** Optimal string alignment distance, or max + 1 as soon as it must exceed max. */
export function distance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  let prev2: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      row.push(v);
      rowMin = Math.min(rowMin, v);
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = row;
  }
  return prev[b.length]!;
}

/** `; did you mean "x"?` for a message, or nothing. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c === null ? '' : `; did you mean "${c}"?`;
}
