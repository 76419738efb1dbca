import { getTranslations } from 'next-intl/server';
import { exportAccountArchive, exportFileName } from '@/db/account';
import { getViewer } from '@/db/viewer';
import { PROMISE_OUTCOMES, type PromiseOutcome } from '@/lib/domain';
import { reminderTitle, type ReminderFacts } from '@/lib/reminder-text';
import { signInHref } from '@/lib/return-path';

export const dynamic = 'force-dynamic';

/** The domain's codes the export holds, whose meaning it gives (messages/<locale>/domain.json). */
const CODE_GROUPS = ['status', 'outcome', 'program', 'channel', 'contactChannel', 'contactDirection', 'documentKind', 'documentStatus', 'rejectionReason', 'lenderKind'] as const;

/** A promise's outcome is worded with the case page's contacts (case.contacts), not in domain.json. */
const PROMISE_OUTCOME_LABEL: Record<PromiseOutcome, 'outcomeOptionKept' | 'outcomeOptionBroken'> = { kept: 'outcomeOptionKept', broken: 'outcomeOptionBroken' };

/**
 * The viewer's own data as a zip (db/account.ts): respite-export.json, a README in Chinese and
 * English, and the stored files. Streamed as it is made. It takes no parameter: there is only
 * ever the viewer's own data to download.
 */
export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  // Signed out (a session ended with its cookie still sent): to sign in, back to the page the link is on.
  // A relative address: the host this server sees may not be the one the browser used.
  if (!viewer) return new Response(null, { status: 303, headers: { Location: signInHref('/settings'), 'Cache-Control': 'no-store' } });
  const [zh, en, zhReminders, enReminders, zhDomain, enDomain, zhContacts, enContacts] = await Promise.all([
    getTranslations({ locale: 'zh-CN', namespace: 'account' }),
    getTranslations({ locale: 'en', namespace: 'account' }),
    getTranslations({ locale: 'zh-CN', namespace: 'reminders' }),
    getTranslations({ locale: 'en', namespace: 'reminders' }),
    getTranslations({ locale: 'zh-CN', namespace: 'domain' }),
    getTranslations({ locale: 'en', namespace: 'domain' }),
    getTranslations({ locale: 'zh-CN', namespace: 'case.contacts' }),
    getTranslations({ locale: 'en', namespace: 'case.contacts' }),
  ]);
  // What each code in the JSON means ("preparing": 准备中, Preparing), as the app says it.
  const codeLabels: Record<string, Record<string, Record<string, string>>> = Object.fromEntries(
    CODE_GROUPS.map((group) => {
      const zhGroup = zhDomain.raw(group) as Record<string, string>;
      const enGroup = enDomain.raw(group) as Record<string, string>;
      return [group, Object.fromEntries(Object.keys(zhGroup).map((code) => [code, { 'zh-CN': zhGroup[code], en: enGroup[code] }]))];
    }),
  );
  // Whether the lender kept a contact's promise (contacts' promiseOutcome), as the case page's choices say it.
  codeLabels.promiseOutcome = Object.fromEntries(
    PROMISE_OUTCOMES.map((code) => {
      const key = PROMISE_OUTCOME_LABEL[code];
      return [code, { 'zh-CN': zhContacts(key), en: enContacts(key) }];
    }),
  );
  // Each reminder as the inbox says it, in both languages.
  const reminderText = (r: ReminderFacts) => ({
    'zh-CN': reminderTitle(zhReminders, r, 'zh-CN'),
    en: reminderTitle(enReminders, r, 'en'),
  });
  const readme = `${String(zh.raw('readme'))}\n----------------------------------------\n\n${String(en.raw('readme'))}`;
  const now = new Date();
  // A byte order mark and CRLF line ends: Windows Notepad then shows the Chinese as Chinese.
  const body = exportAccountArchive(viewer, `\uFEFF${readme.replace(/\n/g, '\r\n')}`, now, { reminderText, codeLabels });
  return new Response(body, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${exportFileName(now)}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
}
