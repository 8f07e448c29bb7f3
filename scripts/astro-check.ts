// `npm run check:site`: astro check's type checking of the site's pages and components (@astrojs/language-server),
// run with TypeScript 6 because TypeScript 7's package no longer carries the compiler API the checker drives; the
// rest of the project is checked by TypeScript 7's tsc. Exits 1 on any error or warning.
import { createRequire, registerHooks } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);
// The checker's libraries (@volar/*) require "typescript" themselves: for this process, that is TypeScript 6.
registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'typescript' || specifier.startsWith('typescript/'))
      return next(specifier.replace(/^typescript/, 'typescript6'), context);
    return next(specifier, context);
  },
});
const { AstroCheck } = await import('@astrojs/language-server');
const site = path.resolve(import.meta.dirname, '../site');
const checker = new AstroCheck(site, require.resolve('typescript6'), path.join(site, 'tsconfig.json'));
const result = await checker.lint({ logErrors: { level: 'warning' } });
process.stdout.write(`astro check: ${result.fileChecked} files, ${result.errors} errors, ${result.warnings} warnings\n`);
process.exit(result.errors + result.warnings > 0 ? 1 : 0);
