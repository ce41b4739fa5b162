// The display names a case's To and Cc headers give each address, for the salutations of
// the letters to partners: most frequent first, then by name; addresses in any case; names
// that are addresses, blank names, From and Bcc left out; one pass for any number of addresses.
import { describe, expect, it } from 'vitest';
import { CaseFile } from '../../src/store/case-file.js';
import { ReportQueries } from '../../src/store/report-queries.js';

describe('recipientNames', () => {
  it('gives each address its names, most frequent first, whatever the case of the address', () => {
    const cf = new CaseFile(':memory:');
    const input = cf.openInput({ path: '/m', kind: 'mbox', container: 'mbox', size: 1, mtimeMs: 1 });
    const rows: [string, string, string][] = [
      ['to', '山田 太郎', 'Taro.Yamada@partner.example'],
      ['cc', '山田 太郎', 'taro.yamada@partner.example'],
      ['to', 'Yamada Taro', 'taro.yamada@PARTNER.example'],
      ['to', ' 山田様 ', 'taro.yamada@partner.example'],
      ['from', 'Not a recipient name', 'taro.yamada@partner.example'],
      ['bcc', 'Nor this', 'taro.yamada@partner.example'],
      ['to', 'taro.yamada@partner.example', 'taro.yamada@partner.example'],
      ['to', '  ', 'taro.yamada@partner.example'],
      ['to', 'Sato', 'sato@other.example'],
    ];
    const base = { messageId: null, inReplyTo: null, references: [], date: null, dateRaw: null, subject: '', sender: null, replyTo: [], cc: [], bcc: [], received: [], xOriginatingIp: null, authenticationResults: [], text: '', html: '', urls: [], attachments: [], defects: [], size: 1 };
    cf.transaction(() =>
      rows.forEach(([role, name, address], i) => {
        const a = { name, address };
        const m = { ...base, contentHash: `h${i}`, from: role === 'from' ? a : null, to: role === 'to' ? [a] : [], cc: role === 'cc' ? [a] : [], bcc: role === 'bcc' ? [a] : [] };
        cf.storeMessage(input.id, String(i), i, 1, m, { direction: 'inbound', firstExternalIp: null });
      }),
    );
    const names = new ReportQueries(cf.db).recipientNames(['TARO.YAMADA@partner.example', 'nobody@nowhere.example', 'sato@other.example', 'taro.yamada@partner.example']);
    expect([...names]).toEqual([
      ['taro.yamada@partner.example', ['山田 太郎', '山田様', 'Yamada Taro']],
      ['nobody@nowhere.example', []],
      ['sato@other.example', ['Sato']],
    ]);
    expect(new ReportQueries(cf.db).recipientNames([]).size).toBe(0);
  });
});
