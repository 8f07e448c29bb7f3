// The repository's web address for the site's links to manifests and metric files: an https URL of a host and a
// path of plain segments, nothing else (no credentials, query, fragment or other scheme), so a link built from it
// can only point at that repository's files.

const SEGMENT = /^[A-Za-z0-9._~-]+$/;

export function parseRepoUrl(text: string): { ok: true; url: string } | { ok: false; message: string } {
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return { ok: false, message: `"${text}" is not a URL; give the repository's address, e.g. https://github.com/owner/repo` };
  }
  if (u.protocol !== 'https:') return { ok: false, message: 'must be an https:// address, e.g. https://github.com/owner/repo' };
  if (u.username || u.password) return { ok: false, message: 'must not carry a user name or password' };
  if (u.search || u.hash || text.includes('?') || text.includes('#')) return { ok: false, message: 'must not carry a query or a fragment' };
  const segments = u.pathname.replace(/\/+$/, '').split('/').slice(1);
  if (segments.length < 2 || !segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..'))
    return { ok: false, message: 'must name the repository as /owner/repo, with letters, digits and . _ ~ - only' };
  return { ok: true, url: `https://${u.host}/${segments.join('/')}` };
}
