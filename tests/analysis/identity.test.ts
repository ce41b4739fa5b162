// One account across sources: SASL logins, addresses, Exchange X.500 DNs and UPNs.
import { describe, expect, it } from 'vitest';
import { AccountResolver, x500Alias } from '../../src/analysis/identity.js';
import { isConsumerDomain, registrableDomain } from '../../src/analysis/consumer-domains.js';

describe('AccountResolver', () => {
  it('learns a login from the org sender it uses most, and keeps addresses as they are', () => {
    const r = new AccountResolver(['kaisha.example'], new Map(), [
      { login: 'keiri', sender: 'keiri@kaisha.example', records: 12 },
      { login: 'keiri', sender: 'info@kaisha.example', records: 2 },
      { login: 'acct7', sender: 'soumu@kaisha.example', records: 3 },
      { login: 'spam', sender: 'x@outside.example', records: 9 },
    ]);
    expect(r.resolve('keiri')).toEqual({ account: 'keiri@kaisha.example', by: 'learned-from-log' });
    expect(r.resolve('ACCT7')).toEqual({ account: 'soumu@kaisha.example', by: 'learned-from-log' });
    expect(r.resolve('Sato@Kaisha.example')).toEqual({ account: 'sato@kaisha.example', by: 'address' });
    // A login never seen with an org sender: its local part under the one org domain.
    expect(r.resolve('spam')).toEqual({ account: 'spam@kaisha.example', by: 'single-org-domain' });
  });

  it('maps X.500 DNs, IMCEAEX forms and tenant UPNs to the org address', () => {
    const r = new AccountResolver(['sample-shoji.example'], new Map([['eigyo@sampleshoji.onmicrosoft.com', 'eigyo@sample-shoji.example']]));
    expect(x500Alias('/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0a1b2c3d4e5f60718293a4b5c6d7e8f9-keiri')).toBe('keiri');
    expect(x500Alias('IMCEAEX-_o=First+20Organization_ou=Exchange+20Administrative+20Group_cn=Recipients_cn=yamada@sample-shoji.example')).toBe('yamada');
    expect(r.resolve('/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=0a1b2c3d4e5f60718293a4b5c6d7e8f9-keiri')).toEqual({ account: 'keiri@sample-shoji.example', by: 'single-org-domain' });
    expect(r.resolve('eigyo@sampleshoji.onmicrosoft.com')).toEqual({ account: 'eigyo@sample-shoji.example', by: 'account-map' });
    expect(x500Alias('keiri@sample-shoji.example')).toBeNull();
  });

  it('leaves a login unresolved when there are several org domains and nothing to learn from', () => {
    const r = new AccountResolver(['a.example', 'b.example']);
    expect(r.resolve('keiri')).toEqual({ account: 'keiri', by: 'unresolved' });
  });
});

describe('consumer domains', () => {
  it('counts free-mail and ISP addresses as individuals and partners by registrable domain', () => {
    expect(isConsumerDomain('gmail.com')).toBe(true);
    expect(isConsumerDomain('yahoo.co.jp')).toBe(true);
    expect(isConsumerDomain('mail2.ocn.ne.jp')).toBe(true);
    expect(isConsumerDomain('kokyaku.example')).toBe(false);
    expect(registrableDomain('slow.shiire.example')).toBe('shiire.example');
    expect(registrableDomain('mx.torihiki.co.jp')).toBe('torihiki.co.jp');
  });
});
