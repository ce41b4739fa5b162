// Facts read from proxy, DNS and firewall logs: one NetEvent per request, query or connection
// an internal host made, with the file line it came from. The parsers (one per format) only
// read; matching against the feeds happens in analysis/.

export type NetLogFormat =
  /** Squid access.log, native format (epoch seconds, elapsed, client, code/status, bytes, method, URL, user, hierarchy/peer, type). */
  | 'squid'
  /** Squid (or any proxy) in Common / Combined Log Format. */
  | 'squid-common'
  /** W3C extended log with a #Fields: header (Blue Coat ProxySG, IIS, Forefront TMG …). */
  | 'w3c'
  /** Zscaler NSS web log, CSV. */
  | 'zscaler'
  | 'zeek-http'
  | 'zeek-dns'
  | 'zeek-conn'
  /** Palo Alto Networks PAN-OS traffic or URL-filtering (threat) log, CSV as syslog or export. */
  | 'paloalto'
  /** FortiGate traffic / UTM log, key=value. */
  | 'fortigate'
  /** Windows DNS server debug log (dns.log, "PACKET" lines). */
  | 'windows-dns';

export interface NetEvent {
  /** 1-based line number in the file (a JSON log: its line). */
  line: number;
  /** ISO UTC time; null when the line had none that could be read. */
  time: string | null;
  kind: 'http' | 'dns' | 'conn';
  /** Address of the internal host that made the request, query or connection. */
  clientIp: string | null;
  /** The host's name where the log names it (FortiGate srcname, Zscaler device, PAN-OS source host). */
  clientName: string | null;
  /** The authenticated user where the log names one (proxy authentication, Zscaler login, PAN-OS source user). */
  user: string | null;
  /**
   * The URL as requested, scheme://host[:port]/path[?query], as the log wrote it (a proxy's
   * CONNECT: "host:port", no path). Null for DNS and connections.
   */
  url: string | null;
  /** The name the request or query was for (HTTP Host, DNS query name, TLS SNI), lower case, no trailing dot. */
  host: string | null;
  /** The server's address (a connection's responder, the proxy's resolved server IP). */
  dstIp: string | null;
  dstPort: number | null;
  /** What the device did, as it says it (TCP_DENIED/403, "block-url", "deny", DNS rcode …); null when it does not say. */
  action: string | null;
}

export interface NetLogStats {
  lines: number;
  /** Lines read into events, or known to carry none (headers, comments). */
  recognised: number;
  /** Lines of the format that could not be read; the first few are kept with their numbers. */
  unreadable: number;
  samples: { line: number; text: string }[];
}
