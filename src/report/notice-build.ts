// The notice command's one entry point: the public notice (or one draft per reached
// recipient with its mail-merge file) from an analysed case and the profile, in the asked
// language and format. The steps: facts from the case (notice-facts) → content decided
// once (notice-model) → the language's writer (notice-ja / notice-en, notice-individual)
// → the output format (notice-formats).
import type Database from 'better-sqlite3';
import { ReportQueries } from '../store/report-queries.js';
import { noticeAppendix } from './notice-appendix.js';
import { noticeEvidence, noticeFacts } from './notice-facts.js';
import { noticeAsHtml, noticeAsText } from './notice-formats.js';
import { individualDrafts, individualEn, individualJa, letterContext, type IndividualDraft, type LetterContext } from './notice-individual.js';
import { mergeCsv } from './notice-merge.js';
import { noticeContent, type NoticeProfile } from './notice-model.js';
import { WRITERS } from './notice.js';

export { NotAnalysedError } from '../store/report-queries.js';

/** The case holds nothing to report on: a notice drafted from it would be all placeholders. */
export class EmptyCaseError extends Error {
  constructor() {
    super('the case holds no analysed messages or log records: scan and analyze first');
    this.name = 'EmptyCaseError';
  }
}

export interface BuildNoticeOptions {
  lang: 'ja' | 'en';
  format: 'md' | 'txt' | 'html';
  /** Name the misused accounts and keep addresses in quoted subjects (not for public text). */
  includeAddresses?: boolean;
  /** Add the internal appendix (each figure's definition and the Message-IDs). Public notice only. */
  appendix?: boolean;
  /** One draft per outside recipient reached, and the mail-merge CSV, instead of the public notice. */
  individual?: boolean;
  /** Quote subjects and attachment names in the public notice (partners' topics: off by default). */
  verbatimSubjects?: boolean;
}

const LETTER_WRITERS: Record<'ja' | 'en', (d: IndividualDraft, c: LetterContext) => string> = { ja: individualJa, en: individualEn };
const NO_LETTERS = { ja: '（個別にご連絡する宛先はありません：弊社のメールサーバーから社外に届いた不審メールは確認されていません）\n', en: '(No letters to draft: no suspicious e-mail sent through our mail server is known to have reached anyone outside.)\n' };

/**
 * @throws EmptyCaseError when the case holds no messages and no log records.
 * @throws NotAnalysedError when the case has not been analysed (or by an older blastradius).
 */
export function buildNotice(db: Database.Database, profile: NoticeProfile | null, o: BuildNoticeOptions): { text: string; mergeCsv: string | null } {
  const size = new ReportQueries(db).evidenceSize();
  if (size.messages === 0 && size.logRecords === 0) throw new EmptyCaseError();
  const facts = noticeFacts(db);
  const p = profile ?? {};
  const content = noticeContent(facts, p, { includeAddresses: o.includeAddresses, verbatimSubjects: o.verbatimSubjects });
  let md: string;
  let csv: string | null = null;
  if (o.individual) {
    const drafts = individualDrafts(facts);
    const ctx = letterContext(content);
    md = drafts.length ? drafts.map((d) => LETTER_WRITERS[o.lang](d, ctx)).join('\n---\n\n') : NO_LETTERS[o.lang];
    csv = mergeCsv(drafts);
  } else {
    md = WRITERS[o.lang](content);
    if (o.appendix) {
      const ev = noticeEvidence(db);
      md += '\n' + noticeAppendix(facts, ev.definitions, ev.messageIds, o.lang);
    }
  }
  const text = o.format === 'html' ? noticeAsHtml(md, o.lang) : o.format === 'txt' ? noticeAsText(md) : md;
  return { text, mergeCsv: csv };
}
