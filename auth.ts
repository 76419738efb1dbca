import NextAuth, { CredentialsSignin } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { cookies } from 'next/headers';
import { createSession, revokeSession, verifyCredentials } from '@/db/users';
import { LOCALE_COOKIE } from '@/lib/i18n/config';

class RateLimited extends CredentialsSignin {
  code = 'rate_limited';
}

/** The caller's address, as the server in front of us (or Next itself) reports it. */
function clientAddress(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for');
  return forwarded?.split(',').at(-1)?.trim() || request.headers.get('x-real-ip') || 'unknown';
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  // The secret comes from AUTH_SECRET, which scripts/start.mjs creates and keeps on first start.
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/signin' },
  providers: [
    Credentials({
      credentials: { email: {}, password: {} },
      async authorize(credentials, request) {
        const email = typeof credentials.email === 'string' ? credentials.email : '';
        const password = typeof credentials.password === 'string' ? credentials.password : '';
        if (!email || !password) return null;
        const result = await verifyCredentials(email, password, clientAddress(request));
        if (!result.ok) {
          if (result.reason === 'rate_limited') throw new RateLimited();
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
    session({ session, token }) {
      session.sessionId = token.sid as string;
      return session;
    },
  },
  events: {
    signOut(message) {
      if ('token' in message && message.token?.sid) revokeSession(message.token.sid as string);
    },
  },
});

declare module 'next-auth' {
  interface User {
    sessionId?: string;
  }
  interface Session {
    sessionId?: string;
  }
}
