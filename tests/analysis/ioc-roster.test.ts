import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyIocList, loadIocList } from '../../src/analysis/ioc-list.js';
import { loadRoster } from '../../src/analysis/roster.js';
import { judgeMessage } from '../../src/analysis/verdicts.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('ioc');

describe('IOC lists', () => {
  it('reads a URLhaus CSV export (comment header, quoted fields)', () => {
    const p = join(dir, 'urlhaus.csv');
    writeFileSync(
      p,
      '################\n# abuse.ch URLhaus Database Dump (CSV)\n#\n# id,dateadded,url,url_status,last_online,threat,tags,urlhaus_link,reporter\n' +
        '"2101","2026-11-05 01:00:00","https://cdn.files-share.example/d/8f3k/見積書_1106.xls","online","2026-11-05 01:00:00","malware_download","emotet,xls","https://urlhaus.abuse.ch/url/2101/","x"\n',
    );
    const l = loadIocList(p);
    expect([...l.urls]).toEqual(['https://cdn.files-share.example/d/8f3k/見積書_1106.xls']);
  });

  it('reads a Feodo Tracker CSV (dst_ip) and a plain list', () => {
    const feodo = join(dir, 'feodo.csv');
    writeFileSync(feodo, '# first_seen_utc,dst_ip,dst_port,c2_status,last_online,malware\n"2026-11-01 00:00:00","192.0.2.55","8080","online","2026-11-05","Emotet"\n');
    const plain = join(dir, 'plain.txt');
    writeFileSync(plain, '# ours\nhttps://evil.example/a.zip\nBD29FAABD2FBB45D3024D174476049220FBBE73BC97AB137C973B302F902FC78\ninfo3@freemail-1.example\nbad.example\n');
    const l = loadIocList(plain, loadIocList(feodo, emptyIocList()));
    expect([...l.domains].sort()).toEqual(['192.0.2.55', 'bad.example']);
    expect([...l.urls]).toEqual(['https://evil.example/a.zip']);
    expect([...l.hashes]).toEqual(['bd29faabd2fbb45d3024d174476049220fbbe73bc97ab137c973b302f902fc78']);
    expect([...l.senders]).toEqual(['info3@freemail-1.example']);
  });

  it('makes a message malicious on an IOC match (R5) and says which', () => {
    const l = emptyIocList();
    l.domains.add('bad.example');
    const v = judgeMessage([], [], ['https://bad.example/x'], 'a@b.example', l);
    expect(v).toMatchObject({ malicious: true, rules: ['R5'], reasons: ['R5: on the IOC list: URL https://bad.example/x'] });
    expect(judgeMessage([], [], ['https://good.example/x'], 'a@b.example', l).malicious).toBe(false);
  });
});

describe('member roster', () => {
  it('reads address,name lines and skips a header', () => {
    const p = join(dir, 'roster.csv');
    writeFileSync(p, '\uFEFFaddress,name\nKeiri@Sample-Shoji.example,経理部 高橋 美咲,高橋 美咲\nsato@sample-shoji.example,佐藤 花子\n');
    expect([...loadRoster(p)]).toEqual([
      ['keiri@sample-shoji.example', ['経理部 高橋 美咲', '高橋 美咲']],
      ['sato@sample-shoji.example', ['佐藤 花子']],
    ]);
  });
});
