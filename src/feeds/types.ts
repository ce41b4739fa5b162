// Threat-intelligence feeds the user downloads (nothing is fetched at run time): URLhaus,
// Feodo Tracker, ThreatFox, plain IOC lists. Each row becomes one FeedEntry with the file
// line it came from; analysis/ indexes them once and matches the network logs against them.

export type FeedSource = 'urlhaus' | 'feodo' | 'threatfox' | 'list';

export interface FeedEntry {
  source: FeedSource;
  /** 1-based line of the row in the feed file. */
  line: number;
  /** What the row lists: a URL, a domain, an IP address, or an IP address with a port (C2). */
  kind: 'url' | 'domain' | 'ip' | 'ip-port';
  /** The indicator as listed (a URL keeps its scheme, path and query). */
  value: string;
  /** Host part (domain or IP, lower case) where the indicator has one. */
  host: string | null;
  /** Port for 'ip-port' entries, and for URLs that name one. */
  port: number | null;
  /** The feed's id of the entry (URLhaus id, ThreatFox ioc_id), where it has one. */
  id: string | null;
  /** ISO UTC date the feed added it (URLhaus dateadded, Feodo first_seen_utc, ThreatFox first_seen_utc). */
  dateAdded: string | null;
  /** Malware family or threat as the feed names it (URLhaus "threat", Feodo "malware", ThreatFox "malware_printable"/"threat_type"). */
  threat: string | null;
  /** Tags, lower case ("emotet", "heodo", "epoch4" …). */
  tags: string[];
  /** online / offline where the feed says. */
  status: string | null;
  /** The feed's page for the entry (URLhaus urlhaus_link, ThreatFox reference), where it has one. */
  reference: string | null;
}

export interface FeedReadResult {
  source: FeedSource;
  /** The variant recognised ("urlhaus-csv", "feodo-ipblocklist-csv", "threatfox-csv", "threatfox-json", "list" …). */
  format: string;
  entries: number;
  /** Rows that could not be read, with their line numbers (first few). */
  unreadable: number;
  samples: { line: number; text: string }[];
}
