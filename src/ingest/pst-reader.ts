// Outlook PST and OST stores into the same ParsedMessage records the MIME and .msg paths
// produce, one item at a time. pst-extractor reads the objects (property contexts,
// tables, attachments); the store's indexes are read and bounded here and in pst-guard.ts.
//
// Which items: the node B-tree lists every node with its parent (MS-PST 2.2.2.7.7.4), so a
// folder's items are the message nodes whose parent it is; folders are walked from the
// root folder down the same links. The folder's contents table (what Outlook shows) is not
// used: pst-extractor iterates it up to the folder's stated item count and drops, with only
// a console line, each item it cannot load. Search folders hold links to items that live
// elsewhere and are not walked; associated items (views, rules, forms) are not messages.
// Message nodes whose parent folder the walk did not reach are read too, under a folder
// named for their parent node: a store that lost a folder still holds its mail.
//
// A password on a PST (PidTagPstPassword) is a CRC that Outlook checks before opening the
// store; the data is not encrypted with it, so a password-protected store is read as is.
import { PSTFolder } from 'pst-extractor';
import type { ParsedMessage } from '../mail/types.js';
import { quietly } from '../quiet-console.js';
import { GuardedPstFile, PstWorkLimitError, withWorkLimit } from './pst-guard.js';
import { PstIndex, type IndexProblem, type PstFormat } from './pst-index.js';
import { readItem, type ItemReading } from './pst-item.js';
import { PST_LIMITS, type PstLimits } from './pst-limits.js';
import { intProp, stringCharset, stringProp, TAG } from './pst-props.js';

export { PST_LIMITS, type PstLimits };

/** A mail item of the store. Attachments carry their bytes (`content`). */
export interface PstMessageItem {
  /** `pst:<folder path>#<node id>`: the same for the same item on every run; see readPst. */
  locator: string;
  /** Folder names from below the root folder, joined by "/". */
  folder: string;
  /** PidTagMessageClass, e.g. IPM.Note, IPM.Note.SMIME, REPORT.IPM.Note.NDR. */
  messageClass: string;
  message: ParsedMessage;
}

/** An item, folder or index page that could not be read; the walk goes on after it. */
export interface PstItemError {
  /**
   * An item's locator as for a message; `pst:<folder path>#<folder node id>!unreadable`,
   * `…!item-limit` or `…!subfolders` for a folder; `pst:#index@<file offset>` for a page
   * of the node index; `pst:#store` for the message store object; `pst:#abandoned` for the
   * rest of a store left unread.
   */
  locator: string;
  folder: string;
  error: string;
}

export type PstItem = PstMessageItem | PstItemError;

export interface PstFolderSummary {
  /** "" for the root folder. */
  path: string;
  nid: number;
  messages: number;
  /** Items that are not mail (by message class). */
  skipped: number;
  errors: number;
}

/** What readPst returns when it is done (the generator's return value). */
export interface PstSummary {
  store: { name: string; format: PstFormat; encoding: 'none' | 'compressible'; passwordProtected: boolean };
  folders: PstFolderSummary[];
  /** Items yielded as messages. */
  messages: number;
  /** Items that are not mail, by message class ("" when an item has none). */
  skipped: Record<string, number>;
  /** Items not read because the caller's `skip` said so. */
  passedOver: number;
  /** Error records yielded. */
  errors: number;
  /** Why the walk stopped before the end of the store, or null. */
  abandoned: string | null;
}

export interface PstReadOptions extends Partial<PstLimits> {
  /** Called with each item's locator before the item is read; true passes it over (a resumed scan's items already in the case). */
  skip?: (locator: string) => boolean;
}

const ROOT_FOLDER = 0x122;
/** NID types (MS-PST 2.2.2.1). */
const NID_TYPE_NORMAL_FOLDER = 0x02;
const NID_TYPE_NORMAL_MESSAGE = 0x04;
/** Distinct message classes counted in a summary, and their length: the classes are the store's text. */
const MAX_CLASS_KEYS = 100;
const MAX_CLASS_CHARS = 80;

/** True when the bytes start like a PST or OST file: "!BDN", then the client signature "SM" (PST) or "SO" (OST). */
export function looksLikePst(head: Buffer): boolean {
  if (head.length < 4 || head.toString('latin1', 0, 4) !== '!BDN') return false;
  if (head.length < 10) return true;
  const client = head.toString('latin1', 8, 10);
  return client === 'SM' || client === 'SO';
}

const escapeName = (name: string) => name.replace(/[%/#]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

interface Folder {
  nid: number;
  names: string[];
  depth: number;
}

/** Folders and items from the node index: parent node → its child folders, its items (node ids in index order). */
function linkFolders(index: PstIndex): { subfolders: Map<number, number[]>; items: Map<number, number[]>; problems: IndexProblem[] } {
  const subfolders = new Map<number, number[]>();
  const items = new Map<number, number[]>();
  // A node listed twice (by two index pages that hold the same ids) is read once.
  const seen = new Set<number>();
  const problems = index.walkNodes(({ nid, parent }) => {
    const type = nid & 0x1f;
    if ((type !== NID_TYPE_NORMAL_FOLDER && type !== NID_TYPE_NORMAL_MESSAGE) || nid === parent || seen.has(nid)) return;
    seen.add(nid);
    const map = type === NID_TYPE_NORMAL_FOLDER ? subfolders : items;
    const list = map.get(parent);
    if (list) list.push(nid);
    else map.set(parent, [nid]);
  });
  return { subfolders, items, problems };
}

/**
 * Read every mail item of the store at `path`, in folder order. Throws (one Error, on the
 * first next()) only when the file header or the root of its indexes cannot be read;
 * anything after that becomes an error record. Items are read one at a time and nothing
 * is kept after it is yielded.
 *
 * The locator identifies the item within this store: the node id is unique in a store,
 * the folder path is there for people. A case file keys items by the store file and the
 * locator; to resume, pass `skip` so items already recorded are not read again.
 */
export async function* readPst(path: string, opts: PstReadOptions = {}): AsyncGenerator<PstItem, PstSummary, undefined> {
  const { skip, ...given } = opts;
  const limits: PstLimits = { ...PST_LIMITS, ...given };
  let index: PstIndex;
  let file: GuardedPstFile;
  try {
    index = PstIndex.open(path);
  } catch (e) {
    throw new Error(`not a readable PST/OST file: ${(e as Error).message}`);
  }
  try {
    file = quietly(() => new GuardedPstFile(path, index, limits)).value;
  } catch (e) {
    index.close();
    throw new Error(`not a readable PST/OST file: ${(e as Error).message}`);
  }

  const summary: PstSummary = {
    store: {
      name: '',
      format: index.header.format,
      encoding: index.header.cryptMethod === 1 ? 'compressible' : 'none',
      passwordProtected: false,
    },
    folders: [],
    messages: 0,
    // No prototype: the keys are message classes from the store ("__proto__", "toString").
    skipped: Object.create(null) as Record<string, number>,
    passedOver: 0,
    errors: 0,
    abandoned: null,
  };
  let exhausted = 0;
  /** Run synchronous library work with the console held and the work limit set. */
  const guarded = <T>(fn: () => T): { value: T; complaints: number } => quietly(() => withWorkLimit(limits.maxStepsPerItem, fn));
  /** An error record, counted; sets `abandoned` when a store-wide limit is reached. */
  const failure = (locator: string, folder: string, e: unknown): PstItemError => {
    if (e instanceof PstWorkLimitError) exhausted++;
    summary.errors++;
    if (summary.errors >= limits.maxErrors) summary.abandoned = `${summary.errors} unreadable items or folders`;
    else if (exhausted >= limits.maxExhaustedItems) summary.abandoned = `${exhausted} items needed more than ${limits.maxStepsPerItem} reads and lookups each`;
    return { locator, folder, error: e instanceof Error ? e.message : String(e) };
  };

  try {
    try {
      const store = guarded(() => file.getMessageStore()).value;
      summary.store.name = stringProp(store, TAG.displayName, stringCharset(store)).slice(0, limits.maxPropertyChars);
      summary.store.passwordProtected = intProp(store, TAG.pstPassword) !== 0;
    } catch (e) {
      yield failure('pst:#store', '', new Error(`message store unreadable: ${(e as Error).message}`));
    }

    const { subfolders, items, problems } = linkFolders(index);
    const byPage = new Map<number, string[]>();
    for (const p of problems) byPage.set(p.offset, [...(byPage.get(p.offset) ?? []), p.reason]);
    for (const [offset, reasons] of byPage) {
      yield failure(`pst:#index@${offset}`, '', new Error(`node index page unreadable: ${reasons.join('; ')}`));
      if (summary.abandoned) break;
    }

    /** Read a folder's items (or pass over those the caller has), stopping when the store is abandoned. */
    async function* readItems(folder: PstFolderSummary, locatorPath: string, nids: number[]): AsyncGenerator<PstItem, void, undefined> {
      if (nids.length > limits.maxItemsPerFolder) {
        folder.errors++;
        yield failure(`pst:${locatorPath}#${folder.nid}!item-limit`, folder.path, new Error(`${nids.length} items; the first ${limits.maxItemsPerFolder} read`));
        nids = nids.slice(0, limits.maxItemsPerFolder);
      }
      for (const nid of nids) {
        if (summary.abandoned) return;
        const locator = `pst:${locatorPath}#${nid}`;
        if (skip?.(locator)) {
          summary.passedOver++;
          continue;
        }
        let reading: { value: ItemReading; complaints: number };
        try {
          reading = guarded(() => readItem(file, nid, limits));
        } catch (e) {
          folder.errors++;
          yield failure(locator, folder.path, e);
          continue;
        }
        const r = reading.value;
        if (!r.mail) {
          folder.skipped++;
          let key = r.messageClass.slice(0, MAX_CLASS_CHARS);
          if (!Object.hasOwn(summary.skipped, key) && Object.keys(summary.skipped).length >= MAX_CLASS_KEYS) key = '(other)';
          summary.skipped[key] = (summary.skipped[key] ?? 0) + 1;
          continue;
        }
        if (reading.complaints) r.message.defects.push(`pst-extractor reported ${reading.complaints} problem${reading.complaints === 1 ? '' : 's'} reading the item`);
        folder.messages++;
        summary.messages++;
        yield { locator, folder: folder.path, messageClass: r.messageClass, message: r.message };
      }
    }

    const visited = new Set<number>();
    const stack: Folder[] = [{ nid: ROOT_FOLDER, names: [], depth: 0 }];
    while (stack.length > 0 && !summary.abandoned) {
      const f = stack.pop()!;
      if (visited.has(f.nid)) continue;
      visited.add(f.nid);
      let names = f.names;
      let nameError: unknown = null;
      if (f.nid !== ROOT_FOLDER) {
        let name = `#${f.nid}`;
        try {
          const folder = guarded(() => new PSTFolder(file, file.node(f.nid))).value;
          name = stringProp(folder, TAG.displayName, stringCharset(folder)).slice(0, limits.maxPropertyChars) || name;
        } catch (e) {
          nameError = e;
        }
        names = [...f.names, name];
      }
      const folder: PstFolderSummary = { path: names.join('/'), nid: f.nid, messages: 0, skipped: 0, errors: 0 };
      const locatorPath = names.map(escapeName).join('/');
      summary.folders.push(folder);
      if (nameError) {
        folder.errors++;
        yield failure(`pst:${locatorPath}#${f.nid}!unreadable`, folder.path, new Error(`folder unreadable: ${(nameError as Error).message}`));
      }
      const nids = items.get(f.nid) ?? [];
      items.delete(f.nid);
      yield* readItems(folder, locatorPath, nids);

      const subs = subfolders.get(f.nid) ?? [];
      if (subs.length === 0) continue;
      if (f.depth + 1 > limits.maxFolderDepth || visited.size + stack.length + subs.length > limits.maxFolders) {
        folder.errors++;
        const why = f.depth + 1 > limits.maxFolderDepth ? `nested deeper than ${limits.maxFolderDepth} levels` : `past the limit of ${limits.maxFolders} folders`;
        yield failure(`pst:${locatorPath}#${f.nid}!subfolders`, folder.path, new Error(`${subs.length} subfolders ${why} not walked; their items are read as items outside the folder tree`));
        continue;
      }
      for (let i = subs.length - 1; i >= 0; i--) stack.push({ nid: subs[i]!, names, depth: f.depth + 1 });
    }

    // Items whose parent folder the walk did not reach, grouped by parent node.
    for (const parent of [...items.keys()].sort((a, b) => a - b)) {
      if (summary.abandoned) break;
      const name = `(outside the folder tree: node ${parent})`;
      const folder: PstFolderSummary = { path: name, nid: parent, messages: 0, skipped: 0, errors: 0 };
      summary.folders.push(folder);
      yield* readItems(folder, escapeName(name), items.get(parent)!);
    }
    if (summary.abandoned) {
      summary.errors++;
      yield { locator: 'pst:#abandoned', folder: '', error: `rest of the store not read: ${summary.abandoned}` };
    }
  } finally {
    file.close();
    index.close();
  }
  return summary;
}
