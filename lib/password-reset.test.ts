import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isPasswordResetToken, passwordResetToken, passwordResetTokenWay, passwordResetUrl, RESET_VALID_MINUTES, resetTokenUser } from './password-reset';

const SECRET = 'a-test-secret-of-enough-length';
const NOW = new Date('2026-11-30T08:00:00Z');
const user = { id: 42, email: 'wang@example.cn', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNo' };
const minutes = (n: number) => new Date(NOW.getTime() + n * 60_000);

describe('a password reset link', () => {
  it('works for its account for an hour', () => {
    const token = passwordResetToken(user, NOW, SECRET)!;
    expect(token).toMatch(/^42\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(resetTokenUser(token)).toBe(42);
    expect(isPasswordResetToken(user, token, NOW, SECRET)).toBe(true);
    expect(isPasswordResetToken(user, token, minutes(RESET_VALID_MINUTES - 1), SECRET)).toBe(true);
    expect(isPasswordResetToken(user, token, minutes(RESET_VALID_MINUTES), SECRET)).toBe(false);
  });

  it('is the link mailed before the tokens were shared with other links (the same HMAC of the same text)', () => {
    const expires = Math.floor(NOW.getTime() / 1000) + RESET_VALID_MINUTES * 60;
    const hmac = createHmac('sha256', SECRET).update(`respite:password-reset:v2:42:${expires}:${user.email}:${user.passwordHash}`).digest('base64url');
    expect(passwordResetToken(user, NOW, SECRET)).toBe(`42.${expires}.${hmac}`);
  });

  it('stops working once the password or the email changed, under another secret, for another account', () => {
    const token = passwordResetToken(user, NOW, SECRET)!;
    expect(isPasswordResetToken({ ...user, passwordHash: `${user.passwordHash}x` }, token, NOW, SECRET)).toBe(false);
    // Mailed to the old address: the account's new address makes it void.
    expect(isPasswordResetToken({ ...user, email: 'li@example.cn' }, token, NOW, SECRET)).toBe(false);
    expect(isPasswordResetToken(user, token, NOW, `${SECRET}-new`)).toBe(false);
    expect(isPasswordResetToken({ ...user, id: 43 }, token, NOW, SECRET)).toBe(false);
    expect(isPasswordResetToken({ ...user, id: 43 }, token.replace(/^42/, '43'), NOW, SECRET)).toBe(false);
  });

  it('refuses what was changed: a later end, a cut or altered HMAC, what is no token', () => {
    const token = passwordResetToken(user, NOW, SECRET)!;
    const [id, expires, mac] = token.split('.');
    expect(isPasswordResetToken(user, `${id}.${Number(expires) + 3600}.${mac}`, NOW, SECRET)).toBe(false);
    expect(isPasswordResetToken(user, `${id}.${expires}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`, NOW, SECRET)).toBe(false);
    expect(isPasswordResetToken(user, `${id}.${expires}.${mac.slice(1)}`, NOW, SECRET)).toBe(false);
    for (const bad of ['', '42', '42..', 'x.1.y', `0.${expires}.${mac}`, `${token}.1`]) {
      expect(isPasswordResetToken(user, bad, NOW, SECRET), bad).toBe(false);
      expect(resetTokenUser(bad), bad).toBeNull();
    }
  });

  it('is not made, and nothing passes, without a secret of at least 16 characters', () => {
    expect(passwordResetToken(user, NOW, 'short')).toBeNull();
    const token = passwordResetToken(user, NOW, SECRET)!;
    expect(isPasswordResetToken(user, token, NOW, 'short')).toBe(false);
  });

  it('handed over by an administrator: the same shape and page, said apart from a mailed one, and never taken for it', () => {
    const mailed = passwordResetToken(user, NOW, SECRET)!;
    const handed = passwordResetToken(user, NOW, SECRET, 'handed')!;
    expect(handed).toMatch(/^42\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(handed).not.toBe(mailed);
    expect(passwordResetTokenWay(user, mailed, NOW, SECRET)).toBe('mailed');
    expect(passwordResetTokenWay(user, handed, NOW, SECRET)).toBe('handed');
    expect(isPasswordResetToken(user, handed, NOW, SECRET)).toBe(true);
    // Bound and timed alike.
    expect(passwordResetTokenWay(user, handed, minutes(RESET_VALID_MINUTES), SECRET)).toBeNull();
    expect(passwordResetTokenWay({ ...user, passwordHash: `${user.passwordHash}x` }, handed, NOW, SECRET)).toBeNull();
    expect(passwordResetTokenWay({ ...user, email: 'li@example.cn' }, handed, NOW, SECRET)).toBeNull();
  });

  it('opens the page with the token', () => {
    expect(passwordResetUrl('https://respite.example', '42.1.abc')).toBe('https://respite.example/reset-password?t=42.1.abc');
  });
});
