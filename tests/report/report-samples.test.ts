// report.html's first screen, chart and table of mails, report.json's overview and the CSV
// files' follow-up columns, on the samples: the facts come from samples/expected.json (the
// incident model) and the samples' files, the times are converted here by hand (+9 h).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { parse } from 'csv-parse/sync';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeReport } from '../../src/report/write-report.js';
import { BOT_IP } from '../../src/samples/incident.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

interface Expected {
  messages: number;
  analysis: {
    accounts: { account: string; verdict: string; maliciousSent: number }[];
    sends: { messageId: string; account: string; attacker: boolean; logOnly: boolean }[];
    counts: { maliciousOutboundMessages: number; notificationList: { address: string; count: number; first: string; last: string }[]; organisations: string[]; individuals: number; period: { first: string; last: string }; bouncedOnly: { address: string }[]; impersonationMessagesObserved: number };
  };
}

const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as Expected;
const profile = JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as { name: string; nameEn: string; domains: string[] };
const attackerSends = expected.analysis.sends.filter((s) => s.attacker);
const compromised = expected.analysis.accounts.filter((a) => a.verdict.startsWith('compromised')).sort((a, b) => b.maliciousSent - a.maliciousSent).map((a) => a.account);
const counts = expected.analysis.counts;

/** Japan time by hand: UTC + 9 h, no daylight saving. */
const jst = (iso: string) => {
  const t = new Date(Date.parse(iso) + 9 * 3_600_000).toISOString();
  return { y: t.slice(0, 4), m: String(Number(t.slice(5, 7))), d: String(Number(t.slice(8, 10))), hm: t.slice(11, 16), iso: `${t.slice(0, 10)} ${t.slice(11, 19)}`, minute: `${t.slice(0, 10)} ${t.slice(11, 16)}` };
};
const jaDateTime = (iso: string) => {
  const p = jst(iso);
  return `${p.y}年${p.m}月${p.d}日 ${p.hm}`;
};
const text = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const section = (html: string, cls: string) => {
  const i = html.indexOf(`<section class="${cls}"`);
  expect(i, cls).toBeGreaterThanOrEqual(0);
  return html.slice(i, html.indexOf('</section>', i) + '</section>'.length);
};
const readCsv = (path: string) => parse(readFileSync(path, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<string, string>[];

let dir: string;
let ja: string;
let en: string;
let json: {
  generated: string;
  messages: { date: string | null }[];
  sources: { kind: string }[];
  totals: { sending: { logs: { path: string; format: string; first: string; last: string }[] } };
  overview: { asOf: { time: string; source: string }; conclusion: Record<string, unknown>; nextActions: { kind: string }[]; lang: string; timeZone: string };
  attackerMessages: { messageId: string; account: string; logOnly: boolean }[];
};

let casePath: string;

beforeAll(() => {
  dir = tempDir('report-samples');
  casePath = join(dir, 'c.sqlite');
  expect(runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']).code).toBe(0);
  const db = new Database(casePath, { readonly: true });
  try {
    writeReport(db, join(dir, 'ja'), { profile });
    writeReport(db, join(dir, 'en'), { profile, lang: 'en' });
  } finally {
    db.close();
  }
  ja = readFileSync(join(dir, 'ja', 'report.html'), 'utf8');
  en = readFileSync(join(dir, 'en', 'report.html'), 'utf8');
  json = JSON.parse(readFileSync(join(dir, 'ja', 'report.json'), 'utf8')) as typeof json;
});

describe('report.html first screen (samples)', () => {
  it('is in Japanese by default: organisation, as-of, coverage, conclusion, accounts, organisations, next actions', () => {
    expect(ja).toContain('<html lang="ja">');
    const first = section(ja, 'first-screen');
    const t = text(first);
    expect(t).toContain(profile.name);
    // As of: the newest evidence no later than the report, here a mail's Date header.
    const newestMail = json.messages.map((m) => m.date).filter((d): d is string => !!d && d <= json.generated).sort().pop()!;
    const newestLog = json.totals.sending.logs.map((l) => l.last).sort().pop()!;
    expect(newestMail > newestLog).toBe(true);
    expect(t).toContain(`時点: ${jaDateTime(newestMail)}（証拠の最新の時刻: メールの Date）`);
    expect(json.overview.asOf).toEqual({ time: newestMail, basis: 'newest-evidence', source: 'mailboxes' });
    expect(t).toContain('時刻はすべて JST (UTC+9)');
    // Coverage: the mailboxes' messages, and each log kind's first and last time stamp.
    expect(t).toContain(`メールボックス: ${json.sources.filter((s) => s.kind !== 'log').length} ファイル、${expected.messages} 通`);
    const postfix = json.totals.sending.logs.find((l) => l.format === 'postfix')!;
    expect(t).toContain(`Postfix ログ: 1 ファイル、44 件、${jaDateTime(postfix.first)} 〜 ${jst(postfix.last).m}月${jst(postfix.last).d}日 ${jst(postfix.last).hm}`);
    expect(t).toContain('Microsoft 365 メッセージ追跡: 1 ファイル、36 件、2026年9月1日 12:30 〜 11月6日 16:31');
    // The conclusion: who, from where, when, how many to how many, and whether it stopped.
    const lead = text(first.slice(first.indexOf('<p class="lead">'), first.indexOf('</p>', first.indexOf('<p class="lead">'))));
    expect(compromised).toEqual(['keiri@sample-shoji.example', 'eigyo@sample-shoji.example']);
    const period = `${jaDateTime(counts.period.first)} 〜 ${jst(counts.period.last).m}月${jst(counts.period.last).d}日 ${jst(counts.period.last).hm}`;
    expect(lead).toBe(
      `${compromised.join(' と ')} のパスワードが盗まれ、攻撃者が ${BOT_IP} から、${period} に当社のメールシステムで不正メール ${counts.maliciousOutboundMessages} 通を送りました。` +
        `社外の ${counts.organisations.length} 組織と個人 ${counts.individuals} 名（計 ${counts.notificationList.length} アドレス）に届いています。`,
    );
    expect(first).toContain('data-state="quiet-longer-than-gaps"');
    expect(t).toContain(`最後の不正送信（${jaDateTime(counts.period.last)}）から maillog の終わり（${jaDateTime(postfix.last)}）までの 20.2 時間、不正送信はありません。これまでの送信の間隔（最長 17.7 時間）より長く、送信は止まっているとみられます。`);
    // Compromised accounts with the attacker's address and window; organisations reached.
    for (const a of compromised) expect(t).toContain(a);
    expect(t).toContain('2026年11月5日 10:12 〜 11月6日 16:31');
    expect(t).toContain('2026年11月5日 11:48 〜 11月6日 12:12');
    for (const o of counts.organisations) expect(t).toContain(o);
    // Next actions, from the facts.
    expect([...first.matchAll(/data-action="([^"]+)"/g)].map((m) => m[1])).toEqual(['change-passwords', 'check-pcs-with-emocheck', 'notify-recipients', 'publish-notice', 'block-attacker-ips']);
    expect(t).toContain(`${compromised.join(' と ')} のパスワードを変更する`);
    expect(t).toContain('EmoCheck');
    expect(t).toContain(`recipients.csv の社外 ${counts.notificationList.length} アドレス（${counts.organisations.length} 組織・個人 ${counts.individuals} 名）`);
    expect(t).toContain(`攻撃者の接続元 ${BOT_IP} をメールサーバーとファイアウォールで遮断する`);
  });

  it('writes Japan time to the minute: no UTC "Z", no milliseconds, no ISO "T"', () => {
    for (const html of [ja, en]) {
      // Tags become spaces here, so that the text of two cells does not run together.
      const t = section(html, 'first-screen').replace(/<[^>]+>/g, ' ');
      expect(t).not.toMatch(/\d{2}:\d{2}(:\d{2})?(\.\d+)?Z|\d{4}-\d{2}-\d{2}T\d|:\d{2}\.\d{3}|\d{2}:\d{2}:\d{2}/);
      expect(t.match(/\b\d{1,2}:\d{2}\b/g)!.length).toBeGreaterThanOrEqual(10);
      expect(t).toContain('JST (UTC+9)');
    }
  });

  it('is in English with lang en', () => {
    expect(en).toContain('<html lang="en">');
    const t = text(section(en, 'first-screen'));
    expect(t).toContain(profile.nameEn);
    expect(t).toContain('As of 7 Nov 2026, 15:02 (newest evidence: a mail Date header)');
    expect(t).toContain('All times JST (UTC+9)');
    expect(t).toContain(
      `The passwords of ${compromised.join(' and ')} were stolen: the attacker sent ${counts.maliciousOutboundMessages} malicious mails through our mail system from ${BOT_IP}, 5 Nov, 10:12 – 6 Nov 2026, 16:31. ` +
        `They reached ${counts.organisations.length} outside organisations and ${counts.individuals} individuals (${counts.notificationList.length} addresses).`,
    );
    expect(t).toContain('No attacker send in the 20.2 hours from the last one (6 Nov 2026, 16:31) to the end of maillog (7 Nov 2026, 12:41), longer than any pause so far (at most 17.7 hours): sending appears to have stopped.');
    expect(t).toContain('Postfix log: 1 file, 44 records, 1 Sep, 09:30 – 7 Nov 2026, 12:41');
    expect(t).toContain('Next actions');
    expect(t).toContain(`Block the attacker's addresses ${BOT_IP}`);
    expect(t).not.toMatch(/[\u3040-\u30ff]/u);
  });

  it('puts the same facts, typed, in report.json (schema blastradius-report/2, fields added)', () => {
    expect(json.overview.lang).toBe('ja');
    expect(json.overview.timeZone).toBe('Asia/Tokyo');
    expect(json.overview.conclusion).toMatchObject({
      compromisedAccounts: compromised,
      attackerIps: [BOT_IP],
      first: counts.period.first,
      last: counts.period.last,
      maliciousMessages: counts.maliciousOutboundMessages,
      outsideAddressesReached: counts.notificationList.length,
      organisationsReached: counts.organisations.length,
      individualsReached: counts.individuals,
      bouncedOnlyAddresses: counts.bouncedOnly.length,
      impersonationMessages: counts.impersonationMessagesObserved,
      sending: { state: 'quiet-longer-than-gaps', lastAttackerSubmission: counts.period.last, quietHours: 20.2, longestGapHours: 17.7 },
    });
  });
});

describe('report.html chart and table of mails (samples)', () => {
  it('draws every hour between the first and the last send, empty ones included, in an SVG with a viewBox', () => {
    const chart = section(ja, 'chart-section');
    expect(chart).toContain('不正送信の推移（1 時間ごと、JST (UTC+9)）');
    expect(chart).toMatch(/<svg [^>]*viewBox="0 0 1000 \d+"[^>]*width="100%"/);
    const first = Date.parse(counts.period.first);
    const last = Date.parse(counts.period.last);
    const hours = Math.floor(last / 3_600_000) - Math.floor(first / 3_600_000) + 1;
    expect(hours).toBe(31);
    expect(chart).toContain(`data-unit="hour" data-bins="${hours}"`);
    const bins = [...chart.matchAll(/<g class="bin" data-start="([^"]+)" data-n="(\d+)">/g)].map((m) => ({ start: Date.parse(m[1]!), n: Number(m[2]) }));
    expect(bins).toHaveLength(hours);
    expect(bins[0]!.start).toBe(Math.floor(first / 3_600_000) * 3_600_000);
    bins.forEach((b, i) => expect(b.start - bins[0]!.start).toBe(i * 3_600_000));
    expect(bins.reduce((a, b) => a + b.n, 0)).toBe(attackerSends.length);
    // The night between the two days has no sends and is drawn as empty hours.
    expect(bins.filter((b) => b.n === 0).length).toBeGreaterThanOrEqual(10);
  });

  it('lists one row per attacker send, in Japan time, with the log-only ones marked', () => {
    const table = section(ja, 'messages');
    expect(text(table)).toContain(`不正メール一覧（${attackerSends.length} 通）`);
    const rows = table.slice(table.indexOf('<tbody>')).split('<tr>').slice(1);
    expect(rows).toHaveLength(attackerSends.length);
    expect(new Set(json.attackerMessages.map((m) => m.messageId))).toEqual(new Set(attackerSends.map((s) => s.messageId)));
    expect(rows.filter((r) => r.includes('（ログのみ・控えなし）'))).toHaveLength(attackerSends.filter((s) => s.logOnly).length);
    const count = (a: string) => rows.filter((r) => r.includes(`>${a}<`)).length;
    for (const a of compromised) expect(count(a)).toBe(attackerSends.filter((s) => s.account === a).length);
    // The first send: its time, subject, recipients, attachment and content rules.
    const cells = [...rows[0]!.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => text(m[1]!));
    expect(cells).toEqual([jst(counts.period.first).minute, 'keiri@sample-shoji.example', 'Re: 10月分 請求書送付のご案内', '1', '請求書_20261105.xls', '内容: R2 自動で動くマクロ付きの添付／R3 乗っ取られたスレッドへの返信']);
    // A mail counted by its session: the session and its grounds.
    const bySession = rows.find((r) => r.includes('セッション #13'))!;
    expect(text(bySession)).toContain(`セッション #13: 同じセッションの 1 通が内容で不正／接続元 ${BOT_IP} は攻撃者が keiri@sample-shoji.example に使用（セッション #12）`);
  });
});

describe('CSV follow-up columns (samples)', () => {
  it('recipients.csv: display name, last status, statuses, subjects, Message-IDs, Japan time', () => {
    const rows = readCsv(join(dir, 'ja', 'recipients.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['address', 'domain', 'count', 'first_utc', 'last_utc', 'display_name', 'other_display_names', 'organisation', 'last_status', 'statuses', 'subjects', 'message_ids', 'first_jst(+09:00)', 'last_jst(+09:00)']);
    expect(rows.map((r) => r.address)).toEqual(counts.notificationList.map((n) => n.address));
    const tanaka = rows.find((r) => r.address === 'k.tanaka@torihiki.example')!;
    const e = counts.notificationList.find((n) => n.address === 'k.tanaka@torihiki.example')!;
    expect(tanaka).toEqual({
      address: 'k.tanaka@torihiki.example',
      domain: 'torihiki.example',
      count: String(e.count),
      first_utc: e.first,
      last_utc: e.last,
      display_name: '田中 健',
      other_display_names: '',
      organisation: 'torihiki.example',
      last_status: 'sent',
      statuses: 'sent:4',
      subjects: 'Re: 10月分 請求書送付のご案内\n請求書送付のお知らせ（11月分）\nRe: 10月分 請求書送付のご案内\n請求書送付のお知らせ',
      message_ids: '3f2a9c10b0@sample-shoji.example 3f2a9c3ca2@sample-shoji.example 3f2a9c1ff4@sample-shoji.example 3f2a9c5b2a@sample-shoji.example',
      'first_jst(+09:00)': '2026-11-05 10:12:08',
      'last_jst(+09:00)': '2026-11-06 16:31:08',
    });
    expect(jst(e.first).iso).toBe(tanaka['first_jst(+09:00)']);
    // The same four mails as sends.csv shows for the address, in time order.
    const sends = readCsv(join(dir, 'ja', 'sends.csv')).filter((s) => s.tier === 'attacker' && s.recipients!.split(' ').includes('k.tanaka@torihiki.example'));
    expect(sends.map((s) => s.message_id).join(' ')).toBe(tanaka.message_ids);
    expect(sends.map((s) => s.subject).join('\n')).toBe(tanaka.subjects);
    expect(sends.map((s) => s['time_jst(+09:00)'])).toEqual(sends.map((s) => jst(s.time_utc!).iso));
    // Bounced only: every mail counted, last status bounced.
    const bounced = readCsv(join(dir, 'ja', 'recipients-bounced.csv'));
    expect(bounced.map((r) => [r.address, r.last_status, r.statuses, r.count])).toEqual([['h.ogawa@kokyaku.example', 'bounced', 'bounced:3', '3']]);
    expect(bounced[0]!.message_ids!.split(' ')).toHaveLength(3);
  });

  it('messages.csv: recipients, attachment names, source file and byte offset (the message is there), Japan time', () => {
    const rows = readCsv(join(dir, 'ja', 'messages.csv'));
    expect(Object.keys(rows[0]!)).toEqual(['message_id', 'date_utc', 'direction', 'sender', 'subject', 'malicious', 'via_our_systems', 'hijack_score', 'rules', 'session', 'reasons', 'date_jst(+09:00)', 'recipients', 'attachments', 'source_file', 'byte_offset', 'more_sightings']);
    expect(rows).toHaveLength(expected.messages);
    const m = rows.find((r) => r.message_id === '3f2a9c10b0@sample-shoji.example')!;
    expect(m).toMatchObject({ recipients: 'k.tanaka@torihiki.example', attachments: '請求書_20261105.xls', source_file: join(ROOT, 'samples/mail/journal.mbox'), more_sightings: join(ROOT, 'samples/mail/sent/007.eml') });
    expect(m['date_jst(+09:00)']).toBe(jst(m.date_utc!).iso);
    // The byte offset is where the message starts in the mbox: its From_ line, then its headers.
    const mbox = readFileSync(m.source_file!);
    const at = Number(m.byte_offset);
    const next = mbox.indexOf('\nFrom ', at + 1);
    const msg = mbox.subarray(at, next < 0 ? mbox.length : next).toString('latin1');
    expect(msg.startsWith('From ')).toBe(true);
    expect(msg).toMatch(/^Message-ID:\s*<3f2a9c10b0@sample-shoji\.example>/im);
    // Every other time column has its Japan-time twin.
    for (const [name, cols] of [['accounts.csv', ['first', 'last']], ['sessions.csv', ['first', 'last']], ['sends.csv', ['time']]] as const) {
      for (const r of readCsv(join(dir, 'ja', name))) for (const c of cols) expect(r[`${c}_jst(+09:00)`], `${name} ${c}`).toBe(r[`${c}_utc`] ? jst(r[`${c}_utc`]!).iso : '');
    }
  });

  it('the report command without a profile still writes every file, in Japanese and Japan time, named by the case domains', () => {
    const out = join(dir, 'cli');
    const r = runCli(['report', '--case', join(dir, 'c.sqlite'), '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toContain('<html lang="ja">');
    expect(text(section(html, 'first-screen'))).toContain('メール不正送信 調査報告 sample-shoji.example');
    expect(readFileSync(join(out, 'recipients.csv'), 'utf8')).toContain('first_jst(+09:00)');
  });
});

describe('report.json and messages.csv, written a page of messages at a time', () => {
  it('are the same whatever the page size, and report.json is the report as JSON.stringify writes it', () => {
    const db = new Database(casePath, { readonly: true });
    const now = new Date('2026-11-10T00:00:00Z');
    let messages: number;
    try {
      messages = (db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;
      writeReport(db, join(dir, 'whole'), { profile, now });
      writeReport(db, join(dir, 'paged'), { profile, now, pageMessages: 3 });
    } finally {
      db.close();
    }
    expect(messages).toBeGreaterThan(6);
    for (const f of ['report.json', 'messages.csv']) expect(readFileSync(join(dir, 'paged', f)).equals(readFileSync(join(dir, 'whole', f)))).toBe(true);
    const text = readFileSync(join(dir, 'paged', 'report.json'), 'utf8');
    const report = JSON.parse(text) as { messages: unknown[] };
    expect(report.messages).toHaveLength(messages);
    expect(text).toBe(JSON.stringify(report, null, 2) + '\n');
    // The header line and a line a message (subjects here hold no line break).
    expect(readFileSync(join(dir, 'paged', 'messages.csv'), 'utf8').trimEnd().split('\r\n')).toHaveLength(messages + 1);
  });
});
