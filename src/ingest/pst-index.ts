// The PST file header and its two B-trees (MS-PST 2.2.2.6, 2.2.2.7): the node B-tree
// (NBT: node id → data block, subnode block, parent node) and the block B-tree (BBT: block
// id → file offset and size). Read here, by hand, instead of by pst-extractor: its lookup
// follows branch pointers in a loop without checking them, so a page that points at itself
// keeps it busy forever (and a key below a page's first key makes it read the eight bytes
// before the page as a pointer); its walk of the whole NBT recurses with no visited set.
// Here every step down must lower the page level by one, so a lookup reads at most
// MAX_LEVELS + 1 pages, and a full walk reads each page at most once.
//
// Three layouts: ANSI (wVer 14 or 15: 32-bit ids, 512-byte pages), Unicode (wVer 23: 64-bit
// ids, 512-byte pages) and the 4 KB-page Unicode format of Outlook 2013 and later OSTs
// (wVer 36), which MS-PST does not describe. For it libpff's notes ("Personal Folder File
// (PFF) format") give 4096-byte pages whose 40-byte footer holds 16-bit entry counts at 4056
// and 4058, the entry size at 4060, the level at 4061 and the page type at 4072; the
// entries are those of the Unicode format. Its blocks are aligned to 512 bytes and end in a
// 24-byte trailer that also states the block's inflated size: a block whose inflated size
// differs from its stored size is zlib-compressed (see inflatedSize and pst-guard.ts).
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { setBounded } from '../bounded-map.js';

export type PstFormat = 'ansi' | 'unicode' | 'unicode-4k';

export interface PstHeader {
  format: PstFormat;
  /** wVer: 14 or 15 ANSI, 23 Unicode, 36 Unicode with 4 KB pages. */
  version: number;
  /** bCryptMethod: 0 none, 1 the "compressible" byte permutation (MS-PST 5.1). */
  cryptMethod: number;
  /** Size of the file as found on disk (not the header's ibFileEof, which a truncated copy still states). */
  fileSize: number;
}

/** Page and entry geometry of one format (MS-PST 2.2.2.7.7). */
interface Layout {
  headerBytes: number;
  pageSize: number;
  /** Offsets in a page of cEnt, cbEnt, cLevel and ptype; cEnt is one byte, or two in the 4 KB-page format. */
  cEntAt: number;
  cEntBytes: 1 | 2;
  cbEntAt: number;
  cLevelAt: number;
  ptypeAt: number;
  entriesBytes: number;
  /** Size of a key, BID and IB. */
  idBytes: 4 | 8;
  branchEntry: number;
  nbtEntry: number;
  bbtEntry: number;
  /** Offset of nidParent in an NBT leaf entry. */
  parentAt: number;
  /** Header offsets of the NBT and BBT root page (BREF.ib) and of bCryptMethod. */
  nbtRootAt: number;
  bbtRootAt: number;
  cryptAt: number;
}

const ANSI: Layout = {
  headerBytes: 512, pageSize: 512, cEntAt: 496, cEntBytes: 1, cbEntAt: 498, cLevelAt: 499, ptypeAt: 500, entriesBytes: 496,
  idBytes: 4, branchEntry: 12, nbtEntry: 16, bbtEntry: 12, parentAt: 12, nbtRootAt: 188, bbtRootAt: 196, cryptAt: 461,
};
const UNICODE: Layout = {
  headerBytes: 564, pageSize: 512, cEntAt: 488, cEntBytes: 1, cbEntAt: 490, cLevelAt: 491, ptypeAt: 496, entriesBytes: 488,
  idBytes: 8, branchEntry: 24, nbtEntry: 32, bbtEntry: 24, parentAt: 24, nbtRootAt: 224, bbtRootAt: 240, cryptAt: 513,
};
/** The 4 KB-page format: the Unicode header and entries in pages of 4096 bytes. */
const UNICODE_4K: Layout = {
  ...UNICODE, pageSize: 4096, cEntAt: 4056, cEntBytes: 2, cbEntAt: 4060, cLevelAt: 4061, ptypeAt: 4072, entriesBytes: 4056,
};
/** Blocks of the 4 KB-page format: allocated in units of 512 bytes, the last 24 of them the trailer. */
const BLOCK_4K = { align: 512, trailer: 24, storedSizeAt: 0, inflatedSizeAt: 18 } as const;

const PTYPE = { nbt: 0x81, bbt: 0x80 } as const;
type Tree = keyof typeof PTYPE;

/**
 * B-tree depth accepted at the root. Each level multiplies the entries by about twenty;
 * eight levels would index more blocks than any file can hold.
 */
const MAX_LEVELS = 8;
/** Pages kept in memory: the upper levels, read by every lookup. */
const PAGE_CACHE = 1024;

interface Page {
  buf: Buffer;
  cEnt: number;
  cbEnt: number;
  cLevel: number;
}

/** One NBT leaf entry: a node and the node it belongs to. */
export interface NodeLink {
  nid: number;
  parent: number;
}

export interface IndexProblem {
  /** File offset of the page that could not be used. */
  offset: number;
  reason: string;
}

export class PstIndex {
  readonly header: PstHeader;
  private readonly layout: Layout;
  private readonly roots: Record<Tree, number>;
  private readonly pages = new Map<number, Page>();
  private fd: number;

  private constructor(fd: number, header: PstHeader, layout: Layout, roots: Record<Tree, number>) {
    this.fd = fd;
    this.header = header;
    this.layout = layout;
    this.roots = roots;
  }

  /** Open a store and check its header and both root pages; throws an Error saying what is wrong. */
  static open(path: string): PstIndex {
    const fd = openSync(path, 'r');
    try {
      const fileSize = fstatSync(fd).size;
      const head = Buffer.alloc(Math.min(UNICODE.headerBytes, fileSize));
      readSync(fd, head, 0, head.length, 0);
      if (head.length < 12 || head.toString('latin1', 0, 4) !== '!BDN') throw new Error('no "!BDN" signature at the start');
      const client = head.toString('latin1', 8, 10);
      if (client !== 'SM' && client !== 'SO') throw new Error(`client signature "${client}" is neither a PST ("SM") nor an OST ("SO")`);
      const version = head.readUInt16LE(10);
      let layout: Layout;
      if (version === 14 || version === 15) layout = ANSI;
      else if (version === 23) layout = UNICODE;
      else if (version === 36) layout = UNICODE_4K;
      else throw new Error(`unknown format version ${version}`);
      if (fileSize < layout.headerBytes) throw new Error(`file of ${fileSize} bytes is shorter than its header`);
      const cryptMethod = head[layout.cryptAt]!;
      // MS-PST 2.2.2.6: 0x02 is the keyed "cyclic" substitution (pst-extractor reads only
      // 0x00 and 0x01); 0x10 marks a store protected by Windows Information Protection.
      if (cryptMethod === 0x02) throw new Error('the store uses the "high" (cyclic) encoding, which pst-extractor does not read');
      if (cryptMethod !== 0x00 && cryptMethod !== 0x01) throw new Error(`unknown encoding method ${cryptMethod}`);
      const at = (o: number) => (layout.idBytes === 4 ? head.readUInt32LE(o) : Number(head.readBigUInt64LE(o)));
      const format: PstFormat = layout === ANSI ? 'ansi' : layout === UNICODE ? 'unicode' : 'unicode-4k';
      const index = new PstIndex(fd, { format, version, cryptMethod, fileSize }, layout, {
        nbt: at(layout.nbtRootAt),
        bbt: at(layout.bbtRootAt),
      });
      index.page(index.roots.nbt, 'nbt');
      index.page(index.roots.bbt, 'bbt');
      return index;
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  get headerBytes(): number {
    return this.layout.headerBytes;
  }

  get idBytes(): number {
    return this.layout.idBytes;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
    this.pages.clear();
  }

  /** `length` bytes at `offset`, which must lie inside the file. */
  readAt(offset: number, length: number): Buffer {
    if (!Number.isSafeInteger(offset) || offset < 0 || offset + length > this.header.fileSize) {
      throw new Error(`read of ${length} bytes at offset ${offset} is outside the file (${this.header.fileSize} bytes)`);
    }
    const b = Buffer.alloc(length);
    const n = readSync(this.fd, b, 0, length, offset);
    if (n !== length) throw new Error(`short read at offset ${offset}`);
    return b;
  }

  private page(offset: number, tree: Tree): Page {
    const slot = offset * 2 + (tree === 'nbt' ? 1 : 0);
    const cached = this.pages.get(slot);
    if (cached) return cached;
    const L = this.layout;
    if (offset < L.headerBytes) throw new Error(`${tree.toUpperCase()} page offset ${offset} lies in the file header`);
    const buf = this.readAt(offset, L.pageSize);
    const ptype = buf[L.ptypeAt]!;
    if (ptype !== PTYPE[tree] || buf[L.ptypeAt + 1] !== ptype) throw new Error(`${tree.toUpperCase()} page expected at ${offset}, found page type 0x${ptype.toString(16)}`);
    const page = { buf, cEnt: L.cEntBytes === 2 ? buf.readUInt16LE(L.cEntAt) : buf[L.cEntAt]!, cbEnt: buf[L.cbEntAt]!, cLevel: buf[L.cLevelAt]! };
    const need = page.cLevel > 0 ? L.branchEntry : tree === 'nbt' ? L.nbtEntry : L.bbtEntry;
    if (page.cLevel > MAX_LEVELS) throw new Error(`${tree.toUpperCase()} page at ${offset} claims level ${page.cLevel}`);
    if (page.cbEnt < need || page.cEnt * page.cbEnt > L.entriesBytes) {
      throw new Error(`${tree.toUpperCase()} page at ${offset} claims ${page.cEnt} entries of ${page.cbEnt} bytes`);
    }
    return setBounded(this.pages, slot, page, PAGE_CACHE);
  }

  private id(buf: Buffer, at: number): bigint {
    return this.layout.idBytes === 4 ? BigInt(buf.readUInt32LE(at)) : buf.readBigUInt64LE(at);
  }

  /** Offset of the child page of a branch entry, checked to be a usable number. */
  private child(p: Page, i: number): number {
    const v = this.id(p.buf, i * p.cbEnt + 2 * this.layout.idBytes);
    if (v > BigInt(this.header.fileSize)) throw new Error(`child page offset ${v} is past the end of the file`);
    return Number(v);
  }

  /**
   * The leaf entry for `key`: the NBT entry of a node id or the BBT entry of a block id
   * (whose lowest bit readers ignore, MS-PST 2.2.2.2). Throws when there is none.
   */
  private find(tree: Tree, key: bigint): Buffer {
    const mask = tree === 'bbt' ? ~1n : ~0n;
    const want = key & mask;
    let offset = this.roots[tree];
    let level = -1;
    for (;;) {
      const p = this.page(offset, tree);
      if (level >= 0 && p.cLevel !== level) throw new Error(`${tree.toUpperCase()} page at ${offset} has level ${p.cLevel}, expected ${level}`);
      const keyAt = (i: number) => this.id(p.buf, i * p.cbEnt) & mask;
      if (p.cLevel === 0) {
        for (let i = 0; i < p.cEnt; i++) {
          if (keyAt(i) === want) {
            const size = tree === 'nbt' ? this.layout.nbtEntry : this.layout.bbtEntry;
            return Buffer.from(p.buf.subarray(i * p.cbEnt, i * p.cbEnt + size));
          }
        }
        break;
      }
      let pick = -1;
      for (let i = 0; i < p.cEnt && keyAt(i) <= want; i++) pick = i;
      if (pick < 0) break;
      offset = this.child(p, pick);
      level = p.cLevel - 1;
    }
    throw new Error(`${tree === 'nbt' ? 'node' : 'block'} ${key} is not in the ${tree.toUpperCase()}`);
  }

  /** The NBT leaf entry of node `nid`, in the byte layout pst-extractor's DescriptorIndexNode reads. */
  nodeEntry(nid: number): Buffer {
    return this.find('nbt', BigInt(nid >>> 0));
  }

  /** The BBT leaf entry of block `bid`, in the byte layout pst-extractor's OffsetIndexItem reads. */
  blockEntry(bid: bigint): Buffer {
    return this.find('bbt', bid);
  }

  /**
   * The size of the block at `ib` (stored in `cb` bytes) once inflated. In the 4 KB-page
   * format its trailer states it, and a block whose inflated size differs from its stored
   * size is compressed (libpff reads them so); the trailer's own stored size must agree with
   * the index. In the other formats no block is compressed: `cb`.
   */
  inflatedSize(ib: number, cb: number): number {
    if (this.layout !== UNICODE_4K) return cb;
    const span = Math.ceil((cb + BLOCK_4K.trailer) / BLOCK_4K.align) * BLOCK_4K.align;
    const trailer = this.readAt(ib + span - BLOCK_4K.trailer, BLOCK_4K.trailer);
    const stated = trailer.readUInt16LE(BLOCK_4K.storedSizeAt);
    if (stated !== cb) throw new Error(`block at offset ${ib}: its trailer gives ${stated} bytes, the block index ${cb}`);
    const inflated = trailer.readUInt16LE(BLOCK_4K.inflatedSizeAt);
    return inflated === 0 ? cb : inflated;
  }

  /**
   * Every node of the NBT with its parent, in key order. Each page is read at most once
   * and each step down must lower the level by one; pages that cannot be used are
   * reported and their subtrees left out.
   */
  walkNodes(visit: (link: NodeLink) => void): IndexProblem[] {
    const problems: IndexProblem[] = [];
    const seen = new Set<number>();
    // Pages are aligned to 512 bytes (4096 in the 4 KB-page format) in files Outlook writes; twice that many is more than a file can hold.
    const maxPages = Math.floor(this.header.fileSize / 256) + 16;
    const stack: { offset: number; level: number }[] = [{ offset: this.roots.nbt, level: -1 }];
    while (stack.length > 0) {
      const { offset, level } = stack.pop()!;
      if (seen.has(offset)) {
        problems.push({ offset, reason: 'NBT page reached a second time (a loop in the index)' });
        continue;
      }
      seen.add(offset);
      if (seen.size > maxPages) {
        problems.push({ offset, reason: `more NBT pages than a file of ${this.header.fileSize} bytes can hold; the rest of the index not read` });
        break;
      }
      let p: Page;
      try {
        p = this.page(offset, 'nbt');
        if (level >= 0 && p.cLevel !== level) throw new Error(`NBT page at ${offset} has level ${p.cLevel}, expected ${level}`);
      } catch (e) {
        problems.push({ offset, reason: (e as Error).message });
        continue;
      }
      if (p.cLevel === 0) {
        for (let i = 0; i < p.cEnt; i++) {
          const at = i * p.cbEnt;
          visit({ nid: p.buf.readUInt32LE(at), parent: p.buf.readUInt32LE(at + this.layout.parentAt) });
        }
        continue;
      }
      for (let i = p.cEnt - 1; i >= 0; i--) {
        try {
          stack.push({ offset: this.child(p, i), level: p.cLevel - 1 });
        } catch (e) {
          problems.push({ offset, reason: (e as Error).message });
        }
      }
    }
    return problems;
  }
}
