// The files under the paths given (folders walked recursively, in name order), for commands
// that take files of any type (inspect). Symbolic links are not followed: an export holds
// none, and a link loop must not hang the walk.
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Folder depth limit, as for the scan's walk. */
const MAX_DEPTH = 32;

export async function listFiles(paths: string[]): Promise<string[]> {
  const out: string[] = [];
  const visit = async (p: string, depth: number): Promise<void> => {
    const st = await lstat(p);
    if (st.isFile()) out.push(p);
    else if (st.isDirectory() && depth < MAX_DEPTH) for (const n of (await readdir(p)).sort()) await visit(join(p, n), depth + 1);
  };
  for (const p of paths) await visit(p, 0);
  return out;
}
