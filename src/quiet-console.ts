// Libraries that read hostile files print what they find wrong with them to the console
// (xmldom through officeparser, msgreader's console.debug of a broken recurrence, SheetJS
// cfb's warnings), and that text is the attacker's. None of them takes a logger, so the
// console is held while they run and what they say is counted instead of printed.
const METHODS = ['log', 'info', 'warn', 'error', 'debug', 'trace'] as const;

type Console = Pick<typeof console, (typeof METHODS)[number]>;

function hold(): { restore: () => void; count: () => number } {
  const saved = METHODS.map((m) => console[m]);
  let n = 0;
  for (const m of METHODS) (console as Console)[m] = () => void n++;
  return { restore: () => METHODS.forEach((m, i) => ((console as Console)[m] = saved[i]!)), count: () => n };
}

/** Run a synchronous library call with the console held; returns what it gave and how often it tried to print. */
export function quietly<T>(fn: () => T): { value: T; complaints: number } {
  const h = hold();
  try {
    return { value: fn(), complaints: h.count() };
  } finally {
    h.restore();
  }
}

/**
 * The same for an asynchronous call. While it awaits, other code's console output is held
 * too: use it only where nothing else of ours prints (scan workers, inspect's analysis).
 */
export async function quietlyAsync<T>(fn: () => Promise<T>): Promise<{ value: T; complaints: number }> {
  const h = hold();
  try {
    return { value: await fn(), complaints: h.count() };
  } finally {
    h.restore();
  }
}
