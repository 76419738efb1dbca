import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { DateTimeText } from '@/components/ui/format';
import { getMailStatus } from '@/db/mailer';
import type { Viewer } from '@/db/viewer';
import { setEmailRemindersAction } from '../actions';

/** Settings: reminder mails on or off, and whether the last one went out. */
export async function EmailSection({ viewer }: { viewer: Viewer }) {
  const t = await getTranslations('mail.settings');
  const status = getMailStatus(viewer);
  return (
    <section className="grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-labelledby="email-h" data-testid="email-section">
      <h2 id="email-h" className="text-lg font-medium">
        {t('title')}
      </h2>
      {!status.configured ? (
        <p className="text-sm text-stone-600" data-testid="email-not-configured">
          {t('notConfigured')}
        </p>
      ) : (
        <>
          <div className="grid gap-1" data-testid="email-state" data-enabled={status.enabled ? 'true' : 'false'}>
            <p className="text-sm text-stone-800">{status.enabled ? t('on', { email: viewer.email }) : t('off')}</p>
            {status.enabled && (
              <p className="text-sm text-stone-600" data-testid="email-on-hint">
                {t(viewer.role === 'advisor' ? 'onHintAdvisor' : 'onHint')}
              </p>
            )}
            {status.enabled && !status.confirmed && (
              <p className="text-sm font-medium text-amber-900" data-testid="email-waiting-confirmation">
                {t('waitingConfirmation')}
              </p>
            )}
            {status.lastSentAt && (
              <p className="text-sm text-stone-600" data-testid="email-last-sent">
                {t('lastSent')} <DateTimeText instant={status.lastSentAt} />
              </p>
            )}
          </div>
          {status.lastFailure && (
            <div
              role="status"
              className="grid gap-1 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900"
              data-testid="email-last-failure"
            >
              {/* What went wrong, in the reader's words (lib/mail-failure.ts); the SMTP server's own line only folded away, for an administrator. */}
              <p className="font-medium" data-testid="email-failure-reason" data-reason={status.lastFailure.reason}>
                {t('lastFailure', { reason: t(`failureReason.${status.lastFailure.reason}`) })}
              </p>
              {status.lastFailure.reason === 'recipient' && <p>{t('recipientHint')}</p>}
              <p>
                {t('failedAt')} <DateTimeText instant={status.lastFailure.at} />
              </p>
              <p>{status.lastFailure.willRetry ? t('willRetry') : t('gaveUp')}</p>
              <details className="text-xs text-amber-900/80">
                <summary className="cursor-pointer">{t('failureDetail')}</summary>
                <p lang="en" translate="no" className="mt-1 font-mono wrap-anywhere select-all" data-testid="email-failure-detail">
                  {status.lastFailure.error}
                </p>
              </details>
            </div>
          )}
          <ActionForm
            action={setEmailRemindersAction}
            hidden={{ on: status.enabled ? '0' : '1' }}
            submitLabel={status.enabled ? t('turnOff') : t('turnOn')}
            pendingLabel={t('saving')}
            testId="email-toggle-form"
            submitClassName={
              status.enabled
                ? 'inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-4 py-2 text-sm font-medium text-stone-800 hover:bg-stone-50 disabled:cursor-wait disabled:opacity-60'
                : undefined
            }
          />
        </>
      )}
    </section>
  );
}
