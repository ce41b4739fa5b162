// The reader of Entra sign-in and unified audit log exports, on the layouts not in the
// m365-cloud fixture: Log Analytics' SigninLogs CSV, the classic Search-UnifiedAuditLog CSV
// (UserIds, Operations), a broken AuditData cell, and the client address forms.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bareIp } from '../../src/logs/cloud-activity.js';
import { detectLogFormat, readLogFile } from '../../src/logs/read-log.js';
import type { LogEvent } from '../../src/logs/types.js';
import { tempDir } from '../helpers.js';

async function events(path: string) {
  const out: LogEvent[] = [];
  const r = await readLogFile(path, { message: () => {}, event: (e) => out.push(e) });
  return { r, out };
}

describe('cloud activity exports', () => {
  it('reads client addresses in the forms the audit log writes them', () => {
    expect(['203.0.113.5', '203.0.113.5:50123', '[2001:db8::5]:443', '[::ffff:203.0.113.5]:49152', '::ffff:203.0.113.5', '2001:DB8::5', '', 'n/a'].map(bareIp)).toEqual([
      '203.0.113.5', '203.0.113.5', '2001:db8::5', '203.0.113.5', '203.0.113.5', '2001:db8::5', null, null,
    ]);
  });

  it("reads Log Analytics' SigninLogs export: ResultType 0 is a success", async () => {
    const path = join(tempDir('la-signins'), 'query_data.csv');
    writeFileSync(
      path,
      [
        'TimeGenerated [UTC],UserPrincipalName,IPAddress,ResultType,ResultDescription,AppDisplayName,ClientAppUsed',
        '"11/5/2026, 4:05:30.000 PM",Eigyo@Minami-Denki.example,203.0.113.77,0,,Office 365 Exchange Online,Authenticated SMTP',
        '"11/5/2026, 4:00:12.000 PM",soumu@minami-denki.example,203.0.113.77,50126,Invalid username or password,Office 365 Exchange Online,Authenticated SMTP',
      ].join('\n'),
    );
    expect(await detectLogFormat(path)).toBe('entra-signin');
    const { r, out } = await events(path);
    expect([r.stats.lines, r.stats.recognised, r.stats.unreadable]).toEqual([3, 3, 0]);
    expect(out.map((e) => [e.kind, e.user, e.clientIp, e.time, e.line])).toEqual([
      ['account-use', 'eigyo@minami-denki.example', '203.0.113.77', '2026-11-05T16:05:30.000Z', 2],
      ['auth-failure', 'soumu@minami-denki.example', '203.0.113.77', '2026-11-05T16:00:12.000Z', 3],
    ]);
  });

  it('reads the classic audit log CSV; a broken AuditData cell is an unreadable line with its number', async () => {
    const path = join(tempDir('ual-classic'), 'AuditLog.csv');
    const rec = (op: string, extra: string) => `"{""CreationTime"":""2026-11-05T16:12:30"",""Operation"":""${op}"",""UserId"":""eigyo@minami-denki.example"",""Workload"":""Exchange""${extra}}"`;
    writeFileSync(
      path,
      [
        'CreationDate,UserIds,Operations,AuditData',
        `2026-11-05T16:12:30.0000000Z,eigyo@minami-denki.example,SendAs,${rec('SendAs', ',""ClientIPAddress"":""203.0.113.77"",""Item"":{""InternetMessageId"":""<a11@minami-denki.example>""}')}`,
        '2026-11-05T16:13:00.0000000Z,eigyo@minami-denki.example,Send,"{""CreationTime"":""2026-11-05T16:13:00"",""Operation"":""Se"',
        `2026-11-05T16:14:00.0000000Z,eigyo@minami-denki.example,UserLoginFailed,${rec('UserLoginFailed', ',""ClientIP"":""203.0.113.78"",""ResultStatus"":""Failed""')}`,
      ].join('\r\n'),
    );
    expect(await detectLogFormat(path)).toBe('m365-audit');
    const { r, out } = await events(path);
    expect([r.stats.lines, r.stats.recognised, r.stats.unreadable, r.stats.unreadableSamples.map((s) => s.line)]).toEqual([4, 3, 1, [3]]);
    expect(out.map((e) => [e.kind, e.clientIp, e.messageId ?? null, e.line])).toEqual([
      ['mailbox-send', '203.0.113.77', 'a11@minami-denki.example', 2],
      ['auth-failure', '203.0.113.78', null, 4],
    ]);
  });
});
