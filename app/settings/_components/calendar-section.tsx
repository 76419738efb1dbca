import { getTranslations } from 'next-intl/server';
import { headers } from 'next/headers';
import { ActionForm } from '@/components/form/action-form';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { getCalendarFeedUrlToken } from '@/db/calendar';
import type { Viewer } from '@/db/viewer';
import { appOrigin, webcalUrl } from '@/lib/app-url';
import { regenerateCalendarTokenAction } from '../actions';
import { CopyUrl } from './copy-url';

/**
 * 日历订阅: the private iCalendar feed's address, how to subscribe to it, and a way to
 * replace it when it got out. Made on first view (the token is created then).
 */
export async function CalendarSection({ viewer }: { viewer: Viewer }) {
  const t = await getTranslations('calendar');
  const c = await getTranslations('common');
  const token = getCalendarFeedUrlToken(viewer);
  const url = `${appOrigin(await headers())}/calendar/${token}.ics`;
  const apps = [
    ['iphone', t('iphoneLabel'), t('iphone')],
    ['android', t('androidLabel'), t('android')],
    ['google', t('googleLabel'), t('google')],
    ['outlook', t('outlookLabel'), t('outlook')],
  ] as const;
  return (
    <section
      className="grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:p-6"
      aria-labelledby="calendar-h"
      data-testid="calendar-section"
    >
      <h2 id="calendar-h" className="text-lg font-medium">
        {t('title')}
      </h2>
      <p className="text-sm text-stone-600">{t('intro')}</p>

      <CopyUrl
        key={url}
        url={url}
        label={t('urlLabel')}
        copyLabel={t('copy')}
        copiedLabel={t('copied')}
        failedLabel={t('copyFailed')}
        testId="calendar-url"
      />

      <div className="grid gap-1">
        <div>
          <a
            href={webcalUrl(url)}
            data-testid="calendar-webcal"
            className="inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
          >
            {t('openInApp')}
          </a>
        </div>
        <p className="text-sm text-stone-500">{t('openInAppHint')}</p>
      </div>

      <div role="note" data-testid="calendar-warning" className="rounded-md border border-amber-200 bg-amber-50 p-3 text-sm text-amber-900">
        <p className="font-medium">{t('warningTitle')}</p>
        <p>{t('warning')}</p>
      </div>

      <div className="grid gap-2">
        <h3 className="text-sm font-medium text-stone-800">{t('howTo')}</h3>
        <ul className="grid gap-2 text-sm text-stone-700" data-testid="calendar-howto">
          {apps.map(([key, name, steps]) => (
            <li key={key} className="rounded-md bg-stone-50 px-3 py-2">
              <span className="font-medium text-stone-900">{name}</span>
              <span className="block">{steps}</span>
            </li>
          ))}
        </ul>
        <p className="text-xs text-stone-500">{t('refreshNote')}</p>
      </div>

      <div className="grid gap-2 border-t border-stone-200 pt-4">
        <p className="text-sm text-stone-600">{t('regenerateHint')}</p>
        <ActionForm
          action={regenerateCalendarTokenAction}
          submitLabel={t('regenerate')}
          pendingLabel={t('regenerating')}
          testId="calendar-regenerate-form"
          submit={
            <ConfirmButton
              label={t('regenerate')}
              question={t('regenerateQuestion')}
              confirmLabel={t('regenerateConfirm')}
              cancelLabel={c('cancel')}
              pendingLabel={t('regenerating')}
            />
          }
        />
      </div>
    </section>
  );
}
