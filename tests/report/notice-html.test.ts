// The notice as HTML: a valid standalone page (every <li> inside a <ul>, tags balanced,
// <title> = the notice's title, the language set) and attacker-written text (subjects,
// file names, display names) inert wherever it appears.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildNotice } from '../../src/report/notice-build.js';
import type { NoticeFacts } from '../../src/report/notice-facts.js';
import { noticeAsHtml } from '../../src/report/notice-formats.js';
import { individualDrafts, individualJa, letterContext } from '../../src/report/notice-individual.js';
import { noticeContent, type NoticeProfile } from '../../src/report/notice-model.js';
import { draftNotice } from '../../src/report/notice.js';
import { openCaseReadonly } from '../../src/store/case-file.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

const profile = JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as NoticeProfile;

/** Checks the tags the notice writes: balanced, <li> only directly inside <ul>, <ul> only in <body> or an <li>. */
function structureErrors(html: string): string[] {
  const errors: string[] = [];
  const stack: string[] = [];
  const VOID = new Set(['meta', 'hr', '!doctype']);
  for (const m of html.matchAll(/<(\/?)([!a-z0-9]+)[^>]*>/gi)) {
    const [, close, raw] = m;
    const tag = raw!.toLowerCase();
    if (VOID.has(tag)) continue;
    if (close) {
      if (stack.pop() !== tag) errors.push(`unbalanced </${tag}> at ${m.index}`);
      continue;
    }
    const parent = stack[stack.length - 1];
    if (tag === 'li' && parent !== 'ul') errors.push(`<li> inside <${parent}> at ${m.index}`);
    if (tag === 'ul' && parent !== 'body' && parent !== 'li') errors.push(`<ul> inside <${parent}> at ${m.index}`);
    stack.push(tag);
  }
  if (stack.length) errors.push(`unclosed: ${stack.join(' ')}`);
  return errors;
}

describe('the notice as HTML on the samples', () => {
  const casePath = join(tempDir('notice-html'), 'c.sqlite');
  const s = runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
  expect(s.code, s.stderr).toBe(0);
  const db = openCaseReadonly(casePath);
  const ja = buildNotice(db, profile, { lang: 'ja', format: 'html', appendix: true }).text;
  const en = buildNotice(db, profile, { lang: 'en', format: 'html', verbatimSubjects: true }).text;
  const letters = buildNotice(db, profile, { lang: 'ja', format: 'html', individual: true }).text;
  const txt = buildNotice(db, profile, { lang: 'ja', format: 'txt' }).text;
  db.close();

  it('is a valid page with the title and the language', () => {
    expect(ja.startsWith('<!doctype html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n<title>弊社従業員を装った不審メールに関するお詫びとお知らせ</title>\n</head>\n<body>\n')).toBe(true);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<title>Apology and notice concerning suspicious e-mails sent in our name</title>');
    expect(letters).toContain('<title>不審メールに関するお詫びとお知らせ（下書き）</title>');
    for (const h of [ja, en, letters]) expect(structureErrors(h)).toEqual([]);
  });

  it('wraps list items in <ul>, nested lists in their item', () => {
    expect(ja).toContain('<h2>概要</h2>');
    expect(ja).toContain('<ul>\n<li>弊社のメールサーバーを経由して送信された不審メール：21通</li>');
    // The appendix nests a definition list under each figure.
    expect(ja).toMatch(/<li>maliciousOutboundMessages = 21\n<ul>\n<li>定義: /);
    expect(ja).toContain('<ul>\n<li>&lt;3f2a9c10b0@sample-shoji.example&gt;</li>');
    expect(letters).toContain('<hr>');
  });

  it('escapes quoted subjects (verbatim on request)', () => {
    expect(en).toContain('Subjects seen include: &quot;Re: 見積依頼（第3四半期 部材）&quot;');
  });

  it('as plain text, drops the Markdown marks', () => {
    expect(txt).toContain('\n概要\n');
    expect(txt).toContain('\n・弊社のメールサーバーを経由して送信された不審メール：21通\n');
    expect(txt).not.toMatch(/^#|^- /m);
  });
});

describe('attacker text in HTML', () => {
  const t = '2026-11-05T01:00:00.000Z';
  const facts: NoticeFacts = {
    counts: {
      maliciousOutboundMessages: 1, maliciousOutboundRecipients: 1, recipientDeliveries: { sent: 1 }, outsideDeliveries: { sent: 1 }, internalDeliveries: {}, countsFrom: 'logs',
      impersonationMessagesObserved: 0, period: { first: t, last: t }, notificationList: [{ address: 'a@partner.example', domain: 'partner.example', count: 1, first: t, last: t }],
      bouncedOnly: [], unconfirmed: [], organisations: ['partner.example'], individuals: 0,
    },
    compromisedAccounts: ['a@x.example'],
    impersonatedAccounts: [],
    impersonation: { messages: 0, displayName: 0, displayNameHoldsOurAddress: 0, forgedOurAddress: 0 },
    subjects: ['Re: <script>alert(1)</script>', 'Re: from boss@partner.example'],
    subjectPatterns: { replyPrefixes: ['Re:'], replies: 2, total: 2, lureWords: [] },
    attachmentNames: ['=HYPERLINK("http://x")"><img src=x onerror=alert(1)>.xls'],
    attachmentTypes: ['.xls'],
    passwordZip: false,
    downloadLinks: false,
    hijackedReplies: true,
    orgDomains: ['x.example'],
    logWindow: { first: null, last: null },
    reached: [{ address: 'a@partner.example', domain: 'partner.example', organisation: 'partner.example', names: ['<b onmouseover=alert(1)>Boss</b>'], count: 1, first: t, last: t, mails: [{ time: t, subject: '<script>alert(2)</script>' }] }],
    hosts: null,
  };

  it('keeps subjects, file names and display names inert, and masks addresses in quoted subjects', () => {
    const html = noticeAsHtml(draftNotice(facts, {}, { lang: 'ja', verbatimSubjects: true }), 'ja');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('「Re: &lt;script&gt;alert(1)&lt;/script&gt;」');
    expect(html).toContain('「=HYPERLINK(&quot;http://x&quot;)&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.xls」');
    expect(html).toContain('「Re: from ＊＊＊」');
    expect(html).toContain('【要確認】');
    expect(structureErrors(html)).toEqual([]);
    const content = noticeContent(facts, {}, {});
    const letter = noticeAsHtml(individualJa(individualDrafts(facts)[0]!, letterContext(content)), 'ja');
    expect(letter).not.toMatch(/<script>|<b /);
    expect(letter).toContain('&lt;b onmouseover=alert(1)&gt;Boss&lt;/b&gt; 様');
    expect(letter).toContain('「&lt;script&gt;alert(2)&lt;/script&gt;」');
  });
});
