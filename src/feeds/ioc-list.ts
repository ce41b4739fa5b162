// Plain IOC lists (`--ioc FILE`): what responders paste from an advisory or a partner's
// mail, one indicator a line: a URL, a domain, an IP address or IP:port, defanged or not
// (hxxp://, [.], (.), [:]). "#" starts a comment, on its own line or after the indicator.
// A line may carry a note after a comma or a tab ("198.51.100.7:8080,Emotet C2"); the
// first field is the indicator then. File hashes and mail addresses are indicators the
// network logs cannot match: counted, not read.
import { isCommentOrBlank, type FeedRowReader, type RowOutcome } from './feed-row.js';
import { parseIndicator, type Indicator } from './indicator.js';

export class IocListReader implements FeedRowReader {
  readonly source = 'list' as const;
  readonly format = 'list';

  row(text: string, line: number): RowOutcome {
    if (isCommentOrBlank(text)) return 'ignore';
    const t = text.replace(/\s#.*$/, '').trim().replace(/^\uFEFF/, '');
    let ind: Indicator | null = parseIndicator(t);
    if (!ind && /[,\t;]/.test(t)) ind = parseIndicator(t.split(/[,\t;]/)[0]!);
    if (!ind) return { unreadable: 'not a URL, domain, IP address or IP:port' };
    if (ind.kind === 'unmatchable') return { unmatchable: ind.what };
    return { source: 'list', line, kind: ind.kind, value: ind.value, host: ind.host, port: ind.port, id: null, dateAdded: null, threat: null, tags: [], status: null, reference: null };
  }
}
