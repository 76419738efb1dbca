'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { acceptInvite } from '@/db/shares';
import { DomainError } from '@/lib/errors';

/** The advisor accepts: the share is active from now on, and they go to their dashboard, which says so. */
export const acceptInviteAction = formAction(
  z.object({ code: z.string().trim().min(1, 'required').max(40, 'too_long') }),
  async (viewer, data) => {
    try {
      acceptInvite(viewer, data.code);
    } catch (e) {
      // Accepted already (another tab, a second click), or the client's cases are already theirs: nothing
      // to refuse, the dashboard has them.
      if (!(e instanceof DomainError && e.code === 'already_shared')) throw e;
    }
    revalidatePath('/', 'layout');
    redirect('/dashboard?accepted=1');
  },
);
