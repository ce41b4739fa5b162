// Rows of a Microsoft 365 message trace as Get-MessageTrace | Export-Csv writes them: every
// field quoted, US-style local times (M/D/YYYY h:mm:ss AM), one row per recipient, the file
// UTF-16LE with a BOM and CRLF line ends. Shared by the sample incident and the bench's case.

export const MESSAGE_TRACE_HEADER = '"Received","SenderAddress","RecipientAddress","Subject","Status","ToIP","FromIP","Size","MessageId","MessageTraceId","Organization","StartDate","EndDate","Index"';

export interface MessageTraceRow {
  /** UTC epoch ms. */
  time: number;
  sender: string;
  recipient: string;
  subject: string;
  status: 'Delivered' | 'Failed';
  /** Where Exchange Online handed the mail on; written only for delivered rows. */
  toIp: string;
  /** The organisation's server that relayed the mail to Exchange Online. */
  fromIp: string;
  size: number;
  /** Without angle brackets; the export writes them. */
  messageId: string;
  traceId: string;
  organization: string;
  /** The query's period, as the export repeats it on every row (M/D/YYYY). */
  startDate: string;
  endDate: string;
  index: number;
}

/** The export's time format, in UTC. */
export function traceTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()} ${d.getUTCHours() % 12 || 12}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')} ${d.getUTCHours() < 12 ? 'AM' : 'PM'}`;
}

/** The export's date format (M/D/YYYY), in UTC. */
export function traceDate(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCMonth() + 1}/${d.getUTCDate()}/${d.getUTCFullYear()}`;
}

export function messageTraceRow(r: MessageTraceRow): string {
  const q = (v: string | number) => `"${String(v).replace(/"/g, '""')}"`;
  return [traceTime(r.time), r.sender, r.recipient, r.subject, r.status, r.status === 'Delivered' ? r.toIp : '', r.fromIp, r.size, `<${r.messageId}>`, r.traceId, r.organization, r.startDate, r.endDate, r.index].map(q).join(',');
}
