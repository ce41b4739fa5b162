// pst-extractor follows the store's indexes and counts as written. This file is where its
// walks are bounded, so that a hostile store costs a bounded amount of work per item and
// ends as error records instead of a hang:
//
// - GuardedPstFile replaces the library's B-tree lookups with pst-index.ts (levels must
//   fall by one per step), checks every block it hands out (inside the file; a block tree
//   no larger than maxStreamBytes, which the library would allocate at once), caps the
//   depth of subnode trees, and does not build the named-property map (see below).
// - It also inflates the compressed blocks of 4 KB-page OSTs, which the library cannot
//   read: see "Compressed blocks" below.
// - Prototype patches of PSTNodeInputStream and PSTTable7C, applied once when this module
//   loads (the library builds those objects itself, so there is no subclass to give it):
//   a work counter in every seek and read, the end of a stream made an error where the
//   library loops on it, block trees at most two levels deep, no zlib guessing, and rows
//   of a table read once.
//
// The work counter (withWorkLimit) is what ends loops driven by a hostile count inside
// the library: every such loop seeks or reads a stream or looks up a block on each turn.
//
// Contained here: index loops, self-referencing or over-deep block and subnode trees,
// oversize allocations announced by a block tree, tables with zero-sized keys or rows
// (unbounded row loops), reads past the end of a stream, compressed blocks that inflate
// to more (or less) than their trailer states. Left to the worker thread that
// runs the reader: memory the library takes within these limits (Buffers of up to
// maxStreamBytes per stream, several for one item, outside the V8 heap and its limit; and
// heap objects for every row or block an index lists before the work limit is reached,
// some hundreds of MB at worst), V8 failing to allocate a huge string, and any synchronous
// loop in the library that neither seeks, reads nor looks up a block (none known in
// 1.12.0). Only terminating the worker ends such a loop: it needs a time limit per item.
import { inflateSync } from 'node:zlib';
import { PSTFile } from 'pst-extractor';
import { DescriptorIndexNode } from 'pst-extractor/dist/DescriptorIndexNode.class.js';
import { OffsetIndexItem } from 'pst-extractor/dist/OffsetIndexItem.class.js';
import type { PSTDescriptorItem } from 'pst-extractor/dist/PSTDescriptorItem.class.js';
import { PSTNodeInputStream } from 'pst-extractor/dist/PSTNodeInputStream.class.js';
import { PSTTable7C } from 'pst-extractor/dist/PSTTable7C.class.js';
import type { PSTTableItem } from 'pst-extractor/dist/PSTTableItem.class.js';
import { setBounded } from '../bounded-map.js';
import type { PstIndex } from './pst-index.js';

/** pst-extractor's 64-bit integer type (from the `long` package), named through its own signatures. */
type Long = Parameters<PSTFile['getOffsetIndexNode']>[0];

/** Thrown when an item needs more library work than withWorkLimit allows. */
export class PstWorkLimitError extends Error {}

let stepsLeft = Infinity;
let stepsGiven = Infinity;

function tick(steps = 1): void {
  // Once spent, every further step throws again: a library catch that swallows the first
  // throw and carries on meets the next one at its next step.
  stepsLeft -= steps;
  if (stepsLeft < 0) throw new PstWorkLimitError(`more than ${stepsGiven} reads and lookups in the store's indexes`);
}

/**
 * Run `fn` (synchronous library work) with at most `steps` seeks, reads and lookups.
 * Throws PstWorkLimitError when they were used up, also when the library caught the
 * limit's error and returned (or threw another) instead: its result is then incomplete.
 */
export function withWorkLimit<T>(steps: number, fn: () => T): T {
  const outer = [stepsLeft, stepsGiven] as const;
  stepsLeft = stepsGiven = steps;
  let spent = false;
  try {
    const value = fn();
    spent = stepsLeft < 0;
    if (!spent) return value;
  } catch (e) {
    spent = stepsLeft < 0;
    if (!spent) throw e;
  } finally {
    [stepsLeft, stepsGiven] = outer;
  }
  throw new PstWorkLimitError(`more than ${steps} reads and lookups in the store's indexes`);
}

const toBigInt = (l: Long): bigint => (BigInt(l.high >>> 0) << 32n) | BigInt(l.low >>> 0);

// Compressed blocks. In a 4 KB-page OST a data block may be stored zlib-compressed; its
// trailer states the inflated size (pst-index.ts, inflatedSize). The library reads every
// block through an OffsetIndexItem (a file offset and a size) and the file's read methods,
// so a compressed block is handed to it as an item whose offset lies past any real file
// offset, in a slot of its own, and whose size is the inflated one; reads at such offsets
// are answered from the inflated bytes. As libpff does, the block is inflated first and
// the store's encoding (if any) is then undone by the library as for any other block.
//
// Bounds: an inflated block is at most 65,535 bytes (its size is a 16-bit field) and
// inflating is stopped there; inflating costs work steps by its size; the slots and the
// inflated bytes kept are bounded (PST_LIMITS.maxCompressedBlockSlots, compressedBlockCache).
// An item whose slot was dropped meanwhile gets an error, never another block's bytes.

/** Offsets from here on are slots of compressed blocks (2^47: past any file, exact as a double). */
const SLOT_BASE = 2 ** 47;
/** One slot per block: a block inflates to at most 65,535 bytes. */
const SLOT_BYTES = 65_536;

interface CompressedBlock {
  bid: bigint;
  ib: number;
  cb: number;
  inflated: number;
}

export interface GuardLimits {
  maxStreamBytes: number;
  maxSubnodeDepth: number;
  maxCompressedBlockSlots: number;
  compressedBlockCache: number;
}

export class GuardedPstFile extends PSTFile {
  private readonly pstIndex: PstIndex;
  private readonly limits: GuardLimits;
  private subnodeDepth = 0;
  /** Compressed blocks handed out: slot number → block, block id → slot number. */
  private readonly slots = new Map<number, CompressedBlock>();
  private readonly slotOf = new Map<bigint, number>();
  private nextSlot = 0;
  /** Inflated bytes of recently read slots. */
  private readonly inflatedCache = new Map<number, Buffer>();

  constructor(path: string, index: PstIndex, limits: GuardLimits) {
    // PSTFile opens the file itself and reads its header (already checked by PstIndex.open).
    super(path);
    this.pstIndex = index;
    this.limits = limits;
  }

  /** The node `nid` as the library's DescriptorIndexNode. */
  node(nid: number): DescriptorIndexNode {
    tick();
    return new DescriptorIndexNode(this.pstIndex.nodeEntry(nid), this.pstFileType);
  }

  override getDescriptorIndexNode(id: Long): DescriptorIndexNode {
    return this.node(id.low >>> 0);
  }

  override getOffsetIndexNode(id: Long): OffsetIndexItem {
    tick();
    const entry = this.pstIndex.blockEntry(toBigInt(id));
    const item = new OffsetIndexItem(entry, this.pstFileType);
    const offset = item.fileOffset.toNumber();
    const size = item.size;
    if (offset < this.pstIndex.headerBytes || offset + size > this.pstIndex.header.fileSize) {
      throw new Error(`block at offset ${offset} (${size} bytes) lies outside the file`);
    }
    const inflated = this.pstIndex.inflatedSize(offset, size);
    if (inflated === size) {
      this.checkBlock(entry, offset, size, () => this.pstIndex.readAt(offset, 8));
      return item;
    }
    // A compressed block (4 KB-page format): the library gets the slot's offset and the inflated size.
    const slot = this.slotFor({ bid: entry.readBigUInt64LE(0), ib: offset, cb: size, inflated });
    this.checkBlock(entry, offset, inflated, () => this.inflate(slot).subarray(0, 8));
    const virtual = Buffer.from(entry);
    virtual.writeBigUInt64LE(BigInt(SLOT_BASE + slot * SLOT_BYTES), 8);
    virtual.writeUInt16LE(inflated, 16);
    return new OffsetIndexItem(virtual, this.pstFileType);
  }

  private slotFor(block: CompressedBlock): number {
    const known = this.slotOf.get(block.bid);
    if (known !== undefined && this.slots.has(known)) return known;
    const slot = this.nextSlot++;
    if (this.slots.size >= this.limits.maxCompressedBlockSlots) {
      const [oldest, old] = this.slots.entries().next().value!;
      this.slots.delete(oldest);
      this.slotOf.delete(old.bid);
      this.inflatedCache.delete(oldest);
    }
    this.slots.set(slot, block);
    this.slotOf.set(block.bid, slot);
    return slot;
  }

  /** The inflated bytes of a slot: exactly the size the block's trailer states, or an Error. */
  private inflate(slot: number): Buffer {
    const cached = this.inflatedCache.get(slot);
    if (cached) return cached;
    const block = this.slots.get(slot);
    if (!block) throw new Error('a compressed block read earlier is no longer held; the item is not read');
    // One work step per KB inflated: inflating 64 KB costs about what 64 reads and lookups do.
    tick(Math.ceil(block.inflated / 1024));
    let data: Buffer;
    try {
      data = inflateSync(this.pstIndex.readAt(block.ib, block.cb), { maxOutputLength: block.inflated });
    } catch (e) {
      throw new Error(`compressed block at offset ${block.ib} does not inflate to its stated ${block.inflated} bytes: ${(e as Error).message}`);
    }
    if (data.length !== block.inflated) throw new Error(`compressed block at offset ${block.ib} inflates to ${data.length} bytes, not its stated ${block.inflated}`);
    return setBounded(this.inflatedCache, slot, data, this.limits.compressedBlockCache);
  }

  /** A read of the library at `position`, an offset in a slot: from the slot's inflated bytes. */
  readSlot(buffer: Buffer, length: number, position: number): number {
    const slot = Math.floor((position - SLOT_BASE) / SLOT_BYTES);
    const data = this.inflate(slot);
    const at = position - SLOT_BASE - slot * SLOT_BYTES;
    return at >= data.length ? 0 : data.copy(buffer, 0, at, Math.min(data.length, at + length));
  }

  /**
   * A block must lie inside the file (checked by the caller). An internal block (bit 1 of
   * its id) that is an XBLOCK or XXBLOCK states the total size of the data it lists, which
   * the library allocates in one piece: it must fit its own block and stay within
   * maxStreamBytes. `head8` gives the block's first 8 bytes (inflated, for a compressed one).
   */
  private checkBlock(entry: Buffer, offset: number, size: number, head8: () => Buffer): void {
    const internal = (entry[0]! & 0x02) !== 0;
    if (!internal || size < 8) return;
    const head = head8();
    const count = head.readUInt16LE(2);
    if (head[0] === 0x01) {
      if (head[1] !== 1 && head[1] !== 2) throw new Error(`block tree at offset ${offset} has level ${head[1]}`);
      if (8 + count * this.pstIndex.idBytes > size) throw new Error(`block tree at offset ${offset} lists ${count} blocks in ${size} bytes`);
      const total = head.readUInt32LE(4);
      if (total > this.limits.maxStreamBytes) throw new Error(`data of ${total} bytes (block tree at offset ${offset}) is over the ${this.limits.maxStreamBytes}-byte limit`);
    }
  }

  override getPSTDescriptorItems(localDescriptorsOffsetIndexIdentifier: Long): Map<number, PSTDescriptorItem>;
  override getPSTDescriptorItems(inputStream: PSTNodeInputStream): Map<number, PSTDescriptorItem>;
  override getPSTDescriptorItems(arg: Long | PSTNodeInputStream): Map<number, PSTDescriptorItem> {
    tick();
    // The library recurses into an SIBLOCK's children as written; one that lists itself
    // would recurse until the stack runs out, each level holding a block.
    if (this.subnodeDepth >= this.limits.maxSubnodeDepth) throw new Error(`subnode tree deeper than ${this.limits.maxSubnodeDepth} levels`);
    this.subnodeDepth++;
    try {
      return super.getPSTDescriptorItems(arg as Long);
    } finally {
      this.subnodeDepth--;
    }
  }

  /**
   * The library's fallback when a folder's contents table is unreadable: a recursive walk
   * of the whole NBT without a visited set. This reader lists folder contents from the
   * NBT itself (pst-index.ts) and never asks for it.
   */
  override getChildDescriptorTree(): Map<number, DescriptorIndexNode[]> {
    throw new Error('getChildDescriptorTree is not used by this reader');
  }
}

// The constructor of PSTFile builds the named-property map (node 97) into a static map
// shared by every PSTFile of the process: one store's names would leak into the next, and
// the map grows with each store. This reader reads no named properties, so it is skipped.
Object.defineProperty(GuardedPstFile.prototype, 'processNameToIDMap', { value: () => undefined });

// Every read of the library goes through PSTFile's private readSync(buffer, length,
// position); here a position in a slot is answered from the inflated block. The base
// constructor reads the header through it before the fields above exist: position 0.
type ReadSync = (this: PSTFile, buffer: Buffer, length: number, position: number) => number;
const fileReadSync = (PSTFile.prototype as unknown as { readSync: ReadSync }).readSync;
Object.defineProperty(GuardedPstFile.prototype, 'readSync', {
  value: function (this: GuardedPstFile, buffer: Buffer, length: number, position: number): number {
    return position < SLOT_BASE ? fileReadSync.call(this, buffer, length, position) : this.readSlot(buffer, length, position);
  },
});

interface StreamInternals {
  seek(location: Long): void;
  readFromOffset(output: Buffer, offset: number, length: number): number;
  detectZlib(): void;
  getBlockSkipPoints(data: Buffer): void;
}

/** An XXBLOCK lists XBLOCKs, which list data blocks (MS-PST 2.2.2.8.3.2): two levels. */
const MAX_BLOCK_TREE_DEPTH = 2;

const PATCHED = Symbol.for('blastradius.pst-guard');

function patchLibrary(): void {
  const stream = PSTNodeInputStream.prototype as unknown as StreamInternals & Record<symbol, boolean>;
  if (stream[PATCHED]) return;
  stream[PATCHED] = true;

  const seek = stream.seek;
  stream.seek = function (this: StreamInternals, location: Long) {
    tick();
    seek.call(this, location);
  };

  const readFromOffset = stream.readFromOffset;
  stream.readFromOffset = function (this: StreamInternals, output: Buffer, offset: number, length: number) {
    tick();
    const n = readFromOffset.call(this, output, offset, length);
    // At the end of a stream readBlock returns 0, not -1 (its end test compares two Long
    // objects with ==, which is never true), and readCompletely calls it again forever.
    // A heap offset pointing at the end of its block gets there.
    return n === 0 && length > 0 ? -1 : n;
  };

  // The library recurses into any block tree an XXBLOCK lists, as written; one that lists
  // itself recurses until the stack runs out, each level holding a block of up to 64 KB.
  const getBlockSkipPoints = stream.getBlockSkipPoints;
  let blockTreeDepth = 0;
  stream.getBlockSkipPoints = function (this: StreamInternals, data: Buffer) {
    if (blockTreeDepth >= MAX_BLOCK_TREE_DEPTH) throw new Error(`block tree deeper than ${MAX_BLOCK_TREE_DEPTH} levels`);
    blockTreeDepth++;
    try {
      getBlockSkipPoints.call(this, data);
    } finally {
      blockTreeDepth--;
    }
  };

  // The library inflates any stream whose first bytes are 78 9C (a zlib header), guessing
  // at the compressed blocks of 4 KB-page OSTs, which GuardedPstFile inflates from what
  // their trailers state. The guess would replace an attachment that starts with those
  // bytes by its inflated content, with no bound on the output.
  stream.detectZlib = () => undefined;

  // getItems() without arguments reads every row of the table again on each call, and
  // PSTMessage.getRecipient(i) and getAttachment(i) call it once per recipient and per
  // attachment: quadratic in the row count. The rows are kept per table after the first read.
  const table = PSTTable7C.prototype as unknown as { getItems(start?: number, count?: number): Map<number, PSTTableItem>[] };
  const getItems = table.getItems;
  const rows = new WeakMap<object, Map<number, PSTTableItem>[]>();
  table.getItems = function (this: object, start?: number, count?: number) {
    if (start !== undefined) return getItems.call(this, start, count);
    let all = rows.get(this);
    if (!all) rows.set(this, (all = getItems.call(this)));
    return all;
  };
}

patchLibrary();
