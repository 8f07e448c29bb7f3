// The lineage site. Built by `lineage-gate site --out DIR [--base /repo/]`, which prepares the data folder
// (LINEAGE_SITE_DATA) and passes outDir and base; static output for GitHub Pages.
import { defineConfig } from 'astro/config';

export default defineConfig({
  output: 'static',
  trailingSlash: 'always',
  // Pages only read small JSON files, so rendering several at once keeps the CPU busy while one waits.
  build: { format: 'directory', inlineStylesheets: 'never', concurrency: 4 },
  // Never inline scripts into pages: the Content-Security-Policy allows scripts from 'self' only.
  vite: { build: { assetsInlineLimit: 0 } },
  devToolbar: { enabled: false },
  telemetry: false,
});
