// ZoneClock's local times counted from a quarter hour's offset are those Intl gives, in zones
// with daylight saving at odd offsets and hours, around their changes, and far from now.
import { describe, expect, it } from 'vitest';
import { ZoneClock } from '../../src/report/report-time.js';

const ZONES = ['Asia/Tokyo', 'Europe/London', 'America/New_York', 'America/St_Johns', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'America/Santiago', 'UTC'];

describe('ZoneClock.partsAt', () => {
  it('equals Intl through 2026 (every daylight-saving change of the year crossed) and at random instants', () => {
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (const zone of ZONES) {
      const clock = new ZoneClock(zone);
      const times: number[] = [];
      // Every 29 minutes 17 seconds through 2026: odd steps meet every quarter hour's offset at different seconds.
      for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 1_757_000) times.push(t);
      // Random instants from 1850 (local mean time in some zones) to 2100, with milliseconds.
      for (let i = 0; i < 1000; i++) times.push(Math.floor(Date.UTC(1850, 0, 1) + rnd() * (Date.UTC(2100, 0, 1) - Date.UTC(1850, 0, 1))));
      for (const t of times) {
        const { exactOffset: _, ...intl } = clock.intlParts(t);
        const mine = clock.partsAt(t);
        if (JSON.stringify(mine) !== JSON.stringify(intl)) expect({ zone, t: new Date(t).toISOString(), mine }).toEqual({ zone, t: new Date(t).toISOString(), mine: intl });
      }
    }
  });
});
