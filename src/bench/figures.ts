// How the bench writes its figures: megabytes of 10^6 bytes, a fixed number of decimals,
// columns padded, and the JSON summary a child prints on its last line.
export const mb = (b: number) => b / 1e6;
export const f2 = (n: number) => n.toFixed(2);
export const f1 = (n: number) => n.toFixed(1);
export const f0 = (n: number) => n.toFixed(0);
export const pad = (s: string, n: number) => s.padEnd(n + 4);
export const lastJson = <T = Record<string, number>>(s: string) => JSON.parse(s.trim().split('\n').pop()!) as T;
