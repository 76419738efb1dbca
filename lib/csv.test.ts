import { describe, expect, it } from 'vitest';
import { csvField, csvYuan, neutraliseFormula, parseCsv, toCsv, UTF8_BOM } from './csv';

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['王芳', '王芳'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rlf', '"cr\rlf"'],
    ['张伟，先生', '张伟，先生'], // a full-width comma is text
    ['  spaced  ', '  spaced  '],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('writes numbers as they are and null as empty', () => {
    expect(csvField(1234.56)).toBe('1234.56');
    expect(csvField(0)).toBe('0');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
  });
});

describe('toCsv', () => {
  it('ends every record with CRLF', () => {
    expect(toCsv([
      ['客户', '金额'],
      ['王芳', '1234.56'],
    ])).toBe('客户,金额\r\n王芳,1234.56\r\n');
    expect(toCsv([])).toBe('');
  });

  it('round-trips awkward fields through parseCsv', () => {
    const records = [
      ['client', 'note', 'empty', 'amount'],
      ['Li, "Lucky" Qiang', 'two\nlines', '', '0.05'],
      ['赵敏', 'a\r\nb', '""', '-'],
      ['', '', '', ''],
    ];
    expect(parseCsv(toCsv(records))).toEqual(records);
    expect(parseCsv(UTF8_BOM + toCsv(records))).toEqual(records);
  });
});

describe('parseCsv', () => {
  it('reads LF-only files and a last line without a break', () => {
    expect(parseCsv('a,b\nc,d')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseCsv('"x"\n')).toEqual([['x']]);
  });
});

describe('neutraliseFormula', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+86 138', "'+86 138"],
    ['-5', "'-5"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['王芳', '王芳'],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(neutraliseFormula(input)).toBe(expected);
  });
});

describe('csvYuan', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [100, '1.00'],
    [123456, '1234.56'],
    [100_000_000_00, '100000000.00'],
    [-1999, '-19.99'],
  ])('%d fen → %s', (fen, expected) => {
    expect(csvYuan(fen)).toBe(expected);
  });

  it('refuses a fraction of a fen', () => {
    expect(() => csvYuan(1.5)).toThrow(TypeError);
  });
});
