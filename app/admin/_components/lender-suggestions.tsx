import { getLocale, getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import type { listLenderSuggestions } from '@/db/lender-suggestions';
import { formatDateTime } from '@/lib/dates';
import { resolveLenderSuggestionAction } from '../lenders/actions';

type Suggestions = ReturnType<typeof listLenderSuggestions>;

/** The advisors' suggestions to the directory: the open ones to act on (edit the lender, or add one), then the latest answered. */
export async function LenderSuggestions({ suggestions }: { suggestions: Suggestions }) {
  const t = await getTranslations('admin.lenders.suggestions');
  const locale = await getLocale();
  const small = 'inline-flex min-h-10 items-center rounded-md border px-3 py-2 text-sm font-medium';
  return (
    <section aria-labelledby="suggestions-h" className="grid gap-3" data-testid="lender-suggestions">
      <h2 id="suggestions-h" className="text-lg font-medium">
        {t('title', { count: suggestions.open.length })}
      </h2>
      {suggestions.open.length === 0 ? (
        <p className="text-sm text-stone-600">{t('none')}</p>
      ) : (
        <ul className="grid gap-2">
          {suggestions.open.map((s) => (
            <li key={s.id} className="grid gap-2 rounded-lg border border-amber-200 bg-white p-3" data-testid="lender-suggestion" data-suggestion-id={s.id}>
              <p className="flex flex-wrap gap-x-2 text-xs text-stone-600">
                <span className="font-medium text-stone-800">{s.lenderName ?? t('notListed')}</span>
                <span>{t('from', { name: s.authorName, email: s.authorEmail })}</span>
                <span>{formatDateTime(s.createdAt, locale)}</span>
              </p>
              <p className="text-sm whitespace-pre-line wrap-anywhere">{s.body}</p>
              <div className="flex flex-wrap items-start gap-2">
                {s.lenderId !== null ? (
                  <Link href={`/admin/lenders/${s.lenderId}`} className={`${small} border-teal-700 text-teal-800 hover:bg-teal-50`} data-testid="suggestion-edit-lender">
                    {t('editLender')}
                  </Link>
                ) : (
                  <a href="#add-public-lender" className={`${small} border-teal-700 text-teal-800 hover:bg-teal-50`}>
                    {t('addLender')}
                  </a>
                )}
                {(['done', 'dismissed'] as const).map((status) => (
                  <ActionForm
                    key={status}
                    action={resolveLenderSuggestionAction}
                    hidden={{ suggestionId: s.id, status }}
                    submitLabel={t(status === 'done' ? 'markDone' : 'dismiss')}
                    pendingLabel={t('pending')}
                    testId={status === 'done' ? 'suggestion-done-form' : 'suggestion-dismiss-form'}
                    className="grid gap-1"
                    submitClassName={status === 'done' ? undefined : `${small} border-stone-300 text-stone-700 hover:bg-stone-100`}
                  />
                ))}
              </div>
            </li>
          ))}
        </ul>
      )}
      {suggestions.resolved.length > 0 && (
        <details className="text-sm" data-testid="resolved-suggestions">
          <summary className="cursor-pointer text-stone-700">{t('resolvedTitle', { count: suggestions.resolved.length })}</summary>
          <ul className="mt-2 grid gap-1">
            {suggestions.resolved.map((s) => (
              <li key={s.id} className="text-stone-600" data-status={s.status}>
                {t('resolvedLine', { lender: s.lenderName ?? t('notListed'), status: t(`status.${s.status}`), name: s.authorName })} — {s.body.length > 80 ? `${s.body.slice(0, 80)}…` : s.body}
              </li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
