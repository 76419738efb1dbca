import { describe, expect, it } from 'vitest';
import { fenToYuanInput, formatFen, givenFenToYuanInput, MAX_FEN, parseYuanToFen, recordedDebtFen, sharePercent, sumFen } from './money';

describe('parseYuanToFen', () => {
  it.each([
    ['0', 0],
    ['1', 100],
    ['1.5', 150],
    ['1.05', 105],
    ['1234.56', 123456],
    ['1,234.56', 123456],
    ['1，234.56', 123456],
    ['¥88', 8800],
    ['￥ 88.8', 8880],
    ['  12.30 ', 1230],
    ['.5', 50],
    ['007', 700],
    ['0.01', 1],
    ['1000000.00', 100000000],
    ['1,234,567', 123456700],
    ['１２３', 12300],
    ['１，２３４．５', 123450],
    ['￥１２．３', 1230],
    ['3,982.15元', 398215],
    ['48326.57 元', 4832657],
    ['¥88元', 8800],
    ['４８３２６。５７', 4832657],
    ['12。5', 1250],
    ['1 234.56', 123456],
    ['1 234 567', 123456700],
  ])('%j → %d fen', (input, fen) => {
    expect(parseYuanToFen(input)).toBe(fen);
  });

  it.each(['', 'abc', '1.234', '-1', '1e5', '1.2.3', '12a', 'Infinity', 'NaN', '0x10', '1 000 000 000 000 000', '1,5', '12,34', '1,2345', ',123', '1,234,5', '1.5,0', '元', '12元5', '1.2。3', '60期', '1 5', '1 23.4 5', '1,234.5,6', '12,345.6,7', '1,234.56,', '1, 234', '12 .5'])('refuses %j', (input) => {
    expect(parseYuanToFen(input)).toBeNull();
  });

  it('never goes through floating point: 0.29 and 1.15 stay exact', () => {
    expect(parseYuanToFen('0.29')).toBe(29);
    expect(parseYuanToFen('1.15')).toBe(115);
    expect(parseYuanToFen('4.35')).toBe(435);
  });
});

describe('formatFen', () => {
  it.each([
    [0, '¥0.00'],
    [1, '¥0.01'],
    [105, '¥1.05'],
    [123456, '¥1,234.56'],
    [100000000, '¥1,000,000.00'],
    [-2550, '-¥25.50'],
    [MAX_FEN, '¥100,000,000.00'],
  ])('%d → %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text);
  });

  it('refuses a non-integer amount', () => {
    expect(() => formatFen(1.5)).toThrow(TypeError);
  });

  it('round-trips through the input form', () => {
    for (const fen of [1, 99, 100, 123456, 5000050]) {
      expect(parseYuanToFen(fenToYuanInput(fen))).toBe(fen);
    }
    expect(fenToYuanInput(0)).toBe('');
    expect(fenToYuanInput(120000)).toBe('1200');
  });

  it('sums with nulls as zero', () => {
    expect(sumFen(100, null, 250, undefined)).toBe(350);
  });

  it("puts a case's amount back as it was given: blank for none, 0 for a 0 typed", () => {
    expect(givenFenToYuanInput(null)).toBe('');
    expect(givenFenToYuanInput(0)).toBe('0');
    expect(givenFenToYuanInput(120050)).toBe('1200.50');
  });
});

describe('recordedDebtFen', () => {
  it('sums the amounts given and leaves the blank ones out; none given is not known, not 0', () => {
    expect(recordedDebtFen({ principalFen: 100_000, interestFen: 5_000, penaltyFen: 250 })).toBe(105_250);
    expect(recordedDebtFen({ principalFen: 100_000, interestFen: null, penaltyFen: null })).toBe(100_000);
    expect(recordedDebtFen({ principalFen: null, interestFen: 0, penaltyFen: null })).toBe(0);
    expect(recordedDebtFen({ principalFen: null, interestFen: null, penaltyFen: null })).toBeNull();
  });
});

describe('sharePercent', () => {
  it.each([
    [0, 10_000, '0', 'none of it'],
    [1_233_450, 10_001_356_900, '<1', 'some of it, under one percent: not "0"'],
    [50, 10_000, '<1', 'half a percent: not rounded to "1" either'],
    [100, 10_000, '1', 'one percent'],
    [3_333, 10_000, '33', 'rounded'],
    [9_950, 10_000, '>99', '99.5 %: not "100"'],
    [9_900, 10_000, '99', '99 %'],
    [10_000, 10_000, '100', 'all of it'],
    [12_000, 10_000, '100', 'more than the whole: all'],
    [500, 0, '0', 'nothing to share'],
  ])('%i of %i → %s (%s)', (part, whole, expected) => {
    expect(sharePercent(part, whole)).toBe(expected);
  });
});
