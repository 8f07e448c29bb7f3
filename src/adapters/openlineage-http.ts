// Posts OpenLineage events to an HTTP endpoint (Marquez: POST /api/v1/lineage), one request per event, in order.
// 429 and 5xx are retried with backoff; any other refusal stops the run and names the event that was refused.

/** Marquez's and the OpenLineage HTTP transport's default path, used when the URL names only a host. */
export const DEFAULT_ENDPOINT_PATH = '/api/v1/lineage';
/** How much of a refusal's body goes into the error: enough for a validation message, not a whole HTML page. */
const BODY_EXCERPT = 500;

export interface PostOptions {
  /** The endpoint, or the consumer's base URL (then DEFAULT_ENDPOINT_PATH is used). */
  url: string;
  /** Sent as `Authorization: Bearer`; never logged. */
  apiKey?: string;
  userAgent?: string;
  /** Tries per event before giving up on a 429, a 5xx or a network error. */
  attempts?: number;
  /** First wait before a retry, doubled each time; Retry-After wins when the server sends one. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
  /** Told about each retry, for the log. */
  onRetry?: (message: string) => void;
  sleep?: (ms: number) => Promise<void>;
}

/** One event as it is posted: its exact JSON line and what the error message calls it. */
export interface OutgoingEvent {
  body: string;
  label: string;
}

export class LineagePostError extends Error {
  /** 0-based index of the event that was not accepted. */
  readonly index: number;
  /** The HTTP status of the last answer, null when none came. */
  readonly status: number | null;
  constructor(message: string, index: number, status: number | null) {
    super(message);
    this.name = 'LineagePostError';
    this.index = index;
    this.status = status;
  }
}

/** The URL events go to; refuses what is not http(s) and credentials in the URL, which would end up in logs. */
export function lineageEndpoint(url: string): URL {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`the OpenLineage URL "${url.replace(/[^\x20-\x7e]/g, '?').slice(0, 200)}" is not a URL`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('the OpenLineage URL must start with http:// or https://');
  if (u.username || u.password)
    throw new Error('the OpenLineage URL carries credentials; give the API key through its environment variable instead');
  if (u.pathname === '' || u.pathname === '/') u.pathname = DEFAULT_ENDPOINT_PATH;
  return u;
}

/** The endpoint as messages show it: no query string, which may carry a key. */
export function describeEndpoint(u: URL): string {
  return `${u.origin}${u.pathname}`;
}

export async function postEvents(events: readonly OutgoingEvent[], opts: PostOptions): Promise<{ posted: number }> {
  const endpoint = lineageEndpoint(opts.url);
  const where = describeEndpoint(endpoint);
  const attempts = opts.attempts ?? 5;
  const backoff = opts.backoffMs ?? 500;
  const maxBackoff = opts.maxBackoffMs ?? 30_000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  if (opts.apiKey !== undefined && !/^[\x21-\x7e]+$/.test(opts.apiKey))
    throw new Error('the OpenLineage API key must be printable ASCII without spaces (it is sent as a bearer token)');
  const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': opts.userAgent ?? 'lineage-gate' };
  if (opts.apiKey) headers.authorization = `Bearer ${opts.apiKey}`;
  const clean = (text: string) => {
    let t = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
    if (opts.apiKey) t = t.split(opts.apiKey).join('***');
    return t.length > BODY_EXCERPT ? `${t.slice(0, BODY_EXCERPT)}…` : t;
  };
  const which = (i: number) => `event ${i + 1} of ${events.length} (${events[i]!.label})`;
  const rest = (i: number) =>
    (i > 0 ? `; events 1 to ${i} were accepted` : '') +
    (i + 1 < events.length ? `; events ${i + 2} to ${events.length} were not sent` : '');

  for (let i = 0; i < events.length; i++) {
    for (let attempt = 1; ; attempt++) {
      let status: number | null = null;
      let detail: string;
      let wait = Math.min(maxBackoff, backoff * 2 ** (attempt - 1));
      try {
        const res = await fetch(endpoint, {
          method: 'POST',
          headers,
          body: events[i]!.body,
          signal: AbortSignal.timeout(opts.timeoutMs ?? 30_000),
        });
        const text = await res.text().catch(() => '');
        if (res.ok) break;
        status = res.status;
        detail = `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}${text ? `: ${clean(text)}` : ''}`;
        if (status !== 429 && status < 500) throw new LineagePostError(`${where} refused ${which(i)}: ${detail}${rest(i)}`, i, status);
        const after = Number(res.headers.get('retry-after'));
        if (Number.isFinite(after) && after >= 0) wait = Math.min(maxBackoff, after * 1000);
      } catch (e) {
        if (e instanceof LineagePostError) throw e;
        detail = clean(e instanceof Error ? `${e.message}${e.cause instanceof Error ? ` (${e.cause.message})` : ''}` : String(e));
      }
      if (attempt >= attempts)
        throw new LineagePostError(`${where} did not take ${which(i)} after ${attempts} attempts: ${detail}${rest(i)}`, i, status);
      opts.onRetry?.(`${where}: ${detail}; retrying event ${i + 1} in ${Math.round(wait)} ms (attempt ${attempt + 1} of ${attempts})`);
      await sleep(wait);
    }
  }
  return { posted: events.length };
}
