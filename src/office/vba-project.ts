// VBA projects inside a compound file: the `dir` stream (MS-OVBA 2.3.4.2) lists the
// modules, their stream names, code page and source offsets; each module stream holds
// p-code (the performance cache) followed by the compressed source. Written here because
// no npm package reads VBA projects.
import iconv from 'iconv-lite';
import { findStream, type OleContainer } from './ole-container.js';
import { decompressVba } from './vba-decompress.js';

export interface VbaModule {
  name: string;
  /** Stream name inside the VBA storage. */
  stream: string;
  /** 'bas' standard module, 'cls' class or document module, 'frm' user form. */
  kind: 'bas' | 'cls' | 'frm';
  source: string;
  /** Bytes of p-code (performance cache) before the source in the module stream. */
  pcodeBytes: number;
  /** Decompressed source bytes. */
  sourceBytes: number;
  error?: string;
}

export interface VbaProject {
  /** Storage holding the project, e.g. "Macros/VBA". */
  storage: string;
  codePage: number | null;
  projectName: string | null;
  modules: VbaModule[];
  errors: string[];
}

export function decodeCodePage(bytes: Uint8Array, codePage: number | null): string {
  const b = Buffer.from(bytes);
  if (codePage === 65001) return b.toString('utf8');
  if (codePage === 1200) return b.toString('utf16le');
  const name = codePage === 10000 ? 'macintosh' : codePage ? `cp${codePage}` : 'cp1252';
  return iconv.encodingExists(name) ? iconv.decode(b, name) : b.toString('latin1');
}

interface DirModule {
  name?: string;
  nameUnicode?: string;
  stream?: string;
  streamUnicode?: string;
  offset?: number;
  type?: 'procedural' | 'document';
}

interface DirInfo {
  codePage: number | null;
  projectName: Uint8Array | null;
  modules: DirModule[];
}

/** Walk the records of a decompressed `dir` stream. */
export function parseDir(dir: Uint8Array): DirInfo & { error?: string } {
  const v = Buffer.from(dir);
  const info: DirInfo = { codePage: null, projectName: null, modules: [] };
  let current: DirModule | null = null;
  let pos = 0;
  while (pos + 6 <= v.length) {
    const id = v.readUInt16LE(pos);
    let size = v.readUInt32LE(pos + 2);
    // PROJECTVERSION: its Size field says 4 but 6 bytes follow (2.3.4.2.1.11).
    if (id === 0x0009) size = 6;
    const data = v.subarray(pos + 6, pos + 6 + size);
    if (pos + 6 + size > v.length) return { ...info, error: `record 0x${id.toString(16)} at ${pos} runs past the end of dir` };
    pos += 6 + size;
    switch (id) {
      case 0x0003:
        if (data.length >= 2) info.codePage = data.readUInt16LE(0);
        break;
      case 0x0004:
        info.projectName = data;
        break;
      case 0x0019:
        current = { name: undefined };
        info.modules.push(current);
        current.name = data.toString('latin1');
        (current as { nameBytes?: Buffer }).nameBytes = data;
        break;
      case 0x0047:
        if (current) current.nameUnicode = data.toString('utf16le');
        break;
      case 0x001a:
        if (current) (current as { streamBytes?: Buffer }).streamBytes = data;
        break;
      case 0x0032:
        if (current) current.streamUnicode = data.toString('utf16le');
        break;
      case 0x0031:
        if (current && data.length >= 4) current.offset = data.readUInt32LE(0);
        break;
      case 0x0021:
        if (current) current.type = 'procedural';
        break;
      case 0x0022:
        if (current) current.type = 'document';
        break;
      case 0x002b:
        current = null;
        break;
      case 0x0010:
        return info;
      default:
        break;
    }
  }
  return info;
}

/** PROJECT stream lines (2.3.1): which modules are documents, classes, forms. */
function projectKinds(ole: OleContainer, storage: string, codePage: number | null): Map<string, VbaModule['kind']> {
  const kinds = new Map<string, VbaModule['kind']>();
  const parent = storage.includes('/') ? storage.slice(0, storage.lastIndexOf('/')) : '';
  const project = findStream(ole, parent ? `${parent}/PROJECT` : 'PROJECT');
  if (!project) return kinds;
  for (const line of decodeCodePage(project.content, codePage).split(/\r?\n/)) {
    const m = /^(Document|Module|Class|BaseClass)=([^/\r\n]+)/.exec(line);
    if (!m) continue;
    kinds.set(m[2]!.toLowerCase(), m[1] === 'Module' ? 'bas' : m[1] === 'BaseClass' ? 'frm' : 'cls');
  }
  return kinds;
}

/** Every storage that holds a VBA project: a `dir` stream beside `_VBA_PROJECT`. */
export function findVbaStorages(ole: OleContainer): string[] {
  const out: string[] = [];
  for (const path of ole.streams.keys()) {
    if (!/(^|\/)dir$/i.test(path)) continue;
    const storage = path.slice(0, Math.max(0, path.length - 4)).replace(/\/$/, '');
    if (findStream(ole, storage ? `${storage}/_VBA_PROJECT` : '_VBA_PROJECT')) out.push(storage);
  }
  return out.sort();
}

export function readVbaProject(ole: OleContainer, storage: string): VbaProject {
  const errors: string[] = [];
  const dirStream = findStream(ole, storage ? `${storage}/dir` : 'dir')!;
  const dirData = decompressVba(dirStream.content);
  if (dirData.error) errors.push(`dir stream: ${dirData.error}`);
  const dir = parseDir(dirData.data);
  if (dir.error) errors.push(`dir stream: ${dir.error}`);
  const kinds = projectKinds(ole, storage, dir.codePage);
  const modules: VbaModule[] = [];
  for (const m of dir.modules) {
    const nameBytes = (m as { nameBytes?: Buffer }).nameBytes;
    const name = m.nameUnicode || (nameBytes ? decodeCodePage(nameBytes, dir.codePage) : '') || '?';
    const streamBytes = (m as { streamBytes?: Buffer }).streamBytes;
    const streamName = m.streamUnicode || (streamBytes ? decodeCodePage(streamBytes, dir.codePage) : name);
    const kind = kinds.get(name.toLowerCase()) ?? (m.type === 'procedural' ? 'bas' : 'cls');
    const stream = findStream(ole, storage ? `${storage}/${streamName}` : streamName);
    if (!stream) {
      modules.push({ name, stream: streamName, kind, source: '', pcodeBytes: 0, sourceBytes: 0, error: 'module stream missing' });
      continue;
    }
    const offset = m.offset ?? 0;
    if (offset >= stream.content.length) {
      modules.push({ name, stream: streamName, kind, source: '', pcodeBytes: stream.content.length, sourceBytes: 0, error: `source offset ${offset} beyond the stream (${stream.content.length} bytes)` });
      continue;
    }
    const src = decompressVba(stream.content, offset);
    modules.push({
      name,
      stream: streamName,
      kind,
      source: decodeCodePage(src.data, dir.codePage),
      pcodeBytes: offset,
      sourceBytes: src.data.length,
      ...(src.error ? { error: `source: ${src.error}` } : {}),
    });
  }
  return {
    storage,
    codePage: dir.codePage,
    projectName: dir.projectName ? decodeCodePage(dir.projectName, dir.codePage) : null,
    modules,
    errors,
  };
}
