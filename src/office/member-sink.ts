// What is kept of one archive member while it is decompressed: its bytes up to a cap, and a
// long run of one repeated byte at its end as a count instead of bytes.
//
// Why: in March 2023 Emotet mailed ZIPs of about 600 KB holding a Word document of more than
// 500 MB, a small document followed by hundreds of MB of zero bytes, so that scanners with a
// size limit would skip it. A plain size limit would do exactly that. Here every byte still
// passes through (it is counted and hashed, so the member's size and sha256 are those of the
// file the recipient got), but a run of one byte value is held as a count; when other bytes
// follow it, the run was content and is written out; when the member ends on it and the
// member with the run would not fit under the cap, the run is padding and is dropped, in
// whole 4 KiB blocks so that a compound file keeps its last sector. The analysers then get
// the document's real content. Anything else over the cap (a bomb of varied bytes) is cut at
// the cap and said to be. A long run in the middle that does not fit either (padding that a
// damaged stream follows with garbage, as a corrupted LZMA stream does) cuts the member where
// the run starts, in the same 4 KiB blocks: filling the cap with the run would hand the
// analysers up to the cap of one repeated byte (64 MiB for 7-Zip, which an OLE parser then
// copies again) and nothing that follows it could be kept anyway.
import { createHash, type Hash } from 'node:crypto';

/** Padding dropped from the end of a member. */
export interface Padding {
  /** The repeated byte value (0 for Emotet's zero padding). */
  byte: number;
  /** Bytes dropped. */
  length: number;
  /** Size of the member as stored, padding included. */
  fullSize: number;
  /** sha256 of the member as stored, padding included (the hash other tools report). */
  fullSha256: string;
}

/** Bytes kept across all members of one archive, shared by its sinks. */
export interface KeepBudget {
  remaining: number;
  /** Why nothing more may be kept once remaining is used up (default: the archive's total). */
  usedUp?: string;
}

/**
 * What one archive (one extraction attempt) may keep of its members: maxTotalBytes, or
 * maxRatio bytes per archive byte when that is less (never less than minRatioBytes). The
 * sinks stop before a write would pass it; a ratio checked after each write let one write of
 * a long run past it (the 53 MiB the ratio gives the 55,932-byte padded 7z became 64 MiB).
 */
export function keepBudget(limits: { maxTotalBytes: number; maxRatio: number; minRatioBytes: number }, archiveBytes: number): KeepBudget {
  const ratioCap = Math.max(limits.minRatioBytes, limits.maxRatio * archiveBytes);
  if (ratioCap >= limits.maxTotalBytes) return { remaining: limits.maxTotalBytes };
  return { remaining: ratioCap, usedUp: `more than ${limits.maxRatio} times the archive's size decompressed` };
}

export interface SinkResult {
  /** The bytes kept: the whole member, or the member less its padding, or its first bytes. */
  data: Buffer;
  /** Bytes the member had in all. */
  size: number;
  sha256: string;
  padding?: Padding;
  /** Set when bytes other than end padding were not kept (cap, budget or ratio reached). */
  truncated?: string;
}

/** Padding is dropped in blocks of this size (the larger of the two compound-file sector sizes). */
const PADDING_BLOCK = 4096;
/** Runs shorter than this are written out at once: a short run is content, not padding. */
const MIN_RUN = 64 * 1024;
/**
 * Past this many bytes kept, a member of unknown size gets one buffer of the most it may
 * keep, instead of pieces to be joined at the end (which would hold it twice).
 */
const ONE_BUFFER_FROM = 1024 * 1024;

export class MemberSink {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;
  private runByte = -1;
  private runLength = 0;
  private truncated: string | undefined;
  private readonly hash: Hash = createHash('sha256');
  /** The member's buffer, allocated once (from the declared size, or past ONE_BUFFER_FROM). */
  private whole: Buffer | null = null;
  /** The declared size was a lie: pieces from then on. */
  private spilled = false;

  private readonly alwaysDropPadding: boolean;

  /**
   * @param maxKeep bytes of this member that may be kept
   * @param budget bytes left for the whole archive (shared, decremented as bytes are kept)
   * @param opts.sizeHint the size the archive declares for the member, if any
   * @param opts.alwaysDropPadding drop end padding even when the member would fit (a member
   *   whose compression ratio already says it is mostly padding)
   */
  constructor(
    private maxKeep: number,
    private readonly budget: KeepBudget = { remaining: Infinity },
    opts: { sizeHint?: number; alwaysDropPadding?: boolean } = {},
  ) {
    const hint = opts.sizeHint ?? 0;
    this.alwaysDropPadding = opts.alwaysDropPadding ?? false;
    // Not from Buffer's shared pool: the bytes may be transferred to another thread.
    if (hint > 0 && hint <= maxKeep && hint <= budget.remaining) this.whole = Buffer.from(new ArrayBuffer(hint));
  }

  /** Why bytes other than end padding were not kept, once that has happened. */
  get truncatedReason(): string | undefined {
    return this.truncated;
  }

  /** Bytes seen so far, kept or not. */
  get size(): number {
    return this.total;
  }

  write(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.hash.update(chunk);
    this.total += chunk.length;
    // The run of one byte value that ends the chunk.
    const last = chunk[chunk.length - 1]!;
    let i = chunk.length - 1;
    while (i > 0 && chunk[i - 1] === last) i--;
    if (i === 0 && last === this.runByte) {
      this.runLength += chunk.length;
      return;
    }
    this.flushRun();
    if (i > 0 && chunk.length - i < MIN_RUN) {
      this.keep(chunk);
      return;
    }
    this.keep(chunk.subarray(0, i));
    this.runByte = last;
    this.runLength = chunk.length - i;
  }

  /** Bytes that do not fit are counted as not kept; the first time is noted. */
  private keep(bytes: Uint8Array): void {
    if (bytes.length === 0) return;
    const memberRoom = this.maxKeep - this.kept;
    const n = Math.max(0, Math.min(memberRoom, this.budget.remaining, bytes.length));
    if (n > 0) {
      if (this.whole && this.kept + n > this.whole.length) {
        // More than the archive declared: go on in pieces.
        this.chunks.push(this.whole.subarray(0, this.kept));
        this.whole = null;
        this.spilled = true;
      }
      if (!this.whole && !this.spilled && this.kept + n > ONE_BUFFER_FROM) {
        this.whole = Buffer.from(new ArrayBuffer(Math.min(this.maxKeep, this.kept + this.budget.remaining)));
        let at = 0;
        for (const c of this.chunks) at += c.copy(this.whole, at);
        this.chunks.length = 0;
      }
      if (this.whole) this.whole.set(bytes.subarray(0, n), this.kept);
      else this.chunks.push(Buffer.from(bytes.subarray(0, n)));
      this.kept += n;
      this.budget.remaining -= n;
    }
    if (n < bytes.length) this.truncated ??= memberRoom <= n ? `more than ${this.maxKeep} bytes` : this.budgetUsedUp;
  }

  private get budgetUsedUp(): string {
    return this.budget.usedUp ?? 'bytes kept for the archive used up';
  }

  /**
   * A run followed by other bytes was content: keep it. A short one that does not fit is
   * kept as far as it fits; a long one that does not fit ends what is kept of the member,
   * at the block boundary after its start (see the head of this file).
   */
  private flushRun(): void {
    if (this.runLength === 0) return;
    const memberRoom = this.maxKeep - this.kept;
    const room = Math.max(0, Math.min(memberRoom, this.budget.remaining));
    if (this.runLength > room && this.runLength >= MIN_RUN) {
      const at = this.kept;
      const head = Math.min(room, (PADDING_BLOCK - (at % PADDING_BLOCK)) % PADDING_BLOCK);
      const cap = room < memberRoom ? this.budgetUsedUp : `more than ${this.maxKeep} bytes`;
      this.truncated ??= `a run of ${this.runLength} bytes of 0x${this.runByte.toString(16).padStart(2, '0')} at offset ${at} does not fit (${cap}); nothing from there on kept`;
      if (head > 0) this.keep(Buffer.alloc(head, this.runByte));
      this.maxKeep = this.kept;
    } else {
      if (this.runLength > room) this.truncated ??= room < memberRoom ? this.budgetUsedUp : `more than ${this.maxKeep} bytes`;
      if (room > 0) this.keep(Buffer.alloc(Math.min(this.runLength, room), this.runByte));
    }
    this.runByte = -1;
    this.runLength = 0;
  }

  finish(): SinkResult {
    let padding: Padding | undefined;
    const sha256 = this.hash.digest('hex');
    if (this.runLength > 0) {
      const fits = this.kept + this.runLength <= this.maxKeep && this.runLength <= this.budget.remaining;
      if ((fits && !this.alwaysDropPadding) || this.runLength < MIN_RUN) this.flushRun();
      else {
        // Keep the run up to the next block boundary, drop the rest.
        const head = Math.min(this.runLength, (PADDING_BLOCK - (this.kept % PADDING_BLOCK)) % PADDING_BLOCK);
        padding = { byte: this.runByte, length: this.runLength - head, fullSize: this.total, fullSha256: sha256 };
        this.runLength = head;
        this.flushRun();
      }
    }
    let data: Buffer;
    if (this.whole && this.kept === this.whole.length) data = this.whole;
    else {
      data = Buffer.from(new ArrayBuffer(this.kept));
      if (this.whole) this.whole.copy(data, 0, 0, this.kept);
      else {
        let at = 0;
        for (const c of this.chunks) at += c.copy(data, at);
      }
    }
    this.whole = null;
    this.chunks.length = 0;
    return { data, size: this.total, sha256, ...(padding ? { padding } : {}), ...(this.truncated ? { truncated: this.truncated } : {}) };
  }
}
