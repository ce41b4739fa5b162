// Evidence read from the PCs themselves: JPCERT/CC EmoCheck reports, Sysinternals Autoruns
// exports, Sophos Source of Infection logs. One EndpointFinding per fact, with the file line
// it came from.

export type EndpointSource = 'emocheck' | 'autoruns' | 'source-of-infection';

export interface EndpointFinding {
  source: EndpointSource;
  /** 1-based line in the file (for a JSON report, 1). */
  line: number;
  /** Computer name as the evidence gives it (EmoCheck's report names it; Autoruns exports from the file name or a column); null when unknown. */
  host: string | null;
  /** ISO UTC time of the evidence (scan time, file time, entry time); null when it has none. */
  time: string | null;
  /**
   * emotet-process: EmoCheck found an Emotet process. emocheck-clean: EmoCheck ran and found
   * none. persistence: an autostart entry of Emotet's shape. wmi-persistence: a WMI event
   * consumer. smb-write: a file written on this device by another device (Source of Infection).
   */
  kind: 'emotet-process' | 'emocheck-clean' | 'persistence' | 'wmi-persistence' | 'smb-write';
  /** What the verdict on the host is from this fact alone. */
  weight: 'infected' | 'suspected' | 'clean';
  /** The image path, registry key or task, process name and id, or file written. */
  subject: string;
  /** The id of the rule that matched, from the reader's rule table ("run-key-random-appdata", "regsvr32-appdata-dll", "emocheck-process" …). */
  rule: string;
  /** For smb-write: the remote IP or device that wrote the file (the spreading host). */
  remote: string | null;
  /** The user the entry runs as, or whose profile holds it, where the evidence says. */
  user: string | null;
}
