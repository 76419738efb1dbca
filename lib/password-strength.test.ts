import { describe, expect, it } from 'vitest';
import { isWeakNewPassword, isWeakPassword } from './password-strength';

describe('isWeakPassword', async () => {
  it.each([
    ['the most common', ['12345678', 'password', '11111111', 'qwertyuiop', '1qaz2wsx', 'iloveyou']],
    ['common in China (pinyin phrases, lucky numbers)', ['woaini1314', '5201314a', 'qq123456', 'a123456789', '147258369', 'zhang123456']],
    ['repeats and keyboard runs', ['        ', 'aaaaaaaa', 'asdfghjkl', 'zxcvbnm123']],
  ])('refuses %s', async (_label, passwords) => {
    for (const p of passwords) expect(await isWeakPassword(p), p).toBe(true);
  });

  it('refuses the account\'s own email, its name before the @, and the person\'s name with a digit', async () => {
    const about = { email: 'Liu.Yangyang@example.cn', displayName: 'liuyangyang' };
    expect(await isWeakPassword('liu.yangyang@example.cn', about)).toBe(true);
    expect(await isWeakPassword('liu.yangyang1', about)).toBe(true);
    expect(await isWeakPassword('liuyangyang88', about)).toBe(true);
    // The same words for another account are just letters.
    expect(await isWeakPassword('liu.yangyang1', { email: 'wang@example.cn', displayName: '王芳' })).toBe(false);
  });

  it('accepts long passphrases and what the tests and the demo sign in with', async () => {
    for (const p of ['three unrelated words', 'correct horse battery staple', '雨天的猫喜欢吃面', 'test-password-1', 'e2e-correct-horse-7', 'demo-borrower-2025', 'e2e-admin-password']) {
      expect(await isWeakPassword(p), p).toBe(false);
    }
  });
});

describe('isWeakNewPassword', () => {
  it('is the verb\'s estimate for a password the form takes, and no for one it refuses anyway', async () => {
    expect(await isWeakNewPassword('woaini1314')).toBe(true);
    expect(await isWeakNewPassword('liuyangyang88', { email: 'liu.yangyang@example.cn', displayName: 'liuyangyang' })).toBe(true);
    expect(await isWeakNewPassword('liuyangyang88', { email: 'wang@example.cn' })).toBe(false);
    expect(await isWeakNewPassword('correct horse battery staple')).toBe(false);
    // Too short or too long is the form's own refusal; nothing typed, or a file, is no password.
    for (const typed of ['1234567', '1'.repeat(201), null, undefined, 12345678, new File(['12345678'], 'p.txt')]) {
      expect(await isWeakNewPassword(typed), String(typed)).toBe(false);
    }
  });

  it('leaves a password over 32 characters to the verb, which judges it by its first 64', async () => {
    expect(await isWeakNewPassword('a'.repeat(32))).toBe(true);
    expect(await isWeakNewPassword('a'.repeat(33))).toBe(false);
    expect(await isWeakPassword('a'.repeat(200))).toBe(true);
    expect(await isWeakPassword('1'.repeat(64) + 'Zr8!q0-Lm2@vX')).toBe(true);
    expect(await isWeakPassword('correct horse battery staple '.repeat(6))).toBe(false);
  });
});
