// Attacker-written text (subjects, file names, display names) bound for a person: escape
// sequences (ESC[…, OSC) recolour, retitle or rewrite a responder's terminal, and
// bidirectional overrides reverse what is shown ("invoice_\u202Efdp.exe" reads as
// "invoice_exe.pdf") in a terminal, a browser and Excel alike. Those characters are shown
// as visible \u escapes instead, in the terminal, report.html and the CSV files.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function visibleControls(s: string): string {
  return s.replace(CONTROLS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Text for the terminal. */
export const forTerminal = visibleControls;
