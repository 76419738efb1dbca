/**
 * The page policy as scripts/server.mjs applies it before Next (lib/page-policy.mjs
 * `applyPagePolicy`), and the proxy's matcher that skips what it has marked. The answers
 * themselves, from the real build through the real server, are in e2e/security-headers.spec.ts.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { config } from '@/proxy';
import { FRONT_HEADER, applyPagePolicy, contentSecurityPolicy, isPublicPath } from './page-policy.mjs';

type Call = { method: string; url: string; headers?: IncomingHttpHeaders };

function run({ method, url, headers = {} }: Call) {
  const req = { method, url, headers: { ...headers } };
  const set: Record<string, string> = {};
  const res = { setHeader: (name: string, value: string) => void (set[name.toLowerCase()] = value) };
  const marked = applyPagePolicy(req, res);
  return { marked, req, set };
}

const SESSION = { cookie: 'theme=x; authjs.session-token=abc.def' };
const NONCE = /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/;

describe('applyPagePolicy (the front server, before Next)', () => {
  it('gives a signed-in page request its nonce and policy, on the request for Next and on the answer, and marks it', () => {
    const { marked, req, set } = run({ method: 'GET', url: '/cases/12?open=contact', headers: SESSION });
    expect(marked).toBe(true);
    const nonce = NONCE.exec(set['content-security-policy'])?.[1];
    expect(nonce).toBeTruthy();
    expect(req.headers['content-security-policy']).toBe(set['content-security-policy']);
    expect(req.headers['content-security-policy']).toBe(contentSecurityPolicy(nonce!));
    expect(req.headers['x-nonce']).toBe(nonce);
    expect(req.headers[FRONT_HEADER]).toBe('1');
    expect(set['strict-transport-security']).toBeUndefined();
  });

  it('gives each request a new nonce', () => {
    const a = run({ method: 'GET', url: '/home', headers: SESSION }).req.headers['x-nonce'];
    const b = run({ method: 'GET', url: '/home', headers: SESSION }).req.headers['x-nonce'];
    expect(a).not.toBe(b);
  });

  it('adds HSTS only behind a TLS proxy', () => {
    expect(run({ method: 'GET', url: '/home', headers: { ...SESSION, 'x-forwarded-proto': 'https' } }).set['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
    expect(run({ method: 'HEAD', url: '/home', headers: { ...SESSION, 'x-forwarded-proto': 'http' } }).set['strict-transport-security']).toBeUndefined();
  });

  it('marks a public path without a session, in chunks or under the __Secure- name with one', () => {
    expect(run({ method: 'GET', url: '/signin' }).marked).toBe(true);
    expect(run({ method: 'GET', url: '/calendar/abc.ics' }).marked).toBe(true);
    expect(run({ method: 'GET', url: '/home', headers: { cookie: '__Secure-authjs.session-token.0=a; __Secure-authjs.session-token.1=b' } }).marked).toBe(true);
  });

  it('leaves to the proxy what it must answer itself, unmarked and untouched', () => {
    const left: Call[] = [
      { method: 'GET', url: '/home' }, // no session: the proxy sends the visitor to sign in
      { method: 'GET', url: '/home', headers: { cookie: 'session-token=forged; other=authjs' } }, // not Auth.js's cookie
      { method: 'GET', url: '/signinx' }, // not a public path, only a prefix of one
      { method: 'POST', url: '/cases/12', headers: { ...SESSION, 'next-action': 'abc' } }, // an action: its body is checked there
      { method: 'GET', url: '/documents/5', headers: SESSION }, // the download's own policy
      { method: 'GET', url: '/cases/%FF', headers: SESSION }, // does not decode: a 404 there
      { method: 'GET', url: 'http://example.com/home', headers: SESSION }, // absolute form
    ];
    for (const call of left) {
      const { marked, req, set } = run(call);
      expect(marked, `${call.method} ${call.url}`).toBe(false);
      expect(set, `${call.method} ${call.url}`).toEqual({});
      expect(req.headers['content-security-policy'], `${call.method} ${call.url}`).toBeUndefined();
    }
  });

  it('removes a mark the client sent, so that the proxy runs', () => {
    const { marked, req } = run({ method: 'POST', url: '/cases/12', headers: { ...SESSION, [FRONT_HEADER]: '1', 'next-action': 'abc' } });
    expect(marked).toBe(false);
    expect(req.headers[FRONT_HEADER]).toBeUndefined();
    expect(run({ method: 'GET', url: '/home', headers: { [FRONT_HEADER]: '1' } }).req.headers[FRONT_HEADER]).toBeUndefined();
  });

  it('public paths are the listed ones and what lies under them', () => {
    expect(isPublicPath('/share/accept/tok')).toBe(true);
    expect(isPublicPath('/api/auth/csrf')).toBe(true);
    expect(isPublicPath('/share')).toBe(false);
    expect(isPublicPath('/')).toBe(false);
  });
});

describe("proxy.ts's matcher", () => {
  it('skips exactly the requests the front server marked (FRONT_HEADER)', () => {
    expect(config.matcher).toHaveLength(1);
    const [entry] = config.matcher;
    expect(entry.missing).toEqual([{ type: 'header', key: FRONT_HEADER }]);
    expect(entry).not.toHaveProperty('has');
  });
});
