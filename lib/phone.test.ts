import { describe, expect, it } from 'vitest';
import { normalizePhone, telHref } from './phone';

describe('normalizePhone', () => {
  it('reads what a Chinese input method types in full-width as ASCII and keeps the rest', () => {
    expect(normalizePhone('４００－８２０－５５５５')).toBe('400-820-5555');
    expect(normalizePhone('＋86　（10）6659 6688')).toBe('+86 (10)6659 6688');
    expect(normalizePhone('95555 转 2')).toBe('95555 转 2');
  });
});

describe('telHref', () => {
  it('dials a number as people write it, separators left out', () => {
    expect(telHref('95555')).toBe('tel:95555');
    expect(telHref('0755-8319 5555')).toBe('tel:075583195555');
    expect(telHref('400-820-5555')).toBe('tel:4008205555');
    expect(telHref('+86 (10) 6659-6688')).toBe('tel:+861066596688');
    expect(telHref(' 138 0013 8000 ')).toBe('tel:13800138000');
    expect(telHref('12378')).toBe('tel:12378');
  });

  it('dials a number typed in full-width', () => {
    expect(telHref('９５５５５')).toBe('tel:95555');
    expect(telHref('＋８６ １３８００１３８０００')).toBe('tel:+8613800138000');
  });

  it('leaves an extension out of the link: it would run into the number', () => {
    expect(telHref('95555 转 2')).toBe('tel:95555');
    expect(telHref('95555转2')).toBe('tel:95555');
    expect(telHref('400-820-5555 分机 1234')).toBe('tel:4008205555');
    expect(telHref('010-6659 6688 ext. 12')).toBe('tel:01066596688');
    expect(telHref('010-6659 6688 x12')).toBe('tel:01066596688');
  });

  it('gives no link for what is not a number to dial', () => {
    expect(telHref('')).toBeNull();
    expect(telHref('kefu@cmbchina.com')).toBeNull();
    expect(telHref('深圳市福田区深南大道 7088 号')).toBeNull();
    expect(telHref('客服小王')).toBeNull();
    expect(telHref('95555 信用卡中心')).toBeNull();
    expect(telHref('12')).toBeNull();
    expect(telHref('1234567890123456')).toBeNull();
    expect(telHref('9+5555')).toBeNull();
    expect(telHref('转 2')).toBeNull();
  });
});
