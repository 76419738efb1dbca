import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { countDueReminders } from '@/db/reminders';
import type { Viewer } from '@/db/viewer';
import { setLocaleAction, signOutAction } from '../actions';
import { NavLink } from './nav-link';
import { ReminderNavLink } from './reminder-badge';

/** A header link: 40 px tall on a phone, where a finger taps it; as tall as its text from `sm` up. */
const NAV_LINK = 'inline-flex min-h-10 items-center hover:text-teal-700 sm:min-h-0';

export async function SiteHeader({ viewer, locale }: { viewer: Viewer | null; locale: string }) {
  const t = await getTranslations('common');
  const dueCount = viewer?.role === 'borrower' ? countDueReminders(viewer) : 0;
  const other = locale === 'en' ? 'zh-CN' : 'en';
  return (
    <header className="border-b border-stone-200 bg-white">
      <div className="mx-auto flex max-w-5xl flex-wrap items-center gap-x-4 gap-y-2 px-4 py-3">
        <Link href="/" className="text-lg font-semibold text-teal-800">
          {t('appName')}
        </Link>
        {viewer && (
          // On a phone the links are a row of their own under the name and the buttons, wrapped onto a
          // second row where they do not fit (English at 360 px): every link stays in sight, none
          // scrolled away past the edge. From `sm` up they sit between the name and the buttons.
          <nav aria-label={t('nav.label')} className="order-last flex w-full flex-wrap gap-x-3 text-sm whitespace-nowrap sm:order-none sm:w-auto sm:gap-x-4 print:hidden">
            {viewer.role === 'advisor' && (
              <NavLink href="/dashboard" className={NAV_LINK} testId="nav-dashboard">
                {t('nav.dashboard')}
              </NavLink>
            )}
            {viewer.role === 'borrower' && (
              <NavLink href="/home" className={NAV_LINK} testId="nav-home">
                {(await getTranslations('home'))('nav')}
              </NavLink>
            )}
            {/* Advisors have no cases or reminders of their own: they follow clients on the dashboard. */}
            {viewer.role === 'borrower' && (
              <>
                <NavLink href="/cases" className={NAV_LINK}>
                  {t('nav.cases')}
                </NavLink>
                <ReminderNavLink initial={dueCount} stamp={Date.now()} />
              </>
            )}
            {viewer.role === 'admin' && (
              <NavLink href="/admin" className={NAV_LINK} testId="nav-admin">
                {t('nav.admin')}
              </NavLink>
            )}
            <NavLink href="/lenders" className={NAV_LINK}>
              {t('nav.lenders')}
            </NavLink>
            {viewer.role === 'borrower' && (
              <NavLink href="/sharing" className={NAV_LINK} testId="nav-sharing">
                {t('nav.sharing')}
              </NavLink>
            )}
            {viewer.role === 'advisor' && (
              <NavLink href="/share/accept" className={NAV_LINK} testId="nav-accept">
                {t('nav.acceptInvite')}
              </NavLink>
            )}
            <NavLink href="/settings" className={NAV_LINK}>
              {t('nav.settings')}
            </NavLink>
          </nav>
        )}
        <div className="ml-auto flex items-center gap-3 text-sm">
          <form action={setLocaleAction}>
            <input type="hidden" name="locale" value={other} />
            <button type="submit" className="min-h-10 rounded border border-stone-300 px-2 py-1 hover:bg-stone-100 sm:min-h-0" lang={other} data-testid="locale-switch">
              {t('switchLanguage')}
            </button>
          </form>
          {viewer && (
            <>
              <span className="hidden text-stone-600 sm:inline" data-testid="viewer-name">
                {viewer.displayName}
              </span>
              <form action={signOutAction}>
                <button type="submit" className="min-h-10 rounded px-2 py-1 text-stone-700 hover:bg-stone-100 sm:min-h-0">
                  {t('signOut')}
                </button>
              </form>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
