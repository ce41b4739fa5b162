// Storing attachment analyses. Identical bytes are analysed once: the root row is shared
// by sha256. An encrypted archive analysed without its password is analysed again when a
// later message brings password candidates, and its row is replaced by the opened result.
import type Database from 'better-sqlite3';
import type { InspectResult } from '../office/inspect.js';

export class AnalysisStore {
  private readonly byRoot;
  private readonly insert;
  private readonly insertModule;
  private readonly children;
  private readonly deleteModules;
  private readonly deleteRow;
  private readonly link;
  /** Attachments whose stale analysis (an unopened archive) was removed, to link to its replacement. */
  private readonly relink = new Map<string, number[]>();

  constructor(private readonly db: Database.Database) {
    this.byRoot = db.prepare<[string], { id: number; archive_json: string | null }>('SELECT id, archive_json FROM analyses WHERE sha256 = ? AND parent_ref IS NULL');
    this.insert = db.prepare(
      `INSERT INTO analyses (parent_ref, name, sha256, size, container, verdict, encrypted, encryption, vba, xlm, autoexec_json,
        suspicious_json, iocs_json, dde_json, external_json, embedded_json, macro_sheets_json, archive_json, disguised, reasons_json, errors_json, payload_json, findings_json)
       VALUES (@parent_ref, @name, @sha256, @size, @container, @verdict, @encrypted, @encryption, @vba, @xlm, @autoexec_json,
        @suspicious_json, @iocs_json, @dde_json, @external_json, @embedded_json, @macro_sheets_json, @archive_json, @disguised, '[]', @errors_json, @payload_json, @findings_json)`,
    );
    this.insertModule = db.prepare(
      'INSERT INTO vba_modules (analysis_ref, name, stream, kind, source, pcode_bytes, source_bytes, stomped) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.children = db.prepare<[number], { id: number }>('SELECT id FROM analyses WHERE parent_ref = ?');
    this.deleteModules = db.prepare('DELETE FROM vba_modules WHERE analysis_ref = ?');
    this.deleteRow = db.prepare('DELETE FROM analyses WHERE id = ?');
    this.link = db.prepare('UPDATE attachments SET analysis_ref = ? WHERE message_ref = ? AND ordinal = ?');
  }

  /** True when these bytes need (re-)analysis: not stored yet, or an unopened encrypted archive and passwords to try. */
  needsAnalysis(sha256: string, havePasswords: boolean): boolean {
    const row = this.byRoot.get(sha256);
    if (!row) return true;
    if (!havePasswords || !row.archive_json) return false;
    const a = JSON.parse(row.archive_json) as { encrypted: boolean; opened: boolean };
    return a.encrypted && !a.opened;
  }

  /**
   * The stored root analysis for these bytes, unless it is an encrypted archive that was
   * not opened and `havePasswords` says this message could open it.
   */
  known(sha256: string, havePasswords: boolean): number | null {
    const row = this.byRoot.get(sha256);
    if (!row) return null;
    if (havePasswords && row.archive_json) {
      const a = JSON.parse(row.archive_json) as { encrypted: boolean; opened: boolean };
      if (a.encrypted && !a.opened) {
        const linked = this.db.prepare<[number], { id: number }>('SELECT id FROM attachments WHERE analysis_ref = ?').all(row.id);
        this.relink.set(sha256, linked.map((x) => x.id));
        this.remove(row.id);
        return null;
      }
    }
    return row.id;
  }

  private remove(id: number): void {
    for (const c of this.children.all(id)) this.remove(c.id);
    this.db.prepare('UPDATE attachments SET analysis_ref = NULL WHERE analysis_ref = ?').run(id);
    this.deleteModules.run(id);
    this.deleteRow.run(id);
  }

  save(r: InspectResult, parent: number | null = null): number {
    const info = this.insert.run({
      parent_ref: parent,
      name: r.file,
      sha256: r.sha256,
      size: r.size,
      container: r.container,
      verdict: r.verdict,
      encrypted: r.encrypted ? 1 : 0,
      encryption: r.encryption,
      vba: r.macros.vba ? 1 : 0,
      xlm: r.macros.xlm ? 1 : 0,
      autoexec_json: JSON.stringify(r.autoexec),
      suspicious_json: JSON.stringify(r.suspicious),
      iocs_json: JSON.stringify(r.iocs),
      dde_json: JSON.stringify(r.dde),
      external_json: JSON.stringify(r.externalRelationships),
      embedded_json: JSON.stringify(r.embedded),
      macro_sheets_json: JSON.stringify(r.macros.macroSheets),
      archive_json: r.archive ? JSON.stringify(r.archive) : null,
      disguised: r.disguised ? 1 : 0,
      errors_json: JSON.stringify(r.errors),
      payload_json: r.payload ? JSON.stringify(r.payload) : null,
      findings_json: JSON.stringify({ findings: r.findings, grounds: r.grounds }),
    });
    const id = Number(info.lastInsertRowid);
    for (const m of r.macros.modules) this.insertModule.run(id, m.name, m.stream, m.kind, m.source, m.pcodeBytes, m.sourceBytes, m.stomped ? 1 : 0);
    for (const c of r.children) this.save(c, id);
    if (parent === null) {
      for (const attachmentId of this.relink.get(r.sha256) ?? []) this.db.prepare('UPDATE attachments SET analysis_ref = ? WHERE id = ?').run(id, attachmentId);
      this.relink.delete(r.sha256);
    }
    return id;
  }

  linkAttachment(messageRef: number, ordinal: number, analysisId: number): void {
    this.link.run(analysisId, messageRef, ordinal);
  }
}
