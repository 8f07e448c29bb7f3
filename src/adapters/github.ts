// The narrow interface lineage-gate needs from GitHub, and its live implementation over the REST API.
// The local implementation (for --dry-run) is in github-local.ts.
import { getOctokit } from '@actions/github';

export interface Comment {
  id: number;
  body: string;
  author: string;
}
export interface Pull {
  number: number;
  url: string;
  title: string;
  body: string;
  headSha: string;
}
export interface GitCommit {
  sha: string;
  tree: string;
  message: string;
  author: string;
  parents: string[] /** Committer date, ISO 8601. */;
  date: string;
}
export interface FileChange {
  path: string;
  content: string;
}

/** A write the token may not make (fork PRs, read-only tokens). */
export class ForbiddenError extends Error {
  readonly status: number;
  constructor(what: string, status: number) {
    super(`GitHub refused ${what} (HTTP ${status}): the token cannot write here`);
    this.name = 'ForbiddenError';
    this.status = status;
  }
}

export interface GitHubPort {
  /** Login of the token's identity, or null when the token cannot say (the workflow token, App tokens). */
  identity(): Promise<string | null>;
  listComments(issue: number): Promise<Comment[]>;
  createComment(issue: number, body: string): Promise<void>;
  updateComment(id: number, body: string): Promise<void>;
  findOpenPull(branch: string, base: string): Promise<Pull | null>;
  /** The open pull request whose head is `headOwner:branch` at exactly `sha` (a fork's, for workflow_run). */
  findPullForHead(headOwner: string, branch: string, sha: string): Promise<Pull | null>;
  createPull(p: { title: string; body: string; head: string; base: string }): Promise<Pull>;
  updatePull(n: number, p: { title?: string; body?: string; state?: 'closed' }): Promise<Pull>;
  addLabels(n: number, labels: string[]): Promise<void>;
  getBranch(branch: string): Promise<string | null>;
  getCommit(sha: string): Promise<GitCommit>;
  /** One commit holding `files` on top of `baseTree`, with `parents`; returns its sha. */
  createCommit(p: { message: string; baseTree: string; files: FileChange[]; parents: string[] }): Promise<string>;
  createBranch(branch: string, sha: string): Promise<'created' | 'exists'>;
  /** Fast-forward only (no force); 'conflict' when the branch moved meanwhile. */
  updateBranch(branch: string, sha: string): Promise<'updated' | 'conflict'>;
  deleteBranch(branch: string): Promise<void>;
  /** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
  isAncestor(ancestor: string, descendant: string): Promise<boolean>;
}

type Octokit = ReturnType<typeof getOctokit>;

export function liveGitHub(
  token: string,
  owner: string,
  repo: string,
  apiUrl = process.env.GITHUB_API_URL ?? 'https://api.github.com',
): GitHubPort {
  // The runner sets GITHUB_API_URL (GitHub Enterprise Server differs); passed explicitly because not every
  // getOctokit honours it (@github/local-action's stand-in does not).
  const octokit: Octokit = getOctokit(token, { baseUrl: apiUrl });
  const r = { owner, repo };
  const status = (e: unknown): number => (typeof e === 'object' && e && 'status' in e ? Number((e as { status: number }).status) : 0);
  const guard = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
    try {
      return await f();
    } catch (e) {
      if (status(e) === 403 || status(e) === 401) throw new ForbiddenError(what, status(e));
      throw e;
    }
  };
  const toPull = (p: { number: number; html_url: string; title: string; body?: string | null; head: { sha: string } }): Pull => ({
    number: p.number,
    url: p.html_url,
    title: p.title,
    body: p.body ?? '',
    headSha: p.head.sha,
  });
  return {
    async identity() {
      try {
        const { data } = await octokit.request('GET /user');
        return data.login;
      } catch (e) {
        if ([401, 403, 404].includes(status(e))) return null;
        throw e;
      }
    },
    async listComments(issue) {
      const all = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...r,
        issue_number: issue,
        per_page: 100,
      });
      return all.map((c) => ({ id: c.id, body: c.body ?? '', author: c.user?.login ?? '' }));
    },
    async createComment(issue, body) {
      await guard('creating a comment', () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', { ...r, issue_number: issue, body }),
      );
    },
    async updateComment(id, body) {
      await guard('editing a comment', () =>
        octokit.request('PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}', { ...r, comment_id: id, body }),
      );
    },
    async findOpenPull(branch, base) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...r,
        state: 'open',
        head: `${owner}:${branch}`,
        base,
        per_page: 10,
      });
      return data[0] ? toPull(data[0]) : null;
    },
    async findPullForHead(headOwner, branch, sha) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...r,
        state: 'open',
        head: `${headOwner}:${branch}`,
        per_page: 10,
      });
      const pull = data.find((p) => p.head.sha === sha);
      return pull ? toPull(pull) : null;
    },
    async createPull(p) {
      const { data } = await guard('opening a pull request', () => octokit.request('POST /repos/{owner}/{repo}/pulls', { ...r, ...p }));
      return toPull(data);
    },
    async updatePull(n, p) {
      const { data } = await guard('updating a pull request', () =>
        octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', { ...r, pull_number: n, ...p }),
      );
      return toPull(data);
    },
    async addLabels(n, labels) {
      if (labels.length === 0) return;
      await guard('labelling a pull request', () =>
        octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { ...r, issue_number: n, labels }),
      );
    },
    async getBranch(branch) {
      try {
        const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', { ...r, ref: `heads/${branch}` });
        return data.object.sha;
      } catch (e) {
        if (status(e) === 404) return null;
        throw e;
      }
    },
    async getCommit(sha) {
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', { ...r, commit_sha: sha });
      return {
        sha: data.sha,
        tree: data.tree.sha,
        message: data.message,
        author: data.author.name ?? '',
        parents: data.parents.map((p) => p.sha),
        date: data.committer.date ?? '',
      };
    },
    async createCommit(p) {
      const tree = await guard('creating a tree', () =>
        octokit.request('POST /repos/{owner}/{repo}/git/trees', {
          ...r,
          base_tree: p.baseTree,
          tree: p.files.map((f) => ({ path: f.path, mode: '100644' as const, type: 'blob' as const, content: f.content })),
        }),
      );
      const commit = await guard('creating a commit', () =>
        octokit.request('POST /repos/{owner}/{repo}/git/commits', { ...r, message: p.message, tree: tree.data.sha, parents: p.parents }),
      );
      return commit.data.sha;
    },
    async createBranch(branch, sha) {
      try {
        await guard('creating a branch', () =>
          octokit.request('POST /repos/{owner}/{repo}/git/refs', { ...r, ref: `refs/heads/${branch}`, sha }),
        );
        return 'created';
      } catch (e) {
        if (status(e) === 422) return 'exists';
        throw e;
      }
    },
    async updateBranch(branch, sha) {
      try {
        await guard('updating a branch', () =>
          octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', { ...r, ref: `heads/${branch}`, sha, force: false }),
        );
        return 'updated';
      } catch (e) {
        if (status(e) === 422) return 'conflict';
        throw e;
      }
    },
    async deleteBranch(branch) {
      await guard('deleting a branch', () =>
        octokit.request('DELETE /repos/{owner}/{repo}/git/refs/{ref}', { ...r, ref: `heads/${branch}` }),
      );
    },
    async isAncestor(ancestor, descendant) {
      if (ancestor === descendant) return true;
      const { data } = await octokit.request('GET /repos/{owner}/{repo}/compare/{basehead}', {
        ...r,
        basehead: `${ancestor}...${descendant}`,
        per_page: 1,
      });
      return data.status === 'ahead' || data.status === 'identical';
    },
  };
}
