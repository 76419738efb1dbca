/** The keys that name a case (home.due in the catalogue): by its lender, with the account's last digits or the product where recorded. */
type CaseLabelTranslate = (key: 'case' | 'caseWithRef' | 'caseWithProduct', values: Record<string, string>) => string;

/** The lender's name without the company in brackets after it: 微粒贷（微众银行） → 微粒贷. */
function nameBeforeBrackets(name: string): string {
  return name.replace(/\s*[（(][^（）()]*[）)]\s*$/, '').trim();
}

/**
 * A case named the way the home page (and the mail that carries an advisor's note) names one. A
 * product that is the lender's name (微粒贷 of 微粒贷（微众银行）) is not said twice; one of
 * several the name lists (月付 of 美团 月付/借钱) is said, as it tells which.
 */
export function caseLabel(t: CaseLabelTranslate, c: { lenderName: string; caseAccountRef: string | null; caseProduct: string | null }): string {
  if (c.caseAccountRef) return t('caseWithRef', { lender: c.lenderName, ref: c.caseAccountRef });
  if (c.caseProduct && c.caseProduct.trim() !== nameBeforeBrackets(c.lenderName)) return t('caseWithProduct', { lender: c.lenderName, product: c.caseProduct });
  return t('case', { lender: c.lenderName });
}
