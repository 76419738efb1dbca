import { encode } from 'next-auth/jwt';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { readSessionToken, usesSecureCookies } from './session-token';

const SECRET = 'test-secret-0123456789abcdef0123456789abcdef';
const PLAIN = 'authjs.session-token';
const SECURE = '__Secure-authjs.session-token';

/** A session cookie as Auth.js writes it at sign-in (auth.ts's jwt callback puts uid and sid in it). */
function sealed(claims: Record<string, unknown>, salt = PLAIN, secret = SECRET, maxAge?: number) {
  return encode({ token: { sub: '7', uid: 7, sid: 'session-7', ...claims }, secret, salt, ...(maxAge === undefined ? {} : { maxAge }) });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('readSessionToken', () => {
  it('reads the session Auth.js sealed under the cookie name of the protocol', async () => {
    const plain = await sealed({ sid: 'plain-session' });
    expect(await readSessionToken(`locale=en; ${PLAIN}=${plain}`, false, SECRET)).toMatchObject({ uid: 7, sid: 'plain-session' });

    const secure = await sealed({ sid: 'secure-session' }, SECURE);
    expect(await readSessionToken(`${SECURE}=${secure}`, true, SECRET)).toMatchObject({ sid: 'secure-session' });
  });

  it('does not take a cookie of the other protocol, as Auth.js does not', async () => {
    const secure = await sealed({}, SECURE);
    expect(await readSessionToken(`${SECURE}=${secure}`, false, SECRET)).toBeNull();
    const plain = await sealed({});
    expect(await readSessionToken(`${PLAIN}=${plain}`, true, SECRET)).toBeNull();
  });

  it('refuses a token sealed with another secret or salt, a forged one, and no cookie at all', async () => {
    expect(await readSessionToken(`${PLAIN}=${await sealed({}, PLAIN, 'another-secret-0123456789abcdef0123456789')}`, false, SECRET)).toBeNull();
    expect(await readSessionToken(`${PLAIN}=${await sealed({}, SECURE)}`, false, SECRET)).toBeNull();
    expect(await readSessionToken(`${PLAIN}=forged-token`, false, SECRET)).toBeNull();
    expect(await readSessionToken('locale=en', false, SECRET)).toBeNull();
    expect(await readSessionToken('', false, SECRET)).toBeNull();
    expect(await readSessionToken(`${PLAIN}=${await sealed({})}`, false, undefined)).toBeNull();
  });

  it('refuses an expired token', async () => {
    const expired = await sealed({}, PLAIN, SECRET, -60);
    expect(await readSessionToken(`${PLAIN}=${expired}`, false, SECRET)).toBeNull();
  });

  it('stops taking a token it has already read once the token expires', async () => {
    const token = await sealed({ sid: 'short-lived' }, PLAIN, SECRET, 60);
    expect(await readSessionToken(`${PLAIN}=${token}`, false, SECRET)).toMatchObject({ sid: 'short-lived' });
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 61_000);
    expect(await readSessionToken(`${PLAIN}=${token}`, false, SECRET)).toBeNull();
  });

  it('joins a token Auth.js cut into chunks', async () => {
    const token = await sealed({ sid: 'chunked', padding: 'x'.repeat(6000) });
    const cut = Math.ceil(token.length / 2);
    const cookie = `${PLAIN}.0=${token.slice(0, cut)}; ${PLAIN}.1=${token.slice(cut)}`;
    expect(await readSessionToken(cookie, false, SECRET)).toMatchObject({ sid: 'chunked' });
  });
});

describe('usesSecureCookies', () => {
  it('follows AUTH_URL when it is set, the forwarded protocol otherwise, HTTPS when neither says', () => {
    expect(usesSecureCookies('http', { AUTH_URL: 'https://respite.example' })).toBe(true);
    expect(usesSecureCookies('https', { NEXTAUTH_URL: 'http://127.0.0.1:3000' })).toBe(false);
    expect(usesSecureCookies('http', {})).toBe(false);
    expect(usesSecureCookies('https', {})).toBe(true);
    expect(usesSecureCookies(null, {})).toBe(true);
  });
});
