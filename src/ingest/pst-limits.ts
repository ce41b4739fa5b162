// Limits of the PST/OST reader against hostile stores (exported again by pst-reader.ts).
// A store is read from indexes the attacker wrote: every count, size, level and pointer in
// it is a claim. These bound what one store, folder, item or attachment can cost.
import { HEADER_LIMITS } from '../mail/header-decode.js';
import { PARSE_LIMITS } from '../mail/parse.js';

export const PST_LIMITS = {
  /**
   * Folder nesting walked below the root. Outlook's own folder trees are a few levels deep;
   * the parent links come from the file, and this ends a hostile chain of nested folders.
   */
  maxFolderDepth: 64,
  /** Folders read per store: a bound for a hostile index, far above the folders of a mailbox. */
  maxFolders: 100_000,
  /**
   * Items read per folder: a bound for a hostile index that lists more items in one folder
   * than mailbox folders hold. Raise it for a journal archive that really holds more.
   */
  maxItemsPerFolder: 1_000_000,
  /**
   * Text properties other than the bodies (subject, names, addresses, ids, the transport
   * headers, file names) are cut at this many characters, where the MIME path cuts a
   * header block. The bodies are cut at PARSE_LIMITS.maxBodyChars, as on the MIME path.
   */
  maxPropertyChars: HEADER_LIMITS.maxHeaderBytes,
  /** Recipients recorded per message: the MIME path cuts an address field at the same count. */
  maxRecipients: 10_000,
  /** Attachments recorded per message, embedded messages' ones included: the MIME path's limit. */
  maxAttachments: PARSE_LIMITS.maxAttachments,
  /** Embedded messages (attach method 5) opened this deep: the MIME path's limit for message/rfc822. */
  maxNestedMessageDepth: PARSE_LIMITS.maxNestedMessageDepth,
  /**
   * One attachment's bytes; a larger one is a defect on the message and is not read. The
   * mbox reader's per-message limit: mail over 100 MB does not pass real MTAs.
   */
  maxAttachmentBytes: 150 * 1024 * 1024,
  /** Attachment bytes held per message (they are all kept in memory with the record). */
  maxMessageBytes: 150 * 1024 * 1024,
  /**
   * Any one data stream of the store (a block tree's total size, which the library
   * allocates in one piece before reading): larger ones are refused before allocation.
   * Nothing a reader needs is larger than the largest attachment it keeps.
   */
  maxStreamBytes: 150 * 1024 * 1024,
  /** A compressed RTF body whose stated size passes this is not decompressed (LZFu allocates it at once). */
  maxRtfBytes: 32 * 1024 * 1024,
  /**
   * Work of the library per item: index lookups, stream seeks and reads (pst-guard.ts counts
   * them). The sample store's message (one recipient, one 93 KB attachment) takes about
   * 1,500; a recipient or attachment row costs some tens to a hundred, 8 KB of attachment
   * data one or two, so items within the other limits stay well below this. A loop driven
   * by a hostile count (a table whose key and value sizes are zero has "infinitely" many
   * rows) stops here, after about two seconds, as an error record.
   */
  maxStepsPerItem: 2_000_000,
  /** A store whose items exhaust the work limit this often is abandoned: each costs seconds. */
  maxExhaustedItems: 20,
  /** Error records per store before the rest of the store is abandoned. */
  maxErrors: 10_000,
  /** Subnode trees (MS-PST 2.2.2.8.3.3) nest two levels; the library recurses into them as written. */
  maxSubnodeDepth: 4,
  /**
   * Compressed blocks of a 4 KB-page OST known at once by their slot (pst-guard.ts), some
   * 100 bytes each. An item needs one per compressed block it reads: a 150 MB attachment
   * (maxAttachmentBytes) in blocks of 8 KB or more is under 20,000. Past this the oldest is
   * forgotten, and an item still reading it gets an error instead of its bytes.
   */
  maxCompressedBlockSlots: 65_536,
  /**
   * Inflated compressed blocks kept (at most 64 KB each, so 4 MB): a stream reads its blocks
   * in order and tables read back and forth within a few, so each is mostly inflated once.
   */
  compressedBlockCache: 64,
};

export type PstLimits = typeof PST_LIMITS;
