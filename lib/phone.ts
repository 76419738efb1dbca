import { halfWidthDigits } from './money';

/**
 * A telephone number as people write it, with what a Chinese input method types in full-width
 * (１２３, －, ＋, （）, the ideographic space) read as ASCII; the rest is kept as typed.
 */
export function normalizePhone(typed: string): string {
  return halfWidthDigits(typed)
    .replace(/[－—–]/g, '-')
    .replace(/＋/g, '+')
    .replace(/（/g, '(')
    .replace(/）/g, ')')
    .replace(/\u3000/g, ' ');
}

/** An extension or a menu choice after the number: 95555 转 2, 400-820-5555 分机 1234, ext. 12, x12. */
const EXTENSION = /\s*(?:转|分机|ext\.?|x)\s*\d+\s*$/i;

/** A number and its separators only: +86 (10) 6659-6688, 0755-8319 5555, 95555. */
const DIALABLE = /^\+?[\d\s\-().]+$/;

/**
 * The `tel:` link that dials a number as people write it (a lender's hotline, the number that
 * called), or null when the text is not one to dial: an email, an address, a name, a number with
 * words around it. An extension is left out of the link (dialled, it would run into the number:
 * 95555 转 2 is not 955552); the text beside the link still says it, for the menu.
 */
export function telHref(typed: string): string | null {
  const main = normalizePhone(typed).trim().replace(EXTENSION, '');
  if (!DIALABLE.test(main)) return null;
  const digits = main.replace(/\D/g, '');
  // A service number has at least three digits (110, 12378); E.164 allows at most fifteen.
  if (digits.length < 3 || digits.length > 15) return null;
  return `tel:${main.startsWith('+') ? '+' : ''}${digits}`;
}
