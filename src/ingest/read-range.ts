// Bytes of a file at an offset, read in one piece (the mbox splitter re-reading a large
// message, the ZIP-export reader reading a central directory and local headers).
import { open } from 'node:fs/promises';

/** `length` bytes at `offset`, in a buffer of their own; fewer when the file ends (or shrank) before. */
export async function readRange(path: string, offset: number, length: number): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.allocUnsafeSlow(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    return got === length ? buf : buf.subarray(0, got);
  } finally {
    await fh.close();
  }
}
