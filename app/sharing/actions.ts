'use server';

import { getTranslations } from 'next-intl/server';
import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { z } from 'zod';
import { formAction } from '@/app/_lib/action';
import { flashSaved } from '@/app/_lib/flash';
import { createInvite, revokeShare, setSensitiveConsent } from '@/db/shares';
import { appOrigin } from '@/lib/app-url';
import { formatDateTime } from '@/lib/dates';
import { LOCALES } from '@/lib/i18n/config';
import { formKey, idSchema } from '@/lib/validation';

/**
 * A new invitation. Its code exists only in this answer (the database keeps a hash): the form
 * shows it once, with the link an advisor opens.
 */
export const createInviteAction = formAction(
  z.object({ label: z.string().trim().max(100, 'too_long').optional().transform((s) => s ?? ''), formKey }),
  async (viewer, data) => {
    const invite = createInvite(viewer, data.label, new Date(), data.formKey);
    const link = `${appOrigin(await headers())}/share/accept?code=${encodeURIComponent(invite.code)}`;
    revalidatePath('/sharing');
    // Until when, in each language: the code is shown once, and stays on the page when the reader
    // switches language, so its line follows the page's language (InviteResult picks by locale).
    const expires: Record<string, string> = {};
    for (const locale of LOCALES) {
      const t = await getTranslations({ locale, namespace: 'sharing.invite' });
      expires[`expires:${locale}`] = t('expires', { date: formatDateTime(invite.expiresAt, locale) });
    }
    // No message: the result itself (with its own live region) says the code is ready.
    return { status: 'ok', data: { code: invite.code, link, ...expires }, nonce: Date.now() };
  },
);

/**
 * Ends a share, or cancels an invitation nobody has accepted: the advisor's next request finds
 * nothing. `closeReminders` ticked, the advisor's open reminders are dismissed with it.
 */
export const revokeShareAction = formAction(
  z.object({ shareId: idSchema, accepted: z.enum(['0', '1']).optional(), closeReminders: z.literal('1').optional() }),
  async (viewer, data) => {
    const closed = revokeShare(viewer, data.shareId, new Date(), { closeReminders: data.closeReminders === '1', pending: data.accepted === '0' });
    // The whole tree: reminders dismissed with the share change the badge in the layout.
    revalidatePath('/', 'layout');
    const t = await getTranslations('sharing.list');
    const message = data.accepted === '0' ? t('cancelled') : closed ? t('revokedWithReminders', { count: closed }) : t('revoked');
    // The row loses its form with the save: the page drawn next says it.
    await flashSaved(message);
    return { status: 'ok', message, nonce: Date.now() };
  },
);

/** The separate consent for sensitive documents: '1' gives it, '0' withdraws it. */
export const setSensitiveConsentAction = formAction(
  z.object({ shareId: idSchema, consent: z.enum(['0', '1']) }),
  async (viewer, data) => {
    const on = data.consent === '1';
    setSensitiveConsent(viewer, data.shareId, on);
    revalidatePath('/sharing');
    const t = await getTranslations('sharing.sensitive');
    return { status: 'ok', message: t(on ? 'granted' : 'withdrawn'), nonce: Date.now() };
  },
);
