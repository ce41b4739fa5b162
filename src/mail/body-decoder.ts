// Body text decoding for mailparser, through its `Iconv` option (a node-iconv-like class:
// `new Iconv(from, to)` returning a stream). mailparser otherwise follows the declared
// charset, and real Japanese mail mislabels bodies (Ruby mail 2.7 sends UTF-8 labelled
// Shift_JIS or ISO-2022-JP; some mailers send ISO-2022-JP labelled us-ascii). Bodies are
// what the hijack analysis and the password search read, so they go through decodeBytes,
// which lets the bytes overrule a wrong label. A text part is held whole to decide; it is
// bounded by the message size limit.
import { Transform, type TransformCallback } from 'node:stream';
import { decodeBytes } from './charset.js';

export class LabelAwareDecoder extends Transform {
  private readonly chunks: Buffer[] = [];
  private readonly charset: string;

  constructor(fromCharset: string, _to?: string) {
    super();
    this.charset = fromCharset;
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    this.chunks.push(chunk);
    done();
  }

  override _flush(done: TransformCallback): void {
    const { text } = decodeBytes(Buffer.concat(this.chunks), this.charset);
    this.push(Buffer.from(text, 'utf8'));
    done();
  }
}
