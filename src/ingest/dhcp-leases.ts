// DHCP lease records as host-map rows: which PC name had which address. Three layouts a
// responder is handed, each recognised by its content:
//   ISC dhcpd `dhcpd.leases`: `lease 10.0.1.14 { … client-hostname "PC-KEIRI"; … }` blocks
//     (dhcpd.leases(5));
//   the Windows DHCP Server audit log (`DhcpSrvLog-Mon.log`): a legend, then CSV rows under
//     `ID,Date,Time,Description,IP Address,Host Name,MAC Address,…`; event IDs 10 (new
//     lease), 11 (renewed) and 13 are kept (Microsoft's "Analyze DHCP Server Log Files");
//   dnsmasq's lease file: `<expiry epoch> <MAC> <IP> <hostname> <client id>` per line.
// A Windows host name is a FQDN (`PC-KEIRI.corp.example`): its first label is the PC's name,
// as EmoCheck and the logs give it. Times are not kept: an address that more than one name
// held in the file is left out of the joins (see ambiguousAddresses in host-map.ts).

export interface LeaseRow {
  line: number;
  host: string;
  ip: string;
}

export type LeaseFormat = 'isc-dhcpd' | 'windows-dhcp' | 'dnsmasq';

const IPV4 = /^\d{1,3}(?:\.\d{1,3}){3}$/;
/** Audit-log events that hand an address to a client: 10 new lease, 11 renewed, 13 found in use. */
const WINDOWS_ASSIGN = new Set(['10', '11', '13']);

export function detectLeaseFormat(text: string): LeaseFormat | null {
  if (/^lease \d{1,3}(?:\.\d{1,3}){3} \{/m.test(text)) return 'isc-dhcpd';
  if (/^ID,Date,Time,Description,IP Address,Host Name,MAC Address/m.test(text)) return 'windows-dhcp';
  const first = text.split(/\r?\n/, 1)[0] ?? '';
  if (/^\d{9,10} [0-9a-f]{2}(?::[0-9a-f]{2}){5} \d{1,3}(?:\.\d{1,3}){3} \S+ \S+$/i.test(first)) return 'dnsmasq';
  return null;
}

/** The PC's name from a DHCP host name: the first label of a FQDN; null for none ("*", empty). */
function pcName(raw: string): string | null {
  const v = raw.trim().replace(/^"|"$/g, '');
  if (!v || v === '*' || IPV4.test(v)) return null;
  return v.split('.')[0] || null;
}

export function readLeases(text: string, format: LeaseFormat): LeaseRow[] {
  const lines = text.split(/\r?\n/);
  const out: LeaseRow[] = [];
  if (format === 'isc-dhcpd') {
    let ip: string | null = null;
    let at = 0;
    lines.forEach((l, i) => {
      const open = /^lease (\d{1,3}(?:\.\d{1,3}){3}) \{/.exec(l);
      if (open) {
        ip = open[1]!;
        at = i + 1;
        return;
      }
      const name = /^\s*client-hostname "([^"]*)";/.exec(l);
      if (name && ip) {
        const host = pcName(name[1]!);
        if (host) out.push({ line: at, host, ip });
      }
      if (/^\}/.test(l)) ip = null;
    });
  } else if (format === 'windows-dhcp') {
    const start = lines.findIndex((l) => l.startsWith('ID,Date,Time,Description,IP Address,Host Name'));
    for (let i = start + 1; i < lines.length; i++) {
      const f = lines[i]!.split(',');
      if (!WINDOWS_ASSIGN.has(f[0]!.trim())) continue;
      const ip = f[4]?.trim() ?? '';
      const host = pcName(f[5] ?? '');
      if (host && IPV4.test(ip)) out.push({ line: i + 1, host, ip });
    }
  } else {
    lines.forEach((l, i) => {
      const f = l.trim().split(/\s+/);
      if (f.length < 4 || !IPV4.test(f[2]!)) return;
      const host = pcName(f[3]!);
      if (host) out.push({ line: i + 1, host, ip: f[2]! });
    });
  }
  return out;
}
