// blastradius inspect: macro and payload analysis of files, without running anything.
import type { Command } from 'commander';
import { listFiles } from '../ingest/list-files.js';
import { CliError } from './errors.js';
import { assertInputsExist, collect } from './options.js';

export function registerInspect(program: Command): void {
  program
    .command('inspect')
    .description(
      'Analyse files for macros without running anything: VBA (OLE, OOXML, PowerPoint, Word 2003 XML, Flat OPC),\n' +
        'Excel 4.0 macro sheets, DDE, external template links, embedded objects, encryption, and ZIP archives.\n' +
        'Exit codes (the highest wins): 0 no macro, 2 macros, 9 encrypted, 10 error, 20 suspicious.',
    )
    .argument('<files...>', 'files or folders to analyse (folders walked recursively; type detected by content)')
    .option('--password <password>', 'password to try on encrypted archives (repeatable)', collect, [])
    .option('--extract <dir>', 'write each file and archive member that is not clean into DIR, inside a ZIP with the password "infected"')
    .option('--json', 'print one JSON array with a result per file')
    .action(async (paths: string[], o: { password: string[]; json?: boolean; extract?: string }) => {
      assertInputsExist(paths);
      const files = await listFiles(paths);
      if (files.length === 0) throw new CliError('input', `no files to inspect in ${paths.join(', ')}`, 'name files or folders that hold them');
      const { Extractor } = await import('../report/extract.js');
      const extractor = o.extract ? new Extractor(o.extract) : null;
      const { unreadFile, exitCodeFor } = await import('../office/inspect.js');
      const { inspectDeep } = await import('../office/inspect-deep.js');
      const { formatInspect, withReasons } = await import('../report/inspect-text.js');
      const { readFile } = await import('node:fs/promises');
      const results = [];
      for (const f of files) {
        let bytes: Buffer;
        try {
          bytes = await readFile(f);
        } catch (e) {
          results.push(unreadFile(f, `cannot read: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`));
          continue;
        }
        const r = await inspectDeep(bytes, f, {
          passwords: o.password,
          onObject: extractor ? (obj, b) => void (obj.verdict !== 'clean' && b.length > 0 && extractor.write(obj.file, obj.sha256, b)) : undefined,
        });
        results.push(r);
      }
      // Machines get the typed findings and grounds and, beside them, the same reasons people read.
      if (o.json) process.stdout.write(JSON.stringify(results.map(withReasons)) + '\n');
      else for (const r of results) process.stdout.write(formatInspect(r) + '\n');
      process.exitCode = exitCodeFor(results);
    });
}
