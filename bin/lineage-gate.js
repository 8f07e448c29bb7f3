#!/usr/bin/env node
// Entry point; Node 24 runs the TypeScript sources directly (type stripping), so there is no build step.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(`lineage-gate needs Node.js 24 or later; this is ${process.version}.\n`);
  process.exit(2);
}
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
