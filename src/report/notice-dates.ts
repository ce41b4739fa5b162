// Dates and times in the notice, always in Japan time: the readers are in Japan and the
// times in the case are UTC. Each language has its own functions (the writers never branch
// on the language inside a sentence). Ranges drop what the two ends share, as people write
// them: 2026年11月5日から11月6日 / 5 and 6 November 2026.

/** A date from the profile: an ISO date written in each language's form, or free text kept as written. */
export type ProfileDate = { iso: string } | { text: string };

const JST_MS = 9 * 3_600_000;
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

interface Parts {
  y: number;
  m: number;
  d: number;
  hh: string;
  mm: string;
}

function jst(iso: string): Parts {
  const t = new Date(Date.parse(iso) + JST_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate(), hh: String(t.getUTCHours()).padStart(2, '0'), mm: String(t.getUTCMinutes()).padStart(2, '0') };
}

/** A profile value: YYYY-MM-DD is a date (midnight in Japan), anything else stays text. */
export function profileDate(v: unknown): ProfileDate | null {
  if (typeof v !== 'string' || !v.trim()) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(v) ? { iso: `${v}T00:00:00+09:00` } : { text: v.trim() };
}

/** The calendar day in Japan, YYYY-MM-DD, for comparing days. */
export function jstDay(iso: string): string {
  const p = jst(iso);
  return `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.d).padStart(2, '0')}`;
}

export const ja = {
  date(iso: string): string {
    const p = jst(iso);
    return `${p.y}年${p.m}月${p.d}日`;
  },
  dateTime(iso: string): string {
    const p = jst(iso);
    return `${p.y}年${p.m}月${p.d}日 ${p.hh}:${p.mm}`;
  },
  profileDate(v: ProfileDate): string {
    return 'iso' in v ? ja.date(v.iso) : v.text;
  },
  /** 「2026年11月5日から11月6日まで」 (or にかけて), one day as 「2026年11月5日」 (or 「…に」). */
  range(first: string, last: string, until = 'まで', oneDay = ''): string {
    const a = jst(first);
    const b = jst(last);
    if (jstDay(first) === jstDay(last)) return ja.date(first) + oneDay;
    const end = a.y === b.y ? `${b.m}月${b.d}日` : ja.date(last);
    return `${ja.date(first)}から${end}${until}`;
  },
};

export const en = {
  date(iso: string): string {
    const p = jst(iso);
    return `${p.d} ${MONTHS[p.m - 1]} ${p.y}`;
  },
  dateTime(iso: string): string {
    const p = jst(iso);
    return `${p.d} ${MONTHS[p.m - 1]} ${p.y}, ${p.hh}:${p.mm}`;
  },
  profileDate(v: ProfileDate): string {
    return 'iso' in v ? en.date(v.iso) : v.text;
  },
  /** "between 5 and 6 November 2026", "between 30 October and 2 November 2026", one day as "on 5 November 2026". */
  between(first: string, last: string): string {
    const a = jst(first);
    const b = jst(last);
    if (jstDay(first) === jstDay(last)) return `on ${en.date(first)}`;
    const start = a.y !== b.y ? en.date(first) : a.m !== b.m ? `${a.d} ${MONTHS[a.m - 1]}` : `${a.d}`;
    return `between ${start} and ${en.date(last)}`;
  },
  /** "5 to 6 November 2026" for lists; one day as "5 November 2026". */
  range(first: string, last: string): string {
    const a = jst(first);
    const b = jst(last);
    if (jstDay(first) === jstDay(last)) return en.date(first);
    const start = a.y !== b.y ? en.date(first) : a.m !== b.m ? `${a.d} ${MONTHS[a.m - 1]}` : `${a.d}`;
    return `${start} to ${en.date(last)}`;
  },
};

/** Times for a CSV read by mail-merge: 2026-11-05 10:12 (Japan time, said in the column name). */
export function csvJst(iso: string | null): string {
  if (!iso) return '';
  const p = jst(iso);
  return `${jstDay(iso)} ${p.hh}:${p.mm}`;
}
