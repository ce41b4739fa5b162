// A text file written a line at a time, for the generators of large logs: lines are
// gathered into chunks of a few thousand before they reach the stream (one write per line
// costs more than the formatting), and the writer waits for the stream to drain so memory
// stays flat however long the file grows. UTF-8 and LF by default; Windows exports (a
// message trace) are UTF-16LE with a BOM and CRLF.
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

export interface LineFileOptions {
  encoding?: 'utf8' | 'utf16le';
  eol?: '\n' | '\r\n';
  /** Start the file with a byte order mark. */
  bom?: boolean;
  chunkLines?: number;
}

export class LineFile {
  private readonly out: WriteStream;
  private buf: string[] = [];
  lines = 0;
  bytes = 0;

  private readonly encoding: 'utf8' | 'utf16le';
  private readonly eol: string;
  private readonly chunkLines: number;

  constructor(path: string, o: LineFileOptions = {}) {
    this.out = createWriteStream(path);
    this.encoding = o.encoding ?? 'utf8';
    this.eol = o.eol ?? '\n';
    this.chunkLines = o.chunkLines ?? 5000;
    if (o.bom) {
      const bom = Buffer.from('\ufeff', this.encoding);
      this.bytes += bom.length;
      this.out.write(bom);
    }
  }

  async write(line: string): Promise<void> {
    this.buf.push(line);
    this.lines++;
    if (this.buf.length >= this.chunkLines) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buf.length) return;
    const chunk = Buffer.from(this.buf.join(this.eol) + this.eol, this.encoding);
    this.buf = [];
    this.bytes += chunk.length;
    if (!this.out.write(chunk)) await once(this.out, 'drain');
  }

  async close(): Promise<void> {
    await this.flush();
    this.out.end();
    await once(this.out, 'finish');
  }
}
