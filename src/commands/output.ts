// Where a command's --json, --markdown or --out goes: "-" is standard output, anything else a file written atomically.
import path from 'node:path';
import { openRepo } from '../adapters/repo-fs.ts';
import type { Io } from './command.ts';

export async function writeOutput(file: string, text: string, io: Io): Promise<void> {
  if (file === '-') return io.out(text);
  const abs = path.resolve(file);
  await openRepo(path.dirname(abs)).writeAtomic(path.basename(abs), text);
}
