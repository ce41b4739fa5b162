// The English public notice, worded from the same NoticeContent as the Japanese one and in
// the same order. Written for readers abroad: dates as "5 November 2026", counts in words in
// running text, singular and plural by count, the discovery date attached to what was
// found (the sends it reports happened before it). Nothing Japanese is left in unless it is
// a quoted word from the mails: a missing English value is a 【to be confirmed】 mark.
import { en } from './notice-dates.js';
import { pcFigure, type NoticeContent, type SentFigures } from './notice-model.js';
import { byKind, type FileKind } from './notice-patterns.js';

const TBC = '【to be confirmed】';
const tbc = (what: string) => `【to be confirmed: ${what}】`;

const KIND: Record<FileKind, string> = {
  excel: 'Excel files',
  word: 'Word files',
  archive: 'compressed archives',
  onenote: 'OneNote files',
  shortcut: 'shortcut files',
  'disk-image': 'disk image files',
  script: 'program or script files',
  other: 'other files',
};

/** What the lure words mean, for readers who do not read Japanese. */
const GLOSS: Record<string, string> = {
  請求書: 'invoice', 支払: 'payment', 入金: 'payment received', 見積: 'quotation', 発注: 'purchase order', 注文: 'order', 納品: 'delivery',
  契約: 'contract', 振込: 'bank transfer', 送金: 'remittance', 領収書: 'receipt', 資料: 'documents', 共有ファイル: 'shared file', 賞与: 'bonus',
  給与: 'salary', 会議: 'meeting',
};

const WORDS = ['no', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
/** Counts in running text: words up to nine, digits above. */
const count = (n: number) => WORDS[n] ?? String(n);
/** "1 address", "7 addresses". */
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
/** "a, b and c". */
function and(xs: string[], conj = 'and'): string {
  return xs.length <= 1 ? (xs[0] ?? '') : `${xs.slice(0, -1).join(', ')} ${conj} ${xs[xs.length - 1]}`;
}
const quoted = (xs: string[]) => xs.map((x) => `"${x}"`);

function domains(c: NoticeContent, conj = 'or'): string {
  return and(c.ownDomains.map((d) => `"@${d}"`), conj) || `"@${tbc('our mail domain')}"`;
}

export function titleEn(c: NoticeContent): string {
  return c.situation === 'sent-through-our-server' || c.pcInfection === 'confirmed'
    ? 'Apology and notice concerning suspicious e-mails sent in our name'
    : 'Warning about suspicious e-mails posing as our employees';
}

function overview(c: NoticeContent): string[] {
  const s: string[] = [];
  // "On 7 November 2026 we found that …": the date belongs to the finding, never to the sends.
  const found = c.discoveredOn ? `On ${en.profileDate(c.discoveredOn)} we found` : 'We have found';
  const sent = c.sent;
  if (sent) {
    const infected = c.pcInfection === 'confirmed' ? 'a PC of ours had been infected with the Emotet malware and that ' : '';
    const accounts = sent.accounts === 1 ? 'one of our e-mail accounts had' : `${count(sent.accounts)} of our e-mail accounts had`;
    s.push(`${found} that ${infected}${accounts} been misused by a third party.`);
    const they = sent.accounts === 1 ? 'it was' : 'they were';
    s.push(
      sent.first && sent.last
        ? `Our investigation shows that ${en.between(sent.first, sent.last)} ${they} used to send suspicious e-mails through our mail server to people outside the company.`
        : `Our investigation shows that ${they} used to send suspicious e-mails through our mail server to people outside the company (period ${TBC}).`,
    );
    if (c.pcInfection === 'unknown') s.push(`Whether any of our PCs was infected with malware is still being investigated ${TBC}.`);
  } else if (c.pcInfection === 'confirmed') {
    s.push(`${found} that a PC of ours had been infected with the Emotet malware.`);
  }
  if (c.impersonationMessages > 0) {
    const forged = c.forgedOurAddress ? ', some of them with one of our own addresses forged as the sender' : '';
    const what = `suspicious e-mails, sent from outside servers and not through our mail server, that show the names of our employees as the sender${forged}`;
    s.push(s.length ? `We have also found ${what}.` : `${found} ${what}.`);
    if (!sent) {
      s.push(
        c.logWindow
          ? `Our mail server's records for ${en.range(c.logWindow.first, c.logWindow.last)} show no sign of these e-mails having been sent through it.`
          : `We are checking our mail server's records to confirm that these e-mails were not sent through it ${TBC}.`,
      );
    }
  }
  if (!s.length) s.push(`${tbc('summary of the incident')}`);
  return ['## What happened', s.join(' '), ''];
}

function reachedWho(sent: SentFigures): string {
  const parts = [
    sent.organisations ? `${plural(sent.organisationAddresses, 'address', 'addresses')} at ${plural(sent.organisations, 'outside organisation', 'outside organisations')}` : '',
    sent.individuals ? `${plural(sent.individuals, 'personal address', 'personal addresses')}` : '',
  ].filter(Boolean);
  return and(parts) || 'none';
}

function sentBullets(sent: SentFigures, c: NoticeContent): string[] {
  const b: string[] = [];
  b.push(`- Suspicious e-mails sent through our mail server: ${sent.exact ? '' : 'at least '}${sent.messages}`);
  b.push(sent.first && sent.last ? `- Period: ${en.range(sent.first, sent.last)} (Japan time)` : `- Period: ${TBC}`);
  if (sent.reachedMeans === 'delivered') {
    b.push(`- Recipients reached: ${reachedWho(sent)}`);
    b.push(`- Deliveries to outside recipients: ${sent.outsideReached}${sent.outsideBounced ? `; a further ${sent.outsideBounced} could not be delivered and were returned` : ''}`);
  } else {
    b.push(`- Recipients addressed: ${reachedWho(sent)}`);
    b.push(`- Outside recipients addressed, counting each e-mail separately: ${sent.outsideReached} (counted from copies of the e-mails; whether they were delivered is being checked against the server's records ${TBC})`);
  }
  if (sent.unconfirmedAddresses) b.push(`- Outside addresses whose delivery is still being checked: ${sent.unconfirmedAddresses}`);
  if (c.impersonationMessages > 0) b.push(impersonationBullet(c));
  return b;
}

function impersonationBullet(c: NoticeContent): string {
  return `- Suspicious e-mails posing as our employees, sent from outside servers: ${c.impersonationMessages} seen by us so far (there may well be more)`;
}

function figures(c: NoticeContent): string[] {
  const out = ['## What we have confirmed so far'];
  out.push(
    c.logWindow
      ? `We have examined our mail server's records for ${en.range(c.logWindow.first, c.logWindow.last)} (Japan time). This is what we have confirmed so far:`
      : `We have examined the copies of the e-mails we hold (our mail server's records ${TBC}). This is what we have confirmed so far:`,
  );
  if (c.sent) out.push(...sentBullets(c.sent, c));
  else {
    out.push(c.logWindow ? '- Suspicious e-mails sent through our mail server: none found' : `- Suspicious e-mails sent through our mail server: ${TBC}`);
    if (c.impersonationMessages > 0) out.push(impersonationBullet(c));
  }
  out.push(`- PCs confirmed infected: ${{ count: String(c.infectedPcs), 'none-found': 'none found', tbc: TBC }[pcFigure(c)]}`);
  out.push('');
  return out;
}

function apology(c: NoticeContent): string[] {
  return c.situation === 'sent-through-our-server' || c.pcInfection === 'confirmed'
    ? ['We sincerely apologise to our business partners and everyone concerned for the trouble and worry this has caused.', '']
    : ['We apologise for the concern these e-mails are causing our business partners and everyone concerned.', ''];
}

function recognise(c: NoticeContent): string[] {
  const r = c.recognise;
  let lead = `Our e-mail addresses end in ${domains(c)}.`;
  if (r.fromOurAddresses && r.spoofedDisplayNames) lead += ' The suspicious e-mails we have found, however, include both e-mails sent from our genuine addresses and e-mails sent from other addresses posing as our employees.';
  const b: string[] = [];
  if (r.fromOurAddresses) b.push(`Some were sent from our genuine addresses (ending in ${domains(c)}). An e-mail is not safe just because it comes from one of our addresses.`);
  if (r.spoofedDisplayNames) {
    b.push(
      `Some show the name of one of our employees as the sender but come from an address that does not end in ${domains(c)}; these were not sent by us.` +
        (r.displayNameHoldsOurAddress ? ' Some even write one of our addresses into the sender name, so please check the actual sender address rather than the name shown.' : ''),
    );
  }
  if (r.replyPrefixes.length) b.push(`Some subjects begin with ${and(quoted(r.replyPrefixes), 'or')} and repeat the subject of earlier e-mails exchanged with us.`);
  else if (r.hijackedReplies) b.push('Some pose as replies to earlier e-mails exchanged with us.');
  if (r.lureWords.length) b.push(`Some subjects contain words such as ${and(r.lureWords.map((w) => (GLOSS[w] ? `"${w}" (${GLOSS[w]})` : `"${w}"`)), 'or')}.`);
  if (r.fileTypes.length) b.push(`Attached files: ${and(byKind(r.fileTypes).map((g) => `${KIND[g.kind]} (${g.exts.join(', ')})`))}.`);
  if (r.passwordZip) b.push('Some attach a password-protected archive and give the password in the body of the e-mail.');
  if (r.downloadLinks) b.push('Some contain a link that downloads a file.');
  if (r.subjects?.length) b.push(`Subjects seen include: ${quoted(r.subjects).join(', ')}`);
  if (r.fileNames?.length) b.push(`Attachment names seen include: ${quoted(r.fileNames).join(', ')}`);
  if (!b.length) b.push(tbc('how to recognise the e-mails'));
  return ['## How to recognise these e-mails', lead, ...b.map((x) => `- ${x}`), ''];
}

function whatToDo(): string[] {
  return [
    '## What to do if you receive one',
    '- Do not open the attachments or click the links in any e-mail that matches the above or that you were not expecting; delete the whole e-mail.',
    '- If you have already opened a Word or Excel file, do not click "Enable Content" or "Enable Editing".',
    '- If you are unsure whether an e-mail really comes from us, do not reply to it; check with the person concerned by telephone or another means.',
    '',
    '## If you have opened an attachment or clicked a link',
    '- Disconnect the PC from the network at once (unplug the network cable or turn off Wi-Fi).',
    '- Update your anti-virus software and run a full scan of the PC.',
    '- Contact your IT administrator, and contact us at the address below.',
    '',
  ];
}

function dataTaken(c: NoticeContent): string[] {
  const out = ['## Information that may have been taken'];
  if (c.pcInfection === 'confirmed') out.push('- E-mails (with their attachments) stored in the mail software of the infected PC, and the contact details it held, such as names and e-mail addresses, may have been taken.');
  else if (c.sent) out.push('- E-mails (with their attachments) stored in the misused accounts, and contact details such as names and e-mail addresses, may have been taken.');
  if (c.sent && c.recognise.replyPrefixes.length) out.push('- Some of the e-mails sent from our accounts were written as replies to earlier correspondence, which shows that e-mail data held by us was stolen and misused.');
  if (!c.ourDataTaken) out.push('- We are still investigating where the names and addresses of our employees used in these e-mails were obtained.');
  out.push(
    c.ourDataTaken
      ? `${TBC} Report to the Personal Information Protection Commission: if the e-mails that may have been taken contain personal data, the Act on the Protection of Personal Information may require a report to the Commission and notice to the people concerned. Confirm whether it applies and, if a report has been made, say so here (replace this line before publication).`
      : `${TBC} Report to the Personal Information Protection Commission: if the data turns out to have been taken from us, confirm whether the Act on the Protection of Personal Information requires a report and notice to the people concerned (replace this line before publication).`,
  );
  out.push('');
  return out;
}

function measures(c: NoticeContent): string[] {
  const m = c.measures.en;
  return ['## What we have done', ...(m.length ? m.map((x) => `- ${x}`) : [`- ${tbc('the measures taken')}`]), ''];
}

function further(c: NoticeContent): string[] {
  return [
    '## Further investigation',
    'Our investigation is continuing. If we learn more about which e-mails were sent or what information may have been taken, we will publish an update.',
    c.situation === 'sent-through-our-server' ? 'We take this matter very seriously and will strengthen our security measures to prevent it from happening again.' : 'We will continue to strengthen our security measures.',
    '',
  ];
}

function contact(c: NoticeContent): string[] {
  const out = ['## Contact'];
  const ct = c.contact;
  if (ct) {
    out.push(ct.departmentEn ?? tbc('department name in English'));
    if (ct.email) out.push(`E-mail: ${ct.email}`);
    if (ct.phone) out.push(`Phone: ${ct.phone}`);
  } else out.push(TBC);
  if (c.misusedAccounts) out.push('', `(Internal: accounts misused: ${c.misusedAccounts.join(', ')})`);
  return out;
}

export function noticeEn(c: NoticeContent): string {
  const head = ['【DRAFT — review internally and replace every "to be confirmed" mark before publication】', '', `# ${titleEn(c)}`, ''];
  if (c.noticeDate) head.push(en.profileDate(c.noticeDate));
  head.push(c.orgName.en ?? tbc('company name in English'), '');
  const lines = [...head, ...overview(c), ...figures(c), ...apology(c), ...recognise(c), ...whatToDo(), ...dataTaken(c), ...measures(c), ...further(c), ...contact(c)];
  return lines.join('\n') + '\n';
}
