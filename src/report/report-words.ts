// The words of report.html, one object per language (Japanese first: the readers are mostly
// in Japan). The renderers never branch on the language; they ask these for every label and
// sentence, and pass typed facts (report-facts.ts). Times come in UTC and are written in the
// report's zone (report-time.ts), to the minute.
import type { SessionGround } from '../analysis/attribution.js';
import type { MessageEvidence, NextAction, ReportLang, ReportOverview, SendingFacts } from './report-facts.js';
import type { ZoneClock } from './report-time.js';

export interface Words {
  lang: ReportLang;
  title: string;
  dateTime(c: ZoneClock, iso: string | null): string;
  range(c: ZoneClock, first: string | null, last: string | null): string;
  asOf(when: string, source: ReportOverview['asOf']['source']): string;
  zone(label: string): string;
  generated(when: string): string;
  contact(c: NonNullable<ReportOverview['organisation']['contact']>): string;
  conclusionHeading: string;
  conclusion(o: ReportOverview, c: ZoneClock): string;
  sending(s: SendingFacts, c: ZoneClock): string;
  figures: { malicious: string; maliciousSub: string; reached: string; reachedSub(orgs: number, individuals: number): string; accounts: string; accountsSub: string; impersonation: string; impersonationSub: string };
  accountsHeading: string;
  accountsHeader: [string, string, string, string];
  sessionsCell(n: number): string;
  organisationsHeading: string;
  organisationsHeader: [string, string, string];
  individualsRow: string;
  moreOrganisations(n: number): string;
  nothingReached: string;
  actionsHeading: string;
  action(a: NextAction, c: ZoneClock): string;
  noActions: string;
  coverageHeading: string;
  mailboxes(files: number, messages: number): string;
  log(format: string, files: number, records: number, range: string): string;
  noLogs: string;
  chartHeading(unit: 'hour' | 'day', zone: string): string;
  chartNote(unit: 'hour' | 'day', bins: number, untimed: number): string;
  chartLabel: string;
  noSends: string;
  hourTick(h: number): string;
  dayTick(m: number, d: number): string;
  binTitle(when: string, account: string | null, n: number): string;
  messagesHeading(n: number): string;
  messagesHeader: [string, string, string, string, string, string];
  logOnly: string;
  evidence(e: MessageEvidence): string;
  detailHeading: string;
  definitionsHeading: string;
  definitions: Record<string, string>;
  figureName: Record<string, string>;
  detailAccountsHeading: string;
  detailAccountsHeader: string[];
  verdict(v: string): string;
  attachmentsHeading: string;
  subjectsHeading: string;
  countHeader: [string, string, string];
  recipientsHeading: string;
  bouncedHeading: string;
  recipientsHeader: string[];
  status(s: string): string;
  statuses(r: Record<string, number>): string;
  sendingHeading: string;
  sendingHeader: string[];
  hours(h: number | null): string;
  iocsHeading: string;
  iocsHeader: string[];
  hostsHeading: string;
  hostsHeader: string[];
  hostVerdict: Record<'infected' | 'suspected' | 'clean', string>;
  /** The case holds no host evidence: what would tell which PCs were infected. */
  noHostEvidence: string;
  none: string;
  list(items: string[]): string;
}

const pad = (n: number) => String(n).padStart(2, '0');
const EN_MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const basename = (p: string) => p.split(/[\\/]/).pop() ?? p;

const JA_RULES: Record<string, string> = {
  R1: 'パスワード付き圧縮ファイル（本文にパスワード）の中にマクロ文書',
  R2: '自動で動くマクロ付きの添付',
  R3: '乗っ取られたスレッドへの返信',
  R4: '表示名の偽装と添付',
  R5: 'IOC リストに一致',
  R6: '新しい接続元からの添付・リンク付きの新規メール',
};
const EN_RULES: Record<string, string> = {
  R1: 'encrypted archive, password in the body, holding a macro document',
  R2: 'attachment with auto-run macros',
  R3: 'reply in a hijacked thread',
  R4: 'spoofed display name with a payload',
  R5: 'on the IOC list',
  R6: 'fresh mail with a payload from an address new for the account',
};

const JA_LOGS: Record<string, string> = {
  postfix: 'Postfix ログ', exim: 'Exim ログ', sendmail: 'sendmail ログ', exchange: 'Exchange メッセージ追跡ログ', m365: 'Microsoft 365 メッセージ追跡',
  'entra-signin': 'Entra ID サインインログ', 'm365-audit': 'Microsoft 365 監査ログ',
};
const EN_LOGS: Record<string, string> = {
  postfix: 'Postfix log', exim: 'Exim log', sendmail: 'sendmail log', exchange: 'Exchange message tracking log', m365: 'Microsoft 365 message trace',
  'entra-signin': 'Entra ID sign-in log', 'm365-audit': 'Microsoft 365 audit log',
};

const JA_STATUS: Record<string, string> = { sent: '配信', bounced: '不達', deferred: '遅延', expired: '期限切れ', addressed: '宛先（ログなし）', other: 'その他' };
const EN_STATUS: Record<string, string> = { sent: 'delivered', bounced: 'bounced', deferred: 'deferred', expired: 'expired', addressed: 'addressed (no log)', other: 'other' };
const STATUS_ORDER = ['sent', 'addressed', 'deferred', 'bounced', 'expired', 'other'];
const rank = (s: string) => (STATUS_ORDER.includes(s) ? STATUS_ORDER.indexOf(s) : STATUS_ORDER.length);
const ordered = (r: Record<string, number>) => Object.entries(r).sort((a, b) => rank(a[0]) - rank(b[0]) || a[0].localeCompare(b[0]));

/** Session grounds: the content grounds are counted, the others listed. */
function groundsText(grounds: SessionGround[], content: (n: number) => string, other: (g: Exclude<SessionGround, { kind: 'content' }>) => string): string[] {
  const n = grounds.filter((g) => g.kind === 'content').length;
  const out = n ? [content(n)] : [];
  for (const g of grounds) if (g.kind !== 'content') out.push(other(g));
  return out;
}

export const JA: Words = {
  lang: 'ja',
  title: 'メール不正送信 調査報告',
  dateTime(c, iso) {
    const p = c.parts(iso);
    return p ? `${p.y}年${p.m}月${p.d}日 ${pad(p.h)}:${pad(p.min)}` : '不明';
  },
  range(c, first, last) {
    const a = c.parts(first);
    const b = c.parts(last);
    if (!a || !b) return JA.dateTime(c, first ?? last);
    const end = a.y === b.y && a.m === b.m && a.d === b.d ? `${pad(b.h)}:${pad(b.min)}` : a.y === b.y ? `${b.m}月${b.d}日 ${pad(b.h)}:${pad(b.min)}` : JA.dateTime(c, last);
    return `${JA.dateTime(c, first)} 〜 ${end}`;
  },
  asOf: (when, source) => (source === 'none' ? '時点: 証拠がありません' : `時点: ${when}（証拠の最新の時刻: ${source === 'logs' ? 'ログ' : 'メールの Date'}）`),
  zone: (label) => `時刻はすべて ${label}`,
  generated: (when) => `作成: ${when}`,
  contact: (c) => `連絡先: ${[c.department, c.email, c.phone].filter(Boolean).join('、')}`,
  conclusionHeading: '結論',
  conclusion(o, c) {
    const k = o.conclusion;
    if (!k.compromisedAccounts.length) {
      const none = '調べた範囲では、当社のアカウントから不正メールが送られた記録はありません。';
      return k.impersonationMessages ? `${none}当社の社員を名乗るなりすましメールを ${k.impersonationMessages} 通確認しました（当社のシステムからは送られていません）。` : none;
    }
    const from = k.attackerIps.length ? `攻撃者が ${JA.list(k.attackerIps)} から、` : '攻撃者が ';
    const lead = `${JA.list(k.compromisedAccounts)} のパスワードが盗まれ、${from}${JA.range(c, k.first, k.last)} に当社のメールシステムで不正メール ${k.maliciousMessages} 通を送りました。`;
    const who =
      k.organisationsReached && k.individualsReached
        ? `社外の ${k.organisationsReached} 組織と個人 ${k.individualsReached} 名（計 ${k.outsideAddressesReached} アドレス）`
        : k.organisationsReached
          ? `社外の ${k.organisationsReached} 組織（${k.outsideAddressesReached} アドレス）`
          : `社外の個人 ${k.individualsReached} 名（${k.outsideAddressesReached} アドレス）`;
    const reach = k.outsideAddressesReached ? `${who}に届いています。` : `社外に届いた記録はありません${k.bouncedOnlyAddresses ? `（${k.bouncedOnlyAddresses} アドレスは不達）` : ''}。`;
    return lead + reach;
  },
  sending(s, c) {
    const last = JA.dateTime(c, s.lastAttackerSubmission);
    if (s.state === 'no-sends') return '';
    if (s.state === 'no-log-after') return `最後の不正送信（${last}）より後のログがなく、送信が止まったかは確かめられません。`;
    const quiet = `最後の不正送信（${last}）から ${basename(s.quietLog!.path)} の終わり（${JA.dateTime(c, s.quietUntil)}）までの ${s.quietHours} 時間、不正送信はありません。`;
    if (s.state === 'quiet-longer-than-gaps') return quiet + (s.longestGapHours !== null ? `これまでの送信の間隔（最長 ${s.longestGapHours} 時間）より長く、送信は止まっているとみられます。` : '送信は止まっているとみられます。');
    return `${quiet}ただし、これまでにも ${s.longestGapHours} 時間の間隔があり、止まったとはまだ言えません。`;
  },
  figures: {
    malicious: '不正メール（通）',
    maliciousSub: '当社のシステムから送信',
    reached: '届いた社外アドレス',
    reachedSub: (o, i) => `${o} 組織・個人 ${i} 名`,
    accounts: '侵害されたアカウント',
    accountsSub: 'パスワードが悪用された',
    impersonation: 'なりすましメール（確認分）',
    impersonationSub: '当社のシステム外から送信',
  },
  accountsHeading: '侵害されたアカウント',
  accountsHeader: ['アカウント', '攻撃者の接続元', '不正送信の期間', '通数'],
  sessionsCell: (n) => `${n} 通`,
  organisationsHeading: '届いた組織',
  organisationsHeader: ['組織（ドメイン）', 'アドレス', '通数'],
  individualsRow: '個人（フリーメール・プロバイダ）',
  moreOrganisations: (n) => `ほか ${n} 組織（recipients.csv）`,
  nothingReached: '社外に届いた記録はありません。',
  actionsHeading: '次にすること',
  action(a, c) {
    switch (a.kind) {
      case 'change-passwords':
        return `${JA.list(a.accounts)} のパスワードを変更する（同じパスワードを使っている他のサービスも）`;
      case 'check-pcs-with-emocheck':
        return `${JA.list(a.accounts)} を使うパソコンを JPCERT/CC の EmoCheck で調べ、感染していればネットワークから外す`;
      case 'notify-recipients':
        return `recipients.csv の社外 ${a.addresses} アドレス（${a.organisations} 組織・個人 ${a.individuals} 名）に、当社名義の不審なメールを開かないよう連絡する`;
      case 'publish-notice':
        return '不正メール送信のお知らせを公開する（下書きは blastradius notice で作成）';
      case 'block-attacker-ips':
        return `攻撃者の接続元 ${JA.list(a.ips)} をメールサーバーとファイアウォールで遮断する`;
      case 'get-newer-logs':
        return `${JA.dateTime(c, a.after)} より後のメールサーバーのログを取り込み、送信が止まったか確かめる`;
      case 'review-sends':
        return `判定を保留した送信 ${a.sends} 件（${a.sessions} セッション）を sends.csv（tier が review・suspected）で確認する`;
    }
  },
  noActions: '証拠から分かる対応はありません。',
  coverageHeading: '調べたデータ',
  mailboxes: (f, m) => `メールボックス: ${f} ファイル、${m} 通`,
  log: (format, files, records, range) => `${JA_LOGS[format] ?? format}: ${files} ファイル、${records} 件、${range}`,
  noLogs: 'ログ: なし（送信数はメールボックスの控えから数えています）',
  chartHeading: (unit, zone) => `不正送信の推移（${unit === 'hour' ? '1 時間ごと' : '1 日ごと'}、${zone}）`,
  chartNote: (unit, bins, untimed) =>
    `横軸は実際の時間です。送信のない${unit === 'hour' ? '時間' : '日'}も空けて表示しています（${bins} ${unit === 'hour' ? '時間' : '日'}分）。${unit === 'hour' ? '期間が 3 日以内のため 1 時間ごとに表示しています（3 日を超えると 1 日ごと）。' : '期間が 3 日を超えるため 1 日ごとに表示しています（3 日以内は 1 時間ごと）。'}${untimed ? `時刻の分からない ${untimed} 通は含みません。` : ''}`,
  chartLabel: '不正送信の件数',
  noSends: '不正送信はありません。',
  hourTick: (h) => `${h}時`,
  dayTick: (m, d) => `${m}/${d}`,
  binTitle: (when, account, n) => `${when}${account ? ` ${account}` : ''}: ${n} 通`,
  messagesHeading: (n) => `不正メール一覧（${n} 通）`,
  messagesHeader: ['時刻', 'アカウント', '件名', '社外宛先', '添付ファイル', '根拠'],
  logOnly: '（ログのみ・控えなし）',
  evidence(e) {
    if (e.kind === 'content') return `内容: ${e.rules.map((r) => `${r} ${JA_RULES[r] ?? ''}`.trim()).join('／')}`;
    const g = groundsText(
      e.grounds,
      (n) => `同じセッションの ${n} 通が内容で不正`,
      (x) => {
        switch (x.kind) {
          case 'ioc-ip':
            return `接続元 ${x.ip} が IOC リストに一致`;
          case 'attacker-ip':
            return `接続元 ${x.ip} は攻撃者が ${x.account} に使用（セッション #${x.sessionId}）`;
          case 'burst':
            return `10 分間に ${x.sends} 通`;
          case 'fan-out':
            return `10 分間に社外 ${x.outsideRecipients} アドレスへ`;
          case 'old-thread-replies':
            return `2 週間以上前のスレッドへの返信 ${x.replies} 通`;
        }
      },
    );
    return `セッション${e.sessionId !== null ? ` #${e.sessionId}` : ''}: ${g.join('／') || '根拠の記録なし'}`;
  },
  detailHeading: '詳細',
  definitionsHeading: '数字の定義',
  definitions: {
    maliciousOutboundMessages:
      '攻撃者が当社アカウントの認証情報で当社のシステムから送ったメール（重複なし）。攻撃者と判定したセッション（そのアカウントにとって新しい接続元で、内容が不正なメール・IOC の接続元・他のアカウントで攻撃者が使った接続元のいずれかがあるもの）の全送信と、利用者の普段の接続元や共有の接続元から送られた内容が不正な送信。ログにしかないメールも含む',
    examinedInMailbox: 'そのうち、メールボックスの控えで内容を調べたメール',
    logOnly: 'そのうち、メールサーバーのログにしかないメール（控えなし）',
    attributedBySession: 'そのうち、内容ではなく送ったセッションによって数えたメール',
    maliciousOutboundRecipients: 'それらのメールの宛先ごとの配信数（メール × 宛先）。ログにある最後の状態で数え、ログにないメールは控えの To/Cc/Bcc を「宛先」として数える',
    outsideDeliveries: '同じく、社外の宛先の分',
    internalDeliveries: '同じく、社内の宛先の分',
    period: 'それらのメールの最初と最後の送信時刻（メールサーバーの記録、なければ Date ヘッダー）',
    notificationList: 'それらのメールが少なくとも 1 通届いた社外アドレス（最後の状態が配信、またはログがなく宛先にあったもの）と通数',
    bouncedOnly: 'それらのメールがすべて不達だった社外アドレス',
    unconfirmed: '配信も不達も記録のない社外アドレス（遅延中、ログの終わりで未配信）',
    organisations: '連絡先のアドレスの組織ドメインの数（フリーメール・プロバイダのドメインを除く）',
    individuals: '連絡先のうち、フリーメール・プロバイダのアドレスの数',
    impersonationMessagesObserved: '当社の社員（表示名またはアドレス）を名乗るが当社のシステムからは送られていない不正メール。手元に届いた分だけの下限値',
    inboundMaliciousMessages: '社外から受け取った不正メール（当社を装ったものを含み、社外同士のジャーナルの写しは除く）',
    toReview: '攻撃者の証拠があるセッションで、利用者の普段の接続元や共有の接続元から送られ、内容では不正と言えない送信。公表する数字には含めない',
    suspected: 'アカウントにとって新しい接続元から、ボットのような送り方（短時間の大量送信、多数の社外宛先、古いスレッドへの返信）をしたが、他の証拠がない送信。公表する数字には含めない',
    sending: '最後の不正送信の時刻と、ログごとのその後の期間（不正送信がない時間）。ログの終わりまでの間、送信が止まっている証拠',
  },
  figureName: {
    maliciousOutboundMessages: '不正メール', examinedInMailbox: '控えで調べた', logOnly: 'ログのみ', attributedBySession: 'セッションで判定', maliciousOutboundRecipients: '宛先ごとの配信',
    outsideDeliveries: '社外への配信', internalDeliveries: '社内への配信', period: '期間', notificationList: '連絡する宛先', bouncedOnly: '不達のみ', unconfirmed: '未確定',
    organisations: '組織', individuals: '個人', impersonationMessagesObserved: 'なりすましメール', inboundMaliciousMessages: '社外からの不正メール', toReview: '要確認', suspected: '疑い', sending: '最後の不正送信',
  },
  detailAccountsHeading: 'アカウント',
  detailAccountsHeader: ['アカウント', '判定', '不正送信', 'なりすまし', '最初', '最後', '攻撃者の接続元'],
  verdict: (v) => ({ compromised: '侵害', impersonated: 'なりすまし', 'compromised+impersonated': '侵害・なりすまし', clean: '問題なし' })[v] ?? v,
  attachmentsHeading: '添付ファイル名',
  subjectsHeading: '件名',
  countHeader: ['', '通数', ''],
  recipientsHeading: '連絡先（不正メールが届いた社外アドレス）',
  bouncedHeading: 'すべて不達だった社外アドレス',
  recipientsHeader: ['アドレス', '表示名', '組織', '通数', '最後の状態', '最初', '最後'],
  status: (s) => JA_STATUS[s] ?? s,
  statuses: (r) => ordered(r).map(([k, v]) => `${JA_STATUS[k] ?? k} ${v}`).join('、'),
  sendingHeading: '不正送信の後のログ',
  sendingHeader: ['ログ', '種類', '最初', '最後', '最後の不正送信の後'],
  hours: (h) => (h === null ? '—' : `${h} 時間`),
  iocsHeading: 'IOC（侵害の痕跡）',
  iocsHeader: ['種類', '値', '説明'],
  hostsHeading: '端末（感染・感染の疑い）',
  hostsHeader: ['端末', '判定', 'アドレス', 'アカウント', '最初のC2通信', '証拠（ファイルと行）'],
  hostVerdict: { infected: '感染', suspected: '感染の疑い', clean: '感染なし（EmoCheck）' },
  noHostEvidence: '【要確認】端末の証拠（プロキシ・DNS・ファイアウォールのログとURLhaus等のフィード、EmoCheck、Autoruns）がケースにありません。',
  none: 'なし',
  list: (items) => (items.length <= 2 ? items.join(' と ') : items.join('、')),
};

export const EN: Words = {
  lang: 'en',
  title: 'Mail compromise report',
  dateTime(c, iso) {
    const p = c.parts(iso);
    return p ? `${p.d} ${EN_MONTHS[p.m - 1]} ${p.y}, ${pad(p.h)}:${pad(p.min)}` : 'unknown';
  },
  range(c, first, last) {
    const a = c.parts(first);
    const b = c.parts(last);
    if (!a || !b) return EN.dateTime(c, first ?? last);
    if (a.y === b.y && a.m === b.m && a.d === b.d) return `${EN.dateTime(c, first)}–${pad(b.h)}:${pad(b.min)}`;
    const start = a.y === b.y ? `${a.d} ${EN_MONTHS[a.m - 1]}, ${pad(a.h)}:${pad(a.min)}` : EN.dateTime(c, first);
    return `${start} – ${EN.dateTime(c, last)}`;
  },
  asOf: (when, source) => (source === 'none' ? 'As of: no evidence' : `As of ${when} (newest evidence: ${source === 'logs' ? 'logs' : 'a mail Date header'})`),
  zone: (label) => `All times ${label}`,
  generated: (when) => `Written ${when}`,
  // The department in English only: a Japanese name is left out rather than mixed in.
  contact: (c) => `Contact: ${[c.departmentEn, c.email, c.phone].filter(Boolean).join(', ')}`,
  conclusionHeading: 'Conclusion',
  conclusion(o, c) {
    const k = o.conclusion;
    if (!k.compromisedAccounts.length) {
      const none = 'In the evidence examined, no malicious mail was sent from our accounts.';
      return k.impersonationMessages ? `${none} ${k.impersonationMessages} impersonating mails naming our staff were seen (not sent through our systems).` : none;
    }
    const from = k.attackerIps.length ? ` from ${EN.list(k.attackerIps)}` : '';
    const lead = `The passwords of ${EN.list(k.compromisedAccounts)} were stolen: the attacker sent ${k.maliciousMessages} malicious mails through our mail system${from}, ${EN.range(c, k.first, k.last)}.`;
    const who =
      k.organisationsReached && k.individualsReached
        ? `${k.organisationsReached} outside organisations and ${k.individualsReached} individuals (${k.outsideAddressesReached} addresses)`
        : k.organisationsReached
          ? `${k.organisationsReached} outside organisations (${k.outsideAddressesReached} addresses)`
          : `${k.individualsReached} individuals outside (${k.outsideAddressesReached} addresses)`;
    const reach = k.outsideAddressesReached ? ` They reached ${who}.` : ` No record shows one reaching anyone outside${k.bouncedOnlyAddresses ? ` (${k.bouncedOnlyAddresses} addresses bounced)` : ''}.`;
    return lead + reach;
  },
  sending(s, c) {
    const last = EN.dateTime(c, s.lastAttackerSubmission);
    if (s.state === 'no-sends') return '';
    if (s.state === 'no-log-after') return `No log runs past the last attacker send (${last}): whether sending stopped cannot be told.`;
    const quiet = `No attacker send in the ${s.quietHours} hours from the last one (${last}) to the end of ${basename(s.quietLog!.path)} (${EN.dateTime(c, s.quietUntil)})`;
    if (s.state === 'quiet-longer-than-gaps') return `${quiet}${s.longestGapHours !== null ? `, longer than any pause so far (at most ${s.longestGapHours} hours)` : ''}: sending appears to have stopped.`;
    return `${quiet}, but the attacker paused for ${s.longestGapHours} hours before: it cannot be said yet that sending stopped.`;
  },
  figures: {
    malicious: 'Malicious mails',
    maliciousSub: 'sent through our systems',
    reached: 'Outside addresses reached',
    reachedSub: (o, i) => `${o} organisations, ${i} individuals`,
    accounts: 'Compromised accounts',
    accountsSub: 'passwords misused',
    impersonation: 'Impersonating mails seen',
    impersonationSub: 'sent from outside our systems',
  },
  accountsHeading: 'Compromised accounts',
  accountsHeader: ['Account', "Attacker's addresses", 'Malicious sends', 'Mails'],
  sessionsCell: (n) => String(n),
  organisationsHeading: 'Organisations reached',
  organisationsHeader: ['Organisation (domain)', 'Addresses', 'Mails'],
  individualsRow: 'Individuals (free mail, ISPs)',
  moreOrganisations: (n) => `and ${n} more (recipients.csv)`,
  nothingReached: 'No record shows a mail reaching anyone outside.',
  actionsHeading: 'Next actions',
  action(a, c) {
    switch (a.kind) {
      case 'change-passwords':
        return `Change the passwords of ${EN.list(a.accounts)} (and of other services that use the same password)`;
      case 'check-pcs-with-emocheck':
        return `Check the PCs that use ${EN.list(a.accounts)} with JPCERT/CC's EmoCheck; take an infected one off the network`;
      case 'notify-recipients':
        return `Tell the ${a.addresses} outside addresses in recipients.csv (${a.organisations} organisations, ${a.individuals} individuals) not to open suspicious mail in our name`;
      case 'publish-notice':
        return 'Publish the notice about the malicious mails (draft it with blastradius notice)';
      case 'block-attacker-ips':
        return `Block the attacker's addresses ${EN.list(a.ips)} at the mail server and the firewall`;
      case 'get-newer-logs':
        return `Add the mail server's logs after ${EN.dateTime(c, a.after)} to the case to confirm that sending stopped`;
      case 'review-sends':
        return `Review the ${a.sends} sends held back (${a.sessions} sessions) in sends.csv (tier review or suspected)`;
    }
  },
  noActions: 'The evidence calls for no action.',
  coverageHeading: 'Data examined',
  mailboxes: (f, m) => `Mailboxes: ${f} files, ${m} messages`,
  log: (format, files, records, range) => `${EN_LOGS[format] ?? format}: ${files} ${files === 1 ? 'file' : 'files'}, ${records} records, ${range}`,
  noLogs: 'Logs: none (sends counted from the mailbox copies)',
  chartHeading: (unit, zone) => `Malicious sends per ${unit} (${zone})`,
  chartNote: (unit, bins, untimed) =>
    `The axis is real time: ${unit === 'hour' ? 'hours' : 'days'} without sends are shown empty (${bins} ${unit === 'hour' ? 'hours' : 'days'}). ${unit === 'hour' ? 'Drawn per hour as the sends span up to 3 days (per day beyond).' : 'Drawn per day as the sends span more than 3 days (per hour up to 3 days).'}${untimed ? ` ${untimed} mails without a time are not shown.` : ''}`,
  chartLabel: 'malicious sends',
  noSends: 'No malicious sends.',
  hourTick: (h) => `${pad(h)}:00`,
  dayTick: (m, d) => `${d} ${EN_MONTHS[m - 1]}`,
  binTitle: (when, account, n) => `${when}${account ? ` ${account}` : ''}: ${n}`,
  messagesHeading: (n) => `The attacker's mails (${n})`,
  messagesHeader: ['Time', 'Account', 'Subject', 'Outside recipients', 'Attachments', 'Evidence'],
  logOnly: '(log only, no copy)',
  evidence(e) {
    if (e.kind === 'content') return `content: ${e.rules.map((r) => `${r} ${EN_RULES[r] ?? ''}`.trim()).join('; ')}`;
    const g = groundsText(
      e.grounds,
      (n) => `${n} mails of the session malicious by content`,
      (x) => {
        switch (x.kind) {
          case 'ioc-ip':
            return `client address ${x.ip} on the IOC list`;
          case 'attacker-ip':
            return `client address ${x.ip} used by the attacker against ${x.account} (session #${x.sessionId})`;
          case 'burst':
            return `${x.sends} sends within 10 minutes`;
          case 'fan-out':
            return `${x.outsideRecipients} outside recipients within 10 minutes`;
          case 'old-thread-replies':
            return `${x.replies} replies to threads older than two weeks`;
        }
      },
    );
    return `session${e.sessionId !== null ? ` #${e.sessionId}` : ''}: ${g.join('; ') || 'no grounds recorded'}`;
  },
  detailHeading: 'Detail',
  definitionsHeading: 'What the figures count',
  definitions: {},
  figureName: {
    maliciousOutboundMessages: 'Malicious mails', examinedInMailbox: 'Examined in a copy', logOnly: 'Log only', attributedBySession: 'By session', maliciousOutboundRecipients: 'Recipient deliveries',
    outsideDeliveries: 'Outside deliveries', internalDeliveries: 'Internal deliveries', period: 'Period', notificationList: 'Recipients to notify', bouncedOnly: 'Bounced only', unconfirmed: 'Unconfirmed',
    organisations: 'Organisations', individuals: 'Individuals', impersonationMessagesObserved: 'Impersonating mails', inboundMaliciousMessages: 'Malicious mails received', toReview: 'To review', suspected: 'Suspected', sending: 'Last malicious send',
  },
  detailAccountsHeading: 'Accounts',
  detailAccountsHeader: ['Account', 'Verdict', 'Malicious sent', 'Impersonated in', 'First', 'Last', "Attacker's addresses"],
  verdict: (v) => v,
  attachmentsHeading: 'Attachment names',
  subjectsHeading: 'Subjects',
  countHeader: ['', 'Mails', ''],
  recipientsHeading: 'Recipients to notify (outside addresses the mails reached)',
  bouncedHeading: 'Outside addresses where every mail bounced',
  recipientsHeader: ['Address', 'Display name', 'Organisation', 'Mails', 'Last status', 'First', 'Last'],
  status: (s) => EN_STATUS[s] ?? s,
  statuses: (r) => ordered(r).map(([k, v]) => `${EN_STATUS[k] ?? k} ${v}`).join(', '),
  sendingHeading: 'Logs after the last malicious send',
  sendingHeader: ['Log', 'Kind', 'First', 'Last', 'After the last malicious send'],
  hours: (h) => (h === null ? '—' : `${h} h`),
  iocsHeading: 'Indicators of compromise',
  iocsHeader: ['Type', 'Value', 'Context'],
  hostsHeading: 'PCs (infected and suspected)',
  hostsHeader: ['PC', 'Verdict', 'Addresses', 'Accounts', 'First C2 contact', 'Evidence (file and line)'],
  hostVerdict: { infected: 'infected', suspected: 'suspected', clean: 'clean (EmoCheck)' },
  noHostEvidence: '[to be confirmed] The case holds no PC evidence (proxy, DNS or firewall logs with a feed such as URLhaus, EmoCheck, Autoruns).',
  none: 'none',
  list: (items) => (items.length <= 2 ? items.join(' and ') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`),
};

export const WORDS: Record<ReportLang, Words> = { ja: JA, en: EN };

export { basename };
