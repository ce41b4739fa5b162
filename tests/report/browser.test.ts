// report.html in a real browser: headless Chromium (Debian package chromium, installed by
// .ci/run with fonts-noto-cjk for the Japanese text) renders the samples' report and a
// generated two-week case (the samples' written with the profile, as `npm start` does).
//
// How overflow is measured without a script in the page: the page has none and its
// Content-Security-Policy allows none. The test drives Chromium over the DevTools protocol
// (--remote-debugging-pipe: JSON messages on file descriptors 3 and 4), sets a 1280 px wide
// viewport and asks the browser's layout for the document's scroll width and every
// element's box (Runtime.evaluate runs in the DevTools' context, as a ruler held to the
// page; it is not part of the page). A page that fits has a scroll width of at most 1280 and
// no element whose right edge passes it. The same is measured with print media at the
// width A4 leaves between 12 mm margins (186 mm = 703 px), as printing lays it out.
// Console messages (console calls, uncaught errors, CSP violations, failed loads) arrive as
// protocol events and must not occur. The A4 PDF is printed with Chromium's own
// --print-to-pdf (its page size read from the PDF), the screenshot is the full page at 1280
// px; both are kept in reports/. Where Chromium is not installed the test is skipped, as its
// name says.
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import type { ReportProfile } from '../../src/report/report-facts.js';
import { renderHtmlReport } from '../../src/report/report-html.js';
import { writeReport } from '../../src/report/write-report.js';
import { ROOT, runCli, tempDir } from '../helpers.js';
import { twoWeekReport } from './report-two-week.js';

function chromium(): string | null {
  for (const c of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('which', [c], { encoding: 'utf8' }).trim() || null;
    } catch {
      // next name
    }
  }
  return null;
}

const bin = chromium();
const FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'];
/** A4 width less two 12 mm margins, in CSS px (96 per inch). */
const A4_CONTENT_PX = Math.floor(((210 - 24) / 25.4) * 96);

interface CdpEvent {
  method: string;
  params: Record<string, unknown>;
  sessionId?: string;
}

/** The DevTools protocol over Chromium's pipe: requests on fd 3, answers and events on fd 4, each JSON ended by NUL. */
class Cdp {
  private next = 0;
  private buf = Buffer.alloc(0);
  private readonly pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly events: CdpEvent[] = [];
  private waiters: { test: (e: CdpEvent) => boolean; resolve: () => void }[] = [];

  constructor(readonly proc: ChildProcess) {
    (proc.stdio[4] as Readable).on('data', (d: Buffer) => {
      this.buf = Buffer.concat([this.buf, d]);
      for (let i = this.buf.indexOf(0); i >= 0; i = this.buf.indexOf(0)) {
        const msg = JSON.parse(this.buf.subarray(0, i).toString('utf8')) as { id?: number; result?: Record<string, unknown>; error?: { message: string } } & CdpEvent;
        this.buf = this.buf.subarray(i + 1);
        if (msg.id !== undefined) {
          const p = this.pending.get(msg.id);
          this.pending.delete(msg.id);
          if (msg.error) p?.reject(new Error(msg.error.message));
          else p?.resolve(msg.result ?? {});
        } else {
          this.events.push(msg);
          this.waiters = this.waiters.filter((w) => (w.test(msg) ? (w.resolve(), false) : true));
        }
      }
    });
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = ++this.next;
    (this.proc.stdio[3] as Writable).write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise((resolve, reject) => this.pending.set(id, { resolve, reject }));
  }

  once(test: (e: CdpEvent) => boolean): Promise<void> {
    return new Promise((resolve) => this.waiters.push({ test, resolve }));
  }
}

interface Measure {
  scrollWidth: number;
  clientWidth: number;
  overflowing: string[];
  svgWidth: number;
  height: number;
}

async function openPage(cdp: Cdp, url: string): Promise<string> {
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = (await cdp.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  for (const d of ['Page.enable', 'Runtime.enable', 'Log.enable']) await cdp.send(d, {}, sessionId);
  const loaded = cdp.once((e) => e.method === 'Page.loadEventFired' && e.sessionId === sessionId);
  await cdp.send('Page.navigate', { url }, sessionId);
  await loaded;
  return sessionId;
}

async function measure(cdp: Cdp, s: string, width: number, media: 'screen' | 'print'): Promise<Measure> {
  await cdp.send('Emulation.setEmulatedMedia', { media }, s);
  await cdp.send('Emulation.setDeviceMetricsOverride', { width, height: 900, deviceScaleFactor: 1, mobile: false }, s);
  const r = (await cdp.send(
    'Runtime.evaluate',
    {
      returnByValue: true,
      expression: `(() => {
        const de = document.documentElement;
        const over = [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > de.clientWidth + 0.5)
          .map((e) => e.tagName.toLowerCase() + (e.getAttribute('class') ? '.' + e.getAttribute('class') : '') + ' ' + Math.round(e.getBoundingClientRect().right));
        // Text that spills out of its element does not widen the element's box: measured apart.
        const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        const range = document.createRange();
        for (let n = walk.nextNode(); n; n = walk.nextNode()) {
          range.selectNodeContents(n);
          const r = range.getBoundingClientRect();
          if (r.width && r.right > de.clientWidth + 0.5) over.push('text in ' + n.parentElement.tagName.toLowerCase() + ' ' + Math.round(r.right) + ' ' + n.textContent.slice(0, 40));
        }
        const svg = document.querySelector('svg.chart');
        return { scrollWidth: de.scrollWidth, clientWidth: de.clientWidth, overflowing: over.slice(0, 20), svgWidth: svg ? svg.getBoundingClientRect().width : 0, height: de.scrollHeight };
      })()`,
    },
    s,
  )) as { result: { value: Measure } };
  return r.result.value;
}

/** Console calls, uncaught errors and log entries (CSP violations, failed loads) of a page. */
function messages(cdp: Cdp, s: string): string[] {
  return cdp.events
    .filter((e) => e.sessionId === s && ['Runtime.consoleAPICalled', 'Runtime.exceptionThrown', 'Log.entryAdded'].includes(e.method))
    .map((e) => `${e.method} ${JSON.stringify(e.params).slice(0, 300)}`);
}

describe('report.html in headless Chromium', () => {
  let dir = '';
  let cdp: Cdp | null = null;
  let samples = '';
  let twoWeek = '';
  const notices: { lang: string; file: string }[] = [];

  beforeAll(() => {
    if (bin === null) return;
    dir = tempDir('browser');
    const casePath = join(dir, 'c.sqlite');
    runCli(['scan', 'samples/mail', '--profile', 'samples/blastradius.json', '--case', casePath, '--quiet']);
    const db = new Database(casePath, { readonly: true });
    try {
      writeReport(db, join(dir, 'out'), { profile: JSON.parse(readFileSync(join(ROOT, 'samples/blastradius.json'), 'utf8')) as ReportProfile });
    } finally {
      db.close();
    }
    samples = join(dir, 'out', 'report.html');
    for (const lang of ['ja', 'en']) {
      const file = join(dir, `notice.${lang}.html`);
      const r = runCli(['notice', '--case', casePath, '--profile', 'samples/blastradius.json', '--lang', lang, '--format', 'html', '--out', file]);
      if (r.code === 0) notices.push({ lang, file });
    }
    twoWeek = join(dir, 'two-week.html');
    writeFileSync(twoWeek, renderHtmlReport(twoWeekReport(14)));
    const proc = spawn(bin, [...FLAGS, '--remote-debugging-pipe', `--user-data-dir=${join(dir, 'profile-cdp')}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
    proc.stderr!.resume();
    cdp = new Cdp(proc);
  });

  afterAll(async () => {
    if (!cdp) return;
    const proc = cdp.proc;
    const exited = new Promise<void>((resolve) => (proc.exitCode !== null || proc.signalCode !== null ? resolve() : proc.once('exit', () => resolve())));
    await cdp.send('Browser.close').catch(() => undefined);
    proc.kill();
    // Its profile folder is removed with the test's folder once it has let go of it.
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  });

  it.skipIf(bin === null)(`fits 1280 px and A4 width without horizontal overflow or console messages, and leaves a full-page screenshot${bin === null ? ' (chromium not installed)' : ''}`, async () => {
    for (const [name, file] of [['samples', samples], ['two-week case', twoWeek]] as const) {
      const s = await openPage(cdp!, `file://${file}`);
      const screen = await measure(cdp!, s, 1280, 'screen');
      expect(screen.clientWidth, name).toBe(1280);
      expect(screen.overflowing, name).toEqual([]);
      expect(screen.scrollWidth, `${name} ${JSON.stringify(screen)}`).toBeLessThanOrEqual(1280);
      // The chart takes the content width (1200 px less the padding), whatever the span.
      expect(screen.svgWidth, name).toBeGreaterThan(1100);
      expect(screen.svgWidth, name).toBeLessThanOrEqual(1200);
      const print = await measure(cdp!, s, A4_CONTENT_PX, 'print');
      expect(print.overflowing, `${name} print`).toEqual([]);
      expect(print.scrollWidth, `${name} print ${JSON.stringify(print)}`).toBeLessThanOrEqual(A4_CONTENT_PX);
      expect(print.svgWidth, `${name} print`).toBeLessThanOrEqual(A4_CONTENT_PX);
      expect(messages(cdp!, s), name).toEqual([]);
      if (name === 'samples') {
        await cdp!.send('Emulation.setEmulatedMedia', { media: 'screen' }, s);
        await cdp!.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: screen.height, deviceScaleFactor: 1, mobile: false }, s);
        const shot = (await cdp!.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, s)) as { data: string };
        mkdirSync(join(ROOT, 'reports'), { recursive: true });
        writeFileSync(join(ROOT, 'reports', 'report.png'), Buffer.from(shot.data, 'base64'));
        const png = readFileSync(join(ROOT, 'reports', 'report.png'));
        // PNG header: width and height of the image, big-endian at bytes 16 and 20.
        expect(png.readUInt32BE(16)).toBe(1280);
        expect(png.readUInt32BE(20)).toBe(screen.height);
        expect(png.length).toBeGreaterThan(50_000);
      }
    }
  });

  it.skipIf(bin === null)(`prints to an A4 PDF with no console messages${bin === null ? ' (chromium not installed)' : ''}`, () => {
    const pdf = join(ROOT, 'reports', 'report-a4.pdf');
    mkdirSync(join(ROOT, 'reports'), { recursive: true });
    const r = spawnSync(
      bin!,
      [...FLAGS, `--user-data-dir=${join(dir, 'profile-pdf')}`, '--enable-logging=stderr', '--v=0', '--no-pdf-header-footer', `--print-to-pdf=${pdf}`, `file://${samples}`],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(pdf) && statSync(pdf).size > 20_000).toBe(true);
    // Chromium logs page console output as "CONSOLE(line)"; a blocked load would appear too.
    expect(r.stderr.split('\n').filter((l) => /CONSOLE|Refused to|Failed to load/.test(l))).toEqual([]);
    const text = readFileSync(pdf, 'latin1');
    // Every page is A4 (595.28 × 841.89 pt; Chromium rounds to whole device pixels).
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    for (const [w, h] of boxes) {
      expect(Math.abs(w! - 595.28)).toBeLessThan(1.5);
      expect(Math.abs(h! - 841.89)).toBeLessThan(1.5);
    }
  });

  it.skipIf(bin === null)(`renders the HTML notice in both languages within 1280 px, with no console messages, and leaves screenshots${bin === null ? ' (chromium not installed)' : ''}`, async () => {
    expect(notices.map((n) => n.lang)).toEqual(['ja', 'en']);
    for (const n of notices) {
      const s = await openPage(cdp!, `file://${n.file}`);
      const screen = await measure(cdp!, s, 1280, 'screen');
      expect(screen.overflowing, n.lang).toEqual([]);
      expect(screen.scrollWidth, n.lang).toBeLessThanOrEqual(1280);
      expect(messages(cdp!, s), n.lang).toEqual([]);
      await cdp!.send('Emulation.setDeviceMetricsOverride', { width: 1280, height: screen.height, deviceScaleFactor: 1, mobile: false }, s);
      const shot = (await cdp!.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true }, s)) as { data: string };
      const png = Buffer.from(shot.data, 'base64');
      writeFileSync(join(ROOT, 'reports', `notice.${n.lang}.png`), png);
      expect(png.readUInt32BE(16)).toBe(1280);
    }
  });
});
