import NextAuth, { CredentialsSignin, type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { cookies, headers } from 'next/headers';
import { createSession, revokeSession, verifyCredentials } from '@/db/users';
import { logAuthError } from '@/lib/auth-logger';
import { clientAddress } from '@/lib/client-address';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { readSessionToken, usesSecureCookies, type SessionToken } from '@/lib/session-token';

class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
}

/**
 * A wrong password with few tries left before the limit (db/users.ts verifyCredentials): the form says
 * how many, so that the owner stops before the 15 minutes' wait, or resets the password.
 */
export const FEW_TRIES_LEFT = 2;
class FewTriesLeft extends CredentialsSignin {
  constructor(left: number) {
    super();
    this.code = `tries_left_${left}`;
  }
}

/** The right password of a disabled account (db/users.ts verifyCredentials): said only then. */
class AccountDisabled extends CredentialsSignin {
  code = 'account_disabled';
}

const config: NextAuthConfig = {
  // The secret comes from AUTH_SECRET, which scripts/start.mjs creates and keeps on first start.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/signin' },
  logger: { error: logAuthError },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const email = typeof credentials.email === 'string' ? credentials.email : '';
        const password = typeof credentials.password === 'string' ? credentials.password : '';
        if (!email || !password) return null;
        const result = await verifyCredentials(email, password, clientAddress(request.headers));
        if (!result.ok) {
          if (result.reason === 'rate_limited') throw new RateLimited();
          if (result.reason === 'disabled') throw new AccountDisabled();
          if (result.reason === 'invalid' && result.triesLeft <= FEW_TRIES_LEFT) throw new FewTriesLeft(result.triesLeft);
          return null;
        }
        // The account's language becomes this browser's.
        (await cookies()).set(LOCALE_COOKIE, result.user.locale, { path: '/', maxAge: 365 * 24 * 60 * 60, sameSite: 'lax' });
        return { id: String(result.user.id), sessionId: createSession(result.user.id) };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user) {
        token.uid = Number(user.id);
        token.sid = user.sessionId;
      }
      return token;
    },
  },
  events: {
    signOut(message) {
      if ('token' in message && message.token?.sid) revokeSession(message.token.sid as string);
    },
  },
};

// NextAuth fills in config.secret from AUTH_SECRET.
export const { handlers, signIn, signOut } = NextAuth(config);

/**
 * This request's session token, or null: what `auth()` would give a server component, read
 * without `auth()`'s extra work (lib/session-token.ts). db/viewer.ts turns it into the viewer.
 */
export async function sessionToken(): Promise<SessionToken | null> {
  const h = await headers();
  return readSessionToken(h.get('cookie') ?? '', usesSecureCookies(h.get('x-forwarded-proto')), config.secret);
}

declare module 'next-auth' {
  interface User {
    sessionId?: string;
  }
}
