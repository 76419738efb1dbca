import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { notFound } from 'next/navigation';
import { ActionForm } from '@/components/form/action-form';
import { SelectField } from '@/components/form/fields';
import { inputClass } from '@/components/form/styles';
import { ConfirmButton } from '@/components/ui/confirm-button';
import { DateText } from '@/components/ui/format';
import { getMailHealth, listAccounts, type AccountRow } from '@/db/admin';
import { ROLES, type Role } from '@/db/schema';
import { requireViewer, type Viewer } from '@/db/viewer';
import { todayInShanghai } from '@/lib/dates';
import { NotFoundError } from '@/lib/errors';
import { AdminNav } from './_components/admin-nav';
import { MailHealthPanel } from './_components/mail-health';
import { setAccountDisabledAction, setAccountRoleAction } from './actions';

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin.accounts'))('title') };
}

const badge = 'inline-flex items-center rounded-full px-2 py-0.5 text-xs ring-1 ring-inset';

/**
 * The accounts console (DESIGN.md §2: admins list, disable and change the role of accounts).
 * Only the account's own fields are shown: an admin has no access to what a borrower holds.
 * For anyone but an admin, listAccounts is "not found", and so is the page.
 */
export default async function AdminAccountsPage({ searchParams }: { searchParams: SearchParams }) {
  const viewer = await requireViewer();
  const sp = await searchParams;
  const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
  const q = (first(sp.q) ?? '').trim().slice(0, 100);
  const role = ROLES.find((r) => r === first(sp.role));
  const page = Math.max(1, Number.parseInt(first(sp.page) ?? '1', 10) || 1);

  let result: ReturnType<typeof listAccounts>;
  let mail: ReturnType<typeof getMailHealth>;
  try {
    result = listAccounts(viewer, { q: q || undefined, role, page });
    mail = getMailHealth(viewer);
  } catch (e) {
    if (e instanceof NotFoundError) notFound();
    throw e;
  }
  const t = await getTranslations('admin.accounts');
  const c = await getTranslations('common');
  const link = (p: number) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (role) params.set('role', role);
    if (p > 1) params.set('page', String(p));
    const s = params.toString();
    return s ? `/admin?${s}` : '/admin';
  };

  return (
    <div className="grid gap-6">
      <div className="grid gap-3">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <AdminNav current="accounts" />
        <p className="max-w-prose text-sm text-stone-600">{t('intro')}</p>
      </div>

      <MailHealthPanel health={mail} />

      <form method="get" action="/admin" role="search" className="grid gap-2 sm:flex sm:items-end" data-testid="account-search">
        <div className="grid min-w-0 flex-1 gap-1">
          <label htmlFor="accounts-q" className="text-sm font-medium text-stone-700">
            {t('searchLabel')}
          </label>
          <input id="accounts-q" name="q" type="search" defaultValue={q} maxLength={100} placeholder={t('searchPlaceholder')} className={inputClass} />
        </div>
        <div className="grid gap-1 sm:w-40">
          <label htmlFor="accounts-role" className="text-sm font-medium text-stone-700">
            {t('roleFilter')}
          </label>
          <select id="accounts-role" name="role" defaultValue={role ?? ''} className={inputClass}>
            <option value="">{t('allRoles')}</option>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {c(`roles.${r}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="flex gap-2">
          <button
            type="submit"
            className="inline-flex min-h-10 shrink-0 items-center rounded-md border border-teal-700 px-4 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50"
          >
            {c('search')}
          </button>
          {(q || role) && (
            <Link href="/admin" className="inline-flex min-h-10 shrink-0 items-center rounded-md px-3 py-2 text-sm text-stone-700 hover:bg-stone-100">
              {c('clear')}
            </Link>
          )}
        </div>
      </form>

      <p className="-mt-3 text-sm text-stone-600" aria-live="polite" data-testid="account-count">
        {q || role ? t('found', { count: result.total }) : t('total', { count: result.total })}
      </p>

      {result.rows.length > 0 ? (
        <ul className="grid gap-3" data-testid="account-list">
          {result.rows.map((account) => (
            <AccountItem key={account.id} account={account} viewer={viewer} />
          ))}
        </ul>
      ) : (
        <p className="rounded-lg border border-dashed border-stone-300 bg-white p-4 text-sm text-stone-600">{t('none')}</p>
      )}

      {result.pages > 1 && (
        <nav aria-label={t('pagesLabel')} className="flex flex-wrap items-center gap-3 text-sm" data-testid="account-pages">
          {result.page > 1 && (
            <Link href={link(result.page - 1)} className="inline-flex min-h-10 items-center rounded-md border border-stone-300 px-3 py-2 hover:bg-stone-100" rel="prev">
              {t('previous')}
            </Link>
          )}
          <span className="text-stone-600">{t('pageOf', { page: result.page, pages: result.pages })}</span>
          {result.page < result.pages && (
            <Link href={link(result.page + 1)} className="inline-flex min-h-10 items-center rounded-md border border-stone-300 px-3 py-2 hover:bg-stone-100" rel="next" data-testid="next-page">
              {t('next')}
            </Link>
          )}
        </nav>
      )}
    </div>
  );
}

async function AccountItem({ account, viewer }: { account: AccountRow; viewer: Viewer }) {
  const t = await getTranslations('admin.accounts');
  const c = await getTranslations('common');
  const self = account.id === viewer.id;
  return (
    <li
      className="grid gap-3 rounded-lg border border-stone-200 bg-white p-4 md:grid-cols-[minmax(0,1fr)_auto]"
      data-testid="account-row"
      data-user-id={account.id}
      data-role={account.role}
      data-disabled={account.disabled ? '1' : '0'}
    >
      <div className="grid min-w-0 content-start gap-1">
        <p className="font-medium wrap-anywhere text-stone-900">
          {account.displayName}
          {self && <span className="ml-2 text-xs font-normal text-stone-500">{t('you')}</span>}
        </p>
        <p className="text-sm break-all text-stone-700" data-testid="account-email">
          {account.email}
        </p>
        <p className="flex flex-wrap items-center gap-1.5 text-xs">
          <span className={`${badge} bg-teal-50 text-teal-800 ring-teal-200`} data-testid="account-role">
            {c(`roles.${account.role}`)}
          </span>
          {account.disabled ? (
            <span className={`${badge} bg-red-50 text-red-800 ring-red-200`} data-testid="account-disabled">
              {t('disabled')}
            </span>
          ) : (
            <span className={`${badge} bg-emerald-50 text-emerald-800 ring-emerald-200`}>{t('active')}</span>
          )}
          <span className="text-stone-500">
            {t('created')} <DateText date={todayInShanghai(account.createdAt)} />
          </span>
        </p>
      </div>
      {self ? (
        <p className="text-sm text-stone-500 md:max-w-48">{t('selfNote')}</p>
      ) : (
        <div className="grid gap-3 sm:grid-cols-2 md:w-[28rem]">
          <ActionForm
            action={setAccountRoleAction}
            hidden={{ userId: account.id }}
            submitLabel={t('changeRole')}
            pendingLabel={c('saving')}
            testId="role-form"
            className="grid gap-2"
            submitClassName="inline-flex min-h-10 items-center rounded-md border border-teal-700 px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50 disabled:opacity-60"
          >
            <SelectField
              name="role"
              label={t('role')}
              defaultValue={account.role}
              options={ROLES.map((r: Role) => ({ value: r, label: c(`roles.${r}`) }))}
            />
          </ActionForm>
          <ActionForm
            action={setAccountDisabledAction}
            hidden={{ userId: account.id, disabled: account.disabled ? '0' : '1' }}
            submitLabel={t('enable')}
            pendingLabel={c('saving')}
            testId="disable-form"
            className="grid content-start gap-2"
            submitClassName="inline-flex min-h-10 items-center rounded-md border border-teal-700 px-3 py-2 text-sm font-medium text-teal-800 hover:bg-teal-50 disabled:opacity-60"
            submit={
              account.disabled ? undefined : (
                <ConfirmButton
                  label={t('disable')}
                  question={t('disableQuestion')}
                  confirmLabel={t('disableConfirm')}
                  cancelLabel={c('cancel')}
                  pendingLabel={c('saving')}
                />
              )
            }
          >
            <p className="text-sm text-stone-600">{account.disabled ? t('enableHint') : t('disableHint')}</p>
          </ActionForm>
        </div>
      )}
    </li>
  );
}
