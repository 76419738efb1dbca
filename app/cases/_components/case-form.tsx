import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { MoneyField, TextArea, TextField } from '@/components/form/fields';
import type { ActionState } from '@/components/form/state';
import type { Lender } from '@/db/schema';
import { LenderProductFields } from './lender-product-fields';
import { KeepDraftLink } from './new-case-draft';

export type CaseFormDefaults = {
  lenderId?: number | null;
  product?: string;
  accountRef?: string;
  principal?: string;
  interest?: string;
  penalty?: string;
  overdueSince?: string | null;
  note?: string;
};

/** The facts of a case, shared by "new case" and "edit case". */
export async function CaseForm({
  action,
  lenders,
  defaults = {},
  hidden,
  submitLabel,
  pendingLabel,
  testId,
  addLenderHref,
  keepDraft = false,
}: {
  action: (prev: ActionState, formData: FormData) => Promise<ActionState>;
  lenders: Lender[];
  defaults?: CaseFormDefaults;
  hidden: Record<string, string | number>;
  submitLabel: string;
  pendingLabel: string;
  testId: string;
  /** Where "add a private lender" goes; from a new case it comes back with the lender chosen. */
  addLenderHref: string;
  /** A new case: what is typed is kept for the way back from adding a lender (new-case-draft.tsx). */
  keepDraft?: boolean;
}) {
  const t = await getTranslations('cases.form');
  const AddLenderLink = keepDraft ? KeepDraftLink : Link;
  const options = lenders.map((l) => ({ id: l.id, name: l.name, products: l.products, private: l.ownerId !== null }));
  return (
    <ActionForm action={action} hidden={hidden} hiddenAsOpened submitLabel={submitLabel} pendingLabel={pendingLabel} testId={testId} className="grid gap-4">
      <div className="grid gap-2">
        <LenderProductFields lenders={options} defaultLenderId={defaults.lenderId} defaultProduct={defaults.product} />
        <p className="text-sm text-stone-600">
          {t('lenderMissing')}{' '}
          <AddLenderLink href={addLenderHref} className="font-medium text-teal-700 underline" data-testid="add-private-lender-link">
            {t('addPrivateLender')}
          </AddLenderLink>
        </p>
      </div>
      <div className="grid items-start gap-3 sm:grid-cols-2">
        <TextField
          name="accountRef"
          label={t('accountRef')}
          hint={t('accountRefHint')}
          inputMode="numeric"
          autoComplete="off"
          placeholder="1234"
          defaultValue={defaults.accountRef}
        />
        <TextField
          name="overdueSince"
          type="date"
          label={t('overdueSince')}
          hint={t('overdueSinceHint')}
          defaultValue={defaults.overdueSince}
        />
      </div>
      <fieldset className="grid gap-3">
        <legend className="mb-1 text-sm font-medium text-stone-800">{t('amounts')}</legend>
        <p className="-mt-1 text-sm text-stone-600">{t('amountsHint')}</p>
        <div className="grid items-start gap-3 sm:grid-cols-3">
          <MoneyField name="principal" label={t('principal')} defaultValue={defaults.principal} />
          <MoneyField name="interest" label={t('interest')} defaultValue={defaults.interest} />
          <MoneyField name="penalty" label={t('penalty')} defaultValue={defaults.penalty} />
        </div>
      </fieldset>
      <TextArea name="note" label={t('note')} hint={t('noteHint')} rows={3} maxLength={2000} defaultValue={defaults.note} />
    </ActionForm>
  );
}
