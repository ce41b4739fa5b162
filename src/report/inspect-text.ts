// Human-readable output of `blastradius inspect`: one block per file, children indented.
import { forTerminal } from './terminal.js';
import type { InspectResult } from '../office/inspect.js';
import { inspectReasons } from './inspect-reasons.js';

/** The result with each object's worded reasons beside its typed findings, for --json. */
export function withReasons(r: InspectResult): InspectResult & { reasons: string[] } {
  return { ...r, reasons: inspectReasons(r), children: r.children.map(withReasons) };
}

export function formatInspect(r: InspectResult, indent = ''): string {
  const lines: string[] = [];
  lines.push(`${indent}${r.verdict.toUpperCase().padEnd(10)} ${r.file}  [${r.container}, ${r.size} bytes, sha256 ${r.sha256.slice(0, 16)}…]`);
  const sub = indent + '    ';
  if (r.encrypted) lines.push(`${sub}encrypted: ${r.encryption}`);
  if (r.archive) lines.push(`${sub}archive: ${r.archive.encrypted ? 'encrypted' : 'not encrypted'}${r.archive.encrypted ? `, ${r.archive.opened ? `opened with password "${r.archive.password}"` : 'not opened'}` : ''}`);
  for (const m of r.macros.modules) lines.push(`${sub}VBA module ${m.name}.${m.kind} (${m.stream}, ${m.sourceBytes} bytes of source${m.stomped ? ', SOURCE MISSING' : ''})`);
  for (const s of r.macros.macroSheets) lines.push(`${sub}Excel 4.0 macro sheet ${s.name} (${s.visibility})`);
  if (r.macros.xlmFunctions.length) lines.push(`${sub}Excel 4.0 functions: ${r.macros.xlmFunctions.join(', ')}`);
  if (r.autoexec.length) lines.push(`${sub}auto-exec: ${r.autoexec.join(', ')}`);
  for (const s of r.suspicious) lines.push(`${sub}suspicious: ${s.keyword} — ${s.description}`);
  if (r.iocs.length) lines.push(`${sub}IOCs: ${r.iocs.join(', ')}`);
  for (const d of r.dde) lines.push(`${sub}DDE: ${d}`);
  for (const e of r.externalRelationships) lines.push(`${sub}external relationship: ${e}`);
  for (const e of r.embedded) lines.push(`${sub}embedded object: ${e}`);
  for (const l of r.lures) lines.push(`${sub}lure: ${l}`);
  for (const reason of inspectReasons(r)) lines.push(`${sub}reason: ${reason}`);
  for (const e of r.errors) lines.push(`${sub}error: ${e}`);
  for (const c of r.children) lines.push(formatInspect(c, sub));
  return lines.map(forTerminal).join('\n');
}
