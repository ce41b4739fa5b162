// Text bound for a terminal: attacker-written subjects and file names can carry escape
// sequences (ESC[…, OSC) that recolour, retitle or rewrite a responder's terminal, and
// bidirectional overrides that reverse what is shown ("invoice_fdp.exe"). Those characters
// are shown as visible \u escapes instead.
export function forTerminal(s: string): string {
  return s.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
