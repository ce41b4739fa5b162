// The host map from a CSV and from DHCP lease records, written here to the published layouts:
// ISC dhcpd.leases(5), the Windows DHCP Server audit log (Microsoft, "Analyze DHCP Server Log
// Files"), dnsmasq's lease file. An address two names held is not used to join.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readHostMap } from '../../src/ingest/host-map.js';
import { tempDir } from '../helpers.js';

const dir = tempDir('host-map');
function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

describe('host map', () => {
  it('reads a CSV by its header names, with a BOM and empty cells', async () => {
    const p = file('map.csv', '\uFEFFComputer,IP Address,Mail\r\nPC-KEIRI,10.0.1.14,keiri@corp.example\r\nPC-SOUMU,,soumu@corp.example\r\n,,\r\n,10.0.1.99,\r\n');
    expect(await readHostMap(p)).toEqual({
      rows: [
        { line: 2, host: 'PC-KEIRI', ip: '10.0.1.14', user: 'keiri@corp.example' },
        { line: 3, host: 'PC-SOUMU', ip: null, user: 'soumu@corp.example' },
        { line: 5, host: null, ip: '10.0.1.99', user: null },
      ],
      problems: [],
    });
  });

  it('reads ISC dhcpd leases: client-hostname per lease, renewals once', async () => {
    const lease = (ip: string, name: string, starts: string) =>
      `lease ${ip} {\n  starts 4 ${starts};\n  ends 4 2026/11/05 12:00:00;\n  binding state active;\n  hardware ethernet 00:11:22:33:44:55;\n  client-hostname "${name}";\n}\n`;
    const p = file('dhcpd.leases', `# The format of this file is documented in the dhcpd.leases(5) manual page.\nauthoring-byte-order little-endian;\n\n${lease('10.0.1.14', 'PC-KEIRI', '2026/11/05 00:00:00')}${lease('10.0.1.22', 'PC-YAMADA', '2026/11/05 00:01:00')}${lease('10.0.1.14', 'PC-KEIRI', '2026/11/05 06:00:00')}`);
    expect(await readHostMap(p)).toEqual({
      rows: [
        { line: 4, host: 'PC-KEIRI', ip: '10.0.1.14', user: null },
        { line: 11, host: 'PC-YAMADA', ip: '10.0.1.22', user: null },
      ],
      problems: [],
    });
  });

  it('reads the Windows DHCP audit log: assignments and renewals, FQDNs to PC names; an address two PCs held is left out of the joins', async () => {
    const text = [
      '\t\tMicrosoft DHCP Service Activity Log',
      '',
      'Event ID  Meaning',
      '10\tA new IP address was leased to a client.',
      '11\tA lease was renewed by a client.',
      '12\tA lease was released by a client.',
      '',
      'ID,Date,Time,Description,IP Address,Host Name,MAC Address,User Name, TransactionID, QResult,Probationtime, CorrelationID,Dhcid,VendorClass(Hex),VendorClass(ASCII),UserClass(Hex),UserClass(ASCII),RelayAgentInformation,DnsRegError.',
      '00,11/05/26,00:00:01,Started,,,,,0,6,,,,,,,,,0',
      '10,11/05/26,08:40:12,Assign,10.0.1.14,PC-KEIRI.corp.example,001122334455,,3522345,0,,,,0x4D53465420352E30,MSFT 5.0,,,,0',
      '11,11/05/26,09:40:12,Renew,10.0.1.14,PC-KEIRI.corp.example,001122334455,,3522346,0,,,,0x4D53465420352E30,MSFT 5.0,,,,0',
      '12,11/05/26,18:02:00,Release,10.0.1.30,PC-SATO.corp.example,001122334466,,3522347,0,,,,,,,,,0',
      '10,11/05/26,08:41:00,Assign,10.0.1.30,PC-SATO.corp.example,001122334466,,3522348,0,,,,,,,,,0',
      '10,11/06/26,08:41:00,Assign,10.0.1.30,PC-SUZUKI.corp.example,001122334477,,3522349,0,,,,,,,,,0',
    ].join('\r\n');
    expect(await readHostMap(file('DhcpSrvLog-Thu.log', text))).toEqual({
      rows: [
        { line: 10, host: 'PC-KEIRI', ip: '10.0.1.14', user: null },
        { line: 13, host: 'PC-SATO', ip: null, user: null },
        { line: 14, host: 'PC-SUZUKI', ip: null, user: null },
      ],
      problems: [{ line: 13, reason: 'address 10.0.1.30 was held by 2 hosts (PC-SATO, PC-SUZUKI): not used to join' }],
    });
  });

  it("reads dnsmasq's lease file", async () => {
    const p = file('dnsmasq.leases', '1794307212 00:11:22:33:44:55 10.0.1.14 pc-keiri 01:00:11:22:33:44:55\n1794307300 00:11:22:33:44:66 10.0.1.40 * *\n');
    expect(await readHostMap(p)).toEqual({ rows: [{ line: 1, host: 'pc-keiri', ip: '10.0.1.14', user: null }], problems: [] });
  });
});
