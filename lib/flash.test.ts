import { describe, expect, it } from 'vitest';
import { flashValue, readFlashValue } from './flash';

describe('the saved flash cookie', () => {
  it('carries the message and its save, in ASCII, and reads back as it was', () => {
    const raw = flashValue('已记录还款 ¥1,234.56；下一期 12月20日', 1764700000000);
    expect(raw).toMatch(/^[\x21-\x7e]+$/);
    expect(readFlashValue(raw)).toEqual({ id: '1764700000000', message: '已记录还款 ¥1,234.56；下一期 12月20日' });
  });

  it('two saves with the same words are two flashes', () => {
    expect(readFlashValue(flashValue('已完成', 1))!.id).not.toBe(readFlashValue(flashValue('已完成', 2))!.id);
  });

  it.each([undefined, '', 'abc', '12~', '~abc', '12~%E4%B8', '12~%20', `1~${'a'.repeat(301)}`])('leaves %j unsaid', (raw) => {
    expect(readFlashValue(raw)).toBeNull();
  });

  it('keeps a long message to what a cookie should hold', () => {
    expect(readFlashValue(flashValue('字'.repeat(500), 1))!.message).toHaveLength(300);
  });
});
