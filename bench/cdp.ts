// Page-load timing in Debian's Chromium over a bare DevTools connection. Playwright enables network tracking and
// injects its own scripts into every page; on two cores that costs the page about 100 ms of CPU per load. Here the
// browser only navigates and, every 50 ms, is asked whether the page has set its mark.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHROMIUM, CHROMIUM_FLAGS } from '../test/helpers/browser.ts';

export interface LeanBrowser {
  /** Opens `url` in a new tab and returns the page's `performance` time of the mark `mark` (ms since navigation). */
  timeToMark(url: string, mark: string): Promise<number>;
  close(): Promise<void>;
}

export async function launchLean(extraArgs: string[] = []): Promise<LeanBrowser> {
  const profile = mkdtempSync(path.join(tmpdir(), 'lg-chromium-'));
  const chrome = spawn(
    CHROMIUM,
    [...CHROMIUM_FLAGS, ...extraArgs, '--remote-debugging-port=0', `--user-data-dir=${profile}`, 'about:blank'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const endpoint = await new Promise<string>((resolve, reject) => {
    let seen = '';
    chrome.stderr.on('data', (d: Buffer) => {
      seen += d.toString();
      const m = /DevTools listening on (ws:\/\/\S+)/.exec(seen);
      if (m) resolve(m[1]!);
    });
    chrome.once('exit', (code) => reject(new Error(`chromium exited (${code}) before listening: ${seen.slice(-500)}`)));
  });
  const ws = new WebSocket(endpoint);
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', reject, { once: true });
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  ws.addEventListener('message', (ev) => {
    const m = JSON.parse(String(ev.data)) as { id?: number; result?: unknown; error?: { message: string } };
    const w = m.id === undefined ? undefined : waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id!);
    if (m.error) w.reject(new Error(m.error.message));
    else w.resolve(m.result);
  });
  const send = <T>(method: string, params: object = {}, sessionId?: string) =>
    new Promise<T>((resolve, reject) => {
      const id = ++next;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      ws.send(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }));
    });
  return {
    async timeToMark(url, mark) {
      const { targetId } = await send<{ targetId: string }>('Target.createTarget', { url: 'about:blank' });
      try {
        const { sessionId } = await send<{ sessionId: string }>('Target.attachToTarget', { targetId, flatten: true });
        await send('Page.navigate', { url }, sessionId);
        const expression = `performance.getEntriesByName(${JSON.stringify(mark)})[0]?.startTime ?? null`;
        for (let i = 0; i < 200; i++) {
          await new Promise((r) => setTimeout(r, 50));
          const r = await send<{ result: { value?: unknown } }>('Runtime.evaluate', { expression, returnByValue: true }, sessionId);
          if (typeof r.result.value === 'number') return r.result.value;
        }
        throw new Error(`${url} did not mark ${mark} within 10 s`);
      } finally {
        await send('Target.closeTarget', { targetId });
      }
    },
    async close() {
      ws.close();
      const exited = new Promise((r) => chrome.once('exit', r));
      chrome.kill();
      await exited;
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
