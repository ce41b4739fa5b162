// Turn the paths given on the command line into input files, each with a kind detected
// from its content: file names in an export cannot be trusted (Maildir names carry no
// extension, exports rename things, attackers name things).
import { lstat, open, readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { isText, looksLikeMail } from '../mail/sniff.js';
import { detectEndpointEvidence } from '../endpoint/read-endpoint.js';
import { detectLeaseFormat } from './dhcp-leases.js';
import { detectFeed } from '../feeds/detect-feed.js';
import { detectLogFormat, headLines } from '../logs/read-log.js';
import { detectNetLogFormat } from '../netlogs/detect.js';
import { gunzipHead, isGzip } from './gzip-input.js';
import { looksLikeMbox } from './mbox-reader.js';
import { looksLikePst } from './pst-reader.js';
import { isMailExportZip } from './zip-input.js';

/**
 * Mail (mbox, eml, msg, pst, zip of exports), MTA logs (log), and the host evidence: proxy,
 * DNS and firewall logs (netlog), threat feeds (feed), evidence from the PCs (endpoint), and
 * the files given with --ioc and --host-map (read as their option says).
 */
export type InputKind = 'mbox' | 'eml' | 'msg' | 'pst' | 'zip' | 'log' | 'netlog' | 'feed' | 'endpoint' | 'host-map' | 'empty' | 'not-mail';

export interface InputFile {
  path: string;
  kind: InputKind;
  /** 'maildir' when the file sits in cur/ new/ or tmp/ of a Maildir; else the kind of folder walk. */
  container: 'file' | 'folder' | 'maildir';
  size: number;
  mtimeMs: number;
  /** A gzip-compressed mailbox or message (journal.mbox.gz): read through gunzip. MTA logs read gzip themselves. */
  gzip?: true;
  /** A feed given with --ioc: a plain list of indicators when it is no known feed format. */
  iocList?: true;
}

export interface WalkProblem {
  path: string;
  reason: string;
}

const OLE_MAGIC = Buffer.from('d0cf11e0a1b11ae1', 'hex');
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const HEAD_BYTES = 8192;
/** Folder depth limit: exports are shallow, a cycle through bind mounts is not. */
const MAX_DEPTH = 64;

/** The kind of a gzip-compressed file, from its decompressed head: mail kinds only (logs read gzip themselves). */
async function detectCompressedKind(path: string): Promise<InputKind | null> {
  const head = await gunzipHead(path, HEAD_BYTES);
  const kind = head.length === 0 ? null : mailKind(head, path.replace(/\.gz$/i, ''));
  // A store needs reads at offsets, which a gzip stream does not give.
  return kind === 'pst' ? null : kind;
}

/**
 * The mail kind of a file (or a ZIP member, a decompressed file) from its first bytes and
 * its name, or null when it is no mail: an .msg (a compound file), a PST/OST store, an mbox,
 * a message. A text file its exporter named .eml is read as mail even when its header is
 * broken or missing: the parse records the defect, and the evidence is not dropped.
 */
export function mailKind(head: Buffer, name: string): 'msg' | 'pst' | 'mbox' | 'eml' | null {
  if (head.subarray(0, 8).equals(OLE_MAGIC)) return 'msg';
  if (looksLikePst(head)) return 'pst';
  if (looksLikeMbox(head)) return 'mbox';
  if (looksLikeMail(head)) return 'eml';
  if (/\.eml$/i.test(name) && isText(head)) return 'eml';
  return null;
}

export async function detectKind(path: string, size: number): Promise<InputKind> {
  return (await detectInput(path, size)).kind;
}

/** The kind of an input file and whether it is gzip-compressed mail. */
export async function detectInput(path: string, size: number): Promise<{ kind: InputKind; gzip?: true }> {
  if (size === 0) return { kind: 'empty' };
  const fh = await open(path, 'r');
  let head: Buffer;
  try {
    head = Buffer.alloc(Math.min(HEAD_BYTES, size));
    await fh.read(head, 0, head.length, 0);
  } finally {
    await fh.close();
  }
  if (isGzip(head)) {
    const inner = await detectCompressedKind(path);
    if (inner) return { kind: inner, gzip: true };
  }
  return { kind: await detectPlainKind(path, head, size) };
}

async function detectPlainKind(path: string, head: Buffer, size: number): Promise<InputKind> {
  const mail = mailKind(head, path);
  if (mail) return mail;
  if (head.subarray(0, 4).equals(ZIP_MAGIC) && (await isMailExportZip(path, size))) return 'zip';
  if (await detectLogFormat(path)) return 'log';
  const lines = await headLines(path, 50);
  if (detectNetLogFormat(lines)) return 'netlog';
  if (detectFeed(lines, basename(path))) return 'feed';
  if (detectEndpointEvidence(lines.join('\n'), basename(path))) return 'endpoint';
  // A DHCP server's leases or audit log name the PCs behind the addresses: read as a host map.
  if (detectLeaseFormat(lines.join('\n'))) return 'host-map';
  return 'not-mail';
}

async function isMaildirLeaf(dir: string): Promise<boolean> {
  const leaf = basename(dir);
  if (leaf !== 'cur' && leaf !== 'new' && leaf !== 'tmp') return false;
  const parent = dirname(dir);
  for (const d of ['cur', 'new']) {
    try {
      if (!(await lstat(join(parent, d))).isDirectory()) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/**
 * Expand paths into input files in a stable (sorted) order; problems are reported, not
 * thrown. Paths in `exclude` (the case file and its -wal/-shm companions, when the case
 * is written inside a scanned folder) are passed over.
 */
export async function walkInputs(paths: string[], problems: WalkProblem[], exclude: Set<string> = new Set()): Promise<InputFile[]> {
  const out: InputFile[] = [];
  const visit = async (p: string, container: InputFile['container'], depth: number): Promise<void> => {
    if (exclude.has(p)) return;
    let st;
    try {
      st = await lstat(p);
    } catch (e) {
      problems.push({ path: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    if (st.isSymbolicLink()) {
      problems.push({ path: p, reason: 'symbolic link not followed' });
      return;
    }
    if (st.isDirectory()) {
      if (depth >= MAX_DEPTH) {
        problems.push({ path: p, reason: `folder deeper than ${MAX_DEPTH} levels not read` });
        return;
      }
      let names: string[];
      try {
        names = (await readdir(p)).sort();
      } catch (e) {
        problems.push({ path: p, reason: `cannot list: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
        return;
      }
      const childContainer = (await isMaildirLeaf(p)) ? 'maildir' : 'folder';
      for (const n of names) await visit(join(p, n), childContainer, depth + 1);
      return;
    }
    if (!st.isFile()) {
      problems.push({ path: p, reason: 'not a regular file' });
      return;
    }
    let found: { kind: InputKind; gzip?: true };
    try {
      found = await detectInput(p, st.size);
    } catch (e) {
      problems.push({ path: p, reason: `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` });
      return;
    }
    out.push({ path: p, kind: found.kind, container, size: st.size, mtimeMs: Math.trunc(st.mtimeMs), ...(found.gzip ? { gzip: true as const } : {}) });
  };
  for (const p of paths) await visit(resolve(p), 'file', 0);
  return out;
}
