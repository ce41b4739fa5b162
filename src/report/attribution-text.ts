// Words for the typed facts of attribution: session grounds, account evidence, novelty and
// tiers. The analysis stores facts; only this module turns them into sentences.
import type { AccountEvidence } from '../analysis/analyze-case.js';
import type { SessionGround } from '../analysis/attribution.js';

export function groundText(g: SessionGround): string {
  switch (g.kind) {
    case 'content':
      return `sent ${g.messageId ? `<${g.messageId}>` : `message #${g.messageRef}`}, malicious by its content (${g.rules.join(', ')})`;
    case 'ioc-ip':
      return `client address ${g.ip} is on the IOC list`;
    case 'attacker-ip':
      return `client address ${g.ip} was used by the attacker against ${g.account} (session #${g.sessionId})`;
    case 'burst':
      return `${g.sends} sends within 10 minutes`;
    case 'fan-out':
      return `${g.outsideRecipients} distinct outside recipients within 10 minutes`;
    case 'old-thread-replies':
      return `${g.replies} replies to threads older than two weeks`;
  }
}

export const NOVELTY_TEXT: Record<string, string> = {
  usual: "the account's usual address",
  shared: 'an address other users use as theirs (office NAT, gateway)',
  'known-block': 'a new address in a block the account used before',
  new: 'an address new for the account',
  'first-seen': "the account's first session in the evidence",
};

export const TIER_TEXT: Record<string, string> = {
  attacker: 'the attacker (counted)',
  review: 'to review (not counted)',
  suspected: 'suspected by behaviour (not counted)',
  user: 'the user',
};

export function accountEvidenceText(e: AccountEvidence): string {
  if (e.kind === 'attacker-session') return `attacker session #${e.sessionId} from ${e.ips.join(', ')}: ${e.sends} sends, ${e.first ?? '?'} – ${e.last ?? '?'}`;
  return e.how === 'display-name'
    ? `impersonated by display name in ${e.messageId ? `<${e.messageId}>` : `message #${e.messageRef}`} from ${e.from}`
    : `its address forged in ${e.messageId ? `<${e.messageId}>` : `message #${e.messageRef}`}, not submitted through our systems`;
}
