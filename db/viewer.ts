import 'server-only';
import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { cache } from 'react';
import { sessionToken } from '@/auth';
import { PATH_HEADER, signInHref } from '@/lib/return-path';
import { viewerForSession } from './users';
import type { Viewer } from './viewer-type';

export type { Viewer };

/**
 * Who is asking, once per request: the signed token must name a session that is still live
 * and an account that is not disabled. Everything else in db/ takes the result as an argument.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const token = await sessionToken();
  if (typeof token?.sid !== 'string') return null;
  return viewerForSession(token.sid);
});

/**
 * For pages and actions that need a signed-in user: anyone else goes to the sign-in page, and
 * comes back to the page they asked for (its path as proxy.ts or scripts/server.mjs saw it).
 */
export async function requireViewer(): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect(signInHref((await headers()).get(PATH_HEADER)));
  return viewer;
}
