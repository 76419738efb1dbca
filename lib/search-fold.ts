/**
 * What a list's search compares (the advisor's table, db/advisor.ts; the borrower's cases,
 * db/cases.ts): full-width letters, digits and punctuation (a Chinese input method in full-width
 * mode types ＣＭＢ, ４４７１, （A12）) as their ASCII forms (NFKC), then a substring,
 * case-insensitive for ASCII letters, as SQLite's LIKE without wildcards would be. Folded on both
 * sides: what was typed and what is stored.
 */
export function searchFold(s: string): string {
  return s.normalize('NFKC').replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
