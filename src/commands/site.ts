// `lineage-gate site`: build the static lineage site. Astro is loaded only here, when the command runs, and only
// after checking that it is installed: it is not one of the command's own dependencies.
import { plain, renderText } from '../core/render/text.ts';
import { parseRepoUrl } from '../core/site/repo-url.ts';
import { evaluate } from '../evaluate.ts';
import { type Command, cacheOptions, EXIT, flag, str, UsageError } from './command.ts';

export const site: Command = {
  name: 'site',
  usage: 'site   [--root DIR] [--rev REV] --out DIR [--base /repo-name/] [--repo-url https://github.com/OWNER/REPO]',
  options: {
    out: { type: 'string' },
    'repo-url': { type: 'string' },
    base: { type: 'string', default: '/' },
    rev: { type: 'string' },
    all: { type: 'boolean', default: false },
  },
  async run(v, _args, io) {
    const out = str(v, 'out');
    const base = str(v, 'base') ?? '/';
    if (!out) throw new UsageError('--out DIR is required');
    if (!/^\/([A-Za-z0-9._-]+\/)*$/.test(base)) throw new UsageError('--base must look like /repo-name/');
    const repoText = str(v, 'repo-url');
    const repo = repoText === undefined ? null : parseRepoUrl(repoText);
    if (repo && !repo.ok) throw new UsageError(`--repo-url ${repo.message}`);
    const { buildSite, siteUnavailable } = await import('../site-build.ts');
    const unavailable = siteUnavailable();
    if (unavailable) {
      io.err(`lineage-gate site: ${unavailable}\n`);
      return EXIT.invalid;
    }
    // site's --base is the URL path it is served under (as in Astro), so its accepted-state revision is --rev.
    using ev = await evaluate({ root: str(v, 'root')!, all: flag(v, 'all'), base: str(v, 'rev'), ...cacheOptions(v, io) });
    if (ev.report.status === 'invalid') {
      io.err(renderText(ev.report));
      return EXIT.invalid;
    }
    const r = await buildSite({ evaluation: ev, out, base, repoUrl: repo?.ok ? repo.url : null, log: (l) => io.err(`${l}\n`) });
    for (const w of r.warnings) io.err(`warning: ${plain(w)}\n`);
    io.out(`site: ${r.pages} pages in ${out} (latest verdict: ${r.status})\n`);
    return EXIT.ok;
  },
};
