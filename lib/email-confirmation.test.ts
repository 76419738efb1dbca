import { describe, expect, it } from 'vitest';
import { passwordResetToken } from './password-reset';
import {
  CONFIRM_VALID_DAYS,
  confirmationTokenUser,
  emailChangeToken,
  emailConfirmationToken,
  emailConfirmationUrl,
  isEmailChangeToken,
  isEmailConfirmationToken,
} from './email-confirmation';

const SECRET = 'a-test-secret-of-enough-length';
const NOW = new Date('2026-11-30T08:00:00Z');
const user = { id: 42, email: 'wang@example.cn' };
const days = (n: number) => new Date(NOW.getTime() + n * 86_400_000 - 1);

describe('an email confirmation link', () => {
  it('works for its account and address for seven days', () => {
    const token = emailConfirmationToken(user, NOW, SECRET)!;
    expect(token).toMatch(/^42\.\d+\.[A-Za-z0-9_-]{43}$/);
    expect(confirmationTokenUser(token)).toBe(42);
    expect(isEmailConfirmationToken(user, token, NOW, SECRET)).toBe(true);
    expect(isEmailConfirmationToken(user, token, days(CONFIRM_VALID_DAYS), SECRET)).toBe(true);
    expect(isEmailConfirmationToken(user, token, new Date(days(CONFIRM_VALID_DAYS).getTime() + 1), SECRET)).toBe(false);
  });

  it('confirms only the address it was mailed to, under its secret, for its account', () => {
    const token = emailConfirmationToken(user, NOW, SECRET)!;
    expect(isEmailConfirmationToken({ ...user, email: 'li@example.cn' }, token, NOW, SECRET)).toBe(false);
    expect(isEmailConfirmationToken(user, token, NOW, `${SECRET}-new`)).toBe(false);
    expect(isEmailConfirmationToken({ ...user, id: 43 }, token.replace(/^42/, '43'), NOW, SECRET)).toBe(false);
    expect(isEmailConfirmationToken(user, `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`, NOW, SECRET)).toBe(false);
    expect(isEmailConfirmationToken(user, 'not a token', NOW, SECRET)).toBe(false);
  });

  it('is not a password reset link, nor one the other way round', () => {
    const account = { ...user, passwordHash: '' };
    // Even bound to the same text, the purpose differs: one kind of link never opens the other's page.
    const reset = passwordResetToken(account, NOW, SECRET)!;
    expect(isEmailConfirmationToken(user, reset, NOW, SECRET)).toBe(false);
  });

  it('is made only with a secret, and opens the confirmation page', () => {
    expect(emailConfirmationToken(user, NOW, '')).toBeNull();
    expect(emailConfirmationUrl('https://respite.example', 'a.b+c')).toBe('https://respite.example/confirm-email?t=a.b%2Bc');
  });
});

describe("an email change's link", () => {
  const next = { id: 42, email: 'wang.new@example.cn' };

  it('works for its account and the new address it was mailed to, for seven days', () => {
    const token = emailChangeToken(next, NOW, SECRET)!;
    expect(confirmationTokenUser(token)).toBe(42);
    expect(isEmailChangeToken(next, token, days(CONFIRM_VALID_DAYS), SECRET)).toBe(true);
    expect(isEmailChangeToken(next, token, new Date(days(CONFIRM_VALID_DAYS).getTime() + 1), SECRET)).toBe(false);
    // A second change replaces the pending address: the first change's link is for an address no longer asked for.
    expect(isEmailChangeToken({ ...next, email: 'wang.other@example.cn' }, token, NOW, SECRET)).toBe(false);
    expect(isEmailChangeToken({ ...next, id: 43 }, token.replace(/^42/, '43'), NOW, SECRET)).toBe(false);
    expect(isEmailChangeToken(next, token, NOW, `${SECRET}-new`)).toBe(false);
    expect(emailChangeToken(next, NOW, '')).toBeNull();
  });

  it('is no sign-up confirmation link, nor one the other way round, even for the same address', () => {
    expect(isEmailConfirmationToken(next, emailChangeToken(next, NOW, SECRET)!, NOW, SECRET)).toBe(false);
    expect(isEmailChangeToken(next, emailConfirmationToken(next, NOW, SECRET)!, NOW, SECRET)).toBe(false);
  });
});
