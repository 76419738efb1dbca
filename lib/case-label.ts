/** The keys that name a case (home.due in the catalogue): by its lender, with the account's last digits or the product where recorded. */
type CaseLabelTranslate = (key: 'case' | 'caseWithRef' | 'caseWithProduct', values: Record<string, string>) => string;

/**
 * A case named the way the home page (and the mail that carries an advisor's note) names one. A
 * product the lender's name already says (微粒贷 of 微粒贷（微众银行）) is not said twice.
 */
export function caseLabel(t: CaseLabelTranslate, c: { lenderName: string; caseAccountRef: string | null; caseProduct: string | null }): string {
  if (c.caseAccountRef) return t('caseWithRef', { lender: c.lenderName, ref: c.caseAccountRef });
  if (c.caseProduct && !c.lenderName.includes(c.caseProduct)) return t('caseWithProduct', { lender: c.lenderName, product: c.caseProduct });
  return t('case', { lender: c.lenderName });
}
