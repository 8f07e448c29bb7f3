// The pure parts of the OpenLineage export: name-based run ids and the repository URL used as namespace.
import { describe, expect, it } from 'vitest';
import { uuidV5 } from '../src/adapters/uuid.ts';
import { actionsRepositoryUrl, repositoryUrl } from '../src/core/openlineage/namespace.ts';

describe('uuidV5', () => {
  it('matches the RFC test vector and is stable', () => {
    // RFC 9562 / Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
    expect(uuidV5('python.org', '6ba7b810-9dad-11d1-80b4-00c04fd430c8')).toBe('886313e1-3b8a-5372-9b90-0c9aee199e5d');
    expect(uuidV5('a')).toBe(uuidV5('a'));
    expect(uuidV5('a')).not.toBe(uuidV5('b'));
    expect(uuidV5('ünïcødé')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(() => uuidV5('a', 'not-a-uuid')).toThrow();
  });
});

describe('repositoryUrl', () => {
  it.each([
    ['https://github.com/acme/chem.git', 'https://github.com/acme/chem'],
    ['https://x-access-token:ghs_abc@github.com/acme/chem.git', 'https://github.com/acme/chem'],
    ['git@github.com:acme/chem.git', 'https://github.com/acme/chem'],
    ['ssh://git@gitlab.example.com:2222/group/sub/repo.git', 'https://gitlab.example.com/group/sub/repo'],
    ['http://git.internal:8080/chem/', 'http://git.internal:8080/chem'],
  ])('%s → %s', (remote, url) => expect(repositoryUrl(remote)).toBe(url));

  it.each(['/srv/git/chem.git', '../chem', 'file:///srv/git/chem', '', 'https://github.com'])('%s has no web URL', (remote) =>
    expect(repositoryUrl(remote)).toBeNull(),
  );

  it('takes GitHub Actions’ own names, and refuses a repository name that is not one', () => {
    expect(actionsRepositoryUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/chem' })).toBe(
      'https://github.com/acme/chem',
    );
    expect(actionsRepositoryUrl({ GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'acme/chem/../x' })).toBeNull();
    expect(actionsRepositoryUrl({})).toBeNull();
  });
});
