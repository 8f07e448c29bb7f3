#!/usr/bin/env node
// The command in a clone of the repository: it runs the TypeScript sources directly (Node strips the types), so
// there is no build step while developing. The published package runs the compiled dist/bin.js instead.
if (!process.features.typescript) {
  process.stderr.write(
    `lineage-gate: a clone runs its TypeScript sources, which needs Node.js 24; this is ${process.version}.\n` +
      '  Use Node 24, or build (npm run build) and run node dist/bin.js.\n',
  );
  process.exit(2);
}
await import('../src/bin.ts');
