// XOR obfuscation of Office binary documents (MS-OFFCRYPTO 2.3.7), method 1: Excel's
// oldest "password to open" (FILEPASS wEncryptionType 0). A 16-bit verifier checks the
// password; a 16-byte array derived from it is XORed over the record data. Which bytes
// and at which array index is for xls-decrypt.

/** 2.3.7.2 InitialCode, indexed by password length − 1. */
const INITIAL_CODE = [0xe1f0, 0x1d0f, 0xcc9c, 0x84c0, 0x110c, 0x0e10, 0xf1ce, 0x313e, 0x1872, 0xe139, 0xd40f, 0x84f9, 0x280c, 0xa96a, 0x4ec3];
/** 2.3.7.2 PadArray. */
const PAD_ARRAY = [0xbb, 0xff, 0xff, 0xba, 0xff, 0xff, 0xb9, 0x80, 0x00, 0xbe, 0x0f, 0x00, 0xbf, 0x0f, 0x00];
/** 2.3.7.2 XorMatrix: 15 characters × 7 bits. */
const XOR_MATRIX = [
  0xaefc, 0x4dd9, 0x9bb2, 0x2745, 0x4e8a, 0x9d14, 0x2a09, 0x7b61, 0xf6c2, 0xfda5, 0xeb6b, 0xc6f7, 0x9dcf, 0x2bbf, 0x4563, 0x8ac6, 0x05ad, 0x0b5a, 0x16b4, 0x2d68, 0x5ad0,
  0x0375, 0x06ea, 0x0dd4, 0x1ba8, 0x3750, 0x6ea0, 0xdd40, 0xd849, 0xa0b3, 0x5147, 0xa28e, 0x553d, 0xaa7a, 0x44d5, 0x6f45, 0xde8a, 0xad35, 0x4a4b, 0x9496, 0x390d, 0x721a,
  0xeb23, 0xc667, 0x9cef, 0x29ff, 0x53fe, 0xa7fc, 0x5fd9, 0x47d3, 0x8fa6, 0x0f6d, 0x1eda, 0x3db4, 0x7b68, 0xf6d0, 0xb861, 0x60e3, 0xc1c6, 0x93ad, 0x377b, 0x6ef6, 0xddec,
  0x45a0, 0x8b40, 0x06a1, 0x0d42, 0x1a84, 0x3508, 0x6a10, 0xaa51, 0x4483, 0x8906, 0x022d, 0x045a, 0x08b4, 0x1168, 0x76b4, 0xed68, 0xcaf1, 0x85c3, 0x1ba7, 0x374e, 0x6e9c,
  0x3730, 0x6e60, 0xdcc0, 0xa9a1, 0x4363, 0x86c6, 0x1dad, 0x3331, 0x6662, 0xccc4, 0x89a9, 0x0373, 0x06e6, 0x0dcc, 0x1021, 0x2042, 0x4084, 0x8108, 0x1231, 0x2462, 0x48c4,
];

/** Passwords of method 1 are at most 15 single-byte characters (2.3.7.1); longer ones are cut. */
export const XOR_MAX_PASSWORD = 15;

/**
 * The password as the single bytes method 1 works on: each UTF-16 unit's low byte, or its
 * high byte when the low one is zero (the rule 2.3.7.4 gives for method 2; Excel itself uses
 * the system code page, which agrees for ASCII passwords).
 */
export function xorPasswordBytes(password: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < password.length && out.length < XOR_MAX_PASSWORD; i++) {
    const c = password.charCodeAt(i);
    out.push(c & 0xff || (c >> 8) & 0xff);
  }
  return out;
}

/** 2.3.7.1 CreatePasswordVerifier_Method1: the 16-bit verifier FILEPASS stores. */
export function xorVerifierMethod1(pw: number[]): number {
  let verifier = 0;
  for (const byte of [pw.length, ...pw].reverse()) {
    const high = verifier & 0x4000 ? 1 : 0;
    verifier = (high ^ ((verifier << 1) & 0x7fff)) ^ byte;
  }
  return verifier ^ 0xce4b;
}

/** 2.3.7.2 CreateXorKey_Method1: the 16-bit key FILEPASS stores. */
export function xorKeyMethod1(pw: number[]): number {
  if (pw.length === 0) return 0;
  let key = INITIAL_CODE[pw.length - 1]!;
  let element = 0x68;
  for (let i = pw.length - 1; i >= 0; i--) {
    let c = pw[i]!;
    for (let bit = 0; bit < 7; bit++) {
      if (c & 0x40) key ^= XOR_MATRIX[element]!;
      c = (c << 1) & 0xff;
      element--;
    }
  }
  return key;
}

const ror1 = (v: number) => ((v >> 1) | (v << 7)) & 0xff;

/** 2.3.7.2 CreateXorArray_Method1: the 16 bytes XORed over the data. */
export function xorArrayMethod1(pw: number[]): Uint8Array {
  const key = xorKeyMethod1(pw);
  const high = (key >> 8) & 0xff;
  const low = key & 0xff;
  const out = new Uint8Array(16);
  let index = pw.length;
  if (index % 2 === 1) {
    out[index] = ror1(PAD_ARRAY[0]! ^ high);
    index--;
    out[index] = ror1(pw[pw.length - 1]! ^ low);
  }
  while (index > 0) {
    index--;
    out[index] = ror1(pw[index]! ^ high);
    index--;
    out[index] = ror1(pw[index]! ^ low);
  }
  index = 15;
  for (let pad = 15 - pw.length; pad > 0; ) {
    out[index--] = ror1(PAD_ARRAY[pad--]! ^ high);
    out[index--] = ror1(PAD_ARRAY[pad--]! ^ low);
  }
  return out;
}

/** 2.3.7.3 DecryptData_Method1 for one byte: XOR with the array, then rotate right 5 bits. */
export function xorDecryptByte(value: number, xorArray: Uint8Array, index: number): number {
  const v = value ^ xorArray[index & 15]!;
  return ((v >> 5) | (v << 3)) & 0xff;
}
