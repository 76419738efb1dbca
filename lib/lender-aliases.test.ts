import { describe, expect, it } from 'vitest';
import { PUBLIC_LENDERS } from '@/db/seed/lenders';
import { LENDER_ALIASES, lenderMatches } from './lender-aliases';

const seeded = (name: string) => {
  const l = PUBLIC_LENDERS.find((x) => x.name === name)!;
  return { name: l.name, products: l.products ?? [], channels: l.channels ?? {}, seedName: l.name };
};

describe('lender aliases', () => {
  it('name only seeded lenders, by their seed names', () => {
    const names = new Set(PUBLIC_LENDERS.map((l) => l.name));
    expect(Object.keys(LENDER_ALIASES).filter((k) => !names.has(k))).toEqual([]);
  });

  it.each([
    ['招行', '招商银行信用卡'],
    ['CMB', '招商银行信用卡'],
    ['china merchants', '招商银行信用卡'],
    ['95 555', '招商银行信用卡'],
    ['huabei', '花呗/借呗（重庆蚂蚁消费金融）'],
    ['Huabei', '花呗/借呗（重庆蚂蚁消费金融）'],
    ['95188', '花呗/借呗（重庆蚂蚁消费金融）'],
    ['建行', '建设银行 快贷'],
    ['homecredit', '捷信消费金融'],
    ['快贷', '建设银行 快贷'],
    // Typed in full-width mode.
    ['ＣＭＢ', '招商银行信用卡'],
    ['９５５５５', '招商银行信用卡'],
    // Separate words, each its own match (as the case list's search).
    ['招商 信用卡', '招商银行信用卡'],
    ['建设 快贷', '建设银行 快贷'],
    ['CMB　信用卡', '招商银行信用卡'],
  ])('"%s" finds %s', (q, name) => {
    expect(lenderMatches(seeded(name), q)).toBe(true);
  });

  it('matches an acronym alias whole, never as a part of a longer one', () => {
    const found = (q: string) => PUBLIC_LENDERS.filter((l) => lenderMatches(seeded(l.name), q)).map((l) => l.name);
    // CMB is a part of CMBC (民生): "CMB" finds 招商银行 alone, "CMBC" 民生银行 alone.
    expect(found('CMB')).toEqual(['招商银行信用卡']);
    expect(found('cmb')).toEqual(['招商银行信用卡']);
    expect(found('CMBC')).toEqual(['民生银行信用卡']);
    expect(found('BOC')).toEqual(['中国银行信用卡']);
    expect(found('BOCOM')).toEqual(['交通银行信用卡']);
    expect(found('ICBC')).toEqual(['工商银行信用卡']);
    expect(found('CCB')).toEqual(['建设银行 快贷']);
    expect(found('ABC')).toEqual(['农业银行信用卡']);
    // Names, Chinese short names and longer aliases still match by a part.
    expect(found('招行')).toEqual(['招商银行信用卡']);
    expect(found('China Merchants')).toEqual(['招商银行信用卡']);
    expect(found('Minsheng')).toEqual(['民生银行信用卡']);
    expect(found('民生')).toEqual(['民生银行信用卡']);
    // Every word must match: one that matches nothing leaves nothing.
    expect(found('招商 快贷')).toEqual([]);
  });

  it('finds no other lender by another\'s alias, and a renamed lender still by its own', () => {
    expect(lenderMatches(seeded('招联金融'), '招行')).toBe(false);
    expect(lenderMatches(seeded('建设银行 快贷'), 'CMB')).toBe(false);
    expect(lenderMatches({ ...seeded('招商银行信用卡'), name: '招商银行（信用卡中心）' }, 'CMB')).toBe(true);
    // A private lender has no aliases: its own name and products only.
    expect(lenderMatches({ name: '某小贷公司', products: ['速借'], channels: {}, seedName: null }, 'CMB')).toBe(false);
    expect(lenderMatches({ name: '某小贷公司', products: ['速借'], channels: {}, seedName: null }, '速借')).toBe(true);
  });
});
