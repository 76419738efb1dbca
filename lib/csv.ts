/**
 * CSV as RFC 4180 writes it, for spreadsheets: fields separated by commas, records by CRLF; a
 * field with a comma, a double quote, CR or LF is put in double quotes, and its quotes doubled.
 * No library for twenty lines: none is installed, and this is the whole of the rule.
 */

/** The byte order mark that makes Excel read a CSV file as UTF-8 (Chinese stays Chinese). */
export const UTF8_BOM = '\uFEFF';

export type CsvValue = string | number | null | undefined;

/** One field, quoted when it must be. null and undefined are empty. */
export function csvField(value: CsvValue): string {
  const s = value == null ? '' : String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** Records to CSV text: CRLF after every record, the last one included (RFC 4180 allows either). */
export function toCsv(records: readonly (readonly CsvValue[])[]): string {
  return records.map((r) => r.map(csvField).join(',') + '\r\n').join('');
}

/**
 * Text that a spreadsheet would run as a formula (=, +, -, @, or a tab or CR in front) gets an
 * apostrophe in front, which Excel and WPS show as plain text. For text people typed (names,
 * products), never for our own numbers: "CSV injection" (OWASP).
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/**
 * Fen as a plain yuan number for a spreadsheet cell: 123456 → "1234.56" (no ¥, no thousands
 * separator, always two decimals), so that Excel reads a number it can sum; the column's
 * heading names the currency.
 */
export function csvYuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new TypeError(`fen must be an integer, got ${fen}`);
  const abs = Math.abs(fen);
  return `${fen < 0 ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

/**
 * Parses RFC 4180 CSV (the inverse of toCsv; tests use it to read exports back). A leading BOM
 * is skipped; a final line break does not start another record.
 */
export function parseCsv(text: string): string[][] {
  const src = text.startsWith(UTF8_BOM) ? text.slice(1) : text;
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i += 2;
        continue;
      }
      if (c === '"') quoted = false;
      else field += c;
      i += 1;
      continue;
    }
    if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      record.push(field);
      field = '';
    } else if (c === '\r' || c === '\n') {
      record.push(field);
      records.push(record);
      record = [];
      field = '';
      if (c === '\r' && src[i + 1] === '\n') i += 1;
    } else field += c;
    i += 1;
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
