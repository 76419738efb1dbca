import { describe, expect, it } from 'vitest';
import { caseLabel } from './case-label';

const t = (key: string, v: Record<string, string>) => `${key}:${Object.values(v).join('|')}`;

describe('caseLabel', () => {
  it('names a case by its lender, with the account digits or the product', () => {
    expect(caseLabel(t, { lenderName: '招商银行', caseAccountRef: '4471', caseProduct: '信用卡' })).toBe('caseWithRef:招商银行|4471');
    expect(caseLabel(t, { lenderName: '招商银行', caseAccountRef: null, caseProduct: '信用卡' })).toBe('caseWithProduct:招商银行|信用卡');
    expect(caseLabel(t, { lenderName: '招商银行', caseAccountRef: null, caseProduct: null })).toBe('case:招商银行');
  });

  it('does not say twice a product the lender’s name already says', () => {
    expect(caseLabel(t, { lenderName: '微粒贷（微众银行）', caseAccountRef: null, caseProduct: '微粒贷' })).toBe('case:微粒贷（微众银行）');
    expect(caseLabel(t, { lenderName: '微粒贷 (WeBank)', caseAccountRef: null, caseProduct: '微粒贷' })).toBe('case:微粒贷 (WeBank)');
    // One of the products the name lists is said: it tells which.
    expect(caseLabel(t, { lenderName: '美团 月付/借钱', caseAccountRef: null, caseProduct: '月付' })).toBe('caseWithProduct:美团 月付/借钱|月付');
    expect(caseLabel(t, { lenderName: '花呗/借呗（重庆蚂蚁消费金融）', caseAccountRef: null, caseProduct: '花呗' })).toBe('caseWithProduct:花呗/借呗（重庆蚂蚁消费金融）|花呗');
  });
});
