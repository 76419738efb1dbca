'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { acceptInvite } from '@/db/shares';

/** The advisor accepts: the share is active from now on, and they go to their dashboard, which says so. */
export const acceptInviteAction = formAction(
  z.object({ code: z.string().trim().min(1, 'required').max(40, 'too_long') }),
  async (viewer, data) => {
    acceptInvite(viewer, data.code);
    revalidatePath('/', 'layout');
    redirect('/dashboard?accepted=1');
  },
);
