// A module hook for @actions/workflow-parser, which imports its JSON schemas without `with { type: 'json' }`: Node
// refuses those imports, so this adds the attribute for that package's JSON files (and nothing else).
type Resolved = { url: string; importAttributes?: Record<string, string> };
type Context = { importAttributes?: Record<string, string> };

export async function resolve(specifier: string, context: Context, next: (s: string, c: Context) => Promise<Resolved>): Promise<Resolved> {
  const r = await next(specifier, context);
  if (r.url.endsWith('.json') && r.url.includes('/node_modules/@actions/workflow-parser/'))
    return { ...r, importAttributes: { ...context.importAttributes, type: 'json' } };
  return r;
}
