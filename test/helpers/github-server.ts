// A local GitHub for tests, on 127.0.0.1: every request is checked against GitHub's official OpenAPI description
// (@octokit/openapi) for its route, method, parameters and body; the answers follow GitHub's shapes; the git data
// API is backed by a real bare repository through git plumbing, so tests can fetch what was pushed.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';

type Json = Record<string, unknown>;
interface Operation {
  method: string;
  template: string;
  regex: RegExp;
  params: string[];
  spec: Json;
}
interface TokenInfo {
  login: string;
  id: number;
  write: boolean /** Installation tokens (the workflow token, App tokens) cannot read /user. */;
  installation: boolean;
}
export interface Recorded {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  status: number;
  token: string;
}

const SPEC_FILE = 'node_modules/@octokit/openapi/generated/api.github.com.json';
let shared: { spec: Json; ajv: Ajv; ops: Operation[] } | null = null;

function loadSpec() {
  if (shared) return shared;
  const spec = JSON.parse(readFileSync(SPEC_FILE, 'utf8')) as Json & { paths: Record<string, Record<string, Json>> };
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, validateFormats: false });
  ajv.addSchema({ ...spec, $id: 'openapi' });
  const ops: Operation[] = [];
  for (const [template, methods] of Object.entries(spec.paths)) {
    const params: string[] = [];
    const pattern = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => {
      params.push(name);
      return '([^/]+)';
    });
    for (const [method, op] of Object.entries(methods)) {
      if (['get', 'post', 'patch', 'put', 'delete'].includes(method))
        ops.push({ method: method.toUpperCase(), template, regex: new RegExp(`^${pattern}$`), params, spec: op });
    }
  }
  shared = { spec, ajv, ops };
  return shared;
}

const pointer = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

export interface FakeGitHub {
  url: string;
  owner: string;
  repo: string;
  bare: string;
  requests: Recorded[];
  /** Requests that broke the OpenAPI description; a test must end with none. */
  violations: string[];
  comments: Map<number, { id: number; body: string; login: string }[]>;
  pulls: {
    number: number;
    title: string;
    body: string;
    head: string;
    base: string;
    state: 'open' | 'closed';
    labels: string[] /** A fork's PR: its owner and head sha (the branch is not in this repository). */;
    fork?: { owner: string; sha: string };
  }[];
  addToken(token: string, info: Partial<TokenInfo> & { login: string }): void;
  /** Runs before a request is answered; lets a test move a branch in between, as a racing run would. */
  before: ((r: { method: string; path: string }) => void) | null;
  git(...args: string[]): string;
  close(): Promise<void>;
}

export async function startFakeGitHub(opts: { owner?: string; repo?: string; bare: string; defaultBranch?: string }): Promise<FakeGitHub> {
  const { ajv, ops, spec } = loadSpec();
  const owner = opts.owner ?? 'octo-org';
  const repo = opts.repo ?? 'lineage';
  const tokens = new Map<string, TokenInfo>();
  const validators = new Map<string, ValidateFunction>();
  let nextId = 1000;
  // Git's complaints go into the thrown error, not onto the test run's output (some calls are expected to fail).
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', opts.bare, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

  const fake: FakeGitHub = {
    url: '',
    owner,
    repo,
    bare: opts.bare,
    requests: [],
    violations: [],
    comments: new Map(),
    pulls: [],
    addToken: (t, info) => tokens.set(t, { id: 4000 + tokens.size, write: true, installation: false, ...info }),
    before: null,
    git,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const resolveParam = (p: Json): Json => {
    if (typeof p.$ref === 'string') {
      const parts = (p.$ref as string).slice(2).split('/');
      let cur: unknown = spec;
      for (const part of parts) cur = (cur as Json)[part.replace(/~1/g, '/').replace(/~0/g, '~')];
      return cur as Json;
    }
    return p;
  };

  function validate(op: Operation, pathValues: string[], query: URLSearchParams, body: unknown): string[] {
    const problems: string[] = [];
    const declared = ((op.spec.parameters as Json[] | undefined) ?? []).map(resolveParam);
    for (const p of declared) {
      const name = p.name as string;
      const schema = (p.schema ?? {}) as Json;
      const value = p.in === 'path' ? pathValues[op.params.indexOf(name)] : p.in === 'query' ? (query.get(name) ?? undefined) : undefined;
      if (value === undefined) {
        if (p.required && p.in !== 'header') problems.push(`missing ${p.in} parameter ${name}`);
        continue;
      }
      if (schema.type === 'integer' && !/^-?\d+$/.test(value)) problems.push(`${p.in} parameter ${name} must be an integer, got ${value}`);
      if (Array.isArray(schema.enum) && !schema.enum.includes(value))
        problems.push(`${p.in} parameter ${name} must be one of ${schema.enum.join(', ')}`);
    }
    for (const q of query.keys())
      if (!declared.some((p) => p.in === 'query' && p.name === q)) problems.push(`unknown query parameter ${q}`);
    const content = ((op.spec.requestBody as Json | undefined)?.content as Json | undefined)?.['application/json'];
    if (content && body !== undefined) {
      const key = `${op.method} ${op.template}`;
      let v = validators.get(key);
      if (!v) {
        v = ajv.compile({
          $ref: `openapi#/paths/${pointer(op.template)}/${op.method.toLowerCase()}/requestBody/content/${pointer('application/json')}/schema`,
        });
        validators.set(key, v);
      }
      if (!v(body)) problems.push(`body: ${ajv.errorsText(v.errors)}`);
    } else if (!content && body !== undefined) problems.push('this operation takes no body');
    if (content && body === undefined && (op.spec.requestBody as Json).required) problems.push('a body is required');
    return problems;
  }

  const base = () => `${fake.url}/repos/${owner}/${repo}`;
  const user = (t: TokenInfo) => ({
    login: t.login,
    id: t.id,
    node_id: `U_${t.id}`,
    type: t.installation ? 'Bot' : 'User',
    site_admin: false,
    avatar_url: '',
    gravatar_id: null,
    url: `${fake.url}/users/${t.login}`,
    html_url: `https://github.com/${t.login}`,
  });
  const commitJson = (sha: string) => {
    const raw = git('cat-file', 'commit', sha);
    const [head, ...rest] = raw.split('\n\n');
    const headers = head!.split('\n');
    const person = (kind: string) => {
      const m = /^(\S+) (.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(headers.find((h) => h.startsWith(`${kind} `)) ?? '')!;
      return { name: m[2], email: m[3], date: new Date(Number(m[4]) * 1000).toISOString() };
    };
    return {
      sha,
      node_id: `C_${sha}`,
      url: `${base()}/git/commits/${sha}`,
      html_url: `https://github.com/${owner}/${repo}/commit/${sha}`,
      author: person('author'),
      committer: person('committer'),
      message: rest.join('\n\n').replace(/\n$/, ''),
      tree: { sha: headers.find((h) => h.startsWith('tree '))!.slice(5), url: '' },
      parents: headers.filter((h) => h.startsWith('parent ')).map((h) => ({ sha: h.slice(7), url: '', html_url: '' })),
      verification: { verified: false, reason: 'unsigned', signature: null, payload: null, verified_at: null },
    };
  };
  const refJson = (name: string, sha: string) => ({
    ref: `refs/heads/${name}`,
    node_id: `R_${name}`,
    url: `${base()}/git/refs/heads/${name}`,
    object: { type: 'commit', sha, url: '' },
  });
  const pullJson = (p: FakeGitHub['pulls'][number]) => ({
    number: p.number,
    id: p.number + 500,
    state: p.state,
    title: p.title,
    body: p.body,
    html_url: `https://github.com/${owner}/${repo}/pull/${p.number}`,
    url: `${base()}/pulls/${p.number}`,
    head: { ref: p.head, sha: p.fork?.sha ?? tryRev(p.head) ?? '', label: `${p.fork?.owner ?? owner}:${p.head}` },
    base: { ref: p.base, sha: tryRev(p.base) ?? '', label: `${owner}:${p.base}` },
    labels: p.labels.map((name, i) => ({ id: i + 1, name })),
  });
  const tryRev = (branch: string) => {
    try {
      return git('rev-parse', '--verify', '--quiet', `refs/heads/${branch}`);
    } catch {
      return null;
    }
  };
  const isAncestor = (a: string, b: string) => {
    try {
      git('merge-base', '--is-ancestor', a, b);
      return true;
    } catch {
      return false;
    }
  };

  type Handler = (m: string[], body: Json, t: TokenInfo, q: URLSearchParams) => [number, unknown];
  const writes = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
  const routes: Record<string, Handler> = {
    'GET /user': (_m, _b, t) => (t.installation ? [403, { message: 'Resource not accessible by integration' }] : [200, user(t)]),
    'GET /repos/{owner}/{repo}/issues/{issue_number}/comments': (m) => [
      200,
      (fake.comments.get(Number(m[2])) ?? []).map((c) => ({
        id: c.id,
        body: c.body,
        user: { login: c.login, id: 1, type: 'User' },
        html_url: '',
        created_at: '',
        updated_at: '',
      })),
    ],
    'POST /repos/{owner}/{repo}/issues/{issue_number}/comments': (m, b, t) => {
      const list = fake.comments.get(Number(m[2])) ?? [];
      const c = { id: nextId++, body: String(b.body), login: t.login };
      fake.comments.set(Number(m[2]), [...list, c]);
      return [201, { id: c.id, body: c.body, user: user(t), html_url: '' }];
    },
    'PATCH /repos/{owner}/{repo}/issues/comments/{comment_id}': (m, b, t) => {
      for (const list of fake.comments.values()) {
        const c = list.find((x) => x.id === Number(m[2]));
        if (c) {
          if (c.login !== t.login) return [403, { message: 'You cannot edit this comment' }];
          c.body = String(b.body);
          return [200, { id: c.id, body: c.body, user: user(t) }];
        }
      }
      return [404, { message: 'Not Found' }];
    },
    'GET /repos/{owner}/{repo}/pulls': (_m, _b, _t, q) => {
      const [headOwner, head] = q.get('head')?.split(':') ?? [];
      return [
        200,
        fake.pulls
          .filter(
            (p) =>
              (q.get('state') ?? 'open') === p.state &&
              (!head || (p.head === head && (p.fork?.owner ?? owner) === headOwner)) &&
              (!q.get('base') || p.base === q.get('base')),
          )
          .map(pullJson),
      ];
    },
    'POST /repos/{owner}/{repo}/pulls': (_m, b) => {
      if (!tryRev(String(b.head))) return [422, { message: 'Validation Failed', errors: [{ field: 'head', code: 'invalid' }] }];
      if (fake.pulls.some((p) => p.state === 'open' && p.head === b.head))
        return [422, { message: `A pull request already exists for ${owner}:${b.head}.` }];
      const p = {
        number: fake.pulls.length + 1,
        title: String(b.title),
        body: String(b.body ?? ''),
        head: String(b.head),
        base: String(b.base),
        state: 'open' as const,
        labels: [],
      };
      fake.pulls.push(p);
      return [201, pullJson(p)];
    },
    'PATCH /repos/{owner}/{repo}/pulls/{pull_number}': (m, b) => {
      const p = fake.pulls.find((x) => x.number === Number(m[2]));
      if (!p) return [404, { message: 'Not Found' }];
      if (b.title !== undefined) p.title = String(b.title);
      if (b.body !== undefined) p.body = String(b.body);
      if (b.state === 'closed' || b.state === 'open') p.state = b.state;
      return [200, pullJson(p)];
    },
    'POST /repos/{owner}/{repo}/issues/{issue_number}/labels': (m, b) => {
      const p = fake.pulls.find((x) => x.number === Number(m[2]));
      if (!p) return [404, { message: 'Not Found' }];
      p.labels = [...new Set([...p.labels, ...((b.labels as string[]) ?? [])])];
      return [
        200,
        p.labels.map((name, i) => ({ id: i + 1, name, node_id: '', url: '', description: null, color: 'ededed', default: false })),
      ];
    },
    'GET /repos/{owner}/{repo}/git/ref/{ref}': (m) => {
      const name = m[2]!.replace(/^heads\//, '');
      const sha = tryRev(name);
      return sha ? [200, refJson(name, sha)] : [404, { message: 'Not Found' }];
    },
    'GET /repos/{owner}/{repo}/git/commits/{commit_sha}': (m) => {
      try {
        return [200, commitJson(git('rev-parse', '--verify', `${m[2]}^{commit}`))];
      } catch {
        return [404, { message: 'Not Found' }];
      }
    },
    'POST /repos/{owner}/{repo}/git/trees': (_m, b) => {
      const index = path.join(mkdtempSync(path.join(tmpdir(), 'lg-index-')), 'index');
      const env = { ...process.env, GIT_INDEX_FILE: index };
      const run = (args: string[], input?: string) =>
        execFileSync('git', ['--git-dir', opts.bare, ...args], { encoding: 'utf8', env, input }).trim();
      if (b.base_tree) run(['read-tree', String(b.base_tree)]);
      for (const e of b.tree as { path: string; mode: string; content?: string; sha?: string }[]) {
        const sha = e.content !== undefined ? run(['hash-object', '-w', '--stdin'], e.content) : String(e.sha);
        run(['update-index', '--add', '--cacheinfo', `${e.mode},${sha},${e.path}`]);
      }
      const tree = run(['write-tree']);
      rmSync(path.dirname(index), { recursive: true, force: true });
      return [201, { sha: tree, url: '', tree: [], truncated: false }];
    },
    'POST /repos/{owner}/{repo}/git/commits': (_m, b, t) => {
      const parents = (b.parents as string[]).flatMap((p) => ['-p', p]);
      const env = {
        ...process.env,
        GIT_AUTHOR_NAME: t.login,
        GIT_AUTHOR_EMAIL: `${t.id}+${t.login}@users.noreply.github.com`,
        GIT_COMMITTER_NAME: 'GitHub',
        GIT_COMMITTER_EMAIL: 'noreply@github.com',
      };
      const sha = execFileSync('git', ['--git-dir', opts.bare, 'commit-tree', String(b.tree), ...parents, '-F', '-'], {
        encoding: 'utf8',
        env,
        input: String(b.message),
      }).trim();
      return [201, commitJson(sha)];
    },
    'POST /repos/{owner}/{repo}/git/refs': (_m, b) => {
      const name = String(b.ref).replace(/^refs\/heads\//, '');
      if (tryRev(name)) return [422, { message: 'Reference already exists' }];
      git('update-ref', `refs/heads/${name}`, String(b.sha), '0'.repeat(40));
      return [201, refJson(name, String(b.sha))];
    },
    'PATCH /repos/{owner}/{repo}/git/refs/{ref}': (m, b) => {
      const name = m[2]!.replace(/^heads\//, '');
      const old = tryRev(name);
      if (!old) return [422, { message: 'Reference does not exist' }];
      if (!b.force && !isAncestor(old, String(b.sha))) return [422, { message: 'Update is not a fast forward' }];
      git('update-ref', `refs/heads/${name}`, String(b.sha), old);
      return [200, refJson(name, String(b.sha))];
    },
    'DELETE /repos/{owner}/{repo}/git/refs/{ref}': (m) => {
      const name = m[2]!.replace(/^heads\//, '');
      if (!tryRev(name)) return [422, { message: 'Reference does not exist' }];
      git('update-ref', '-d', `refs/heads/${name}`);
      return [204, undefined];
    },
    'GET /repos/{owner}/{repo}/compare/{basehead}': (m) => {
      const [a, b] = m[2]!.split('...') as [string, string];
      const status = a === b ? 'identical' : isAncestor(a, b) ? 'ahead' : isAncestor(b, a) ? 'behind' : 'diverged';
      return [
        200,
        {
          status,
          ahead_by: 0,
          behind_by: 0,
          total_commits: 0,
          commits: [],
          url: '',
          html_url: '',
          permalink_url: '',
          diff_url: '',
          patch_url: '',
          base_commit: commitJson(git('rev-parse', a)),
          merge_base_commit: commitJson(git('rev-parse', a)),
        },
      ];
    },
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      const reply = (status: number, data: unknown, token = '') => {
        fake.requests.push({
          method: req.method ?? '',
          path: url.pathname,
          query: Object.fromEntries(url.searchParams),
          body,
          status,
          token,
        });
        res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-github-api-version-selected': '2022-11-28' });
        res.end(data === undefined ? undefined : JSON.stringify(data));
      };
      try {
        body = raw ? JSON.parse(raw) : undefined;
      } catch {
        fake.violations.push(`${req.method} ${url.pathname}: body is not JSON`);
        return reply(400, { message: 'Problems parsing JSON' });
      }
      const pathname = url.pathname;
      let op: Operation | undefined;
      let values: string[] = [];
      for (const candidate of ops) {
        if (candidate.method !== req.method) continue;
        const m = candidate.regex.exec(pathname);
        if (m) {
          op = candidate;
          values = m.slice(1).map(decodeURIComponent);
          break;
        }
      }
      if (!op) {
        fake.violations.push(`${req.method} ${pathname}: no such operation in GitHub's OpenAPI description`);
        return reply(404, { message: 'Not Found' });
      }
      const problems = validate(op, values, url.searchParams, body);
      if (problems.length) {
        fake.violations.push(`${op.method} ${op.template}: ${problems.join('; ')}`);
        return reply(422, { message: 'Validation Failed', errors: problems });
      }
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const t = tokens.get(auth);
      if (!t) return reply(401, { message: 'Bad credentials' }, auth);
      if (values[0] !== undefined && op.params[0] === 'owner' && (values[0] !== owner || values[1] !== repo))
        return reply(404, { message: 'Not Found' }, auth);
      const key = `${op.method} ${op.template}`;
      const handler = routes[key];
      if (!handler) {
        fake.violations.push(`${key}: valid, but the fake does not implement it`);
        return reply(501, { message: 'not implemented by the fake' }, auth);
      }
      if (writes.has(op.method) && !t.write) return reply(403, { message: 'Resource not accessible by integration' }, auth);
      fake.before?.({ method: op.method, path: pathname });
      const [status, data] = handler(values, (body ?? {}) as Json, t, url.searchParams);
      reply(status, data, auth);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}
