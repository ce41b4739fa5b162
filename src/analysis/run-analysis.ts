// `blastradius analyze` (and the end of `scan`): read the case, judge every message and
// account, store the verdicts and counts.
import Database from 'better-sqlite3';
import { normaliseDomains } from '../mail/direction.js';
import { saveAnalysis } from '../store/verdict-store.js';
import { migrate } from '../store/schema.js';
import { existsSync } from 'node:fs';
import { assertOurCaseFile, NotACaseFileError } from '../store/case-file.js';
import { analyzeCase, type CaseAnalysis } from './analyze-case.js';
import { emptyIocList, loadIocList } from './ioc-list.js';
import { loadRoster } from './roster.js';

export interface AnalysisOptions {
  /** Org domains; empty: the ones the case was scanned with. */
  orgDomains: string[];
  iocFiles?: string[];
  rosterFile?: string;
}

export function runAnalysis(casePath: string, opts: AnalysisOptions): CaseAnalysis & { orgDomains: string[] } {
  if (!existsSync(casePath)) throw new NotACaseFileError(`case file not found: ${casePath}`);
  assertOurCaseFile(casePath);
  const db = new Database(casePath, { fileMustExist: true });
  try {
    migrate(db);
    const stored = (db.prepare("SELECT value FROM meta WHERE key = 'org_domains'").get() as { value: string } | undefined)?.value;
    const orgDomains = opts.orgDomains.length ? normaliseDomains(opts.orgDomains) : stored ? (JSON.parse(stored) as string[]) : [];
    const iocs = opts.iocFiles?.length ? opts.iocFiles.reduce((l, f) => loadIocList(f, l), emptyIocList()) : null;
    const roster = opts.rosterFile ? loadRoster(opts.rosterFile) : undefined;
    const analysis = analyzeCase(db, orgDomains, iocs, roster);
    saveAnalysis(db, analysis);
    return { ...analysis, orgDomains };
  } finally {
    db.close();
  }
}
