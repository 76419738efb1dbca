import { getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { CheckboxField, SelectField, TextArea, TextField } from '@/components/form/fields';
import type { Lender } from '@/db/schema';
import { LENDER_KINDS, PROGRAMS, REQUESTED_DOCUMENT_KINDS } from '@/lib/domain';
import { newFormKey } from '@/lib/form-key';
import { lenderFingerprint } from '@/lib/lender-curation';
import { createPublicLenderAction, updatePublicLenderAction } from '../lenders/actions';

/**
 * A public lender's fields as the directory shows them: name, kind, products, the channels and
 * guidance (Chinese, and English where the directory has it), programs, documents, review time.
 * Without a lender: a new one. With one: its edit form, carrying the lender as loaded
 * (lib/lender-curation.ts), so that another admin's save in between is not overwritten.
 */
export async function LenderCurationForm({ lender }: { lender?: Lender }) {
  const t = await getTranslations('admin.lenders.form');
  const d = await getTranslations('domain');
  const c = await getTranslations('common');
  const ch = lender?.channels ?? {};
  const hidden: Record<string, string | number> = lender ? { lenderId: lender.id, fingerprint: lenderFingerprint(lender) } : { formKey: newFormKey() };
  const fieldset = 'grid gap-3 rounded-md border border-stone-200 p-3 sm:p-4';
  const legend = 'px-1 text-sm font-medium text-stone-800';
  return (
    <ActionForm
      action={lender ? updatePublicLenderAction : createPublicLenderAction}
      hidden={hidden}
      submitLabel={lender ? c('save') : t('create')}
      pendingLabel={c('saving')}
      testId={lender ? 'lender-edit-form' : 'lender-create-form'}
      className="grid gap-4"
    >
      <div className="grid items-start gap-3 sm:grid-cols-2">
        <TextField name="name" label={t('name')} defaultValue={lender?.name} required maxLength={60} autoComplete="off" />
        <SelectField
          name="kind"
          label={t('kind')}
          required
          defaultValue={lender?.kind}
          placeholder={lender ? undefined : t('kindPlaceholder')}
          options={LENDER_KINDS.map((k) => ({ value: k, label: d(`lenderKind.${k}`) }))}
        />
        <TextField name="products" label={t('products')} hint={t('productsHint')} defaultValue={lender?.products.join('、')} maxLength={200} autoComplete="off" />
        <TextField name="hotline" type="tel" inputMode="tel" label={t('hotline')} defaultValue={ch.hotline} maxLength={40} autoComplete="off" />
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
      <fieldset className={fieldset}>
        <legend className={legend}>{t('guidanceZh')}</legend>
        <TextArea name="appPath" label={t('app')} hint={t('appHint')} defaultValue={ch.app} maxLength={200} rows={3} />
        <TextArea name="branch" label={t('branch')} defaultValue={ch.branch} maxLength={200} rows={3} />
        <TextArea name="complaint" label={t('complaint')} defaultValue={ch.complaint} maxLength={500} rows={3} />
      </fieldset>
      <fieldset className={fieldset} lang="en">
        <legend className={legend}>{t('guidanceEn')}</legend>
        <p className="text-sm text-stone-500">{t('guidanceEnHint')}</p>
        <TextArea name="appPathEn" label={t('appEn')} defaultValue={ch.en?.app} maxLength={200} rows={3} />
        <TextArea name="branchEn" label={t('branchEn')} defaultValue={ch.en?.branch} maxLength={200} rows={3} />
        <TextArea name="complaintEn" label={t('complaintEn')} defaultValue={ch.en?.complaint} maxLength={500} rows={3} />
      </fieldset>
      <fieldset className={fieldset}>
        <legend className={legend}>{t('programs')}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {PROGRAMS.map((p) => (
            <CheckboxField key={p} name={`program_${p}`} label={d(`program.${p}`)} defaultChecked={lender?.programs.includes(p)} />
          ))}
        </div>
      </fieldset>
      <fieldset className={fieldset}>
        <legend className={legend}>{t('documents')}</legend>
        <div className="grid gap-2 sm:grid-cols-2">
          {REQUESTED_DOCUMENT_KINDS.map((k) => (
            <CheckboxField key={k} name={`document_${k}`} label={d(`documentKind.${k}`)} defaultChecked={lender?.documents.includes(k)} />
          ))}
        </div>
      </fieldset>
    </ActionForm>
  );
}
