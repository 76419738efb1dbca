import { getTranslations } from 'next-intl/server';
import { refusalPage } from './refusal-page';

/**
 * Was this request sent from a page of another site (a link on it, a mail opened in webmail)? By
 * the browser's Sec-Fetch-Site. A request without the header (an older browser, a script) is taken
 * as it comes, as is one the person made themselves ('none': typed, a bookmark, another app).
 */
export function fromAnotherSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  return site === 'cross-site' || site === 'same-site';
}

/**
 * An advisor's download or export asked for from another site: a page that says what it records,
 * and does nothing. The session cookie goes with a link from anywhere, and each download or export
 * is written into the client's access log: only one the advisor chose is. The export's page links
 * to itself, here; a document's leads to the dashboard, where its case is (a page under /documents/
 * is sandboxed, so a link on it would come from another site again).
 */
export async function confirmFromAnotherSite(request: Request, what: 'export' | 'document', headers: Record<string, string> = {}): Promise<Response> {
  const t = await getTranslations('sharing.fromAnotherSite');
  const url = new URL(request.url);
  const texts =
    what === 'export'
      ? { title: t('title'), paragraphs: [t('body')], link: { href: `${url.pathname}${url.search}`, label: t('download') } }
      : { title: t('title'), paragraphs: [t('body'), t('documentHint')], link: { href: '/dashboard', label: t('dashboard') } };
  return refusalPage(200, `${what}-from-another-site`, texts, headers);
}
