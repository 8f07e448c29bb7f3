// package.json's three dependency sets stay consistent: what the command needs, what the Action installs (the
// action/ workspace) and what the site needs (the site/ workspace, offered to npm users as optional peers).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MIN_NODE, MIN_NODE_SITE, nodeTooOld } from '../src/node-version.ts';

type Manifest = {
  dependencies: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional: boolean }>;
  engines?: { node: string };
  workspaces?: string[];
};
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Manifest;
const root = read('package.json');
const action = read('action/package.json');
const site = read('site/package.json');

describe('package.json', () => {
  it('lets the Action install everything the command needs: action/ lists each root dependency at the same range', () => {
    for (const [name, range] of Object.entries(root.dependencies))
      expect(action.dependencies[name], `add "${name}": "${range}" to action/package.json too`).toBe(range);
  });

  it('keeps the site generator and the Actions toolkit out of what a user installs', () => {
    expect(root.workspaces).toEqual(['site', 'action']);
    const names = Object.keys(root.dependencies);
    for (const name of [...Object.keys(site.dependencies), '@actions/core', '@actions/github']) expect(names).not.toContain(name);
  });

  it("offers the site's packages to npm users as optional peers, at the site's ranges", () => {
    expect(root.peerDependencies).toEqual(site.dependencies);
    for (const name of Object.keys(site.dependencies)) expect(root.peerDependenciesMeta?.[name]).toEqual({ optional: true });
  });

  it('declares the engines floor the command checks, and Astro asks no more than the site check says', () => {
    expect(root.engines).toEqual({ node: `>=${MIN_NODE.join('.')}.0` });
    const astro = JSON.parse(readFileSync('node_modules/astro/package.json', 'utf8')) as { engines: { node: string } };
    expect(astro.engines.node).toBe(`>=${MIN_NODE_SITE.join('.')}.0`);
  });

  it('gives the workspaces the version of the package they belong to', () => {
    const version = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { version: string }).version;
    expect(version('site/package.json')).toBe(version('package.json'));
    expect(version('action/package.json')).toBe(version('package.json'));
  });

  it('compares Node versions by major, then minor', () => {
    expect(nodeTooOld('20.9.1', [20, 10])).toBe(true);
    expect(nodeTooOld('20.10.0', [20, 10])).toBe(false);
    expect(nodeTooOld('19.99.0', [20, 10])).toBe(true);
    expect(nodeTooOld('22.1.0', [20, 10])).toBe(false);
    expect(nodeTooOld('22.11.9', [22, 12])).toBe(true);
  });
});
