// Runs the real CLI entry in-process with captured output.
import { main } from '../../src/cli.ts';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export async function cli(
  args: string[],
  env: Record<string, string | undefined> = { SOURCE_DATE_EPOCH: '1700000000' },
): Promise<CliResult> {
  let out = '';
  let err = '';
  const code = await main(args, {
    out: (t) => {
      out += t;
    },
    err: (t) => {
      err += t;
    },
    env,
  });
  return { code, out, err };
}
