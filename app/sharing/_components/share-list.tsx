import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { CheckboxField } from '@/components/form/fields';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { DateTimeText } from '@/components/ui/format';
import type { ShareRow } from '@/db/shares';
import { revokeShareAction, setSensitiveConsentAction } from '../actions';

type Shown = 'invited' | 'active' | 'revoked' | 'cancelled' | 'expired';

const TONE: Record<Shown, string> = {
  invited: 'bg-sky-50 text-sky-800 ring-sky-300',
  active: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  revoked: 'bg-stone-100 text-stone-600 ring-stone-300',
  cancelled: 'bg-stone-100 text-stone-600 ring-stone-300',
  expired: 'bg-stone-100 text-stone-600 ring-stone-300',
};

/**
 * An invitation nobody accepted before its date is shown as expired (the row still says 'invited');
 * one the borrower called off before anyone accepted it as cancelled, the word its button used
 * (the row says 'revoked', as a share ended after it was accepted does).
 */
export function shownStatus(share: Pick<ShareRow, 'status' | 'inviteExpiresAt' | 'acceptedAt'>, now: Date): Shown {
  if (share.status === 'invited' && share.inviteExpiresAt.getTime() <= now.getTime()) return 'expired';
  if (share.status === 'revoked' && !share.acceptedAt) return 'cancelled';
  return share.status;
}

/** A label and an instant, side by side. */
function Fact({ label, instant, testId }: { label: string; instant: Date; testId?: string }) {
  return (
    <div className="flex flex-wrap gap-x-2" data-testid={testId}>
      <dt className="text-stone-500">{label}</dt>
      <dd className="text-stone-800">
        <DateTimeText instant={instant} />
      </dd>
    </div>
  );
}

/**
 * Who has access and since when; revoke, and the separate consent for sensitive documents. The
 * rows come in listSharesForBorrower's order: access, then waiting invitations, then what is over.
 */
export async function ShareList({ shares, now }: { shares: ShareRow[]; now: Date }) {
  const t = await getTranslations('sharing');
  const c = await getTranslations('common');
  return (
    <section className="grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-labelledby="shares-h" data-testid="share-list">
      <h2 id="shares-h" className="text-lg font-semibold">
        {t('list.title')}
      </h2>
      <div className="grid gap-1 rounded-md bg-violet-50 p-3 text-sm" data-testid="sensitive-explained">
        <h3 className="font-medium text-violet-950">{t('sensitive.title')}</h3>
        <p className="text-violet-950/80">{t('sensitive.explain')}</p>
      </div>
      {shares.length === 0 ? (
        <p className="text-sm text-stone-600" data-testid="shares-empty">
          {t('list.empty')}
        </p>
      ) : (
        <ul className="grid gap-3">
          {shares.map((s) => {
            const status = shownStatus(s, now);
            // What is over (listed last) is quieter than who has access and what still waits.
            const ended = status === 'expired' || status === 'revoked' || status === 'cancelled';
            return (
              <li
                key={s.id}
                className={`grid gap-3 rounded-md border p-3 ${ended ? 'border-dashed border-stone-200 bg-stone-50' : 'border-stone-200'}`}
                data-testid="share-row"
                data-status={status}
                data-share-id={s.id}
              >
                <div className="flex flex-wrap items-start justify-between gap-2">
                  <div className="grid min-w-0 gap-0.5">
                    {s.advisorName ? (
                      <p className="font-medium wrap-anywhere" data-testid="share-advisor">
                        {s.advisorName} <span className="font-normal wrap-anywhere text-stone-600">{s.advisorEmail}</span>
                      </p>
                    ) : (
                      // No advisor: nobody accepted yet, or the advisor deleted their account (the share was revoked then).
                      <p className="text-stone-600">{t(s.acceptedAt ? 'list.advisorDeleted' : 'list.noAdvisorYet')}</p>
                    )}
                    {s.label && <p className="text-sm wrap-anywhere text-stone-700" data-testid="share-label">{s.label}</p>}
                  </div>
                  <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONE[status]}`} data-testid="share-status">
                    {t(`list.status.${status}`)}
                  </span>
                </div>
                <dl className="grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
                  {s.acceptedAt && <Fact label={t('list.since')} instant={s.acceptedAt} testId="share-since" />}
                  <Fact label={t('list.consentOn')} instant={s.consentAt} testId="share-consent" />
                  {status === 'invited' && <Fact label={t('list.validUntil')} instant={s.inviteExpiresAt} />}
                  {status === 'expired' && <Fact label={t('list.expiredOn')} instant={s.inviteExpiresAt} />}
                  {s.revokedAt && <Fact label={t(status === 'cancelled' ? 'list.cancelledOn' : 'list.revokedOn')} instant={s.revokedAt} testId="share-revoked-at" />}
                </dl>

                {status === 'active' && (
                  <div className="grid gap-2 rounded-md bg-stone-50 p-3" data-testid="sensitive-consent" data-consent={s.sensitiveConsentAt ? '1' : '0'}>
                    <p className="text-sm font-medium text-stone-800">{s.sensitiveConsentAt ? t('sensitive.on') : t('sensitive.off')}</p>
                    {s.sensitiveConsentAt && (
                      <dl className="text-sm">
                        <Fact label={t('sensitive.consentAt')} instant={s.sensitiveConsentAt} />
                      </dl>
                    )}
                    <ActionForm
                      action={setSensitiveConsentAction}
                      hidden={{ shareId: s.id, consent: s.sensitiveConsentAt ? '0' : '1' }}
                      submitLabel={s.sensitiveConsentAt ? t('sensitive.withdraw') : t('sensitive.grant')}
                      pendingLabel={t('sensitive.pending')}
                      testId="sensitive-consent-form"
                      submitClassName={
                        s.sensitiveConsentAt
                          ? 'inline-flex min-h-10 items-center rounded-md border border-stone-300 bg-white px-3 py-2 text-sm font-medium text-stone-800 hover:bg-stone-100'
                          : 'inline-flex min-h-10 items-center rounded-md border border-teal-700 bg-white px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50'
                      }
                    />
                  </div>
                )}

                {(status === 'active' || status === 'invited') && (
                  <ActionForm
                    action={revokeShareAction}
                    hidden={{ shareId: s.id, accepted: status === 'active' ? '1' : '0' }}
                    submitLabel={status === 'active' ? t('list.revoke') : t('list.cancelInvite')}
                    pendingLabel={t('list.pending')}
                    testId="revoke-share-form"
                    className="grid justify-items-start gap-3"
                    submit={
                      <ConfirmButton
                        label={status === 'active' ? t('list.revoke') : t('list.cancelInvite')}
                        question={status === 'active' ? t('list.revokeQuestion') : t('list.cancelQuestion')}
                        confirmLabel={status === 'active' ? t('list.revoke') : t('list.confirm')}
                        cancelLabel={c('cancel')}
                        pendingLabel={t('list.pending')}
                      />
                    }
                  >
                    {status === 'active' && s.openAdvisorReminders > 0 && (
                      <CheckboxField name="closeReminders" label={t('list.closeReminders', { count: s.openAdvisorReminders })} />
                    )}
                  </ActionForm>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
