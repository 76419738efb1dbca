import { getLocale, getTranslations } from 'next-intl/server';
import { MAIL_HEALTH_DAYS, type MailHealth } from '@/db/admin';
import { formatDateTime } from '@/lib/dates';

/**
 * The console's word on reminder mail: whether this server sends any, what went out this week,
 * what waits, and the newest failure, classified as Settings classifies it for a borrower
 * (lib/mail-failure.ts) but said to the admin who can fix the settings, with the SMTP server's
 * own line beside it.
 */
export async function MailHealthPanel({ health }: { health: MailHealth }) {
  const t = await getTranslations('admin.mail');
  const locale = await getLocale();
  const failure = health.lastFailure;
  // Marked when the settings look wrong; one user's refused address is said, not marked.
  const trouble = health.configured && failure !== null && failure.reason !== 'recipient';
  return (
    <section
      aria-labelledby="mail-health-h"
      className={`grid gap-2 rounded-lg border p-4 text-sm ${trouble ? 'border-amber-300 bg-amber-50 text-amber-950' : 'border-stone-200 bg-white text-stone-700'}`}
      data-testid="mail-health"
      data-trouble={trouble ? 'true' : 'false'}
    >
      <h2 id="mail-health-h" className="text-base font-medium text-stone-900">
        {t('title')}
      </h2>
      {!health.configured ? (
        <p data-testid="mail-health-off">{t('notConfigured')}</p>
      ) : (
        <>
          <p data-testid="mail-health-counts">
            {t('counts', { days: MAIL_HEALTH_DAYS, sent: health.sent, gaveUp: health.gaveUp, waiting: health.waiting, retrying: health.retrying })}
          </p>
          {failure ? (
            <div className="grid gap-1" data-testid="mail-health-failure" data-reason={failure.reason}>
              <p className="font-medium">{t('lastFailure', { reason: t(`reason.${failure.reason}`) })}</p>
              <p>{t(failure.willRetry ? 'failedRetrying' : 'failedGaveUp', { at: formatDateTime(failure.at, locale) })}</p>
              <p>
                {t('serverSaid')}
                <span lang="en" translate="no" className="ml-1 font-mono text-xs wrap-anywhere select-all" data-testid="mail-health-detail">
                  {failure.error}
                </span>
              </p>
              <p>{failure.reason === 'recipient' ? t('recipientHint') : t('fixHint')}</p>
            </div>
          ) : (
            <p data-testid="mail-health-ok">{t('noFailure', { days: MAIL_HEALTH_DAYS })}</p>
          )}
        </>
      )}
    </section>
  );
}
