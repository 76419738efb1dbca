'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { setAccountDisabled, setAccountRole } from '@/db/admin';
import { ROLES } from '@/db/schema';
import { idSchema } from '@/lib/validation';

/**
 * The accounts console's actions (app/admin/page.tsx). Each calls one verb of db/admin.ts, which
 * answers "not found" to anyone but an admin and refuses the guard rails (oneself, the last
 * admin, an account holding a role's data) with their own message, changing nothing.
 */

export const setAccountDisabledAction = formAction(
  z.object({ userId: idSchema, disabled: z.enum(['0', '1'], 'invalid') }),
  async (viewer, data) => {
    const account = setAccountDisabled(viewer, data.userId, data.disabled === '1');
    revalidatePath('/admin');
    const t = await getTranslations('admin.accounts');
    return { status: 'ok', message: t(account.disabled ? 'disabledDone' : 'enabledDone', { email: account.email }), nonce: Date.now() };
  },
);

export const setAccountRoleAction = formAction(z.object({ userId: idSchema, role: z.enum(ROLES, 'required') }), async (viewer, data) => {
  const account = setAccountRole(viewer, data.userId, data.role);
  revalidatePath('/admin');
  const t = await getTranslations('admin.accounts');
  const c = await getTranslations('common');
  return { status: 'ok', message: t('roleDone', { email: account.email, role: c(`roles.${account.role}`) }), nonce: Date.now() };
});
