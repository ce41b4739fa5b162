// The public notice: the functions the notice command has called so far, now thin wrappers
// over the split modules (facts → content → one writer per language → output format).
// New callers use buildNotice (notice-build.ts).
import { isConsumerDomain, registrableDomain } from '../analysis/consumer-domains.js';
import { noticeEn } from './notice-en.js';
import type { NoticeFacts } from './notice-facts.js';
import { individualEn, individualJa, type IndividualDraft } from './notice-individual.js';
import { noticeJa } from './notice-ja.js';
import { noticeContent, senderOf, type NoticeContent, type NoticeOptions, type NoticeProfile } from './notice-model.js';

export type { NoticeFacts } from './notice-facts.js';
export type { NoticeOptions, NoticeProfile } from './notice-model.js';
export { noticeAppendix } from './notice-appendix.js';
export { noticeAsHtml, noticeAsText } from './notice-formats.js';

/** One writer per language over the same content. */
export const WRITERS: Record<'ja' | 'en', (c: NoticeContent) => string> = { ja: noticeJa, en: noticeEn };

export function draftNotice(f: NoticeFacts, p: NoticeProfile, o: NoticeOptions): string {
  return WRITERS[o.lang](noticeContent(f, p, o));
}

/**
 * The letter to one notification-list entry, from the entry alone (no names, no list of
 * mails: the count and the days instead). buildNotice's individual drafts give more.
 */
export function individualNotice(r: { address: string; count: number; first: string | null; last: string | null }, p: NoticeProfile, lang: 'ja' | 'en'): string {
  const domain = r.address.slice(r.address.lastIndexOf('@') + 1).toLowerCase();
  const d: IndividualDraft = {
    recipient: { ...r, domain, organisation: isConsumerDomain(domain) ? null : registrableDomain(domain), names: [], mails: [] },
    displayName: null,
    addresseeIsOrganisation: false,
  };
  const ctx = { ...senderOf(p), fromLogs: true, accounts: null };
  return { ja: individualJa, en: individualEn }[lang](d, ctx);
}
