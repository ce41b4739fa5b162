// An EmoCheck text report for the sample incident, in the layout EmoCheck v2.0 writes
// (github.com/JPCERTCC/EmoCheck, emocheck/main.cpp WriteReport at commit e5a66212; v2.1 and
// later were released without source and are taken to write the same): title, scan time,
// delimiter, result, one block per process with its Registry Key line, delimiter, advice.
// Lines end in CRLF, as the report's std::ofstream in text mode writes them on Windows; the
// caller encodes the text (UTF-8, as the published /utf-8 build writes its Japanese).

export interface EmoCheckSampleProcess {
  name: string;
  pid: number;
  path: string;
  /** The Run key EmoCheck found the loader under (v2.0's Registry Key line); empty when none. */
  runKey?: string;
}

/** LINE_DELIMITER of emocheck.h: 52 underscores and a newline, so a blank line follows it. */
const DELIMITER = '_'.repeat(52);

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

/** The scan time as EmoCheck writes it: strftime("%Y-%m-%d %H:%M:%S") of the PC's clock (here the Date's UTC fields). */
function scanTime(t: Date): string {
  return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())} ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}:${pad(t.getUTCSeconds())}`;
}

/** The file name EmoCheck gives the report: `<host>_<yyyymmddhhmmss>_emocheck.txt`. */
export function emocheckReportName(host: string, time: Date): string {
  return `${host}_${scanTime(time).replace(/[- :]/g, '')}_emocheck.txt`;
}

/**
 * The text of an EmoCheck v2 report. `time` is written as the PC's clock shows it (its UTC
 * fields), as EmoCheck writes local time without a zone; `host` is not in the text (EmoCheck
 * puts it only in the file name, see emocheckReportName) and is accepted for the caller's
 * convenience.
 */
export function emocheckReport(opts: { host: string; time: Date; processes: EmoCheckSampleProcess[]; lang: 'en' | 'ja'; version: string }): string {
  const ja = opts.lang === 'ja';
  const out: string[] = [`[EmoCheck v${opts.version}]`, `${ja ? 'プログラム実行時刻' : 'Scan time'}: ${scanTime(opts.time)}`, DELIMITER, ''];
  if (opts.processes.length === 0) {
    out.push(ja ? '[結果]' : '[Result] ', ja ? '検知しませんでした。' : 'Emotet was not detected.');
    return out.join('\r\n') + '\r\n';
  }
  out.push(ja ? '[結果]' : '[Result] ', ja ? 'Emotetを検知しました。' : 'Detected Emotet process.', '');
  for (const p of opts.processes) {
    if (ja) {
      out.push('[詳細]', `     プロセス名    : ${p.name}`, `     プロセスID    : ${p.pid}`, `     イメージパス  : ${p.path}`, `     レジストリキー: ${p.runKey ?? ''}`);
    } else {
      out.push('[Emotet Process] ', `     Process Name  : ${p.name}`, `     Process ID    : ${p.pid}`, `     Image Path    : ${p.path}`, `     Registry Key  : ${p.runKey ?? ''}`);
    }
  }
  out.push(DELIMITER, '', ja ? 'イメージパスの実行ファイルを隔離/削除してください。' : 'Please remove or isolate the suspicious execution file.');
  return out.join('\r\n') + '\r\n';
}
