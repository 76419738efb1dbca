import { getLocale, getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { SelectField, TextArea } from '@/components/form/fields';
import type { listMyLenderSuggestions } from '@/db/lender-suggestions';
import type { Lender } from '@/db/schema';
import { formatDateTime } from '@/lib/dates';
import { newFormKey } from '@/lib/form-key';
import { suggestLenderChangeAction } from '../actions';

const STATUS_TONE = {
  open: 'bg-sky-50 text-sky-800 ring-sky-300',
  done: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  dismissed: 'bg-stone-100 text-stone-600 ring-stone-300',
} as const;

/** An advisor tells the directory's admins what is wrong or missing, and sees what became of it. */
export async function SuggestLenderForm({ lenders, mine }: { lenders: Lender[]; mine: ReturnType<typeof listMyLenderSuggestions> }) {
  const t = await getTranslations('lenders.suggest');
  const locale = await getLocale();
  return (
    <div className="grid gap-4">
      <ActionForm action={suggestLenderChangeAction} hidden={{ formKey: newFormKey() }} submitLabel={t('submit')} pendingLabel={t('pending')} testId="suggest-lender-form" className="grid gap-3">
        <SelectField
          name="lenderId"
          label={t('lender')}
          required
          defaultValue="new"
          options={[{ value: 'new', label: t('notListed') }, ...lenders.map((l) => ({ value: String(l.id), label: l.name }))]}
        />
        <TextArea name="body" label={t('body')} hint={t('bodyHint')} required rows={3} maxLength={1000} />
      </ActionForm>
      {mine.length > 0 && (
        <div className="grid gap-2" data-testid="my-suggestions">
          <h3 className="text-sm font-medium">{t('mine')}</h3>
          <ul className="grid gap-2">
            {mine.map((s) => (
              <li key={s.id} className="grid gap-1 rounded-md border border-stone-200 p-3 text-sm" data-testid="my-suggestion" data-status={s.status}>
                <p className="flex flex-wrap items-center gap-2 text-xs text-stone-600">
                  <span className="font-medium text-stone-800">{s.lenderName ?? t('notListed')}</span>
                  <span>{formatDateTime(s.createdAt, locale)}</span>
                  <span className={`rounded-full px-2 py-0.5 font-medium ring-1 ring-inset ${STATUS_TONE[s.status]}`}>{t(`status.${s.status}`)}</span>
                </p>
                <p className="whitespace-pre-line wrap-anywhere">{s.body}</p>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
