/**
 * Money is integer fen (分), never floating point. Users type yuan ("1,234.5", "¥88");
 * we show ¥1,234.56 in every locale.
 */

/** Largest amount we accept: ¥100,000,000.00 — more is certainly a typo. */
export const MAX_FEN = 100_000_000_00;

const YUAN_PATTERN = /^(\d+)(?:\.(\d{1,2}))?$/;

/** A run of digits grouped by thousands: "1,234,567" (with `,` or `，`), then its decimals if any. */
const GROUPED = /^\d{1,3}(?:[,，]\d{3})+(?:\.\d*)?$/;

/** Full-width digits (０-９, typed with a Chinese input method in full-width mode) as ASCII digits. */
export function halfWidthDigits(input: string): string {
  return input.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
}

/**
 * Parses a yuan amount typed by a person into fen. Accepts thousands separators (`,` `，` or a
 * space, only where they group thousands: "1,5" and "1 5" are refused, not read as 15, and none
 * after the point), a leading ¥/￥, a trailing 元 ("3,982.15元", as amounts are written in
 * Chinese), spaces around the number, and the full-width digits and point a Chinese input method
 * types ("１２３．５"), its full stop too ("４８３２６。５７": 。 is what the key for "." gives in
 * Chinese punctuation mode). Returns null for anything that is not a non-negative amount with at
 * most two decimals.
 */
export function parseYuanToFen(input: string): number | null {
  const halfWidth = halfWidthDigits(input.trim())
    .replace(/[．。]/g, '.')
    .replace(/^[¥￥]\s*/, '')
    .replace(/\s*元$/, '')
    .replace(/\s+/g, ',');
  if (/[,，]/.test(halfWidth) && !GROUPED.test(halfWidth)) return null;
  const cleaned = halfWidth.replace(/[,，]/g, '').replace(/^\./, '0.');
  const m = YUAN_PATTERN.exec(cleaned);
  if (!m) return null;
  const yuan = m[1].replace(/^0+(?=\d)/, '');
  if (yuan.length > 12) return null;
  const fen = Number(yuan) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : null;
}

/** ¥1,234.56 — grouping by thousands, always two decimals, the sign before the ¥. */
export function formatFen(fen: number): string {
  if (!Number.isInteger(fen)) throw new TypeError(`fen must be an integer, got ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  const grouped = String(yuan).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${sign}¥${grouped}.${cents}`;
}

/** The value to put back into a yuan input: 123456 → "1234.56", 0 → "". */
export function fenToYuanInput(fen: number | null | undefined): string {
  if (fen == null || fen === 0) return '';
  const abs = Math.abs(fen);
  const s = `${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
  return (fen < 0 ? '-' : '') + s.replace(/\.00$/, '');
}

/** A case's amounts as its borrower recorded them, fen; null where one was left blank. */
export type RecordedDebt = { principalFen: number | null; interestFen: number | null; penaltyFen: number | null };

/**
 * What a case owes by the amounts its borrower gave (principal, interest, penalty): their sum, the
 * blank ones left out; null when none was given, which is "not known", not ¥0.00. The SQL twin is
 * the view case_facts_source's total_fen (migration 0024).
 */
export function recordedDebtFen(c: RecordedDebt): number | null {
  const given = [c.principalFen, c.interestFen, c.penaltyFen].filter((fen): fen is number => fen !== null);
  return given.length === 0 ? null : given.reduce((a, b) => a + b, 0);
}

/** An amount that may be not given (a case's) put back into its input: null → "", but 0 → "0", as it was typed. */
export function givenFenToYuanInput(fen: number | null): string {
  return fen === 0 ? '0' : fenToYuanInput(fen);
}

export function sumFen(...amounts: (number | null | undefined)[]): number {
  return amounts.reduce<number>((a, b) => a + (b ?? 0), 0);
}

/**
 * What share of `whole` `part` is, in whole percent, for a sentence ("占逾期总额的 3%"). Never "0%"
 * for some of it, nor "100%" for not all of it: those read as none and all, so a share under one
 * percent is "<1" and one over 99 but short of all is ">99".
 */
export function sharePercent(part: number, whole: number): string {
  if (whole <= 0 || part <= 0) return '0';
  if (part >= whole) return '100';
  const percent = (part / whole) * 100;
  if (percent < 1) return '<1';
  if (percent > 99) return '>99';
  return String(Math.round(percent));
}
