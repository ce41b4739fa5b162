// Byte-preserving text helpers for the line-oriented formats (MIME, mbox, logs): a Buffer
// seen as latin1 keeps every byte, so invalid UTF-8 in a seed survives the mutation.

export const asText = (b: Buffer): string => b.toString('latin1');
export const asBytes = (s: string): Buffer => Buffer.from(s, 'latin1');
/** UTF-8 text as the latin1 string of its bytes, for splicing into an asText() string. */
export const utf8AsText = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Offsets of every line start. */
export function lineStarts(s: string): number[] {
  const out = [0];
  for (let i = s.indexOf('\n'); i !== -1 && i + 1 < s.length; i = s.indexOf('\n', i + 1)) out.push(i + 1);
  return out;
}

/** The line (without its end) that starts at `start`, and where its end-of-line begins. */
export function lineAt(s: string, start: number): { text: string; end: number } {
  const nl = s.indexOf('\n', start);
  const end = nl === -1 ? s.length : nl > start && s[nl - 1] === '\r' ? nl - 1 : nl;
  return { text: s.slice(start, end), end };
}

/** Every match of a global regex, with its index. */
export function matchesOf(s: string, re: RegExp): RegExpExecArray[] {
  const flags = re.flags.includes('g') ? re.flags : re.flags + 'g';
  return [...s.matchAll(new RegExp(re.source, flags))];
}

export function replaceAt(s: string, start: number, end: number, insert: string): string {
  return s.slice(0, start) + insert + s.slice(end);
}

/** The line ending the text mostly uses, so inserted lines look native. */
export function eolOf(s: string): string {
  const head = s.slice(0, 4096);
  return head.includes('\r\n') ? '\r\n' : '\n';
}
