// Exchange message tracking read as Microsoft documents its event model: one row per event,
// rows joined on network-message-id, the last row per recipient deciding its status, group
// expansion and address resolution followed back to the address the sender wrote, and the
// submitting client taken from the SMTP RECEIVE row only. The fixture is written by hand (see
// tests/fixtures/logs/exchange-tracking/NOTES.md); the other files are written by the tests.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvLogFormat, readCsvLog } from '../../src/logs/csv-logs.js';
import type { LogMessage } from '../../src/logs/types.js';
import { tempDir } from '../helpers.js';

const FIXTURE = new URL('../fixtures/logs/exchange-tracking/MSGTRK2026110701-1.LOG', import.meta.url).pathname;

const FIELDS =
  'date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data,transport-traffic-type,log-id,schema-version';

async function read(path: string) {
  const messages: LogMessage[] = [];
  const r = await readCsvLog(path, 'exchange', { message: (m) => messages.push(m), event: () => {} });
  return { stats: r.stats, messages };
}

/** The last status per recipient, as the case file reduces it (deliveries in line order, the last one wins). */
function finalStatus(m: LogMessage): Record<string, [string, string | null]> {
  const out: Record<string, [string, string | null]> = {};
  for (const d of [...m.deliveries].sort((a, b) => a.line - b.line)) out[d.recipient] = [d.status, d.origTo];
  return out;
}

/** A tracking log written here: the Exchange 2016/2019 header, then one row per object (CSV-quoted where needed). */
function trackingLog(name: string, rows: Record<string, string>[]): string {
  const fields = FIELDS.split(',');
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const lines = ['#Software: Microsoft Exchange Server', '#Version: 15.02.1258.012', '#Log-type: Message Tracking Log', '#Date: 2026-11-08T00:00:00.000Z', `#Fields: ${FIELDS}`];
  for (const r of rows) lines.push(fields.map((f) => q(r[f] ?? '')).join(','));
  const path = join(tempDir('msgtrk-events'), name);
  writeFileSync(path, lines.join('\r\n') + '\r\n');
  return path;
}

describe('Exchange message tracking: the hand-built MSGTRK fixture', () => {
  it('is detected as Exchange and every line is read', async () => {
    expect(csvLogFormat(readFileSync(FIXTURE, 'utf8').split('\r\n').slice(0, 5))).toBe('exchange');
    const { stats } = await read(FIXTURE);
    expect(stats).toEqual({ lines: 31, recognised: 31, unreadable: 0, foreign: 0, unreadableSamples: [] });
    expect(stats.recognised).toBe(stats.lines);
  });

  it('makes one record per network message id, with the outside client of SMTP submissions and none for Outlook', async () => {
    const { messages } = await read(FIXTURE);
    expect(messages.map((m) => [m.queueId, m.clientIp, m.clientHost, m.envelopeFrom, m.messageId, m.subject, m.size, m.nrcpt, m.received, m.notificationOf, m.notifications])).toEqual([
      // Proxied by the Front End: client-ip is our server, original-client-ip the client; client-hostname names the Front End, so no host.
      ['7b3e9c42-1d6a-4f85-b0e7-08de1d3b2f61', '203.0.113.45', null, 'keiri@example.co.jp', '20261107102313.5E0A1C7B92D4@example.co.jp', 'Re: 11月分 請求書送付のご案内, ご確認ください', 48213, 4, true, null, ['2f84a6d1-93c7-4e2b-8d05-08de1d3b7c12']],
      // The NDR Exchange generated: null sender, not received from anyone, linked to the message it reports on.
      ['2f84a6d1-93c7-4e2b-8d05-08de1d3b7c12', null, null, '', '3c5d8e1f27a64b0c9e4f6a7b8c9d0e1f@EX01.example.co.jp', 'Undeliverable: Re: 11月分 請求書送付のご案内, ご確認ください', 53874, null, false, '7b3e9c42-1d6a-4f85-b0e7-08de1d3b2f61', []],
      ['c41d7e28-6b09-4a3f-9e72-08de1d3ba0e5', '198.51.100.23', null, 'keiri@example.co.jp', '20261107104101.9B3F27E6C1A0@example.co.jp', '請求書_20261107.zip 送付', 187344, 1, true, null, []],
      // Sent from a mailbox: the first RECEIVE is STOREDRIVER, and the later SMTP RECEIVE is our own submission service.
      ['5a92c0e4-7f13-4d6b-a8c1-08de1d3bd3f7', null, null, 'sato.h@example.co.jp', 'TYCP286MB2417C3E9A1F05B6D8E2A4C71B9D0A@TYCP286MB2417.example.co.jp', 'Re: 請求書の件', 9120, 1, true, null, []],
    ]);
  });

  it('keeps the deliveries in row order, the rows in time order, and reduces them to the last status per recipient', async () => {
    const { messages } = await read(FIXTURE);
    const [a, ndr, dropped, outlook] = messages as [LogMessage, LogMessage, LogMessage, LogMessage];
    expect(a.deliveries.map((d) => [d.line, d.recipient, d.status, d.dsn, d.relay])).toEqual([
      [12, 'k.tanaka@torihiki.example', 'sent', '2.1.5', 'mx.torihiki.example'],
      [13, 'h.ogawa@kokyaku.example', 'sent', '2.1.5', 'mx.kokyaku.example'],
      [14, 'y.mori@shiire.example', 'deferred', '4.7.1', 'mx.shiire.example'],
      [15, 'sato.h@example.co.jp', 'sent', null, 'EX01.example.co.jp'],
      [15, 'taro.suzuki@example.co.jp', 'sent', null, 'EX01.example.co.jp'],
      [16, 'sato.h@example.co.jp', 'sent', null, 'EX01.example.co.jp'],
      [16, 'taro.suzuki@example.co.jp', 'sent', null, 'EX01.example.co.jp'],
      // Line 17 is the shadow copy's HADISCARD on EX02: housekeeping after delivery, not a status.
      [18, 'y.mori@shiire.example', 'bounced', '5.1.1', 'mx.shiire.example'],
    ]);
    const times = a.deliveries.map((d) => d.time!);
    expect(times).toEqual([...times].sort());
    expect(finalStatus(a)).toEqual({
      'k.tanaka@torihiki.example': ['sent', null],
      'h.ogawa@kokyaku.example': ['sent', null],
      'y.mori@shiire.example': ['bounced', null],
      // EXPAND eigyo@ → sato.h@, suzuki.t@; RESOLVE suzuki.t@ → taro.suzuki@: both lead back to the group the sender wrote.
      'sato.h@example.co.jp': ['sent', 'eigyo@example.co.jp'],
      'taro.suzuki@example.co.jp': ['sent', 'eigyo@example.co.jp'],
    });
    expect(a.deliveries.at(-1)!.detail).toBe('FAIL 550 5.1.1 <y.mori@shiire.example>: Recipient address rejected: User unknown in local recipient table');
    expect(finalStatus(ndr)).toEqual({ 'keiri@example.co.jp': ['sent', null] });
    expect(dropped.deliveries.map((d) => [d.line, d.recipient, d.status, d.detail, d.relay])).toEqual([[23, 'm.ishida@partner.example', 'other', 'DROP', null]]);
    expect(finalStatus(outlook)).toEqual({ 'keiri@example.co.jp': ['sent', null] });
  });
});

describe('Exchange message tracking: events and hops', () => {
  it('gives each documented event its status, and none to the steps on the way', async () => {
    const statuses: Record<string, string | null> = {
      DELIVER: 'sent', SEND: 'sent', DUPLICATEDELIVER: 'sent', FAIL: 'bounced', DEFER: 'deferred', SUBMITDEFER: 'deferred', RESUBMITDEFER: 'deferred',
      DROP: 'other', SUBMITDROP: 'other', BADMAIL: 'other', POISONMESSAGE: 'other', SUPPRESSED: 'other', MODERATORREJECT: 'other', MODERATIONEXPIRE: 'other',
    };
    // The brief list of Exchange 2016/2019 events, with CLIENTSUBMISSION, DELIVERFAIL and SUBMITFAIL from Microsoft's current table.
    const steps = ['AGENTINFO', 'CLIENTSUBMISSION', 'DELIVERFAIL', 'DSN', 'DUPLICATEEXPAND', 'DUPLICATEREDIRECT', 'EXPAND', 'HADISCARD', 'HARECEIVE', 'HAREDIRECT', 'HAREDIRECTFAIL', 'INITMESSAGECREATED', 'LOAD', 'MODERATORAPPROVE', 'MODERATORSALLNDR', 'NOTIFYMAPI', 'NOTIFYSHADOW', 'PROCESS', 'PROCESSMEETINGMESSAGE', 'RECEIVE', 'REDIRECT', 'RESOLVE', 'RESUBMIT', 'RESUBMITFAIL', 'ROUTING', 'SUBMIT', 'SUBMITFAIL', 'THROTTLE', 'TRANSFER'];
    for (const e of steps) statuses[e] = null;
    const events = Object.keys(statuses);
    expect(events).toHaveLength(43);
    const path = trackingLog(
      'MSGTRK2026110800-1.LOG',
      events.map((e, i) => ({ 'date-time': `2026-11-08T00:00:${String(i).padStart(2, '0')}.000Z`, 'server-hostname': 'EX01', source: 'SMTP', 'event-id': e, 'internal-message-id': String(1000 + i), 'message-id': `<m${i}@example.co.jp>`, 'network-message-id': `net-${e}`, 'recipient-address': `r${i}@example.net`, 'sender-address': 'a@example.co.jp', 'return-path': 'a@example.co.jp' })),
    );
    const { stats, messages } = await read(path);
    expect([stats.lines, stats.recognised, stats.unreadable]).toEqual([48, 48, 0]);
    expect(Object.fromEntries(messages.map((m) => [m.queueId.slice(4), m.deliveries.map((d) => [d.status, d.detail])[0] ?? null]))).toEqual(
      Object.fromEntries(events.map((e) => [e, statuses[e] ? [statuses[e], e] : null])),
    );
  });

  it('joins a mailbox server and its Edge on network-message-id: the Edge hop decides, the first SMTP receive names the client', async () => {
    const msg = { 'message-id': '<hop@example.co.jp>', 'network-message-id': 'net-hop', 'sender-address': 'keiri@example.co.jp', 'return-path': 'keiri@example.co.jp', 'message-subject': 'ご確認ください', 'total-bytes': '2000' };
    const path = trackingLog('MSGTRK2026110801-1.LOG', [
      { ...msg, 'date-time': '2026-11-08T01:00:00.000Z', 'client-ip': '10.20.0.11', 'client-hostname': 'EX01.example.co.jp', 'server-ip': '10.20.0.11', 'server-hostname': 'EX01', 'connector-id': 'EX01\\Client Proxy EX01', source: 'SMTP', 'event-id': 'RECEIVE', 'internal-message-id': '11', 'recipient-address': 'a@torihiki.example;b@kokyaku.example', 'original-client-ip': '203.0.113.45' },
      { ...msg, 'date-time': '2026-11-08T01:00:01.000Z', 'client-ip': '10.20.0.11', 'server-ip': '172.16.0.5', 'server-hostname': 'EDGE01.example.co.jp', 'connector-id': 'EdgeSync - Default-First-Site-Name to Internet', source: 'SMTP', 'event-id': 'SEND', 'internal-message-id': '11', 'recipient-address': 'a@torihiki.example;b@kokyaku.example' },
      // The Edge's own rows: another internal-message-id, the same network-message-id; its peer is our mailbox server.
      { ...msg, 'date-time': '2026-11-08T01:00:01.200Z', 'client-ip': '10.20.0.11', 'client-hostname': 'EX01.example.co.jp', 'server-ip': '172.16.0.5', 'server-hostname': 'EDGE01', source: 'SMTP', 'event-id': 'RECEIVE', 'internal-message-id': '901', 'recipient-address': 'a@torihiki.example;b@kokyaku.example', 'total-bytes': '2400' },
      { ...msg, 'date-time': '2026-11-08T01:00:02.000Z', 'server-ip': '192.0.2.10', 'server-hostname': 'mx.torihiki.example', source: 'SMTP', 'event-id': 'SEND', 'internal-message-id': '901', 'recipient-address': 'a@torihiki.example', 'recipient-status': '250 2.0.0 Ok' },
      // A row that carries the Message-Id but no network-message-id still joins the record.
      { ...msg, 'network-message-id': '', 'date-time': '2026-11-08T01:00:03.000Z', 'server-ip': '192.0.2.20', 'server-hostname': 'mx.kokyaku.example', source: 'SMTP', 'event-id': 'FAIL', 'internal-message-id': '901', 'recipient-address': 'b@kokyaku.example', 'recipient-status': '550 5.7.1 Relaying denied' },
    ]);
    const { stats, messages } = await read(path);
    expect([stats.lines, stats.recognised, stats.unreadable]).toEqual([10, 10, 0]);
    expect(messages.map((m) => [m.queueId, m.clientIp, m.size])).toEqual([['net-hop', '203.0.113.45', 2000]]);
    expect(finalStatus(messages[0]!)).toEqual({ 'a@torihiki.example': ['sent', null], 'b@kokyaku.example': ['bounced', null] });
    expect(messages[0]!.deliveries.map((d) => [d.line, d.recipient, d.relay])).toEqual([
      [7, 'a@torihiki.example', 'EDGE01.example.co.jp'],
      [7, 'b@kokyaku.example', 'EDGE01.example.co.jp'],
      [9, 'a@torihiki.example', 'mx.torihiki.example'],
      [10, 'b@kokyaku.example', 'mx.kokyaku.example'],
    ]);
  });

  it('follows REDIRECT and chains of rewrites, and keeps a directly written recipient without origTo', async () => {
    const msg = { 'message-id': '<rw@example.co.jp>', 'network-message-id': 'net-rw', 'internal-message-id': '5', 'sender-address': 'keiri@example.co.jp', 'return-path': 'keiri@example.co.jp', 'server-hostname': 'EX01' };
    const at = (s: number) => `2026-11-08T02:00:0${s}.000Z`;
    const path = trackingLog('MSGTRK2026110802-1.LOG', [
      { ...msg, 'date-time': at(0), 'client-ip': '198.51.100.9', 'server-ip': '10.20.0.11', source: 'SMTP', 'event-id': 'RECEIVE', 'recipient-address': 'all@example.co.jp;direct@example.co.jp' },
      { ...msg, 'date-time': at(1), source: 'ROUTING', 'event-id': 'EXPAND', 'recipient-address': 'team@example.co.jp;ito@example.co.jp', 'related-recipient-address': 'all@example.co.jp' },
      { ...msg, 'date-time': at(2), source: 'ROUTING', 'event-id': 'EXPAND', 'recipient-address': 'kato@example.co.jp', 'related-recipient-address': 'team@example.co.jp' },
      { ...msg, 'date-time': at(3), source: 'ROUTING', 'event-id': 'REDIRECT', 'recipient-address': 'kato.fwd@partner.example', 'related-recipient-address': 'kato@example.co.jp' },
      { ...msg, 'date-time': at(4), source: 'SMTP', 'event-id': 'SEND', 'server-hostname': 'mx.partner.example', 'recipient-address': 'kato.fwd@partner.example' },
      { ...msg, 'date-time': at(5), source: 'STOREDRIVER', 'event-id': 'DELIVER', 'client-ip': '10.20.0.11', 'recipient-address': 'ito@example.co.jp;direct@example.co.jp' },
    ]);
    const { messages } = await read(path);
    // client-ip straight from the outside (no Front End): the client, and client-hostname is empty here.
    expect(messages.map((m) => [m.clientIp, m.clientHost])).toEqual([['198.51.100.9', null]]);
    expect(finalStatus(messages[0]!)).toEqual({
      'kato.fwd@partner.example': ['sent', 'all@example.co.jp'],
      'ito@example.co.jp': ['sent', 'all@example.co.jp'],
      'direct@example.co.jp': ['sent', null],
    });
  });
});
