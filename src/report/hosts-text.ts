// The hosts of a case for people: `blastradius hosts`, `explain <host>`, and the lines the
// report reuses. Each piece of evidence names its file and line, and the feed entry behind it.
import type { MatchStrength } from '../analysis/feed-index.js';
import type { HostEvidence, HostVerdict } from '../analysis/host-verdicts.js';
import type { NetHit } from '../store/host-store.js';
import type { NetReadSummary } from '../store/host-queries.js';
import { forTerminal } from './terminal.js';

export const STRENGTH_TEXT: Record<MatchStrength, string> = {
  url: 'listed URL fetched (full URL)',
  'url-no-query': 'listed URL fetched (query aside)',
  'path-prefix': 'path under a listed payload folder',
  c2: 'connection to a listed C2 address and port',
  domain: 'listed domain only',
  ip: 'listed address only',
};

const ENDPOINT_TEXT: Record<string, string> = {
  'emotet-process': 'EmoCheck found an Emotet process',
  'emocheck-clean': 'EmoCheck found no Emotet',
  persistence: 'autostart entry of Emotet’s shape',
  'wmi-persistence': 'WMI event consumer (persistence)',
  'smb-write': 'file written onto it over the network',
};

function span(first: string | null, last: string | null): string {
  if (!first && !last) return 'no time';
  return first === last || !last ? `${first}` : `${first} – ${last}`;
}

/** The host of a listed URL (the part a domain or address match is on); the value itself when it is not a URL. */
function hostOf(value: string): string {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return value;
  try {
    return new URL(value).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return value;
  }
}

export function evidenceText(e: HostEvidence): string {
  if (e.kind === 'feed-match') {
    const x = e.entry;
    const what = [x.threat, ...x.tags].filter(Boolean).join(', ');
    const feed = `${x.source}${x.id ? ` #${x.id}` : ''}${what ? ` (${what})` : ''}${x.dateAdded ? `, listed ${x.dateAdded}` : ''}; ${x.path} line ${x.line}`;
    const blocked = e.allBlocked ? ', every request blocked' : e.blocked ? ', some blocked' : '';
    const host = e.strength === 'domain' || e.strength === 'ip' ? hostOf(x.value) : null;
    const matched = host && host !== x.value ? `${host} (listed as ${x.value})` : x.value;
    const lines = e.firstLine === e.lastLine ? `line ${e.firstLine}` : `lines ${e.firstLine}–${e.lastLine}`;
    return `[${e.weight}] ${STRENGTH_TEXT[e.strength]}: ${matched} [${feed}] — ${e.hits} hit${e.hits === 1 ? '' : 's'} from ${e.clientIp}, ${span(e.first, e.last)}${blocked}; ${e.format} log ${e.path} ${lines}`;
  }
  if (e.kind === 'endpoint') {
    return `[${e.weight}] ${ENDPOINT_TEXT[e.findingKind] ?? e.findingKind}: ${e.subject}${e.remote ? ` (by ${e.remote})` : ''} [rule ${e.rule}]${e.time ? `, ${e.time}` : ''}; ${e.source} ${e.path} line ${e.line}`;
  }
  return `[${e.weight}] wrote ${e.subject} onto ${e.onto ?? 'another device'} over the network${e.time ? `, ${e.time}` : ''}; Source of Infection ${e.path} line ${e.line}`;
}

export function hostHeadline(h: HostVerdict): string {
  const also = [...h.names.slice(1), ...h.ips.filter((ip) => ip !== h.key)];
  return `${h.verdict.toUpperCase().padEnd(10)} ${h.key}${also.length ? ` (${also.join(', ')})` : ''}`;
}

export function hostLines(h: HostVerdict, hitsOf?: (groupRef: number) => NetHit[]): string[] {
  const lines = [hostHeadline(h)];
  for (const a of h.accounts) lines.push(`    account ${a.account} (${a.via})${a.compromised ? `: compromised, attacker sends ${span(a.first, a.last)}` : ''}`);
  const others = h.users.filter((u) => !h.accounts.some((a) => a.account === u));
  if (others.length) lines.push(`    users: ${others.join(', ')}`);
  const t = h.timeline;
  const times = [
    t.firstPayload ? `first download from a listed URL ${t.firstPayload}` : '',
    t.firstC2 ? `first C2 contact ${t.firstC2}` : '',
    t.firstMaliciousSend ? `first malicious send ${t.firstMaliciousSend}` : '',
    t.lastMaliciousSend ? `last send ${t.lastMaliciousSend}` : '',
  ].filter(Boolean);
  lines.push(`    evidence ${span(t.firstEvidence, t.lastEvidence)}${times.length ? `; ${times.join('; ')}` : ''}`);
  for (const e of h.evidence) {
    lines.push(`    ${evidenceText(e)}`);
    if (hitsOf && e.kind === 'feed-match') {
      const kept = hitsOf(e.groupRef);
      for (const x of kept) lines.push(`      line ${x.line}: ${x.time ?? '?'} ${x.kind} ${x.url ?? x.host ?? ''}${x.dstIp ? ` → ${x.dstIp}${x.dstPort !== null ? `:${x.dstPort}` : ''}` : ''}${x.action ? ` (${x.action})` : ''}`);
      if (kept.length < e.hits) lines.push(`      … ${e.hits - kept.length} more, the last at line ${e.lastLine}`);
    }
  }
  return lines;
}

export function formatHosts(v: { hosts: HostVerdict[]; quietClients: number }, reads: NetReadSummary[]): string {
  const lines: string[] = [];
  const n = (k: string) => v.hosts.filter((h) => h.verdict === k).length;
  lines.push(`hosts: ${n('infected')} infected, ${n('suspected')} suspected, ${n('clean')} clean (EmoCheck found nothing and nothing else points at them)`);
  if (reads.length) {
    lines.push(`network logs: ${reads.map((r) => `${r.path} (${r.format}, ${r.lines} lines, ${r.events} events${r.unreadable ? `, ${r.unreadable} unreadable` : ''})`).join('; ')}`);
    lines.push(`${v.quietClients} other client address${v.quietClients === 1 ? '' : 'es'} seen in them with no match: not called clean (the feeds miss some)`);
  }
  for (const h of v.hosts) lines.push('', ...hostLines(h));
  return lines.map(forTerminal).join('\n');
}
