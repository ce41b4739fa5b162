// Exchange message tracking and Microsoft 365 message trace exports. The corpus's own
// samples are Elastic-licensed and stay out of the repo, so these files are written here in
// the layouts Microsoft documents (column names as the products write them).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectLogFormat, readLogFile } from '../../src/logs/read-log.js';
import type { LogMessage } from '../../src/logs/types.js';
import { tempDir } from '../helpers.js';

async function read(path: string) {
  const messages: LogMessage[] = [];
  const r = await readLogFile(path, { message: (m) => messages.push(m), event: () => {} });
  return { r, messages };
}

describe('Exchange message tracking (MSGTRK)', () => {
  it('joins RECEIVE, SEND, DELIVER and FAIL events by network message id; subjects may hold commas and newlines', async () => {
    const dir = tempDir('msgtrk');
    const path = join(dir, 'MSGTRK2026110501-1.LOG');
    writeFileSync(
      path,
      [
        '#Software: Microsoft Exchange Server',
        '#Version: 15.02.1258.012',
        '#Log-type: Message Tracking Log',
        '#Date: 2026-11-05T01:00:00.000Z',
        '#Fields: date-time,client-ip,client-hostname,server-ip,server-hostname,source-context,connector-id,source,event-id,internal-message-id,message-id,network-message-id,recipient-address,recipient-status,total-bytes,recipient-count,related-recipient-address,reference,message-subject,sender-address,return-path,message-info,directionality,tenant-id,original-client-ip,original-server-ip,custom-data',
        '2026-11-05T01:12:07.123Z,198.51.100.77,DESKTOP-7Q2M4KD,10.0.0.2,EX01,,EX01\\Client Proxy,SMTP,RECEIVE,411,<3f2a9c10b0@sample-shoji.example>,aa-1,k.tanaka@torihiki.example;h.ogawa@kokyaku.example,,34000,2,,,"Re: 10月分 請求書送付のご案内, ご確認ください",keiri@sample-shoji.example,keiri@sample-shoji.example,,Originating,,198.51.100.77,,',
        '2026-11-05T01:12:09.000Z,10.0.0.2,EX01,203.0.113.5,mx.torihiki.example,,Outbound,SMTP,SEND,411,<3f2a9c10b0@sample-shoji.example>,aa-1,k.tanaka@torihiki.example,250 2.6.0 Queued,34000,1,,,"Re: 10月分 請求書送付のご案内, ご確認ください",keiri@sample-shoji.example,keiri@sample-shoji.example,,Originating,,198.51.100.77,,',
        '2026-11-05T01:12:10.000Z,10.0.0.2,EX01,,,,Outbound,SMTP,FAIL,411,<3f2a9c10b0@sample-shoji.example>,aa-1,h.ogawa@kokyaku.example,550 5.1.1 User unknown,34000,1,,,"Re: 10月分 請求書送付のご案内, ご確認ください",keiri@sample-shoji.example,keiri@sample-shoji.example,,Originating,,198.51.100.77,,',
        '2026-11-05T02:00:00.000Z,203.0.113.9,mail.kokyaku.example,10.0.0.2,EX01,,Default,SMTP,RECEIVE,412,<ja1@kokyaku.example>,aa-2,sato@sample-shoji.example,,2000,1,,,"複数行の\n件名",kobayashi@kokyaku.example,kobayashi@kokyaku.example,,Incoming,,203.0.113.9,,',
        '2026-11-05T02:00:01.000Z,10.0.0.2,EX01,,,,,STOREDRIVER,DELIVER,412,<ja1@kokyaku.example>,aa-2,sato@sample-shoji.example,,2000,1,,,"複数行の\n件名",kobayashi@kokyaku.example,kobayashi@kokyaku.example,,Incoming,,203.0.113.9,,',
        // A NOTIFYMAPI row names no message: valid, and carries no fact.
        '2026-11-05T02:00:01.500Z,,EX01,,,,,STOREDRIVER,NOTIFYMAPI,,,,,,,,,,,,,,,,,,',
        '2026-11-05T02:00:02.000Z,garbage-without-id',
      ].join('\r\n') + '\r\n',
    );
    expect(await detectLogFormat(path)).toBe('exchange');
    const { r, messages } = await read(path);
    expect(r.stats).toMatchObject({ lines: 12, recognised: 11, unreadable: 1 });
    expect(messages.map((m) => [m.queueId, m.envelopeFrom, m.clientIp, m.messageId, m.subject, m.deliveries.map((d) => [d.recipient, d.status])])).toEqual([
      ['aa-1', 'keiri@sample-shoji.example', '198.51.100.77', '3f2a9c10b0@sample-shoji.example', 'Re: 10月分 請求書送付のご案内, ご確認ください', [['k.tanaka@torihiki.example', 'sent'], ['h.ogawa@kokyaku.example', 'bounced']]],
      ['aa-2', 'kobayashi@kokyaku.example', '203.0.113.9', 'ja1@kokyaku.example', '複数行の\n件名', [['sato@sample-shoji.example', 'sent']]],
    ]);
  });
});

describe('Microsoft 365 message trace', () => {
  it('reads a Get-MessageTrace export in UTF-16LE with BOM, one row per recipient', async () => {
    const dir = tempDir('m365');
    const path = join(dir, 'MessageTrace.csv');
    const csv = [
      '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId","Organization","StartDate","EndDate","Index"',
      '"11/5/2026 1:12:07 AM","keiri@sample-shoji.example","k.tanaka@torihiki.example","Re: 見積依頼","Delivered","203.0.113.5","198.51.100.77","33940","<abc@sample-shoji.example>","0f1e-1","sample.onmicrosoft.com","11/1/2026","11/8/2026","0"',
      '"11/5/2026 1:12:07 AM","keiri@sample-shoji.example","h.ogawa@kokyaku.example","Re: 見積依頼","Failed","","198.51.100.77","33940","<abc@sample-shoji.example>","0f1e-1","sample.onmicrosoft.com","11/1/2026","11/8/2026","1"',
      '"11/5/2026 1:15:00 AM","keiri@sample-shoji.example","y.mori@shiire.example","Re: 見積依頼","Pending","","198.51.100.77","33940","<abd@sample-shoji.example>","0f1e-2","sample.onmicrosoft.com","11/1/2026","11/8/2026","2"',
    ].join('\r\n');
    writeFileSync(path, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(csv, 'utf16le')]));
    expect(await detectLogFormat(path)).toBe('m365');
    const { r, messages } = await read(path);
    expect(r.stats).toMatchObject({ lines: 4, recognised: 4, unreadable: 0 });
    expect(messages.map((m) => [m.queueId, m.clientIp, m.subject, m.deliveries.map((d) => [d.recipient, d.status])])).toEqual([
      ['0f1e-1', '198.51.100.77', 'Re: 見積依頼', [['k.tanaka@torihiki.example', 'sent'], ['h.ogawa@kokyaku.example', 'bounced']]],
      ['0f1e-2', '198.51.100.77', 'Re: 見積依頼', [['y.mori@shiire.example', 'deferred']]],
    ]);
  });

  it('reads the historical summary report with its recipient_status column', async () => {
    const dir = tempDir('m365h');
    const path = join(dir, 'summary.csv');
    writeFileSync(
      path,
      [
        'origin_timestamp_utc,sender_address,recipient_status,message_subject,total_bytes,message_id,network_message_id,original_client_ip,directionality,connector_id,delivery_priority',
        '2026-11-05T01:12:07.0000000Z,keiri@sample-shoji.example,"k.tanaka@torihiki.example##Receive, Send;h.ogawa@kokyaku.example##Receive, Fail","Re: 見積依頼",33940,<abc@sample-shoji.example>,0f1e-1,198.51.100.77,Originating,,Normal',
      ].join('\n'),
    );
    expect(await detectLogFormat(path)).toBe('m365');
    const { messages } = await read(path);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ queueId: '0f1e-1', envelopeFrom: 'keiri@sample-shoji.example', clientIp: '198.51.100.77', messageId: 'abc@sample-shoji.example' });
    expect(messages[0]!.deliveries.map((d) => [d.recipient, d.status, d.detail])).toEqual([
      ['k.tanaka@torihiki.example', 'sent', 'Receive, Send'],
      ['h.ogawa@kokyaku.example', 'bounced', 'Receive, Fail'],
    ]);
  });

  it('reads message traces exported as JSON: Microsoft Graph (value) and the reporting web service (d.results), UTF-8 or UTF-16', async () => {
    const dir = tempDir('trace-json');
    const rows = [
      { id: 'g-1', messageId: '<a1@sample-shoji.example>', receivedDateTime: '2026-11-06T03:12:09Z', recipientAddress: 'kenji.ito@partner-global.example', senderAddress: 'eigyo@sample-shoji.example', size: 24000, status: 'delivered', subject: 'ご入金確認のお願い', fromIP: '198.51.100.77', toIP: '203.0.113.60' },
      { id: 'g-1', messageId: '<a1@sample-shoji.example>', receivedDateTime: '2026-11-06T03:12:09Z', recipientAddress: 'gone@partner-global.example', senderAddress: 'eigyo@sample-shoji.example', size: 24000, status: 'failed', subject: 'ご入金確認のお願い', fromIP: '198.51.100.77', toIP: null },
    ];
    const graph = join(dir, 'graph.json');
    writeFileSync(graph, JSON.stringify({ '@odata.context': 'https://graph.microsoft.com/beta/$metadata#messageTraces', value: rows }, null, 2));
    const odata = join(dir, 'reporting.json');
    const reporting = rows.map((r) => ({ Received: r.receivedDateTime, SenderAddress: r.senderAddress, RecipientAddress: r.recipientAddress, Subject: r.subject, Status: r.status === 'delivered' ? 'Delivered' : 'Failed', FromIP: r.fromIP, MessageId: r.messageId, MessageTraceId: 'rw-1', Size: r.size }));
    writeFileSync(odata, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(JSON.stringify({ d: { results: reporting } }), 'utf16le')]));
    for (const [path, id] of [[graph, 'g-1'], [odata, 'rw-1']] as const) {
      expect(await detectLogFormat(path)).toBe('m365');
      const { r, messages } = await read(path);
      expect(r.stats).toMatchObject({ lines: 3, recognised: 3, unreadable: 0 });
      expect(messages.map((m) => [m.queueId, m.envelopeFrom, m.clientIp, m.messageId, m.receivedAt, m.deliveries.map((d) => [d.recipient, d.status])])).toEqual([
        [id, 'eigyo@sample-shoji.example', '198.51.100.77', 'a1@sample-shoji.example', '2026-11-06T03:12:09.000Z', [['kenji.ito@partner-global.example', 'sent'], ['gone@partner-global.example', 'bounced']]],
      ]);
    }
  });
});
