// Feeds are recognised by abuse.ch's own banners and headers, never by a guess.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { detectFeed } from '../../src/feeds/detect-feed.js';

const lines = (rel: string) => readFileSync(new URL(`../fixtures/${rel}`, import.meta.url), 'latin1').split('\n');

describe('detectFeed', () => {
  it('names each fixture\'s format', () => {
    const cases: [string, string][] = [
      ['feeds/urlhaus/csv.txt', 'urlhaus-csv'],
      ['feeds/urlhaus/csv-damaged.txt', 'urlhaus-csv'],
      ['feeds/urlhaus/text_online.txt', 'urlhaus-text'],
      ['feeds/feodo/ipblocklist.csv', 'feodo-ipblocklist-csv'],
      ['feeds/feodo/ipblocklist-2020.csv', 'feodo-ipblocklist-csv'],
      ['feeds/feodo/ipblocklist_recommended.txt', 'feodo-ipblocklist-txt'],
      ['feeds/threatfox/full.csv', 'threatfox-csv'],
      ['feeds/threatfox/full.json', 'threatfox-json'],
    ];
    for (const [rel, format] of cases) expect(detectFeed(lines(rel), rel.split('/').pop()!)?.format, rel).toBe(format);
  });

  it('rows without their banner: by their shape, or by the file name', () => {
    const rows = lines('feeds/urlhaus/csv.txt').slice(9, 20);
    expect(detectFeed(rows, 'dump.csv')).toEqual({ source: 'urlhaus', format: 'urlhaus-csv' });
    const ips = lines('feeds/feodo/ipblocklist_recommended.txt').slice(9, 20);
    expect(detectFeed(ips, 'ips.txt')).toBeNull();
    expect(detectFeed(ips, 'ipblocklist.txt')).toEqual({ source: 'feodo', format: 'feodo-ipblocklist-txt' });
  });

  it('a plain IOC list, a network log and a mail log are no feed', () => {
    expect(detectFeed(lines('feeds/ioc/advisory-iocs.txt'), 'advisory-iocs.txt')).toBeNull();
    expect(detectFeed(lines('netlogs/squid/access-native.log'), 'access.log')).toBeNull();
    expect(detectFeed(lines('netlogs/zeek/json-http.log'), 'http.log')).toBeNull();
    expect(detectFeed(lines('logs/fail2ban/postfix.log'), 'maillog')).toBeNull();
  });
});
