// OneNote (.one) files carry attachments as FileDataStoreObject structures (MS-ONESTORE
// 2.6.13): a header GUID, the data length (u64), 12 reserved bytes, the file itself. The
// 2023 Emotet and Qakbot waves hid .hta, .cmd and .wsf files behind a "double-click to
// view" button this way. Scanning for the header GUID finds them without parsing the
// whole revision store.

const FILE_DATA_HEADER = Buffer.from('e716e3bd65261145a4c48d4d0b7a9eac', 'hex');
/** Embedded files read per document. */
const MAX_FILES = 100;

export function oneNoteEmbeddedFiles(b: Buffer): Buffer[] {
  const out: Buffer[] = [];
  let from = 0;
  while (out.length < MAX_FILES) {
    const at = b.indexOf(FILE_DATA_HEADER, from);
    if (at < 0 || at + 36 > b.length) break;
    const length = Number(b.readBigUInt64LE(at + 16));
    const start = at + 36;
    if (length > 0 && start + length <= b.length) out.push(b.subarray(start, start + length));
    from = at + 16;
  }
  return out;
}
