// Password candidates for encrypted archives, from the mail that carries them. Emotet's
// 2022 mails put the password in the body ("パスワード：Xa7q3", "PW: …", "password: …"),
// often with full-width characters and spaces around it.

/** Labels that introduce a password, after NFKC folding (full-width → ASCII, ： → :). */
const LABEL = /(?:解凍)?パスワード|暗証番号|pass\s*word|passwd|pwd?|pass|密码|비밀번호/i;
const SEPARATOR = /^\s*(?:は|:|：|=|-|\s)\s*/;
const MAX_CANDIDATES = 20;

function clean(token: string): string {
  return token.replace(/^[「『"'(（【\[]+|[」』"')）】\].,。、!！]+$/g, '');
}

export function harvestPasswords(subject: string, body: string): string[] {
  const out: string[] = [];
  const add = (t: string) => {
    const c = clean(t.trim());
    if (c.length >= 3 && c.length <= 64 && !out.includes(c) && out.length < MAX_CANDIDATES) out.push(c);
  };
  const lines = `${subject}\n${body.slice(0, 200_000)}`.normalize('NFKC').split(/\r?\n/);
  lines.forEach((line, i) => {
    const m = LABEL.exec(line);
    if (!m) return;
    const rest = line.slice(m.index + m[0].length);
    const sep = SEPARATOR.exec(rest);
    const after = sep ? rest.slice(sep[0].length) : '';
    const token = /^[「『"'(【\[]([^」』"')】\]]+)/.exec(after)?.[1] ?? /^\S+/.exec(after)?.[0];
    if (token) add(token);
    else {
      // The password alone on the next non-empty line.
      const next = lines.slice(i + 1).find((l) => l.trim() !== '');
      if (next && /^\s*\S+\s*$/.test(next)) add(next);
    }
  });
  return out;
}
