// The JSON text columns of a message record, built where the message is parsed (a scan
// worker) so that the thread writing the case file only binds strings: stringifying them
// there was a third of the writer's own time on short mail, and strings cross threads
// cheaply. Kept apart from case-file.ts so a worker does not load better-sqlite3.
import type { ParsedMessage } from '../mail/types.js';

/** The messages table's JSON columns of one record, serialised. */
export interface MessageJsonColumns {
  references: string;
  replyTo: string;
  to: string;
  cc: string;
  bcc: string;
  received: string;
  authenticationResults: string;
  urls: string;
  defects: string;
}

/** A message record that may carry its JSON columns serialised already (storeMessage uses them when present). */
export type StorableMessage = ParsedMessage & { json?: MessageJsonColumns };

export function messageJsonColumns(m: ParsedMessage): MessageJsonColumns {
  return {
    references: JSON.stringify(m.references),
    replyTo: JSON.stringify(m.replyTo),
    to: JSON.stringify(m.to),
    cc: JSON.stringify(m.cc),
    bcc: JSON.stringify(m.bcc),
    received: JSON.stringify(m.received),
    authenticationResults: JSON.stringify(m.authenticationResults),
    urls: JSON.stringify(m.urls),
    defects: JSON.stringify(m.defects),
  };
}
