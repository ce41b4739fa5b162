// --extract DIR: hand attachments to a responder without ever leaving a live file on disk.
// Each object is written inside a ZIP protected with the password "infected" (the field's
// convention, so that no scanner or double-click opens it), under a name that is reduced
// to a safe file name and can never point outside DIR.
import { mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { writeZip } from '../office/zip-writer.js';

export const EXTRACT_PASSWORD = 'infected';

/** A file name safe on Windows and Unix: no directories, no device names, no control characters. */
export function sanitizeName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  let s = base
    .normalize('NFC')
    .replace(/[\x00-\x1f\x7f<>:"|?*]/g, '_')
    .replace(/^[.\s]+/, '')
    .replace(/[.\s]+$/, '')
    .slice(0, 120);
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(s)) s = `_${s}`;
  return s || 'attachment';
}

export class Extractor {
  private readonly dir: string;

  constructor(dir: string) {
    this.dir = resolve(dir);
    mkdirSync(this.dir, { recursive: true });
  }

  /** Write one object; returns the ZIP's path (the same bytes always land in the same file). */
  write(name: string, sha256: string, bytes: Buffer): string {
    const inner = sanitizeName(name);
    const path = resolve(join(this.dir, `${sha256.slice(0, 16)}_${inner}.zip`));
    if (!path.startsWith(this.dir + sep)) throw new Error(`refusing to write outside ${this.dir}: ${name}`);
    if (!existsSync(path)) writeFileSync(path, writeZip([{ name: inner, data: bytes }], { password: EXTRACT_PASSWORD, mtimeMs: Date.now() }));
    return path;
  }
}
