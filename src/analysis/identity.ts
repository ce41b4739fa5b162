// One account across sources. The same mailbox shows up as a SASL login (`keiri`), an
// address (`keiri@…`), an Exchange legacy X.500 DN (`/o=…/cn=Recipients/cn=…-keiri`, or the
// `IMCEAEX-…` encapsulated form) and a Microsoft 365 UPN. Every send is filed under the
// organisation address: explicit pairs from --account-map first, then what the logs teach
// (the org envelope sender a login uses most), then `login@domain` when there is one org domain.
import { inOrg } from '../mail/direction.js';

export interface LoginSenderPair {
  login: string;
  sender: string;
  records: number;
}

/** How an identity was resolved, for the evidence of each send. */
export type ResolvedBy = 'address' | 'account-map' | 'learned-from-log' | 'single-org-domain' | 'unresolved';

export interface ResolvedAccount {
  account: string;
  by: ResolvedBy;
}

/**
 * The alias inside an Exchange legacy DN (`/o=Org/ou=…/cn=Recipients/cn=<hex>-alias`) or its
 * IMCEAEX encapsulation (`IMCEAEX-_o=Org_ou=…_cn=Recipients_cn=alias@domain`); null otherwise.
 */
export function x500Alias(value: string): string | null {
  let v = value.trim();
  if (/^imceaex-/i.test(v)) v = v.slice(8).replace(/@[^@]*$/, '').replace(/_/g, '/').replace(/\+20/g, ' ');
  if (!/^\/o=/i.test(v)) return null;
  const cns = [...v.matchAll(/\/cn=([^/]+)/gi)].map((m) => m[1]!);
  const last = cns[cns.length - 1];
  if (!last) return null;
  // Exchange 2013 and later write "<32 hex>-alias" (or "<hex>-alias" of any length).
  return last.replace(/^[0-9a-f]{8,}-/i, '').toLowerCase();
}

export class AccountResolver {
  private readonly learned = new Map<string, string>();

  constructor(
    private readonly orgDomains: string[],
    private readonly explicit: Map<string, string> = new Map(),
    pairs: LoginSenderPair[] = [],
  ) {
    // The org sender a login uses most often is its address; ties go to the sender whose
    // local part is the login, then to the alphabetically first, so the result is stable.
    const best = new Map<string, LoginSenderPair>();
    for (const p of pairs) {
      const login = this.loginKey(p.login);
      const sender = p.sender.toLowerCase();
      if (!inOrg(sender, orgDomains)) continue;
      const cur = best.get(login);
      const score = (x: LoginSenderPair) => [x.records, x.sender.toLowerCase().split('@')[0] === login ? 1 : 0];
      if (!cur) best.set(login, p);
      else {
        const [a1, a2] = score(p);
        const [b1, b2] = score(cur);
        if (a1! > b1! || (a1 === b1 && (a2! > b2! || (a2 === b2 && sender < cur.sender.toLowerCase())))) best.set(login, p);
      }
    }
    for (const [login, p] of best) this.learned.set(login, p.sender.toLowerCase());
  }

  private loginKey(login: string): string {
    return (x500Alias(login) ?? login).trim().toLowerCase();
  }

  /** The organisation account a login or address belongs to. */
  resolve(value: string): ResolvedAccount {
    const raw = value.trim().toLowerCase();
    const mapped = this.explicit.get(raw);
    if (mapped) return { account: mapped, by: 'account-map' };
    if (raw.includes('@') && !raw.startsWith('imceaex-') && inOrg(raw, this.orgDomains)) return { account: raw, by: 'address' };
    const login = this.loginKey(raw);
    const mappedLogin = this.explicit.get(login);
    if (mappedLogin) return { account: mappedLogin, by: 'account-map' };
    const learned = this.learned.get(login) ?? this.learned.get(raw);
    if (learned) return { account: learned, by: 'learned-from-log' };
    // A UPN in another domain (tenant.onmicrosoft.com) or a bare login: its local part
    // under the one org domain, when there is exactly one.
    const local = login.includes('@') ? login.split('@')[0]! : login;
    if (this.orgDomains.length === 1 && /^[a-z0-9._%+-]+$/.test(local)) return { account: `${local}@${this.orgDomains[0]}`, by: 'single-org-domain' };
    return { account: raw, by: 'unresolved' };
  }
}
