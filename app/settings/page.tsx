import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { emailConfirmed, pendingEmailChange } from '@/db/users';
import { requireViewer } from '@/db/viewer';
import { mailConfigured } from '@/lib/mail-config';
import { DangerZone, ExportSection } from './_components/account-data';
import { CalendarSection } from './_components/calendar-section';
import { EmailSection } from './_components/email-section';
import {
  cancelEmailChangeAction,
  changeEmailAction,
  changePasswordAction,
  sendEmailConfirmationAction,
  signOutEverywhereAction,
  updateProfileAction,
} from './actions';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('settings'))('title') };
}

const AMBER_BUTTON =
  'inline-flex min-h-10 items-center rounded-md border border-amber-400 bg-white px-4 py-2 text-sm font-medium text-amber-900 hover:bg-amber-100';

export default async function SettingsPage() {
  const viewer = await requireViewer();
  const t = await getTranslations('settings');
  const c = await getTranslations('common');
  // Read only where this server sends mail: elsewhere nothing waits for it.
  const mailing = mailConfigured();
  const confirmed = mailing && emailConfirmed(viewer);
  // A new sign-in email waiting for the link mailed to it (db/users.ts changeEmail): shown whenever there is one.
  const pending = pendingEmailChange(viewer);
  const locale = await getLocale();
  const section = 'grid gap-4 rounded-lg border border-stone-200 bg-white p-4 sm:p-6';
  return (
    <div className="grid gap-6">
      <h1 className="text-2xl font-semibold">{t('title')}</h1>
      <section className={section} aria-labelledby="profile-h">
        <h2 id="profile-h" className="text-lg font-medium">{t('profile')}</h2>
        <p className="text-sm text-stone-600">
          {viewer.email} · {c(`roles.${viewer.role}`)}
        </p>
        <ActionForm action={updateProfileAction} submitLabel={c('save')} pendingLabel={c('saving')}>
          <TextField name="displayName" label={t('displayName')} defaultValue={viewer.displayName} required maxLength={60} />
        </ActionForm>
      </section>
      <section className={section} aria-labelledby="password-h">
        <h2 id="password-h" className="text-lg font-medium">{t('changePassword')}</h2>
        <p className="text-sm text-stone-600">{t('changePasswordHint')}</p>
        <ActionForm action={changePasswordAction} submitLabel={t('changePassword')} pendingLabel={c('saving')} testId="password-form">
          <TextField name="current" type="password" label={t('currentPassword')} autoComplete="current-password" required />
          <TextField name="next" type="password" label={t('newPassword')} hint={(await getTranslations('auth'))('passwordHint')} autoComplete="new-password" required />
          <TextField name="confirm" type="password" label={t('confirmPassword')} autoComplete="new-password" required />
        </ActionForm>
      </section>
      <section className={section} aria-labelledby="signin-email-h" data-testid="signin-email-section">
        <h2 id="signin-email-h" className="text-lg font-medium">{t('signInEmail')}</h2>
        <p className="text-sm text-stone-800 wrap-anywhere" data-testid="signin-email-now">{t('signInEmailNow', { email: viewer.email })}</p>
        {/* Whether reminder mail may go to it: said only where this server sends mail. */}
        {mailing &&
          (confirmed ? (
            <p className="text-sm text-teal-800" data-testid="email-confirmation" data-confirmed="true">
              {t('emailConfirmed')}
            </p>
          ) : (
            <div className="grid gap-3 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="email-confirmation" data-confirmed="false">
              <p className="text-sm text-amber-900">{t('emailUnconfirmed')}</p>
              {/* While a change waits, the button below mails the new address's link instead (one at a time). */}
              {!pending && (
                <ActionForm
                  action={sendEmailConfirmationAction}
                  submitLabel={t('resendConfirmation')}
                  pendingLabel={c('saving')}
                  testId="email-confirm-resend-form"
                  submitClassName={AMBER_BUTTON}
                />
              )}
            </div>
          ))}
        {pending && (
          <div className="grid gap-3 rounded-md border border-amber-300 bg-amber-50 p-3" data-testid="email-pending">
            <p className="text-sm text-amber-900 wrap-anywhere" data-testid="email-pending-text">
              {t('pendingEmail', { email: pending })}
            </p>
            <div className="flex flex-wrap items-start gap-3">
              <ActionForm
                action={sendEmailConfirmationAction}
                submitLabel={t('resendConfirmation')}
                pendingLabel={c('saving')}
                testId="email-pending-resend-form"
                submitClassName={AMBER_BUTTON}
              />
              <ActionForm
                action={cancelEmailChangeAction}
                submitLabel={t('cancelEmailChange')}
                pendingLabel={c('saving')}
                testId="email-pending-cancel-form"
                submitClassName={AMBER_BUTTON}
              />
            </div>
          </div>
        )}
        <p className="text-sm text-stone-600">
          {t('signInEmailHint')}
          {/* Sentences run on without a space in Chinese. */}
          {mailing && `${locale === 'en' ? ' ' : ''}${t('signInEmailHintMail')}`}
        </p>
        <ActionForm action={changeEmailAction} submitLabel={t('changeEmail')} pendingLabel={c('saving')} testId="email-change-form">
          <TextField name="email" type="email" label={t('newEmail')} autoComplete="email" required maxLength={254} />
          <TextField name="confirm" type="email" label={t('confirmEmail')} autoComplete="off" required maxLength={254} />
          <TextField name="password" type="password" label={t('passwordToConfirm')} autoComplete="current-password" required />
        </ActionForm>
      </section>
      <section className={section} aria-labelledby="sessions-h">
        <h2 id="sessions-h" className="text-lg font-medium">{t('sessions')}</h2>
        <p className="text-sm text-stone-600">{t('signOutEverywhereHint')}</p>
        <ActionForm
          action={signOutEverywhereAction}
          submitLabel={t('signOutEverywhere')}
          pendingLabel={c('saving')}
          testId="signout-everywhere-form"
          submitClassName="inline-flex min-h-10 items-center rounded-md border border-red-300 px-4 py-2 text-sm font-medium text-red-800 hover:bg-red-50"
        />
      </section>
      <EmailSection viewer={viewer} />
      {/* The feed holds the viewer's own reminders and instalments: only a borrower has any. */}
      {viewer.role === 'borrower' && <CalendarSection viewer={viewer} />}
      <ExportSection />
      <DangerZone viewer={viewer} />
    </div>
  );
}
