import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { csvCell, toCsv } from '../../src/report/csv.js';
import { ROOT, runCli, tempDir } from '../helpers.js';

describe('CSV for Excel', () => {
  it('neutralises formulas and quotes per RFC 4180', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
    expect(csvCell('+cmd')).toBe("'+cmd");
    expect(csvCell('-1')).toBe("'-1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('line1\nline2')).toBe('"line1\nline2"');
    expect(csvCell('請求書_1001.xls')).toBe('請求書_1001.xls');
    expect(csvCell(null)).toBe('');
  });

  it('writes UTF-8 with BOM and CRLF', () => {
    const b = toCsv(['a', 'b'], [['x', '=1']]);
    expect([...b.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(b.subarray(3).toString('utf8')).toBe("a,b\r\nx,'=1\r\n");
  });
});

describe('blastradius report on the samples', () => {
  it('writes report.json with the totals of expected.json and the notification list as CSV', () => {
    const dir = tempDir('report');
    const casePath = join(dir, 'c.sqlite');
    runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
    const r = runCli(['report', '--case', casePath, '--out', join(dir, 'out')]);
    expect(r.code, r.stderr).toBe(0);
    const expected = JSON.parse(readFileSync(join(ROOT, 'samples/expected.json'), 'utf8')) as { messages: number; analysis: { counts: Record<string, unknown> & { notificationList: { address: string; count: number }[] } } };
    const report = JSON.parse(readFileSync(join(dir, 'out', 'report.json'), 'utf8')) as { totals: Record<string, unknown>; messages: unknown[]; accounts: { address: string; verdict: string }[] };
    const ajv = new Ajv({ allErrors: true, strict: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(ROOT, 'src/report/report.schema.json'), 'utf8')) as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...report, totals: { ...report.totals, countsFrom: 'guess' } })).toBe(false);
    // The fields added since (the first screen's facts, the table of mails) are described too.
    const overview = (report as unknown as { overview: { asOf: object; conclusion: { sending: object } } }).overview;
    expect(validate({ ...report, overview: { ...overview, asOf: { ...overview.asOf, source: 'guess' } } })).toBe(false);
    expect(validate({ ...report, overview: { ...overview, conclusion: { ...overview.conclusion, sending: { ...overview.conclusion.sending, state: 'stopped' } } } })).toBe(false);
    expect(validate({ ...report, attackerMessages: [{}] })).toBe(false);
    const { notificationList, period, ...totals } = expected.analysis.counts;
    expect(report.totals).toMatchObject({ ...totals, period });
    expect(report.messages).toHaveLength(expected.messages);
    expect(report.accounts.filter((a) => a.verdict !== 'clean')).toEqual([
      expect.objectContaining({ address: 'eigyo@sample-shoji.example', verdict: 'compromised' }),
      expect.objectContaining({ address: 'keiri@sample-shoji.example', verdict: 'compromised+impersonated' }),
      expect.objectContaining({ address: 'yamada@sample-shoji.example', verdict: 'impersonated' }),
    ]);
    const recipients = readFileSync(join(dir, 'out', 'recipients.csv'), 'utf8').replace(/^\uFEFF/, '').trim().split('\r\n');
    // The columns of earlier versions first, in their order; the new ones after them.
    expect(recipients[0]!.startsWith('address,domain,count,first_utc,last_utc,')).toBe(true);
    expect(recipients.slice(1).map((l) => l.split(',').slice(0, 3).join(','))).toEqual(notificationList.map((n) => `${n.address},${n.address.split('@')[1]},${n.count}`));
    const stix = JSON.parse(readFileSync(join(dir, 'out', 'iocs.stix.json'), 'utf8')) as { type: string; id: string; objects: { type: string; spec_version: string; id: string; pattern: string; pattern_type: string; valid_from: string; created: string; modified: string }[] };
    expect(stix.type).toBe('bundle');
    expect(stix.id).toMatch(/^bundle--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    for (const o of stix.objects) {
      expect(o).toMatchObject({ type: 'indicator', spec_version: '2.1', pattern_type: 'stix' });
      expect(o.id).toMatch(/^indicator--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(o.pattern).toMatch(/^\[(file:hashes\.'SHA-256'|url:value|ipv4-addr:value|email-message:from_ref\.value) = '(?:[^'\\]|\\.)*'\]$/);
      expect(Date.parse(o.valid_from)).not.toBeNaN();
    }
    expect(stix.objects.map((o) => o.pattern)).toContain("[ipv4-addr:value = '198.51.100.77']");
    const iocs = readFileSync(join(dir, 'out', 'iocs.csv'), 'utf8');
    expect(iocs).toContain('ipv4,198.51.100.77,client that submitted malicious mail with a stolen password');
    expect(iocs).toContain('url,https://cdn.files-share.example/d/8f3k/見積書_1106.xls,URL in a malicious message');
  });
});

describe('report.html', () => {
  it('is self-contained and keeps attacker text inert', async () => {
    const { renderHtmlReport } = await import('../../src/report/report-html.js');
    const { twoWeekReport } = await import('./report-two-week.js');
    const d = twoWeekReport(2);
    d.messages[0]!.subject = 'Re: <script>alert(1)</script>\u202efdp.exe';
    d.messages[0]!.attachments = ['=HYPERLINK("http://x")<img src=x onerror=alert(1)>.xls'];
    d.messages[0]!.account = '<b>x</b>@sample-shoji.example';
    d.overview.organisation.name = '<i>org</i>';
    const html = renderHtmlReport(d);
    // No script, no image, no tag that loads anything (the SVG namespace is not a fetch).
    expect(html).not.toMatch(/<script|<img|<link|<iframe|<[a-z]+[^>]*\s(?:src|href)=/i);
    expect(html).toContain('Re: &lt;script&gt;alert(1)&lt;/script&gt;\\u202efdp.exe');
    expect(html).not.toContain('\u202e');
    expect(html).toContain('=HYPERLINK(&quot;http://x&quot;)&lt;img src=x onerror=alert(1)&gt;.xls');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;@sample-shoji.example');
    expect(html).toContain('&lt;i&gt;org&lt;/i&gt;');
    expect(html).not.toMatch(/<b>x|<i>org/);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
  });
});
