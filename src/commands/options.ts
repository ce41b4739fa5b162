// Option parsers and the checks every command makes before it starts work: inputs that
// exist, output paths that can be written (checked before a case is created or a long run
// starts, so that a typo costs nothing).
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { InvalidArgumentError } from 'commander';
import { CliError } from './errors.js';

export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a whole number of at least 1');
  return n;
}

export function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a whole number of at least 0');
  return n;
}

/** "+09:00", "-0500" → minutes east of UTC. */
export function parseOffset(value: string): number {
  const m = /^([+-])(\d{1,2}):?(\d{2})$/.exec(value);
  if (!m) throw new InvalidArgumentError('must look like +09:00 or -0500');
  return (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
}

export function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** Every input named on the command line exists (a typo fails here, before a case file is made). */
export function assertInputsExist(paths: string[]): void {
  for (const p of paths) {
    if (!existsSync(p)) throw new CliError('input', `${p}: no such file or folder`, 'check the path');
  }
}

/** A file to write: not a folder; its folder is created. */
export function outputFile(path: string, option: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) throw new CliError('output', `${option} ${path} is a folder`, `give ${option} a file name`);
  const dir = dirname(path);
  if (existsSync(dir) && !statSync(dir).isDirectory()) throw new CliError('output', `${option} ${path}: ${dir} is a file, not a folder`, 'choose another path');
  try {
    mkdirSync(dir, { recursive: true });
  } catch (e) {
    throw new CliError('output', `${option} ${path}: cannot create ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a path you can write');
  }
  return path;
}

/** A folder to write into: created when missing; an existing file there is refused. */
export function outputDir(path: string, option: string): string {
  if (existsSync(path) && !statSync(path).isDirectory()) throw new CliError('output', `${option} ${path} is a file, not a folder`, `give ${option} a folder`);
  try {
    mkdirSync(path, { recursive: true });
  } catch (e) {
    throw new CliError('output', `${option} ${path}: cannot create it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'choose a path you can write');
  }
  return path;
}
