// Is a file or folder name random letters, as Emotet's loaders name their folder and DLL
// (2020-12 and the 2022 epochs 4 and 5: %LOCALAPPDATA%\Zvtqhkmrpbn\qfwxlkcz.dll), or a name a
// person chose (Microsoft, OneDrive, slack, RtkAudUService)? Chosen names are made of
// syllables, so most of their letter pairs are pairs that are common in English and in
// product names; a string of random letters is mostly rare pairs and long consonant runs.
// The test is tuned on the names of real autostart entries (tests/endpoint/random-name.test.ts)
// and errs towards "not random": a rule that fires on it also asks for the place and the
// shape of an Emotet entry.

/**
 * Letter pairs common in English words, product names and the abbreviations of software
 * names (msg, cfg, svc, hp). A random pair of letters is in this set about one time in
 * three; the pairs of a chosen name, two times in three or more.
 */
const COMMON_PAIRS = new Set(
  (
    'th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le ve co me de hi ri ro ic ne ea ' +
    'ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie ' +
    'wh ee wi em ad ol rt po we na ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ' +
    'ab gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa ef cu rn sc gi da yo cr ' +
    'cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ' +
    'ki rk ys ob mm fu ph og ms ye ud mb ip ub oi rl gu dr hr cc tw ft wn nu af hu nn eo vo rv nf xp gn sm fl iz ok ' +
    'ks sy sv dl db dw kt mt nv sk ky yp ka ao hp sg cf fg'
  ).split(' '),
);

const VOWELS = new Set(['a', 'e', 'i', 'o', 'u', 'y']);

export interface NameShape {
  letters: number;
  /** Share of adjacent letter pairs not in the common set. */
  rarePairs: number;
  /** Longest run of consonants (y counts as a vowel). */
  consonantRun: number;
  vowelShare: number;
}

export function nameShape(name: string): NameShape {
  const s = name.toLowerCase();
  let rare = 0;
  let run = 0;
  let maxRun = 0;
  let vowels = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (VOWELS.has(c)) {
      vowels++;
      run = 0;
    } else {
      run++;
      if (run > maxRun) maxRun = run;
    }
    if (i > 0 && !COMMON_PAIRS.has(s.slice(i - 1, i + 1))) rare++;
  }
  return { letters: s.length, rarePairs: s.length > 1 ? rare / (s.length - 1) : 0, consonantRun: maxRun, vowelShare: s.length ? vowels / s.length : 0 };
}

function chosenCase(name: string): boolean {
  // CamelCase and capitals are a chosen name's habit (RtkAudUService, OneDrive, HPMSGSVC):
  // Emotet's names are lower case, or capitalised once.
  return /[a-z][A-Z]/.test(name) || /^[A-Z]+$/.test(name);
}

/**
 * True when a name (a folder, or a file name without its extension) reads as random
 * letters. Only names of letters alone, 5 to 24 of them, are judged: digits, spaces,
 * dots and dashes belong to chosen names (versions, vendors, "Update-1.2"), and Emotet's
 * generated names are letters only. The thresholds sit above the rarest chosen names
 * seen (short system names such as "hkcmd" or "igfxtray" reach 0.43 to 1 for a few
 * letters, which is why names under eight letters need a far higher share).
 */
export function looksRandomName(name: string | null | undefined): boolean {
  if (!name || !/^[A-Za-z]{5,24}$/.test(name) || chosenCase(name)) return false;
  const k = nameShape(name);
  if (k.consonantRun >= 8) return true;
  if (k.letters >= 8) return k.rarePairs >= 0.5;
  return k.letters >= 6 && k.rarePairs >= 0.75;
}

/**
 * True when a folder and the file in it read as random letters together (Emotet names both):
 * the letter pairs of the two names are counted together, which judges short names far
 * better than each alone.
 */
export function looksRandomPair(dir: string | null | undefined, stem: string | null | undefined): boolean {
  if (!dir || !stem) return false;
  if (!/^[A-Za-z]{4,24}$/.test(dir) || !/^[A-Za-z]{3,24}$/.test(stem) || chosenCase(dir) || chosenCase(stem)) return false;
  if (looksRandomName(dir) || looksRandomName(stem)) return true;
  const a = nameShape(dir);
  const b = nameShape(stem);
  const pairs = a.letters - 1 + (b.letters - 1);
  const rare = a.rarePairs * (a.letters - 1) + b.rarePairs * (b.letters - 1);
  return a.letters + b.letters >= 12 && rare / pairs >= 0.45;
}
