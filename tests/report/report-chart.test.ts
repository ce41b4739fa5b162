// The chart's time axis and the zone clock: per hour up to three days, per day beyond,
// every bin between the first send and the last (empty ones included), bins on local
// hours and local midnights; zone labels and CSV column names with the offset.
import { describe, expect, it } from 'vitest';
import { chartBins, chartSvg } from '../../src/report/report-chart.js';
import { CsvClock, UnknownTimeZoneError, ZoneClock } from '../../src/report/report-time.js';
import { EN, JA } from '../../src/report/report-words.js';
import { TWO_WEEK_START, twoWeekSends } from './report-two-week.js';

const H = 3_600_000;
const tokyo = new ZoneClock('Asia/Tokyo');

describe('chart bins', () => {
  it('a two-week case is drawn per Japan day, every day from the first send to the last, silent days empty', () => {
    const sends = twoWeekSends(14);
    const c = chartBins(sends, tokyo);
    expect(c.unit).toBe('day');
    // 2026-11-01 09:30 JST to 2026-11-15 08:30 JST: 15 Japan days.
    expect(sends[0]!.time).toBe('2026-11-01T00:30:00.000Z');
    expect(sends[sends.length - 1]!.time).toBe('2026-11-14T23:30:00.000Z');
    expect(c.bins).toHaveLength(15);
    c.bins.forEach((b, i) => {
      expect(new Date(b.start).toISOString()).toBe(new Date(Date.parse('2026-10-31T15:00:00.000Z') + i * 24 * H).toISOString());
      expect(b.end - b.start).toBe(24 * H);
    });
    expect(c.bins.reduce((a, b) => a + b.total, 0)).toBe(sends.length);
    // Days 5 to 7 after the start have no sends (Japan days 6–8 November, partly 5 and 9).
    expect(c.bins.filter((b) => b.total === 0).map((b) => tokyo.day(new Date(b.start).toISOString()))).toEqual(['2026-11-07', '2026-11-08']);
    const svg = chartSvg(c, tokyo, JA);
    expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 1000 \d+"[^>]*width="100%"/);
    expect(svg).toContain('data-unit="day" data-bins="15"');
    expect([...svg.matchAll(/<g class="bin"/g)]).toHaveLength(15);
    // Every drawn element stays inside the 1000-unit-wide view box.
    for (const m of svg.matchAll(/<rect x="([\d.]+)"[^>]* width="([\d.]+)"/g)) expect(Number(m[1]) + Number(m[2])).toBeLessThanOrEqual(1000.05);
    for (const m of svg.matchAll(/<text x="([\d.]+)"/g)) expect(Number(m[1])).toBeLessThanOrEqual(1000);
    expect(svg).toContain('期間が 3 日を超えるため 1 日ごとに表示しています');
  });

  it('up to 72 hours is per hour, a second more is per day', () => {
    const at = (ms: number) => ({ time: new Date(TWO_WEEK_START + ms).toISOString(), account: 'a@x.example' });
    const hourly = chartBins([at(0), at(72 * H)], tokyo);
    expect(hourly.unit).toBe('hour');
    expect(hourly.bins).toHaveLength(73);
    expect(hourly.bins.filter((b) => b.total).length).toBe(2);
    expect(chartBins([at(0), at(72 * H + 1000)], tokyo).unit).toBe('day');
  });

  it('counts each send in its own local hour, and leaves out sends without a time', () => {
    const c = chartBins(
      [
        { time: '2026-11-05T01:12:08.000Z', account: 'a' },
        { time: '2026-11-05T01:59:59.999Z', account: 'b' },
        { time: '2026-11-05T04:00:00.000Z', account: 'a' },
        { time: null, account: 'a' },
      ],
      tokyo,
    );
    expect(c.bins.map((b) => [new Date(b.start).toISOString(), b.total])).toEqual([
      ['2026-11-05T01:00:00.000Z', 2],
      ['2026-11-05T02:00:00.000Z', 0],
      ['2026-11-05T03:00:00.000Z', 0],
      ['2026-11-05T04:00:00.000Z', 1],
    ]);
    expect(c.untimed).toBe(1);
    expect(chartSvg(c, tokyo, EN)).toContain('1 mails without a time are not shown');
  });

  it('a zone half an hour off UTC bins on its own hours', () => {
    const c = chartBins([{ time: '2026-11-05T01:12:00.000Z', account: 'a' }], new ZoneClock('Asia/Kolkata'));
    expect(new Date(c.bins[0]!.start).toISOString()).toBe('2026-11-05T00:30:00.000Z');
  });

  it('a two-week case in Europe/London over the clock change has 15 local days, the one with the change 25 hours long', () => {
    const london = new ZoneClock('Europe/London');
    const c = chartBins([{ time: '2026-10-20T12:00:00.000Z', account: 'a' }, { time: '2026-11-03T12:00:00.000Z', account: 'a' }], london);
    expect(c.bins).toHaveLength(15);
    expect(c.bins.map((b) => (b.end - b.start) / H).filter((h) => h !== 24)).toEqual([25]);
    expect(new Date(c.bins[0]!.start).toISOString()).toBe('2026-10-19T23:00:00.000Z');
    expect(new Date(c.bins[14]!.start).toISOString()).toBe('2026-11-03T00:00:00.000Z');
  });
});

describe('zone clock', () => {
  it('writes Japan time with its offset', () => {
    expect(tokyo.label(['2026-11-05T01:12:08.000Z'])).toBe('JST (UTC+9)');
    expect(tokyo.second('2026-11-05T15:12:08.123Z')).toBe('2026-11-06 00:12:08');
    expect(tokyo.minute('2026-11-05T15:12:08.123Z')).toBe('2026-11-06 00:12');
    expect(tokyo.minute(null)).toBe('');
    expect(JA.dateTime(tokyo, '2026-11-05T01:12:08.000Z')).toBe('2026年11月5日 10:12');
    expect(JA.range(tokyo, '2026-11-05T01:12:08.000Z', '2026-11-05T07:40:08.000Z')).toBe('2026年11月5日 10:12 〜 16:40');
    expect(EN.range(tokyo, '2026-12-31T01:00:00.000Z', '2027-01-01T01:00:00.000Z')).toBe('31 Dec 2026, 10:00 – 1 Jan 2027, 10:00');
  });

  it('names a zone that changed offset with both, and the CSV columns with the zone instead of an offset', () => {
    const london = new ZoneClock('Europe/London');
    expect(london.label(['2026-10-20T12:00:00.000Z', '2026-11-03T12:00:00.000Z'])).toBe('GMT (UTC+0) / BST (UTC+1)');
    const varying = new CsvClock(london, ['2026-10-20T12:00:00.000Z', '2026-11-03T12:00:00.000Z']);
    expect(varying.column('first')).toBe('first_local(Europe/London)');
    expect(varying.cell('2026-10-20T12:00:00.000Z')).toBe('2026-10-20 13:00:00 +01:00');
    const fixed = new CsvClock(new ZoneClock('America/New_York'), ['2026-11-03T12:00:00.000Z']);
    expect(fixed.column('first')).toBe('first_local(-05:00)');
    expect(fixed.cell('2026-11-03T12:00:00.000Z')).toBe('2026-11-03 07:00:00');
    expect(new CsvClock(tokyo, []).column('last')).toBe('last_jst(+09:00)');
  });

  it('refuses an unknown zone', () => {
    expect(() => new ZoneClock('Mars/Olympus')).toThrow(UnknownTimeZoneError);
  });
});
