// TNEF (MS-OXTNEF): the application/ms-tnef part, usually named winmail.dat, in which Outlook
// and Exchange send a message's attachments and rich body to a recipient they believe to be
// on Outlook. Mail programs that cannot read it show one opaque winmail.dat; the files inside
// are the ones that matter here, so each becomes an attachment record under it.
//
// Why our own reader: the one npm package (node-tnef 1.4, a port of a Go reader) is a
// command-line tool first, with a logger (bunyan) and an argument parser (yargs) as runtime
// dependencies; it is not in node_modules, and nothing that is reads TNEF. The format is
// small: a flat list of attributes (level, id, length, data, checksum), two of which hold
// counted lists of MAPI properties. What matters here is that every count and length is
// checked against the bytes really there before it is used, every loop is bounded, and a
// fault gives defects and whatever was read before it.
//
// What is read: the message's class, subject and body (attBody, or PidTagBody / PidTagBodyHtml
// in attMsgProps); per attachment (each opened by attAttachRendData) its name (attAttachTitle,
// or PidTagAttachLongFilename / PidTagAttachFilename / PidTagDisplayName in attAttachment),
// its bytes (attAttachData, or PidTagAttachDataBinary / PidTagAttachDataObject), its MIME tag
// and attach method; an embedded message (method 5: an IID_IMessage object holding a TNEF
// stream of its own) is read as a message in turn. Not read: the compressed RTF body
// (PidTagRtfCompressed), recipient tables, named properties' values.
import { decodeBytes } from './charset.js';
import { DefectList } from './defect-list.js';

export const TNEF_LIMITS = {
  /** Attributes read per stream: an empty one is 11 bytes, so a 10 MB winmail.dat could hold a million; Outlook writes about 10 plus 8 per attachment. */
  maxAttributes: 10_000,
  /** MAPI properties read per attMsgProps / attAttachment attribute (its count is 32 bits; Outlook writes under 100). */
  maxProperties: 2_000,
  /** Values read per multi-valued or variable-size property (also a 32-bit count). */
  maxValues: 1_000,
  /** Attachments read per stream. */
  maxAttachments: 500,
  /** Embedded messages opened inside one another; a deeper one is kept as an opaque file. */
  maxNesting: 4,
  /**
   * Bytes of files one stream gives, its embedded messages' included. The files are views of
   * the stream, not copies, but each is hashed and analysed, and an embedded message shows
   * the same bytes once as itself and again as its files, at every level.
   */
  maxBytesOut: 256 * 1024 * 1024,
  /** Characters kept of the body (PARSE_LIMITS.maxBodyChars) and of a name. */
  maxBodyChars: 4 * 1024 * 1024,
  maxNameChars: 255,
  /** DefectList kept per stream, its embedded messages' included (the rest are counted). */
  maxDefects: 32,
};

export type TnefLimits = typeof TNEF_LIMITS;

export interface TnefAttachment {
  /** PidTagAttachLongFilename, else attAttachTitle, PidTagAttachFilename, PidTagDisplayName; '' when none. */
  name: string;
  /** PidTagAttachMimeTag, when given. */
  mimeType?: string;
  /** PidTagAttachMethod: 1 by value, 5 embedded message, 6 OLE object; 1 when not given. */
  method: number;
  /** The file's bytes; for an embedded message, its TNEF stream. */
  data: Buffer;
  /** Offset of `data` in the stream it was read from. */
  offset: number;
  /** The embedded message (method 5), read from `data`. */
  embedded?: TnefMessage;
}

export interface TnefMessage {
  messageClass?: string;
  subject?: string;
  /** PidTagBody, else attBody; '' when neither. */
  body: string;
  /** PidTagBodyHtml decoded; '' when absent. */
  bodyHtml: string;
  attachments: TnefAttachment[];
  /** DefectList of this stream and of the embedded messages in it. */
  defects: string[];
}

const SIGNATURE = 0x223e9f78;
const LVL_MESSAGE = 1;
const LVL_ATTACHMENT = 2;

/** Attribute ids (MS-OXTNEF 2.1.3.3: the type in the high word, the id in the low). */
const ATT = {
  subject: 0x00018004,
  messageClass: 0x00078008,
  body: 0x0002800c,
  msgProps: 0x00069003,
  oemCodepage: 0x00069007,
  attachRendData: 0x00069002,
  attachTransportFilename: 0x00069001,
  attachment: 0x00069005,
  attachData: 0x0006800f,
  attachTitle: 0x00018010,
} as const;

/** MAPI property ids (MS-OXPROPS). */
const PID = {
  messageClass: 0x001a,
  subject: 0x0037,
  body: 0x1000,
  bodyHtml: 0x1013,
  displayName: 0x3001,
  attachDataObject: 0x3701,
  attachFilename: 0x3704,
  attachMethod: 0x3705,
  attachLongFilename: 0x3707,
  attachMimeTag: 0x370e,
  internetCodepage: 0x3fde,
} as const;

const PT = { string8: 0x001e, unicode: 0x001f, binary: 0x0102, object: 0x000d, long: 0x0003 } as const;

/** Value sizes of the fixed-size property types (MS-OXTNEF 2.1.3.4: 16-bit ones padded to 4). */
const FIXED_SIZE = new Map<number, number>([
  [0x0001, 0], // PtypNull
  [0x0002, 4], // PtypInteger16
  [0x0003, 4], // PtypInteger32
  [0x0004, 4], // PtypFloating32
  [0x0005, 8], // PtypFloating64
  [0x0006, 8], // PtypCurrency
  [0x0007, 8], // PtypFloatingTime
  [0x000a, 4], // PtypErrorCode
  [0x000b, 4], // PtypBoolean
  [0x0014, 8], // PtypInteger64
  [0x0040, 8], // PtypTime
  [0x0048, 16], // PtypGuid
]);
const VARIABLE = new Set<number>([PT.string8, PT.unicode, PT.binary, PT.object]);

/** IID_IMessage {00020307-0000-0000-C000-000000000046}, as stored (little-endian fields). */
const IID_IMESSAGE = Buffer.from('0703020000000000c000000000000046', 'hex');

export function isTnef(b: Uint8Array): boolean {
  return b.length >= 6 && (b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24)) >>> 0 === SIGNATURE;
}


/** What the reading of one stream and its embedded messages shares. */
interface Reading {
  limits: TnefLimits;
  /** Records a defect (an embedded message's say which one). */
  defect: (msg: string) => void;
  /** Bytes of files still allowed (limits.maxBytesOut, counted down across embedded messages). */
  budget: { left: number };
}

const hex = (n: number, w = 4) => '0x' + n.toString(16).padStart(w, '0');

/** The Windows code page `cp` as a label decodeBytes knows. */
function codepageLabel(cp: number): string {
  if (cp === 65001) return 'utf-8';
  if (cp === 1200) return 'utf-16le';
  if (cp === 20127) return 'us-ascii';
  if (cp === 50220 || cp === 50221 || cp === 50222) return 'iso-2022-jp';
  if (cp === 51932 || cp === 20932) return 'euc-jp';
  if (cp === 28591) return 'iso-8859-1';
  return `cp${cp}`;
}

/** An 8-bit string (attributes of type atpString/atpText, PtypString8) up to its first NUL. */
function string8(b: Buffer, codepage: number): string {
  const nul = b.indexOf(0);
  const bytes = nul < 0 ? b : b.subarray(0, nul);
  return decodeBytes(bytes, codepageLabel(codepage)).text;
}

/** A PtypString (UTF-16LE) up to its first NUL. */
function unicode(b: Buffer): string {
  const s = b.toString('utf16le', 0, b.length & ~1);
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

/**
 * A property as read: its type and first value. Only the first is kept: the properties used
 * here are single-valued, and a list of a thousand empty values must not become a thousand
 * objects.
 */
interface Prop {
  type: number;
  value?: Buffer;
  /** Offset of the value in the stream. */
  offset: number;
}

/**
 * A counted list of MAPI properties (attMsgProps, attAttachment; MS-OXTNEF 2.1.3.4). Named
 * properties are read past, not kept. The list stops at the first property that does not
 * fit in the bytes there or has a type of unknown size (its length cannot be known).
 */
function readProps(data: Buffer, base: number, r: Reading, where: string): Map<number, Prop> {
  const props = new Map<number, Prop>();
  const { limits } = r;
  let p = 0;
  const left = () => data.length - p;
  const fail = (msg: string) => r.defect(`${where}: ${msg}`);
  if (left() < 4) {
    fail('property list shorter than its count');
    return props;
  }
  let count = data.readUInt32LE(0);
  p = 4;
  if (count > limits.maxProperties) {
    fail(`claims ${count} properties; the first ${limits.maxProperties} read`);
    count = limits.maxProperties;
  }
  for (let i = 0; i < count; i++) {
    if (left() < 4) {
      fail(`property ${i + 1} of ${count}: the list ends at byte ${p}`);
      break;
    }
    const type = data.readUInt16LE(p);
    const id = data.readUInt16LE(p + 2);
    p += 4;
    const named = id >= 0x8000;
    if (named) {
      if (left() < 20) {
        fail(`named property ${hex(id)}: its name is cut`);
        break;
      }
      const kind = data.readUInt32LE(p + 16);
      p += 20;
      if (kind === 0) {
        if (left() < 4) {
          fail(`named property ${hex(id)}: its id is cut`);
          break;
        }
        p += 4;
      } else if (kind === 1) {
        const n = left() >= 4 ? data.readUInt32LE(p) : -1;
        if (n < 0 || n > left() - 4) {
          fail(`named property ${hex(id)}: name of ${n < 0 ? '?' : n} bytes, ${Math.max(0, left() - 4)} there`);
          break;
        }
        p = Math.min(data.length, p + 4 + pad4(n));
      } else {
        fail(`named property ${hex(id)}: name kind ${kind} is neither 0 nor 1; the rest of the list left unread`);
        break;
      }
    }
    const multi = (type & 0x1000) !== 0;
    const t = type & 0x0fff;
    const variable = VARIABLE.has(t);
    const size = FIXED_SIZE.get(t);
    if (!variable && size === undefined) {
      fail(`property ${hex(id)} of type ${hex(type)}, whose size is unknown; the rest of the list left unread`);
      break;
    }
    let n = 1;
    if (!multi && !variable && left() < size!) {
      fail(`property ${hex(id)}: value of ${size} bytes, ${left()} there`);
      break;
    }
    if (multi || variable) {
      if (left() < 4) {
        fail(`property ${hex(id)}: its value count is cut`);
        break;
      }
      n = data.readUInt32LE(p);
      p += 4;
      // Each value needs at least 4 bytes (its length) or its fixed size.
      const least = variable ? 4 : size!;
      if (n > limits.maxValues || n * least > left()) {
        fail(`property ${hex(id)} claims ${n} values, ${least > 0 ? `room for ${Math.floor(left() / least)}` : 'over the limit'}; the rest of the list left unread`);
        break;
      }
    }
    const prop: Prop = { type: t, offset: base + p };
    let cut = false;
    if (!variable) {
      if (n > 0) prop.value = data.subarray(p, p + size!);
      p += n * size!;
    }
    // Each variable-size value takes at least its 4-byte length: the loop is bounded by the bytes there.
    for (let v = 0; variable && v < n; v++) {
      const len = data.readUInt32LE(p);
      p += 4;
      const keep = (b: Buffer) => {
        if (v === 0) {
          prop.value = b;
          prop.offset = base + p;
        }
      };
      if (len > left()) {
        fail(`property ${hex(id)}: value of ${len} bytes at offset ${base + p}, ${left()} there; those kept`);
        keep(data.subarray(p));
        p = data.length;
        cut = true;
        break;
      }
      keep(data.subarray(p, p + len));
      p = Math.min(data.length, p + pad4(len));
      if (v + 1 < n && left() < 4) {
        fail(`property ${hex(id)}: value ${v + 2} of ${n} is cut`);
        cut = true;
        break;
      }
    }
    if (!named && !props.has(id)) props.set(id, prop);
    if (cut) break;
  }
  return props;
}

function pad4(n: number): number {
  return n + ((4 - (n % 4)) % 4);
}

/** A string property, at most `max` characters of it (only the bytes those can take are decoded). */
function propString(props: Map<number, Prop>, id: number, codepage: number, max: number): string | undefined {
  const p = props.get(id);
  const v = p?.value?.subarray(0, max * 4);
  if (!p || !v) return undefined;
  if (p.type === PT.unicode) return cap(unicode(v), max);
  if (p.type === PT.string8) return cap(string8(v, codepage), max);
  return undefined;
}

function propLong(props: Map<number, Prop>, id: number): number | undefined {
  const p = props.get(id);
  const v = p?.value;
  return p?.type === PT.long && v && v.length >= 4 ? v.readInt32LE(0) : undefined;
}

interface Pending {
  index: number;
  title?: string;
  transportName?: string;
  data?: Buffer;
  dataOffset?: number;
  props?: Map<number, Prop>;
}

function cap(s: string, max: number): string {
  return s.length > max ? s.slice(0, max) : s;
}

/** The attachment(s) a pending one gives: normally one; two when attAttachData and PidTagAttachDataBinary disagree. */
function finish(a: Pending, codepage: number, depth: number, r: Reading, into: TnefAttachment[]): void {
  const props = a.props ?? new Map<number, Prop>();
  const where = `attachment ${a.index + 1}`;
  const max = r.limits.maxNameChars;
  const method = propLong(props, PID.attachMethod) ?? 1;
  const mimeType = propString(props, PID.attachMimeTag, codepage, max);
  const longName = propString(props, PID.attachLongFilename, codepage, max);
  const displayName = propString(props, PID.displayName, codepage, max);
  const name = longName || a.title || propString(props, PID.attachFilename, codepage, max) || displayName || a.transportName || '';
  const found: TnefAttachment[] = [];
  const base = { name, method, ...(mimeType ? { mimeType } : {}) };
  if (a.data) found.push({ ...base, data: a.data, offset: a.dataOffset ?? 0 });
  const obj = props.get(PID.attachDataObject);
  const v = obj?.value;
  if (obj && v) {
    if (obj.type === PT.binary) {
      if (!a.data) found.push({ ...base, data: v, offset: obj.offset });
      else if (!a.data.equals(v)) {
        r.defect(`${where} ${JSON.stringify(name)}: attAttachData and PidTagAttachDataBinary differ; both recorded`);
        found.push({ ...base, data: v, offset: obj.offset });
      }
    } else if (obj.type === PT.object) {
      if (v.length < 16) r.defect(`${where} ${JSON.stringify(name)}: object of ${v.length} bytes, shorter than its interface id`);
      else {
        const inner = v.subarray(16);
        const message = method === 5 || v.subarray(0, 16).equals(IID_IMESSAGE);
        const att: TnefAttachment = { ...base, name: displayName || a.title || name, data: inner, offset: obj.offset + 16 };
        if (message) {
          if (depth + 1 > r.limits.maxNesting) r.defect(`${where} ${JSON.stringify(att.name)}: embedded message nested deeper than ${r.limits.maxNesting}; kept unopened`);
          else if (!isTnef(inner)) r.defect(`${where} ${JSON.stringify(att.name)}: embedded message without a TNEF signature; kept unopened`);
          else {
            const label = `embedded message ${JSON.stringify(att.name)}`;
            att.embedded = readStream(inner, depth + 1, { ...r, defect: (m) => r.defect(`${label}: ${m}`) });
          }
        }
        found.push(att);
      }
    }
  }
  if (found.length === 0) r.defect(`${where} ${JSON.stringify(name)}: no data (attach method ${method})`);
  for (const f of found) {
    if (f.data.length > r.budget.left) {
      r.defect(`${where} ${JSON.stringify(f.name)}: files over ${r.limits.maxBytesOut} bytes in all; not recorded`);
      continue;
    }
    r.budget.left -= f.data.length;
    into.push(f);
  }
}

/** One stream (the winmail.dat, or an embedded message's): its attributes in order. */
function readStream(buf: Buffer, depth: number, r: Reading): TnefMessage {
  const msg: TnefMessage = { body: '', bodyHtml: '', attachments: [], defects: [] };
  const { limits, defect } = r;
  if (!isTnef(buf)) {
    defect('no TNEF signature');
    return msg;
  }
  let codepage = 1252;
  let attBody: string | undefined;
  let props: Map<number, Prop> | undefined;
  let pending: Pending | undefined;
  let attachments = 0;
  let attributes = 0;
  const flush = () => {
    if (pending) finish(pending, codepage, depth, r, msg.attachments);
    pending = undefined;
  };
  /** An 8-bit string attribute, at most limits.maxNameChars characters of it. */
  const name8 = (data: Buffer) => cap(string8(data.subarray(0, limits.maxNameChars * 4), codepage), limits.maxNameChars);
  let pos = 6;
  while (pos < buf.length) {
    if (++attributes > limits.maxAttributes) {
      defect(`more than ${limits.maxAttributes} attributes; the rest left unread`);
      break;
    }
    if (buf.length - pos < 9) {
      defect(`${buf.length - pos} bytes at offset ${pos}, too few for an attribute header`);
      break;
    }
    const level = buf[pos]!;
    const id = buf.readUInt32LE(pos + 1);
    const length = buf.readUInt32LE(pos + 5);
    const start = pos + 9;
    const there = buf.length - start;
    const name = `attribute ${hex(id, 8)} at offset ${pos}`;
    let data: Buffer;
    let cut = false;
    if (length > there) {
      defect(`${name} claims ${length} bytes, ${there} there; those read`);
      data = buf.subarray(start);
      cut = true;
    } else {
      data = buf.subarray(start, start + length);
      if (there - length < 2) {
        defect(`${name}: checksum missing`);
        cut = true;
      } else {
        let sum = 0;
        for (let i = 0; i < data.length; i++) sum += data[i]!;
        const want = buf.readUInt16LE(start + length);
        if ((sum & 0xffff) !== want) defect(`${name}: checksum ${hex(want)}, the bytes give ${hex(sum & 0xffff)}`);
      }
    }
    if (level === LVL_MESSAGE) {
      if (id === ATT.oemCodepage && data.length >= 4) codepage = data.readUInt32LE(0);
      else if (id === ATT.messageClass) msg.messageClass = name8(data);
      else if (id === ATT.subject) msg.subject = name8(data);
      else if (id === ATT.body) attBody = string8(data.subarray(0, limits.maxBodyChars * 4), codepage);
      else if (id === ATT.msgProps) props = readProps(data, start, r, 'attMsgProps');
    } else if (level === LVL_ATTACHMENT) {
      // An attachment opens with attAttachRendData; a writer that leaves it out gets one opened by its first attribute.
      const again = pending && ((id === ATT.attachData && pending.data) || (id === ATT.attachment && pending.props));
      if (id === ATT.attachRendData || !pending || again) {
        flush();
        if (attachments >= limits.maxAttachments) {
          defect(`more than ${limits.maxAttachments} attachments; the rest left unread`);
          break;
        }
        pending = { index: attachments++ };
      }
      const a = pending!;
      if (id === ATT.attachTitle) a.title = name8(data);
      else if (id === ATT.attachTransportFilename) a.transportName = name8(data);
      else if (id === ATT.attachData) {
        a.data = data;
        a.dataOffset = start;
      } else if (id === ATT.attachment) a.props = readProps(data, start, r, `attAttachment of attachment ${a.index + 1}`);
    } else defect(`${name}: level ${level} is neither message (1) nor attachment (2); skipped`);
    if (cut) break;
    pos = start + length + 2;
  }
  flush();
  if (props) {
    msg.messageClass ??= propString(props, PID.messageClass, codepage, limits.maxNameChars);
    msg.subject ??= propString(props, PID.subject, codepage, limits.maxNameChars);
    const body = propString(props, PID.body, codepage, limits.maxBodyChars);
    if (body !== undefined) attBody = body;
    const html = props.get(PID.bodyHtml);
    const hv = html?.value;
    if (html && hv) {
      const cp = propLong(props, PID.internetCodepage);
      msg.bodyHtml = html.type === PT.binary ? decodeBytes(hv.subarray(0, limits.maxBodyChars * 4), cp ? codepageLabel(cp) : 'utf-8').text : (propString(props, PID.bodyHtml, codepage, limits.maxBodyChars) ?? '');
      msg.bodyHtml = cap(msg.bodyHtml, limits.maxBodyChars);
    }
  }
  msg.body = cap(attBody ?? '', limits.maxBodyChars);
  return msg;
}

/**
 * The message a TNEF stream holds. Never throws: a stream that is not TNEF, or is cut or
 * malformed, gives defects and what was read before the fault.
 */
export function readTnef(buf: Buffer, opts: { limits?: Partial<TnefLimits> } = {}): TnefMessage {
  const limits = { ...TNEF_LIMITS, ...opts.limits };
  const defects = new DefectList(limits.maxDefects);
  const msg = readStream(buf, 0, { limits, defect: (m) => defects.add(m), budget: { left: limits.maxBytesOut } });
  msg.defects = defects.done();
  return msg;
}
