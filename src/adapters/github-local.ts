// The local implementation of GitHubPort, behind `lineage-gate propose --dry-run`: an empty, in-memory GitHub that
// records what the live one would be asked to do, so a person can read the plan before giving anything a token.
import { createHash } from 'node:crypto';
import type { FileChange, GitCommit, GitHubPort, Pull } from './github.ts';

export interface LocalGitHub extends GitHubPort {
  /** Every write, in order, in words. */
  log: string[];
  files: FileChange[];
  pulls: Pull[];
}

export function localGitHub(evaluated: { sha: string; date: string }, login = 'lineage-gate[dry-run]'): LocalGitHub {
  const commits = new Map<string, GitCommit>([
    [evaluated.sha, { sha: evaluated.sha, tree: 'base', message: '', author: '', parents: [], date: evaluated.date }],
  ]);
  const branches = new Map<string, string>();
  const self: LocalGitHub = {
    log: [],
    files: [],
    pulls: [],
    identity: async () => login,
    listComments: async () => [],
    createComment: async (n, body) => void self.log.push(`comment on #${n} (${body.length} characters)`),
    updateComment: async (id) => void self.log.push(`edit comment ${id}`),
    findOpenPull: async (branch) => self.pulls.find((p) => p.url.endsWith(`#${branch}`)) ?? null,
    findPullForHead: async () => null,
    async createPull(p) {
      const pull: Pull = {
        number: self.pulls.length + 1,
        url: `(dry run)#${p.head}`,
        title: p.title,
        body: p.body,
        headSha: branches.get(p.head) ?? '',
      };
      self.pulls.push(pull);
      self.log.push(`open a pull request from ${p.head} into ${p.base}: "${p.title}" (${p.body.length} characters of body)`);
      return pull;
    },
    async updatePull(n, p) {
      const pull = self.pulls[n - 1]!;
      Object.assign(pull, p.title ? { title: p.title } : {}, p.body ? { body: p.body } : {});
      self.log.push(`update pull request #${n}`);
      return pull;
    },
    addLabels: async (n, labels) => void (labels.length && self.log.push(`label #${n}: ${labels.join(', ')}`)),
    getBranch: async (b) => branches.get(b) ?? null,
    getCommit: async (sha) => {
      const c = commits.get(sha);
      if (!c) throw new Error(`unknown commit ${sha}`);
      return c;
    },
    async createCommit(p) {
      const sha = createHash('sha1').update(JSON.stringify(p)).digest('hex');
      commits.set(sha, { sha, tree: 'new', message: p.message, author: login, parents: p.parents, date: evaluated.date });
      self.files.push(...p.files);
      self.log.push(`commit ${p.files.map((f) => f.path).join(' and ')} on top of ${p.parents.map((x) => x.slice(0, 12)).join(', ')}`);
      return sha;
    },
    async createBranch(b, sha) {
      branches.set(b, sha);
      self.log.push(`create branch ${b}`);
      return 'created';
    },
    async updateBranch(b, sha) {
      branches.set(b, sha);
      self.log.push(`move branch ${b} forward`);
      return 'updated';
    },
    deleteBranch: async (b) => void self.log.push(`delete branch ${b}`),
    isAncestor: async (a, d) => a === d,
  };
  return self;
}
