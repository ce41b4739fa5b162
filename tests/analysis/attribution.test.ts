// Sessions and attribution on sends built by hand: each case is one situation a responder
// meets (the bot's new address, an office NAT, a home address, a bot hopping in its /24, one
// bot address used for two accounts, a fresh invoice mail) with the tier every send must get.
import { describe, expect, it } from 'vitest';
import { attribute } from '../../src/analysis/attribution.js';
import type { ContentResult, FreshPayload } from '../../src/analysis/content-verdicts.js';
import { blockOf } from '../../src/analysis/sessions.js';
import type { Send } from '../../src/analysis/submissions.js';
import { emptyIocList } from '../../src/analysis/ioc-list.js';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 0, 0);

function content(p: { malicious?: boolean; reply?: boolean; fresh?: FreshPayload[]; oldThread?: boolean }, ref: number): ContentResult {
  return {
    ref, messageId: `m${ref}@org.example`, subject: p.reply ? 'Re: 見積' : '請求書', from: 'x@org.example', direction: 'outbound', date: null, signals: [],
    fromOrg: true, bounce: false, reply: p.reply ?? false, oldThread: p.oldThread ?? false, freshPayloads: p.fresh ?? [], authHop: null, spoofedAccount: null,
    malicious: p.malicious ?? false, score: 0, rules: p.malicious ? ['R3'] : [], reasons: [],
  };
}

class Sends {
  list: Send[] = [];
  add(account: string, ip: string, hoursFromT0: number, p: { malicious?: boolean; reply?: boolean; fresh?: FreshPayload[]; logOnly?: boolean; outside?: string[]; oldThread?: boolean } = {}): number {
    const index = this.list.length;
    const ref = index + 1;
    this.list.push({
      index, account, resolvedBy: 'address', messageRef: p.logOnly ? null : ref, messageId: `m${ref}@org.example`, subject: null, logRefs: [ref],
      time: new Date(T0 + hoursFromT0 * H).toISOString(), timeSource: 'log', clientIp: ip, strength: 1, seen: [],
      outsideRecipients: p.outside ?? ['a@partner.example'], content: p.logOnly ? null : content(p, ref),
    });
    return index;
  }
}

describe('attribution', () => {
  it('convicts the whole session of a new address with one malicious mail, log-only mail included, and leaves the usual address alone', () => {
    const s = new Sends();
    const usual = [s.add('keiri@org.example', '10.0.1.14', 0), s.add('keiri@org.example', '10.0.1.14', 24), s.add('keiri@org.example', '10.0.1.14', 72)];
    const bot = [s.add('keiri@org.example', '198.51.100.77', 70, { malicious: true, reply: true }), s.add('keiri@org.example', '198.51.100.77', 70.5, { logOnly: true }), s.add('keiri@org.example', '198.51.100.77', 71)];
    const a = attribute(s.list, null);
    expect(usual.map((i) => a.sends[i]!.tier)).toEqual(['user', 'user', 'user']);
    expect(bot.map((i) => a.sends[i]!.tier)).toEqual(['attacker', 'attacker', 'attacker']);
    expect(bot.map((i) => a.sends[i]!.contentMalicious)).toEqual([true, false, false]);
    const session = a.sends[bot[0]!]!.session;
    expect(session).toMatchObject({ novelty: 'new', tier: 'attacker', ips: ['198.51.100.77'] });
    expect(session.grounds).toEqual([{ kind: 'content', sendIndex: bot[0], messageRef: bot[0]! + 1, messageId: `m${bot[0]! + 1}@org.example`, rules: ['R3'] }]);
  });

  it('on an address the user used before, counts only the mails malicious by content and puts the bot-like rest to review', () => {
    const s = new Sends();
    s.add('keiri@org.example', '192.0.2.50', 0);
    s.add('keiri@org.example', '192.0.2.50', 24);
    const mixed = [
      s.add('keiri@org.example', '192.0.2.50', 48), // the user's mail, 12 minutes before
      s.add('keiri@org.example', '192.0.2.50', 48.2, { malicious: true, reply: true }),
      s.add('keiri@org.example', '192.0.2.50', 48.25), // 3 minutes after the malicious one
      s.add('keiri@org.example', '192.0.2.50', 50, { reply: true, oldThread: true }), // a reply to an old thread
      s.add('keiri@org.example', '192.0.2.50', 51), // ordinary mail later
    ];
    const a = attribute(s.list, null);
    expect(mixed.map((i) => a.sends[i]!.tier)).toEqual(['user', 'attacker', 'review', 'review', 'user']);
    expect(a.sends[mixed[0]!]!.session).toMatchObject({ novelty: 'usual', tier: 'review' });
  });

  it("the account's first activity is not convicted as a whole: a malicious mail from it counts alone", () => {
    const s = new Sends();
    const first = [s.add('soumu@org.example', '10.0.1.15', 0), s.add('soumu@org.example', '10.0.1.15', 1, { malicious: true, reply: true }), s.add('soumu@org.example', '10.0.1.15', 3)];
    // A bot address that starts while the user's run goes on is new, not first-seen.
    const bot = s.add('soumu@org.example', '198.51.100.77', 2, { malicious: true, reply: true });
    const botLogOnly = s.add('soumu@org.example', '198.51.100.77', 2.1, { logOnly: true });
    const a = attribute(s.list, null);
    expect(first.map((i) => a.sends[i]!.tier)).toEqual(['user', 'attacker', 'user']);
    expect(a.sends[first[0]!]!.session.novelty).toBe('first-seen');
    expect([bot, botLogOnly].map((i) => a.sends[i]!.tier)).toEqual(['attacker', 'attacker']);
    expect(a.sends[bot]!.session.novelty).toBe('new');
  });

  it('does not convict an office NAT shared by several users, nor their first session there', () => {
    const s = new Sends();
    for (const [h, who] of [[0, 'sato'], [1, 'yamada'], [25, 'sato'], [26, 'yamada'], [50, 'keiri'], [74, 'keiri']] as const) s.add(`${who}@org.example`, '192.0.2.50', h);
    const a = attribute(s.list, null);
    expect(a.sends.map((x) => x.tier)).toEqual(['user', 'user', 'user', 'user', 'user', 'user']);
    // keiri's first send from the NAT comes after sato and yamada had made it theirs.
    expect(a.sends[4]!.session.novelty).toBe('shared');
  });

  it('leaves a home address with ordinary mail as the user', () => {
    const s = new Sends();
    s.add('yamada@org.example', '10.0.1.16', 0);
    const home = s.add('yamada@org.example', '203.0.113.200', 30);
    const a = attribute(s.list, null);
    expect(a.sends[home]!).toMatchObject({ tier: 'user', contentMalicious: false });
    expect(a.sends[home]!.session.novelty).toBe('new');
  });

  it('spreads a convicted address to another account, and a bot hopping in its /24 stays one session', () => {
    const s = new Sends();
    s.add('keiri@org.example', '10.0.1.14', 0);
    s.add('eigyo@org.example', '10.0.1.30', 0);
    const k1 = s.add('keiri@org.example', '198.51.100.77', 50, { malicious: true, reply: true });
    const k2 = s.add('keiri@org.example', '198.51.100.78', 51);
    const e1 = s.add('eigyo@org.example', '198.51.100.77', 52, { logOnly: true });
    const e2 = s.add('eigyo@org.example', '198.51.100.77', 52.5);
    const a = attribute(s.list, null);
    expect([k1, k2, e1, e2].map((i) => a.sends[i]!.tier)).toEqual(['attacker', 'attacker', 'attacker', 'attacker']);
    expect(a.sends[k1]!.session).toBe(a.sends[k2]!.session);
    expect(a.sends[k1]!.session.block).toBe('198.51.100.0/24');
    expect(a.sends[e1]!.session.grounds).toEqual([{ kind: 'attacker-ip', ip: '198.51.100.77', account: 'keiri@org.example', sessionId: a.sends[k1]!.session.id }]);
  });

  it('R6: a fresh mail with an auto-run macro from a new address convicts; the same workbook from the usual address does not', () => {
    const s = new Sends();
    s.add('keiri@org.example', '10.0.1.14', 0);
    const own = s.add('keiri@org.example', '10.0.1.14', 30, { fresh: [{ kind: 'auto-run-macro', file: '経費精算.xls' }] });
    const bot = s.add('keiri@org.example', '198.51.100.77', 60, { fresh: [{ kind: 'auto-run-macro', file: '請求書.xls' }] });
    const link = s.add('keiri@org.example', '198.51.100.77', 60.2, { fresh: [{ kind: 'download-link', url: 'http://dl.example/inv.zip' }] });
    const a = attribute(s.list, null);
    expect(a.sends[own]!.tier).toBe('user');
    expect(a.sends[bot]!).toMatchObject({ tier: 'attacker', contentMalicious: true, contentRules: ['R6'] });
    expect(a.sends[link]!).toMatchObject({ tier: 'attacker', contentMalicious: true, contentRules: ['R6'] });
  });

  it('an IOC address convicts; bot-like behaviour alone on a new address is only suspected', () => {
    const s = new Sends();
    s.add('soumu@org.example', '10.0.1.15', 0);
    s.add('sato@org.example', '10.0.1.13', 0);
    const ioc = s.add('soumu@org.example', '203.0.113.99', 40);
    const burst = Array.from({ length: 12 }, (_, i) => s.add('sato@org.example', '198.18.0.5', 40 + i / 120));
    const iocs = emptyIocList();
    iocs.domains.add('203.0.113.99');
    const a = attribute(s.list, iocs);
    expect(a.sends[ioc]!.tier).toBe('attacker');
    expect(a.sends[ioc]!.session.grounds).toEqual([{ kind: 'ioc-ip', ip: '203.0.113.99' }]);
    expect(burst.map((i) => a.sends[i]!.tier)).toEqual(Array(12).fill('suspected'));
    expect(a.sends[burst[0]!]!.session.grounds).toEqual([{ kind: 'burst', sends: 12 }]);
  });

  it("an account's first activity from an address the attacker used for another account is convicted whole", () => {
    const s = new Sends();
    s.add('keiri@org.example', '10.0.1.14', 0);
    s.add('keiri@org.example', '198.51.100.77', 30, { malicious: true, reply: true });
    // eigyo's only activity in the evidence: the bot, from the same address, log-only mail.
    const e = [s.add('eigyo@org.example', '198.51.100.77', 31, { logOnly: true }), s.add('eigyo@org.example', '198.51.100.77', 31.5, { logOnly: true })];
    const a = attribute(s.list, null);
    expect(e.map((i) => a.sends[i]!.tier)).toEqual(['attacker', 'attacker']);
    expect(a.sends[e[0]!]!.session).toMatchObject({ novelty: 'first-seen', tier: 'attacker' });
  });

  it('an attacker address does not become usual when the bot comes back after a pause', () => {
    const s = new Sends();
    s.add('keiri@org.example', '10.0.1.14', 0);
    s.add('keiri@org.example', '198.51.100.77', 30, { malicious: true, reply: true });
    const later = s.add('keiri@org.example', '198.51.100.77', 60);
    const a = attribute(s.list, null);
    expect(a.sends[later]!.tier).toBe('attacker');
    expect(a.sends[later]!.session.novelty).toBe('new');
  });
});

describe('blockOf', () => {
  it('groups IPv4 by /24 and IPv6 by /64', () => {
    expect(blockOf('198.51.100.77')).toBe('198.51.100.0/24');
    expect(blockOf('2001:db8:1:2::5')).toBe('2001:0db8:0001:0002::/64');
    expect(blockOf('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:0db8:0001:0002::/64');
    expect(blockOf(null)).toBe('unknown');
  });
});
