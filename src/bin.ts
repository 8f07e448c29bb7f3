#!/usr/bin/env node
// The `lineage-gate` command. Published, it runs compiled as dist/bin.js; in a clone, bin/lineage-gate.js loads it
// as TypeScript. It checks the Node.js version first, because an older Node fails later with a less helpful error.
import { MIN_NODE, nodeTooOld } from './node-version.ts';

if (nodeTooOld(process.versions.node, MIN_NODE)) {
  process.stderr.write(`lineage-gate needs Node.js ${MIN_NODE.join('.')} or later; this is ${process.version}.\n`);
  process.exit(2);
}
const { main } = await import('./cli.ts');
process.exitCode = await main(process.argv.slice(2));
