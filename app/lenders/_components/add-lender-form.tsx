import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { SelectField, TextField } from '@/components/form/fields';
import type { Lender } from '@/db/schema';
import { LENDER_KINDS } from '@/lib/domain';
import { newFormKey } from '@/lib/form-key';
import { lenderFingerprint } from '@/lib/lender-curation';
import { createPrivateLenderAction, updatePrivateLenderAction } from '../actions';

/** A private lender's fields (lib/validation.ts lenderSchema), empty or as the lender stands. */
async function PrivateLenderFields({ lender }: { lender?: Lender }) {
  const t = await getTranslations('lenders.add');
  const d = await getTranslations('domain');
  return (
    <div className="grid items-start gap-3 sm:grid-cols-2">
      <TextField name="name" label={t('name')} hint={t('nameHint')} required maxLength={60} autoComplete="off" defaultValue={lender?.name} />
      <SelectField
        name="kind"
        label={t('kind')}
        required
        placeholder={t('kindPlaceholder')}
        options={LENDER_KINDS.map((k) => ({ value: k, label: d(`lenderKind.${k}`) }))}
        defaultValue={lender?.kind}
      />
      <TextField name="products" label={t('products')} hint={t('productsHint')} maxLength={200} autoComplete="off" defaultValue={lender?.products.join('，')} />
      <TextField name="hotline" type="tel" inputMode="tel" label={t('hotline')} maxLength={40} autoComplete="off" defaultValue={lender?.channels.hotline} />
      <TextField name="appPath" label={t('appPath')} hint={t('appPathHint')} maxLength={200} autoComplete="off" defaultValue={lender?.channels.app} />
      <TextField
        name="reviewWorkdays"
        type="number"
        inputMode="numeric"
        label={t('reviewWorkdays')}
        hint={t('reviewWorkdaysHint')}
        defaultValue={lender?.reviewWorkdays ?? 5}
        required
      />
    </div>
  );
}

/** A borrower adds a lender the directory lacks; only they will see it. */
export async function AddLenderForm({ fromNewCase }: { fromNewCase: boolean }) {
  const t = await getTranslations('lenders.add');
  const hidden: Record<string, string> = { formKey: newFormKey() };
  if (fromNewCase) hidden.from = 'new-case';
  return (
    <ActionForm
      action={createPrivateLenderAction}
      hidden={hidden}
      submitLabel={fromNewCase ? t('submitAndReturn') : t('submit')}
      pendingLabel={t('pending')}
      testId="lender-form"
      className="grid gap-3"
    >
      <PrivateLenderFields />
    </ActionForm>
  );
}

/**
 * The owner corrects their private lender, in a fold on its card. The form carries the lender as it
 * was loaded (its fingerprint): a save from a stale tab changes nothing.
 */
export async function EditLenderForm({ lender }: { lender: Lender }) {
  const t = await getTranslations('lenders.edit');
  return (
    <details className="group rounded-md border border-stone-200 text-sm" data-testid="edit-private-lender">
      <summary className="flex min-h-10 cursor-pointer list-none items-center gap-2 px-3 font-medium text-teal-800 [&::-webkit-details-marker]:hidden">
        <span aria-hidden className="text-stone-500 transition-transform group-open:rotate-90">
          ▸
        </span>
        {t('summary')}
      </summary>
      <div className="grid gap-2 px-3 pb-3">
        <p className="text-sm text-stone-600">{t('hint')}</p>
        <ActionForm
          action={updatePrivateLenderAction}
          hidden={{ lenderId: lender.id, fingerprint: lenderFingerprint(lender) }}
          submitLabel={t('submit')}
          pendingLabel={t('pending')}
          testId="edit-private-lender-form"
          className="grid gap-3"
        >
          <PrivateLenderFields lender={lender} />
        </ActionForm>
      </div>
    </details>
  );
}
