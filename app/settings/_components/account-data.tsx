import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { accountDeletionSummary } from '@/db/account';
import type { Viewer } from '@/db/viewer';
import { deleteAccountAction } from '../actions';

const EXPORT_HREF = '/settings/export';

/** 下载我的数据: everything Respite holds about the viewer, as one zip (app/settings/export). */
export async function ExportSection() {
  const t = await getTranslations('account.export');
  return (
    <section className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6" aria-labelledby="export-h" data-testid="export-section">
      <h2 id="export-h" className="text-lg font-medium">
        {t('title')}
      </h2>
      <p className="text-sm text-stone-600">{t('intro')}</p>
      <div>
        {/* A plain link: the browser saves the file; no script is needed. */}
        <a
          href={EXPORT_HREF}
          download
          data-testid="export-download"
          className="inline-flex min-h-10 items-center justify-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
        >
          {t('button')}
        </a>
      </div>
      <p className="text-xs text-stone-500">{t('note')}</p>
    </section>
  );
}

/**
 * The danger zone, set apart from the rest: what deleting removes (counted from the viewer's own
 * data), a hint to download the export first, then the password and the typed email.
 */
export async function DangerZone({ viewer }: { viewer: Viewer }) {
  const t = await getTranslations('account.danger');
  const summary = accountDeletionSummary(viewer);
  const items: [string, string][] = [];
  if (viewer.role === 'borrower' || summary.cases > 0) {
    items.push(['cases', t('itemCases', { count: summary.cases })], ['files', t('itemFiles', { count: summary.files })]);
    items.push(['reminders', t('itemReminders', { count: summary.reminders })]);
    items.push(['shares', t('itemShares', { count: summary.activeSharesGiven })]);
  }
  if (viewer.role === 'advisor') items.push(['clients', t('itemClients', { count: summary.activeClients })]);
  items.push(['account', t('itemAccount')]);
  return (
    <section
      className="mt-4 grid gap-4 rounded-lg border-2 border-red-300 bg-red-50/40 p-4 sm:p-6"
      aria-labelledby="danger-h"
      data-testid="danger-zone"
    >
      <div className="grid gap-1">
        <h2 id="danger-h" className="text-lg font-semibold text-red-900">
          {t('title')}
        </h2>
        <p className="text-sm font-medium text-red-900">{t('intro')}</p>
      </div>
      <div className="grid gap-2">
        <p className="text-sm text-stone-800">{t('willDelete')}</p>
        <ul className="grid list-disc gap-1 pl-5 text-sm text-stone-800" data-testid="danger-items">
          {items.map(([key, text]) => (
            <li key={key} data-item={key}>
              {text}
            </li>
          ))}
        </ul>
        {viewer.role === 'advisor' && <p className="text-sm text-stone-700">{t('advisorKept')}</p>}
      </div>
      <div className="grid gap-2 rounded-md border border-stone-200 bg-white p-3 text-sm sm:flex sm:items-center sm:justify-between">
        <p className="text-stone-700">{t('exportFirst')}</p>
        <a href={EXPORT_HREF} download data-testid="danger-export" className="inline-flex min-h-10 items-center font-medium text-teal-800 underline">
          {t('exportFirstLink')}
        </a>
      </div>
      <div className="border-t border-red-200 pt-4">
        <ActionForm
          action={deleteAccountAction}
          submitLabel={t('submit')}
          pendingLabel={t('deleting')}
          testId="delete-account-form"
          className="grid gap-3 sm:max-w-md"
          submitClassName="inline-flex min-h-10 items-center rounded-md bg-red-700 px-4 py-2 text-sm font-medium text-white hover:bg-red-800 disabled:cursor-wait disabled:opacity-60"
        >
          <TextField name="password" type="password" label={t('password')} hint={t('passwordHint')} autoComplete="current-password" required />
          <TextField name="confirm" type="email" label={t('confirm')} hint={t('confirmHint', { email: viewer.email })} autoComplete="off" required />
        </ActionForm>
      </div>
    </section>
  );
}
