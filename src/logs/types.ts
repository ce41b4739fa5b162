// Message-level facts read from MTA logs: one LogMessage per queue (or trace) id, with one
// LogDelivery per recipient status line. Every fact keeps the file and line it came from.

export type DeliveryStatus = 'sent' | 'deferred' | 'bounced' | 'expired' | 'rejected' | 'other';

export interface LogDelivery {
  line: number;
  /** ISO UTC time of the status line. */
  time: string | null;
  recipient: string;
  origTo: string | null;
  relay: string | null;
  status: DeliveryStatus;
  dsn: string | null;
  detail: string | null;
}

export interface LogMessage {
  format: 'postfix' | 'exim' | 'sendmail' | 'exchange' | 'm365';
  host: string;
  /** The server instance whose queue holds the record (Postfix syslog name: "postfix", "postfix-incoming"); the format for others. */
  instance: string;
  queueId: string;
  firstLine: number;
  lastLine: number;
  /** Time the message entered the queue (first line seen for it), ISO UTC. */
  receivedAt: string | null;
  clientHost: string | null;
  clientIp: string | null;
  authMethod: string | null;
  authUser: string | null;
  /** Without angle brackets. */
  messageId: string | null;
  /** '' for the null sender (bounces); null when the log never said. */
  envelopeFrom: string | null;
  size: number | null;
  nrcpt: number | null;
  subject: string | null;
  /** True when the message entered through smtpd/pickup (pflogsumm's "received"), false for internal ones such as bounces. */
  received: boolean;
  /** The service that took it in, below the instance: "smtpd", "submission/smtpd", "10025/smtpd", "pickup". */
  receivedVia: string | null;
  /** Queue id of the copy a content filter on a loopback port re-injected ("queued as …" in its reply). */
  handedTo: string | null;
  /** For such a copy, the queue id of the message before the filter, when Postfix logs it (orig_queue_id=, from XFORWARD). */
  origQueueId: string | null;
  /** Queue id of the message this one is a delivery status notification for (when seen before this one left the queue). */
  notificationOf: string | null;
  /** Queue ids of the notifications (bounces, delay warnings) sent to this message's sender. */
  notifications: string[];
  /** The log showed the message leaving the queue ("removed", Exim "Completed"). */
  complete: boolean;
  deliveries: LogDelivery[];
}

export interface LogEvent {
  line: number;
  /** The program that logged it ("postfix/smtpd", "postfix-incoming/postscreen", "exim"). */
  program: string;
  time: string | null;
  /**
   * reject and auth-failure: the server refused a client. account-use: an account was used
   * successfully from clientIp (a sign-in, a mailbox operation); mailbox-send: the mailbox
   * audit saw the account send messageId from clientIp (Microsoft 365 exports).
   */
  kind: 'reject' | 'auth-failure' | 'account-use' | 'mailbox-send';
  clientIp: string | null;
  sender: string | null;
  recipient: string | null;
  user: string | null;
  /** Without angle brackets; mailbox-send only. */
  messageId?: string | null;
  detail: string;
}

export interface LogStats {
  lines: number;
  /** Lines of this format that were read into facts or known to carry none (connect, statistics …). */
  recognised: number;
  /** Lines of this format that could not be read (kept as samples with their line numbers). */
  unreadable: number;
  /** Lines that are not this format at all (other programs' syslog lines, garbage). */
  foreign: number;
  unreadableSamples: { line: number; text: string }[];
}

export interface LogSink {
  message(m: LogMessage): void;
  event(e: LogEvent): void;
}

/** A log message record with nothing known yet but where it starts. */
export function newLogMessage(format: LogMessage['format'], host: string, queueId: string, line: number, time: string | null): LogMessage {
  return {
    format, host, instance: format, queueId, firstLine: line, lastLine: line, receivedAt: time, clientHost: null, clientIp: null,
    authMethod: null, authUser: null, messageId: null, envelopeFrom: null, size: null, nrcpt: null, subject: null,
    received: false, receivedVia: null, handedTo: null, origQueueId: null, notificationOf: null, notifications: [], complete: false, deliveries: [],
  };
}

/** Unreadable lines of a format: counted, the first hundred kept with their line numbers. */
export function newLogStats(): LogStats {
  return { lines: 0, recognised: 0, unreadable: 0, foreign: 0, unreadableSamples: [] };
}

export function countUnreadable(stats: LogStats, line: number, text: string): void {
  stats.unreadable++;
  if (stats.unreadableSamples.length < 100) stats.unreadableSamples.push({ line, text: text.slice(0, 300) });
}
