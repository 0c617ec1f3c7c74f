/**
 * SQL_Latin1_General_CP1_CI_AS as the 5-byte TDS collation (MS-TDS 2.2.5.1.2): LCID 0x0409 with
 * ignore-case, ignore-kana and ignore-width flags, sort id 52. Clients derive code page 1252 from
 * it and encode varchar data accordingly.
 */
export const DEFAULT_COLLATION: Buffer = Buffer.from([0x09, 0x04, 0xd0, 0x00, 0x34]);

/** Unicode code points of Windows-1252 bytes 0x80-0x9F; the five unassigned bytes map to C1 controls. */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019,
  0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const ENCODE = new Map<number, number>(HIGH.map((code, i) => [code, 0x80 + i]));

/** Encodes text as code page 1252; characters outside it become '?', as SQL Server stores them. */
export function encodeCp1252(text: string): Buffer {
  const out = Buffer.allocUnsafe(text.length);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) out[n++] = code;
    else {
      const mapped = ENCODE.get(code);
      out[n++] = mapped ?? 0x3f;
      // A surrogate pair is one character: one '?'.
      if (mapped === undefined && code >= 0xd800 && code <= 0xdbff) i++;
    }
  }
  return out.subarray(0, n);
}

export function decodeCp1252(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) {
    const slice = bytes.subarray(i, i + 8192);
    const codes = Array.from(slice, (b) => (b >= 0x80 && b <= 0x9f ? (HIGH[b - 0x80] ?? b) : b));
    text += String.fromCharCode(...codes);
  }
  return text;
}

/** Decodes varchar bytes sent with a collation: UTF-8 collations (flag fUTF8) or code page 1252. */
export function decodeVarchar(bytes: Uint8Array, collation: Uint8Array): string {
  const utf8 = ((collation[3] ?? 0) & 0x04) !== 0;
  return utf8 ? Buffer.from(bytes).toString('utf8') : decodeCp1252(bytes);
}
