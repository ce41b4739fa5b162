// The drafted notice is Markdown (headings, "- " lists, "  - " nested lists, paragraphs,
// "---" between individual drafts); these turn it into plain text and a standalone HTML
// page. The HTML is what someone pastes into a web site, so it has to be valid on its own:
// lists inside <ul>, a <title> (the notice's title), the language, and every value escaped:
// subjects and file names are attacker-written.
import { esc } from './report-html.js';

/** Plain text: the Markdown marks removed, list items as 「・」. */
export function noticeAsText(md: string): string {
  return md.replace(/^#+\s*/gm, '').replace(/^(\s*)- /gm, '$1・');
}

/** The first "# " heading, the page's title. */
function titleOf(md: string): string | null {
  return /^# (.+)$/m.exec(md)?.[1]?.trim() ?? null;
}

const FALLBACK_TITLE = { ja: '不審メールに関するお詫びとお知らせ（下書き）', en: 'Notice concerning suspicious e-mails (draft)' };

export function noticeAsHtml(md: string, lang: 'ja' | 'en'): string {
  const out: string[] = [];
  // Open <ul> levels: 0 none, 1 a list, 2 a nested list inside the last item.
  let depth = 0;
  const closeTo = (d: number) => {
    while (depth > d) {
      out.push(depth === 2 ? '</ul></li>' : '</ul>');
      depth--;
    }
  };
  // Indentation of the open list's own items: deeper items nest (one level is all the notice writes).
  let top = 0;
  for (const line of md.split('\n')) {
    const m = /^(\s*)- (.*)$/.exec(line);
    if (m) {
      const indent = m[1]!.length;
      const li = `<li>${esc(m[2])}</li>`;
      if (depth === 0) {
        out.push('<ul>', li);
        depth = 1;
        top = indent;
      } else if (indent <= top) {
        closeTo(1);
        out.push(li);
      } else {
        if (depth === 1) {
          // Reopen the last item to hold the nested list.
          out[out.length - 1] = out[out.length - 1]!.replace(/<\/li>$/, '');
          out.push('<ul>');
          depth = 2;
        }
        out.push(li);
      }
    } else {
      closeTo(0);
      if (line.startsWith('# ')) out.push(`<h1>${esc(line.slice(2))}</h1>`);
      else if (line.startsWith('## ')) out.push(`<h2>${esc(line.slice(3))}</h2>`);
      else if (line.trim() === '---') out.push('<hr>');
      else if (line.trim()) out.push(`<p>${esc(line)}</p>`);
    }
  }
  closeTo(0);
  const title = titleOf(md) ?? FALLBACK_TITLE[lang];
  return `<!doctype html>\n<html lang="${lang}">\n<head>\n<meta charset="utf-8">\n<title>${esc(title)}</title>\n</head>\n<body>\n${out.join('\n')}\n</body>\n</html>\n`;
}
