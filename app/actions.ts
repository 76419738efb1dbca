'use server';

import { cookies } from 'next/headers';
import { revalidatePath } from 'next/cache';
import { signOut } from '@/auth';
import { updateProfile } from '@/db/users';
import { getViewer } from '@/db/viewer';
import { LOCALE_COOKIE } from '@/lib/i18n/config';
import { localeSchema } from '@/lib/validation';

const ONE_YEAR = 365 * 24 * 60 * 60;

/** Switches the language; remembered in a cookie and, for a signed-in user, on the account. */
export async function setLocaleAction(formData: FormData): Promise<void> {
  // A hand-made request can encode any argument: only a form is read.
  if (!(formData instanceof FormData)) return;
  const parsed = localeSchema.safeParse(formData.get('locale'));
  if (!parsed.success) return;
  (await cookies()).set(LOCALE_COOKIE, parsed.data, { path: '/', maxAge: ONE_YEAR, sameSite: 'lax' });
  const viewer = await getViewer();
  if (viewer) updateProfile(viewer, { locale: parsed.data });
  revalidatePath('/', 'layout');
}

/** Ends this browser's session (the session row is revoked by auth.ts's signOut event). */
export async function signOutAction(): Promise<void> {
  await signOut({ redirectTo: '/signin' });
}
