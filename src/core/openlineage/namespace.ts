// The default namespace of exported lineage: the repository's web address, the same from every clone of it.

/**
 * A remote as people would name the repository: its web URL, no credentials, no ".git". git@host:owner/repo.git and
 * ssh://git@host/owner/repo both become https://host/owner/repo; anything else that is not http(s) gives null.
 */
export function repositoryUrl(remote: string): string | null {
  const scp = /^[\w.-]+@([\w.-]+):(?!\/)(.+)$/.exec(remote);
  let u: URL;
  try {
    u = new URL(scp ? `https://${scp[1]}/${scp[2]}` : remote);
  } catch {
    return null;
  }
  if (!['http:', 'https:', 'ssh:', 'git:'].includes(u.protocol)) return null;
  const path = u.pathname.replace(/\.git$/, '').replace(/\/+$/, '');
  if (path === '' || /[\u0000-\u001f\u007f]/.test(path)) return null;
  // Tokens in remotes (https://x-access-token:…@github.com/…) must never reach an exported event.
  const web = u.protocol === 'http:' || u.protocol === 'https:';
  return `${web ? u.protocol : 'https:'}//${web ? u.host : u.hostname}${path}`;
}

/** GitHub Actions names the repository itself: GITHUB_SERVER_URL/GITHUB_REPOSITORY. */
export function actionsRepositoryUrl(env: Record<string, string | undefined>): string | null {
  const server = env.GITHUB_SERVER_URL;
  const repo = env.GITHUB_REPOSITORY;
  if (!server || !repo || !/^[\w.-]+\/[\w.-]+$/.test(repo)) return null;
  return repositoryUrl(`${server.replace(/\/+$/, '')}/${repo}`);
}
