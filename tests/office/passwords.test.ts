import { describe, expect, it } from 'vitest';
import { harvestPasswords } from '../../src/office/passwords.js';

describe('password candidates from the mail', () => {
  it('reads Japanese and English labels, full-width characters and brackets', () => {
    expect(harvestPasswords('', 'ご確認ください。\nパスワード：Xa7q3\n')).toEqual(['Xa7q3']);
    expect(harvestPasswords('', 'ＰＷ：　ｋ９ｘ２ｍ')).toEqual(['k9x2m']);
    expect(harvestPasswords('', 'Password: "4471"\nthanks')).toEqual(['4471']);
    expect(harvestPasswords('', '解凍パスワードは「abc123」です')).toEqual(['abc123']);
    expect(harvestPasswords('', 'パスワード\n\n  Zq81x  \n以上')).toEqual(['Zq81x']);
    expect(harvestPasswords('資料送付 PW:774aa', '')).toEqual(['774aa']);
  });

  it('finds nothing where no label is', () => {
    expect(harvestPasswords('Re: 見積書', 'よろしくお願いいたします。')).toEqual([]);
  });
});
