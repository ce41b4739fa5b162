// `blastradius analyze` (and the end of `scan`): read the case, judge every message, send,
// session and account, store the verdicts and the figures.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { normaliseDomains } from '../mail/direction.js';
import { assertOurCaseFile, NotACaseFileError } from '../store/case-file.js';
import { CaseReader } from '../store/case-reader.js';
import { migrate } from '../store/schema.js';
import { loadAccountMap } from './account-map.js';
import { analyzeCase, type CaseAnalysis } from './analyze-case.js';
import { emptyIocList, loadIocList } from './ioc-list.js';
import { loadRoster } from './roster.js';

export interface AnalysisOptions {
  /** Org domains; empty: the ones the case was scanned with. */
  orgDomains: string[];
  iocFiles?: string[];
  rosterFile?: string;
  accountMapFile?: string;
}

export function runAnalysis(casePath: string, opts: AnalysisOptions): CaseAnalysis & { orgDomains: string[] } {
  if (!existsSync(casePath)) throw new NotACaseFileError(`case file not found: ${casePath}`);
  assertOurCaseFile(casePath);
  const db = new Database(casePath, { fileMustExist: true });
  try {
    migrate(db);
    const orgDomains = opts.orgDomains.length ? normaliseDomains(opts.orgDomains) : new CaseReader(db).storedOrgDomains();
    const iocs = opts.iocFiles?.length ? opts.iocFiles.reduce((l, f) => loadIocList(f, l), emptyIocList()) : null;
    const roster = opts.rosterFile ? loadRoster(opts.rosterFile) : undefined;
    const accountMap = opts.accountMapFile ? loadAccountMap(opts.accountMapFile) : undefined;
    const analysis = analyzeCase(db, { orgDomains, iocs, roster, accountMap });
    return { ...analysis, orgDomains };
  } finally {
    db.close();
  }
}
