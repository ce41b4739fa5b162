// Keyword triage of macro source, modelled on olevba's categories (AutoExec, Suspicious,
// IOC) and mraptor's rule: a macro that runs by itself (AutoExec) and can write a file or
// start something (Write / Execute) is suspicious. Each finding keeps the keyword and a
// short description, as olevba's table does.

export type KeywordCategory = 'autoexec' | 'suspicious' | 'ioc';

export interface KeywordHit {
  category: KeywordCategory;
  keyword: string;
  description: string;
  /** mraptor flags: A auto-exec, W write to disk, X execute. */
  flags: ('A' | 'W' | 'X')[];
}

interface Rule {
  re: RegExp;
  description: string;
  flags: ('A' | 'W' | 'X')[];
}

const AUTOEXEC: Rule[] = [
  { re: /\b(Auto_?Open|Workbook_Open|Document_Open|DocumentOpen|Auto_?Exec|AutoNew|Document_New|NewDocument|Workbook_Activate|Presentation_Open)\b/gi, description: 'runs when the document is opened', flags: ['A'] },
  { re: /\b(Auto_?Close|Document_Close|DocumentBeforeClose|Workbook_BeforeClose|Workbook_Deactivate|AutoExit)\b/gi, description: 'runs when the document is closed', flags: ['A'] },
  // ActiveX and form control events run without a macro warning once content is enabled.
  {
    re: /\bSub\s+(\w+_(?:Click|DblClick|Change|GotFocus|LostFocus|MouseMove|MouseDown|MouseUp|MouseHover|KeyDown|KeyPress|KeyUp|Initialize|Activate|Deactivate|Layout|Painted|Resize|Scroll|BeforeNavigate2|DocumentComplete|NavigateComplete2|Exit|Enter|BeforeUpdate|AfterUpdate|Zoom|Validate))\b/gi,
    description: 'runs on a control or form event',
    flags: ['A'],
  },
];

const SUSPICIOUS: Rule[] = [
  { re: /\b(Shell|ShellExecute|ShellExecuteA|WScript\.Shell|Shell\.Application)\b/gi, description: 'may run an executable or a system command', flags: ['X'] },
  { re: /\.(Run|Exec)\b/gi, description: 'may run a command through a shell object', flags: ['X'] },
  { re: /\b(CreateObject|GetObject)\b/gi, description: 'may create or attach to an OLE object (often a shell or downloader)', flags: ['X'] },
  { re: /\b(PowerShell|cmd(?:\.exe)?\s*\/[ck]|mshta|regsvr32|rundll32|certutil|bitsadmin|schtasks|wmic)\b/gi, description: 'may run a Windows tool used by droppers', flags: ['X'] },
  { re: /\b(URLDownloadToFileA?|XMLHTTP|MSXML2\.ServerXMLHTTP|MSXML2\.XMLHTTP|WinHttp\.WinHttpRequest|InternetOpenUrl|Net\.WebClient|DownloadFile|DownloadString)\b/gi, description: 'may download files or data from the Internet', flags: ['W'] },
  { re: /\b(ADODB\.Stream|SaveToFile|WriteText|CreateTextFile|FileCopy|CopyFile|Kill|MkDir)\b/gi, description: 'may write or change files on disk', flags: ['W'] },
  { re: /\bOpen\b[^\r\n]{0,200}\bFor\s+(Output|Append|Binary)\b/gi, description: 'may open a file for writing', flags: ['W'] },
  { re: /\b(Put|Write)\s+#/gi, description: 'may write to a file', flags: ['W'] },
  { re: /\b(CallByName|ExecuteExcel4Macro|MacScript|Application\.Run|SendKeys|Evaluate)\b/gi, description: 'may run code indirectly', flags: ['X'] },
  { re: /\bDeclare\s+(?:PtrSafe\s+)?(?:Function|Sub)\s+\w+\s+Lib\b/gi, description: 'may call a DLL function directly', flags: ['X'] },
  { re: /\b(VirtualAlloc|RtlMoveMemory|CreateThread|WriteProcessMemory|EnumDateFormats|CallWindowProc)\b/gi, description: 'may inject or run shellcode', flags: ['X'] },
  { re: /\b(Environ)\b/gi, description: 'may read environment variables', flags: [] },
  { re: /\b(Chr[BW]?\$?|StrReverse|Asc)\s*\(/gi, description: 'may hide strings (obfuscation)', flags: [] },
  { re: /\b(VBProject|VBComponents|CodeModule|AddFromString)\b/gi, description: 'may read or change VBA code (self-modifying)', flags: [] },
  { re: /\b(Outlook\.Application|MAPI|\.Send\b)/gi, description: 'may send mail from the infected PC', flags: [] },
];

const URL = /\b(?:https?|ftp):\/\/[^\s"'<>()]{3,500}/gi;
const IPV4 = /\b(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)\b/g;
const EXE_NAME = /\b[\w.-]{1,100}\.(?:exe|dll|scr|ps1|vbs|vbe|js|jse|hta|bat|cmd|pif|jar|lnk|wsf)\b/gi;
const BASE64 = /[A-Za-z0-9+/]{60,}={0,2}/g;
const HEX = /\b(?:[0-9A-Fa-f]{2}){30,}\b/g;

/** Limit on the source scanned per module, so that a padded module cannot stall triage. */
const MAX_SCAN_CHARS = 4 * 1024 * 1024;

function printable(s: string): boolean {
  return /^[\x20-\x7e\r\n\t]+$/.test(s);
}

export function triageSource(source: string): KeywordHit[] {
  const text = source.slice(0, MAX_SCAN_CHARS);
  // Comments and Attribute lines say nothing about behaviour; strings do, so they stay.
  const code = text
    .split(/\r?\n/)
    .filter((l) => !/^\s*(Attribute\s|'|Rem\s)/i.test(l))
    .join('\n');
  const hits = new Map<string, KeywordHit>();
  const add = (category: KeywordCategory, keyword: string, description: string, flags: KeywordHit['flags']) => {
    const key = `${category}:${keyword.toLowerCase()}`;
    if (!hits.has(key)) hits.set(key, { category, keyword, description, flags });
  };
  for (const r of AUTOEXEC) for (const m of code.matchAll(r.re)) add('autoexec', m[1] ?? m[0], r.description, r.flags);
  for (const r of SUSPICIOUS) for (const m of code.matchAll(r.re)) add('suspicious', (m[1] ?? m[0]).trim(), r.description, r.flags);
  for (const m of code.matchAll(BASE64)) {
    const decoded = Buffer.from(m[0], 'base64').toString('latin1');
    if (printable(decoded)) add('suspicious', m[0].slice(0, 40) + '…', `Base64 string; decodes to: ${decoded.slice(0, 120)}`, []);
  }
  for (const m of code.matchAll(HEX)) {
    const decoded = Buffer.from(m[0], 'hex').toString('latin1');
    if (printable(decoded)) add('suspicious', m[0].slice(0, 40) + '…', `hex string; decodes to: ${decoded.slice(0, 120)}`, []);
  }
  for (const m of code.matchAll(URL)) add('ioc', m[0], 'URL', []);
  for (const m of code.matchAll(IPV4)) add('ioc', m[0], 'IPv4 address', []);
  for (const m of code.matchAll(EXE_NAME)) add('ioc', m[0], 'executable file name', []);
  return [...hits.values()];
}

/** Excel 4.0 functions that run code, load DLLs or download (the XLM equivalents of Shell). */
export const XLM_DANGEROUS = ['EXEC', 'CALL', 'REGISTER', 'RUN', 'URLDownloadToFileA', 'FOPEN', 'FWRITE', 'FWRITELN', 'FORMULA', 'FORMULA.FILL', 'SET.VALUE', 'SET.NAME', 'GOTO', 'HALT', 'ALERT', 'CHAR', 'WORKBOOK.HIDE', 'APP.MAXIMIZE'] as const;

const XLM_FLAGS: Record<string, KeywordHit['flags']> = {
  EXEC: ['X'],
  CALL: ['X'],
  REGISTER: ['X'],
  RUN: ['X'],
  URLDOWNLOADTOFILEA: ['W'],
  FOPEN: ['W'],
  FWRITE: ['W'],
  FWRITELN: ['W'],
};

/** Triage of XLM formula text (as found in SYLK, macrosheet XML, or decoded strings). */
export function triageXlm(formulas: string): KeywordHit[] {
  const hits: KeywordHit[] = [];
  const seen = new Set<string>();
  for (const m of formulas.matchAll(/\b([A-Z][A-Z0-9.]{1,30})\s*\(/gi)) {
    const name = m[1]!.toUpperCase();
    if (seen.has(name) || !(XLM_DANGEROUS as readonly string[]).includes(name) && !(name in XLM_FLAGS)) continue;
    seen.add(name);
    hits.push({ category: 'suspicious', keyword: `${name}(`, description: 'Excel 4.0 macro function', flags: XLM_FLAGS[name] ?? [] });
  }
  for (const m of formulas.matchAll(URL)) hits.push({ category: 'ioc', keyword: m[0], description: 'URL', flags: [] });
  return hits;
}
