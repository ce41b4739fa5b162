// Reading a drafted notice by its "## " sections, for the notice tests.
import { expect } from 'vitest';

/** The text under a "## " heading, up to the next one. */
export function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  expect(start, `section ${heading}`).toBeGreaterThan(-1);
  const body = text.slice(start + heading.length + 5);
  const end = body.indexOf('\n## ');
  return end < 0 ? body : body.slice(0, end);
}
