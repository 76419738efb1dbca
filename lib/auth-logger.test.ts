// Auth.js's own error classes (next-auth re-exports them; importing next-auth itself needs Next's server).
import { CredentialsSignin, SessionTokenError } from '../node_modules/next-auth/node_modules/@auth/core/errors.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { logAuthError } from './auth-logger';

describe('logAuthError', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints nothing for a refused sign-in, its subclasses (auth.ts) included', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    class RateLimited extends CredentialsSignin {
      code = 'rate_limited';
    }
    logAuthError(new CredentialsSignin());
    logAuthError(new RateLimited());
    expect(printed).not.toHaveBeenCalled();
  });

  it('prints every other error, whole', () => {
    const printed = vi.spyOn(console, 'error').mockImplementation(() => {});
    const errors = [new Error('the session store is gone'), new SessionTokenError('a token that does not decrypt')];
    for (const error of errors) logAuthError(error);
    expect(printed.mock.calls).toEqual(errors.map((error) => ['[auth][error]', error]));
  });
});
