// Free-mail and consumer ISP domains: an address there is a person, not an organisation,
// when the notification list is counted by organisation. Kept as data; a domain is matched
// by its registrable domain (so mail.example.ocn.ne.jp counts as ocn.ne.jp). Japanese
// mobile carriers and ISPs first, then the large international providers.
import { getDomain } from 'tldts';

export const CONSUMER_DOMAINS: ReadonlySet<string> = new Set([
  // Japan: mobile carriers
  'docomo.ne.jp', 'ezweb.ne.jp', 'au.com', 'softbank.ne.jp', 'i.softbank.jp', 'ymobile.ne.jp', 'rakuten.jp', 'uqmobile.jp',
  // Japan: free mail and portals
  'yahoo.co.jp', 'ybb.ne.jp', 'excite.co.jp', 'infoseek.jp', 'livedoor.com', 'goo.jp', 'mail.goo.ne.jp', 'hotmail.co.jp', 'outlook.jp', 'live.jp', 'msn.jp',
  // Japan: consumer ISPs
  'ocn.ne.jp', 'nifty.com', 'nifty.ne.jp', 'biglobe.ne.jp', 'so-net.ne.jp', 'plala.or.jp', 'dion.ne.jp', 'odn.ne.jp', 'eonet.ne.jp', 'home.ne.jp',
  'tiki.ne.jp', 'kcn.ne.jp', 'zaq.ne.jp', 'commufa.jp', 'bbexcite.jp', 'asahi-net.or.jp', 'wakwak.com', 'hi-ho.ne.jp', 'gol.com', 'tnc.ne.jp',
  // International
  'gmail.com', 'googlemail.com', 'yahoo.com', 'yahoo.co.uk', 'yahoo.fr', 'ymail.com', 'rocketmail.com', 'outlook.com', 'hotmail.com', 'hotmail.co.uk',
  'hotmail.fr', 'live.com', 'msn.com', 'icloud.com', 'me.com', 'mac.com', 'aol.com', 'gmx.com', 'gmx.de', 'gmx.net', 'web.de', 't-online.de',
  'mail.com', 'proton.me', 'protonmail.com', 'tutanota.com', 'zoho.com', 'yandex.ru', 'yandex.com', 'mail.ru', 'qq.com', '163.com', '126.com',
  'sina.com', 'naver.com', 'daum.net', 'hanmail.net', 'orange.fr', 'free.fr', 'laposte.net', 'btinternet.com', 'comcast.net', 'att.net',
  'sbcglobal.net', 'verizon.net', 'libero.it', 'bigpond.com',
]);

/** The registrable domain (public suffix + one label); the domain itself when it has none. */
export function registrableDomain(domain: string): string {
  const d = domain.toLowerCase().replace(/\.$/, '');
  return getDomain(d, { allowPrivateDomains: false }) ?? d;
}

export function isConsumerDomain(domain: string): boolean {
  const d = domain.toLowerCase().replace(/\.$/, '');
  if (CONSUMER_DOMAINS.has(d)) return true;
  const r = registrableDomain(d);
  return CONSUMER_DOMAINS.has(r);
}
