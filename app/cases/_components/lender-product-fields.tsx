'use client';

import { useTranslations } from 'next-intl';
import { useId, useState } from 'react';
import { useFormState } from '@/components/form/action-form';
import { useLength } from '@/components/form/fields';
import { inputClass } from '@/components/form/styles';

/** lib/validation.ts caseSchema's `product`. */
const PRODUCT_MAX = 60;

export type LenderOption = { id: number; name: string; products: string[]; private: boolean };

/**
 * The lender select (public directory first, then the borrower's private lenders) and the
 * product input, whose suggestions follow the chosen lender. Reads errors and refused values
 * from the enclosing ActionForm, like the shared fields do.
 */
export function LenderProductFields({
  lenders,
  defaultLenderId,
  defaultProduct,
}: {
  lenders: LenderOption[];
  defaultLenderId?: number | null;
  defaultProduct?: string;
}) {
  const t = useTranslations('cases.form');
  const state = useFormState();
  const base = useId().replace(/:/g, '');
  const [lenderId, setLenderId] = useState<string>(
    state.values?.lenderId ?? (defaultLenderId ? String(defaultLenderId) : ''),
  );
  const product = state.values?.product ?? defaultProduct ?? '';
  // No maxLength (a paste would be cut without a word): the count, and the server's refusal past it.
  const productLength = useLength(product, PRODUCT_MAX);
  const lenderError = state.fieldErrors?.lenderId;
  const productError = state.fieldErrors?.product;
  const publicLenders = lenders.filter((l) => !l.private);
  const privateLenders = lenders.filter((l) => l.private);
  const products = lenders.find((l) => String(l.id) === lenderId)?.products ?? [];
  const ids = { lender: `${base}-lenderId`, product: `${base}-product`, list: `${base}-products` };

  return (
    <div className="grid items-start gap-3 sm:grid-cols-2">
      <div className="grid content-start gap-1">
        <label htmlFor={ids.lender} className="text-sm font-medium text-stone-700">
          {t('lender')}
          <span className="text-red-600" aria-hidden>
            {' '}*
          </span>
        </label>
        <select
          id={ids.lender}
          name="lenderId"
          value={lenderId}
          onChange={(e) => setLenderId(e.target.value)}
          className={inputClass}
          aria-required
          aria-invalid={lenderError ? true : undefined}
          aria-describedby={lenderError ? `${ids.lender}-error` : undefined}
          data-testid="lender-select"
        >
          <option value="">{t('lenderPlaceholder')}</option>
          <optgroup label={t('publicLenders')}>
            {publicLenders.map((l) => (
              <option key={l.id} value={l.id}>
                {l.name}
              </option>
            ))}
          </optgroup>
          {privateLenders.length > 0 && (
            <optgroup label={t('privateLenders')}>
              {privateLenders.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name}
                </option>
              ))}
            </optgroup>
          )}
        </select>
        {lenderError && (
          <p id={`${ids.lender}-error`} className="text-sm text-red-700" data-testid="error-lenderId">
            {lenderError}
          </p>
        )}
      </div>
      <div className="grid content-start gap-1">
        <label htmlFor={ids.product} className="text-sm font-medium text-stone-700">
          {t('product')}
        </label>
        <input
          id={ids.product}
          name="product"
          type="text"
          list={products.length > 0 ? ids.list : undefined}
          defaultValue={product}
          onInput={productLength.onInput}
          autoComplete="off"
          placeholder={products.length > 0 ? products.join(' / ') : t('productPlaceholder')}
          className={inputClass}
          aria-invalid={productError ? true : undefined}
          aria-describedby={productError ? `${ids.product}-error` : `${ids.product}-hint`}
        />
        {productLength.count}
        {products.length > 0 && (
          <datalist id={ids.list}>
            {products.map((p) => (
              <option key={p} value={p} />
            ))}
          </datalist>
        )}
        {productError ? (
          <p id={`${ids.product}-error`} className="text-sm text-red-700" data-testid="error-product">
            {productError}
          </p>
        ) : (
          <p id={`${ids.product}-hint`} className="text-sm text-stone-600">
            {t('productHint')}
          </p>
        )}
      </div>
    </div>
  );
}
