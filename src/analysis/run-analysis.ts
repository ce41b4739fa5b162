// `blastradius analyze` (and the end of `scan`): read the case, judge every message, send,
// session and account, store the verdicts and the figures.
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { normaliseDomains } from '../mail/direction.js';
import { assertOurCaseFile, NotACaseFileError } from '../store/case-file.js';
import { CaseReader } from '../store/case-reader.js';
import { HostQueries } from '../store/host-queries.js';
import { HostStore } from '../store/host-store.js';
import { migrate } from '../store/schema.js';
import { loadAccountMap } from './account-map.js';
import { analyzeCase, type CaseAnalysis } from './analyze-case.js';
import { hostVerdicts } from './host-verdicts.js';
import { addFeedEntries, emptyIocList, loadIocList } from './ioc-list.js';
import { loadRoster } from './roster.js';

export interface AnalysisOptions {
  /** Org domains; empty: the ones the case was scanned with. */
  orgDomains: string[];
  iocFiles?: string[];
  rosterFile?: string;
  accountMapFile?: string;
}

/** Hosts by verdict, and the clients the network logs saw that no evidence points at. */
export interface HostCounts {
  infected: number;
  suspected: number;
  clean: number;
  quietClients: number;
}

export function runAnalysis(casePath: string, opts: AnalysisOptions): CaseAnalysis & { orgDomains: string[]; hosts: HostCounts } {
  if (!existsSync(casePath)) throw new NotACaseFileError(`case file not found: ${casePath}`);
  assertOurCaseFile(casePath);
  const db = new Database(casePath, { fileMustExist: true });
  try {
    migrate(db);
    const orgDomains = opts.orgDomains.length ? normaliseDomains(opts.orgDomains) : new CaseReader(db).storedOrgDomains();
    const fileIocs = opts.iocFiles?.length ? opts.iocFiles.reduce((l, f) => loadIocList(f, l), emptyIocList()) : null;
    const hostStore = new HostStore(db);
    const iocs = hostStore.hasFeedEntries() ? addFeedEntries(fileIocs ?? emptyIocList(), hostStore.indexEntries()) : fileIocs;
    const roster = opts.rosterFile ? loadRoster(opts.rosterFile) : undefined;
    const accountMap = opts.accountMapFile ? loadAccountMap(opts.accountMapFile) : undefined;
    const analysis = analyzeCase(db, { orgDomains, iocs, roster, accountMap });
    // Which PCs were infected: after the account verdicts, whose compromise windows it joins.
    const hostsQ = new HostQueries(db);
    const hv = hostVerdicts(hostsQ.inputs());
    db.transaction(() => hostsQ.writeVerdicts(hv.hosts, hv.quietClients))();
    const count = (v: string) => hv.hosts.filter((h) => h.verdict === v).length;
    return { ...analysis, orgDomains, hosts: { infected: count('infected'), suspected: count('suspected'), clean: count('clean'), quietClients: hv.quietClients } };
  } finally {
    db.close();
  }
}
