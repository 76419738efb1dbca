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

/**
 * A code exactly as the sharing page shows it, XXXX-XXXX-XXXX, inside other text, in any case: found
 * first, so that the words around it ("Use code ABCD-EFGH-JKLM.", "… from Wang") are never taken into
 * it. Letters and digits of any kind, though codes use no 0/O, 1/I/L (db/shares.ts): a code misread over
 * the phone is then refused as an unknown code, not as no code at all.
 */
const CODE_AS_SHOWN = /(?<![A-Za-z0-9])[A-Za-z0-9]{4}-[A-Za-z0-9]{4}-[A-Za-z0-9]{4}(?![A-Za-z0-9])/g;

/** A code as people also type it: twelve letters and digits, in fours or not, split by a space or a dash. */
const CODE_IN_TEXT = /(?<![A-Za-z0-9])[A-Za-z0-9]{4}(?:[ -]?[A-Za-z0-9]{4}){2}(?![A-Za-z0-9])/g;

/** The one code `found` holds (the same one twice counts once, whatever its case), else null. */
function onlyCode(found: RegExpMatchArray | null): string | null {
  if (!found || found.length === 0) return null;
  return new Set(found.map((code) => code.toUpperCase())).size === 1 ? found[0]! : null;
}

/**
 * The code asked about: from the link, typed, or the whole invitation link pasted into the box (its
 * `code=`), or the message it came in ("邀请码：ABCD-EFGH-JKLM。", "Use code ABCD-EFGH-JKLM from Wang",
 * when it holds one code and no other). A code in its shown shape (XXXX-XXXX-XXXX) is taken wherever it
 * stands, before anything looser. One value, printable, short, in ASCII (normaliseInviteInput). '' when
 * none was asked; null when what was sent cannot be a code, which is said as an unknown code is.
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
  if (value.length > 400) return null;
  const shown = value.match(CODE_AS_SHOWN);
  if (shown) return onlyCode(shown);
  if (value.length <= 40 && /^[A-Za-z0-9 -]*$/.test(value)) return value;
  const found = value.match(CODE_IN_TEXT);
  return found?.length === 1 ? found[0] : null;
}
