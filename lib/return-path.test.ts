import { describe, expect, it } from 'vitest';
import { PATH_HEADER as POLICY_PATH_HEADER } from './page-policy.mjs';
import { PATH_HEADER, safeReturnPath, signInHref } from './return-path';

describe('safeReturnPath', () => {
  it.each(['/reminders', '/cases/12?all=plan', '/share/accept?code=ABCD-EFGH-JKLM', '/cases/12#plan'])('keeps a path of this app: %s', (p) => {
    expect(safeReturnPath(p)).toBe(p);
  });

  it.each([
    ['another site', '//evil.example/x'],
    ['another site, with a backslash', '/\\evil.example'],
    ['a backslash further on', '/cases/\\evil'],
    ['a full URL', 'https://evil.example/'],
    ['a scheme', 'javascript:alert(1)'],
    ['a relative path', 'reminders'],
    ['a control character', '/cases\n/1'],
    ['the sign-in page', '/signin?next=/x'],
    ['the sign-up page', '/signup'],
    ['Auth.js', '/api/auth/signout'],
    ['the start page, where everyone lands anyway', '/'],
    ['nothing', ''],
    ['not a string', 42],
    ['too long', `/${'a'.repeat(2000)}`],
  ])('refuses %s', (_why, p) => {
    expect(safeReturnPath(p)).toBeNull();
  });
});

describe('signInHref', () => {
  it('carries the path back, encoded, or nothing', () => {
    expect(signInHref('/share/accept?code=AB CD')).toBe('/signin?next=%2Fshare%2Faccept%3Fcode%3DAB%20CD');
    expect(signInHref('//evil.example')).toBe('/signin');
    expect(signInHref(null)).toBe('/signin');
  });
});

it('names the same request header as the page policy, which cannot import it', () => {
  expect(POLICY_PATH_HEADER).toBe(PATH_HEADER);
});
