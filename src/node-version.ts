// The Node.js versions lineage-gate runs on: package.json's engines, checked where a clear message helps.

/** The oldest Node.js the command runs on (package.json "engines"; the package test runs it on each LTS line). */
export const MIN_NODE = [20, 10] as const;
/** Astro, which builds the site, needs at least this (its own "engines"). */
export const MIN_NODE_SITE = [22, 12] as const;

/** Whether `version` ("20.9.1") is older than `min` ([20, 10]). */
export function nodeTooOld(version: string, min: readonly [number, number]): boolean {
  const [major = 0, minor = 0] = version.split('.').map(Number);
  return major < min[0] || (major === min[0] && minor < min[1]);
}
