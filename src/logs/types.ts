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
  time: string | null;
  kind: 'reject' | 'auth-failure';
  clientIp: string | null;
  sender: string | null;
  recipient: string | null;
  user: string | null;
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
