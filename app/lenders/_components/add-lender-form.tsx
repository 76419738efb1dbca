import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { SelectField, TextField } from '@/components/form/fields';
import { LENDER_KINDS } from '@/lib/domain';
import { newFormKey } from '@/lib/form-key';
import { createPrivateLenderAction } from '../actions';

/** A borrower adds a lender the directory lacks; only they will see it. */
export async function AddLenderForm({ fromNewCase }: { fromNewCase: boolean }) {
  const t = await getTranslations('lenders.add');
  const d = await getTranslations('domain');
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
      <div className="grid items-start gap-3 sm:grid-cols-2">
        <TextField name="name" label={t('name')} hint={t('nameHint')} required maxLength={60} autoComplete="off" />
        <SelectField
          name="kind"
          label={t('kind')}
          required
          placeholder={t('kindPlaceholder')}
          options={LENDER_KINDS.map((k) => ({ value: k, label: d(`lenderKind.${k}`) }))}
        />
        <TextField name="products" label={t('products')} hint={t('productsHint')} maxLength={200} autoComplete="off" />
        <TextField name="hotline" type="tel" inputMode="tel" label={t('hotline')} maxLength={40} autoComplete="off" />
        <TextField name="appPath" label={t('appPath')} hint={t('appPathHint')} maxLength={200} autoComplete="off" />
        <TextField
          name="reviewWorkdays"
          type="number"
          inputMode="numeric"
          label={t('reviewWorkdays')}
          hint={t('reviewWorkdaysHint')}
          defaultValue={5}
          required
        />
      </div>
    </ActionForm>
  );
}
