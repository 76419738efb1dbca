import { getTranslations } from 'next-intl/server';
import { exportAccountArchive, exportFileName } from '@/db/account';
import { getViewer } from '@/db/viewer';
import { reminderTitle, type ReminderFacts } from '@/lib/reminder-text';

export const dynamic = 'force-dynamic';

/**
 * The viewer's own data as a zip (db/account.ts): respite-export.json, a README in Chinese and
 * English, and the stored files. Streamed as it is made. It takes no parameter: there is only
 * ever the viewer's own data to download.
 */
export async function GET(request: Request): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return Response.redirect(new URL('/signin', request.url), 303);
  const [zh, en, zhReminders, enReminders] = await Promise.all([
    getTranslations({ locale: 'zh-CN', namespace: 'account' }),
    getTranslations({ locale: 'en', namespace: 'account' }),
    getTranslations({ locale: 'zh-CN', namespace: 'reminders' }),
    getTranslations({ locale: 'en', namespace: 'reminders' }),
  ]);
  // Each reminder as the inbox says it, in both languages.
  const reminderText = (r: ReminderFacts) => ({
    'zh-CN': reminderTitle(zhReminders, r, 'zh-CN'),
    en: reminderTitle(enReminders, r, 'en'),
  });
  const readme = `${String(zh.raw('readme'))}\n----------------------------------------\n\n${String(en.raw('readme'))}`;
  const now = new Date();
  // A byte order mark and CRLF line ends: Windows Notepad then shows the Chinese as Chinese.
  const body = exportAccountArchive(viewer, `\uFEFF${readme.replace(/\n/g, '\r\n')}`, now, { reminderText });
  return new Response(body, {
    headers: {
      'Content-Type': 'application/zip',
      'Content-Disposition': `attachment; filename="${exportFileName(now)}"`,
      'X-Content-Type-Options': 'nosniff',
      'Cache-Control': 'private, no-store',
    },
  });
}
