// Where a command's --json, --markdown or --out goes: "-" is standard output, anything else a file written atomically.
import path from 'node:path';
import { openRepo } from '../adapters/repo-fs.ts';
import { CommandError, type Io } from './command.ts';

export async function writeOutput(file: string, text: string, io: Io): Promise<void> {
  if (file === '-') return io.out(text);
  const abs = path.resolve(file);
  try {
    await openRepo(path.dirname(abs)).writeAtomic(path.basename(abs), text);
  } catch (e) {
    // A folder that is missing or not writable is the user's to fix, not a bug to report.
    const code = (e as NodeJS.ErrnoException).code;
    if (typeof code !== 'string') throw e;
    throw new CommandError(`cannot write ${file}: ${WHY[code] ?? code}; write to a folder you can write to, or "-" for standard output`);
  }
}

const WHY: Record<string, string> = {
  EEXIST: 'a part of its path is a file, not a folder',
  ENOTDIR: 'a part of its path is a file, not a folder',
  EISDIR: 'it is a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
};
