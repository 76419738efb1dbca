/**
 * Invitation codes (XXXX-XXXX-XXXX, db/shares.ts) as people type them. On a Chinese keyboard, in
 * Chinese punctuation or full-width mode, the dash comes out as － — or –, the space as U+3000 and
 * the letters and digits as ＡＢＣ１２: the same code, and taken as such.
 */

// Any dash punctuation (－ is U+FF0D, and NFKC makes it '-' already; — – ‐ are not decomposed), and the minus sign.
const DASHES = /[\p{Pd}\u2212]/gu;

// Invisible characters a chat app or a copy from a web page leaves in text: zero-width spaces and joiners, the word joiner, a BOM.
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g;

/** Full-width to ASCII (NFKC), every dash to '-', every space to ' ', invisible characters dropped. Nothing else changes. */
export function normaliseInviteInput(value: string): string {
  return value.normalize('NFKC').replace(INVISIBLE, '').replace(DASHES, '-').replace(/\s/gu, ' ');
}

/** A code as the sharing page shows it (XXXX-XXXX-XXXX), inside other text. */
const CODE_IN_TEXT = /(?<![A-Za-z0-9])[A-Za-z0-9]{4}(?:[ -]?[A-Za-z0-9]{4}){2}(?![A-Za-z0-9])/g;

/**
 * The code asked about: from the link, typed, or the whole invitation link pasted into the box (its
 * `code=`), or the message it came in ("邀请码：ABCD-EFGH-JKLM。", when it holds one code and no
 * other). One value, printable, short, in ASCII (normaliseInviteInput). '' when none was asked; null
 * when what was sent cannot be a code, which is said as an unknown code is.
 */
export function codeFrom(raw: string | string[] | undefined): string | null {
  let value = normaliseInviteInput((Array.isArray(raw) ? raw[0] : raw) ?? '').trim();
  const inLink = /[?&]code=([^&#\s]*)/.exec(value);
  if (inLink) {
    try {
      value = normaliseInviteInput(decodeURIComponent(inLink[1].replace(/\+/g, ' '))).trim();
    } catch {
      return null;
    }
  }
  if (value.length <= 40 && /^[A-Za-z0-9 -]*$/.test(value)) return value;
  const found = value.length <= 400 ? value.match(CODE_IN_TEXT) : null;
  return found?.length === 1 ? found[0] : null;
}
