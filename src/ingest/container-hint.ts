// What a file that is neither mail nor a log is, when it is a container responders are
// often handed (a damaged PST, a ZIP of .eml files, a compressed file of another kind), and how to make it
// readable: the scan's error record says so instead of only "not a mail file".
import { open } from 'node:fs/promises';

const CONTAINERS: { magic: Buffer; what: string; fix: string }[] = [
  // A store with a readable header is scanned (pst-reader.ts); this is one that starts like one and is not.
  { magic: Buffer.from('!BDN', 'latin1'), what: 'an Outlook PST/OST file with a damaged header', fix: 'copy or export it again (a whole store opens in Outlook) and scan the copy' },
  { magic: Buffer.from([0x50, 0x4b, 0x03, 0x04]), what: 'a ZIP archive with no member named as mail (.eml, .msg, mbox, Maildir)', fix: 'unpack it and scan the folder' },
  { magic: Buffer.from([0x1f, 0x8b]), what: 'a gzip-compressed file that holds neither mail nor a mail server log', fix: 'decompress it (gunzip) and check what it is' },
  { magic: Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c]), what: 'a 7-Zip archive', fix: 'unpack it (7z x) and scan the folder' },
  { magic: Buffer.from('Rar!', 'latin1'), what: 'a RAR archive', fix: 'unpack it and scan the folder' },
  { magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]), what: 'an xz-compressed file', fix: 'decompress it (xz -d) and scan the result' },
  { magic: Buffer.from('BZh', 'latin1'), what: 'a bzip2-compressed file', fix: 'decompress it (bunzip2) and scan the result' },
];

/** The container a file is and the fix, or null when its first bytes are none of these. */
export async function containerHint(path: string): Promise<{ what: string; fix: string } | null> {
  const head = Buffer.alloc(8);
  const fh = await open(path, 'r');
  try {
    await fh.read(head, 0, 8, 0);
  } finally {
    await fh.close();
  }
  return CONTAINERS.find((c) => head.subarray(0, c.magic.length).equals(c.magic)) ?? null;
}
