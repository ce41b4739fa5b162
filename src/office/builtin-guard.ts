// pdf.js's legacy build (officeparser loads it for the text of PDFs) carries core-js, which
// replaces built-ins it finds wanting on Node 20's V8 with JavaScript versions, for the
// whole thread and for good: Array.prototype.push (V8 before 12.2 misreports a push past a
// non-writable length), JSON.parse and JSON.stringify (no JSON.rawJSON), and
// Function.prototype.toString. The replacements are five to six times slower, and once a
// worker had read one PDF every message parsed after it paid for them (issue 19). The
// methods it adds where Node has none (Promise.withResolvers, which pdf.js needs, the Set
// methods, the iterator helpers) are left in place; only the ones Node had are put back.

/** The built-ins core-js was seen to replace, and where they live. */
const GUARDED: readonly (readonly [object, readonly string[]])[] = [
  [Array.prototype, ['push']],
  [JSON, ['parse', 'stringify']],
  [Function.prototype, ['toString']],
];

/**
 * Take note of the guarded built-ins as they are now (call before loading pdf.js), and
 * return a function that puts back any that have been replaced since.
 */
export function keepBuiltins(): () => void {
  const kept = GUARDED.flatMap(([owner, names]) => names.map((name) => [owner, name, Object.getOwnPropertyDescriptor(owner, name)!] as const));
  return () => {
    for (const [owner, name, descriptor] of kept) {
      if (Object.getOwnPropertyDescriptor(owner, name)?.value !== descriptor.value) Object.defineProperty(owner, name, descriptor);
    }
  };
}
