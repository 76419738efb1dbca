import { getTranslations } from 'next-intl/server';
import { confirmFromAnotherSite, fromAnotherSite } from '@/app/_lib/another-site';
import { notFoundPage, refusalPage } from '@/app/_lib/refusal-page';
import { getDocumentFile } from '@/db/documents';
import { getViewer } from '@/db/viewer';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { DOWNLOAD_POLICY } from '@/lib/page-policy.mjs';
import { contentDisposition } from './content-disposition';
import { fileBody } from './file-body';

/**
 * The app's "not found", the same page whatever the reason: a missing file, a stranger's file, a
 * share revoked since the link was shown, and a bad id all look alike (app/_lib/refusal-page.ts).
 */
const notFound = (advisor = false) => notFoundPage('document-not-found', { advisor, headers: { 'Content-Security-Policy': DOWNLOAD_POLICY } });

/**
 * An advisor who may read the case, asking for a sensitive document the borrower has not consented
 * to share (or has withdrawn consent for, with the link still open on a page): a short page in the
 * viewer's language that says why. Only they get it: anyone who may not read the case gets
 * notFound(), which says nothing more than "not found".
 */
async function consentRefused(): Promise<Response> {
  const t = await getTranslations('sharing.documentRefused');
  return refusalPage(
    403,
    'document-refused',
    { title: t('title'), paragraphs: [t('body'), t('hint')], link: { href: '/dashboard', label: t('back') } },
    { 'Content-Security-Policy': DOWNLOAD_POLICY },
  );
}

/**
 * Downloads a document's file, for whoever may read its case. The type is the one sniffed from
 * the bytes at upload; the browser is told to save it, never to render or run it.
 */
export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return notFound();
  const advisor = viewer.role === 'advisor';
  // An advisor's download is written into the client's access log: not one another site's link set off.
  if (advisor && fromAnotherSite(request)) return confirmFromAnotherSite(request, 'document', { 'Content-Security-Policy': DOWNLOAD_POLICY });
  const raw = (await params).id;
  if (!/^[1-9]\d{0,14}$/.test(raw)) return notFound(advisor);
  const id = Number(raw);
  let file: ReturnType<typeof getDocumentFile>;
  try {
    file = getDocumentFile(viewer, id);
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(advisor);
    // An advisor with an active share, for a sensitive document the borrower has not consented
    // to share: getDocumentFile throws NotFoundError, above, to everyone else.
    if (e instanceof ForbiddenError) return consentRefused();
    throw e;
  }
  return new Response(fileBody(file.path), {
    status: 200,
    headers: {
      'Content-Type': file.mimeType,
      'Content-Length': String(file.size),
      'Content-Disposition': contentDisposition(file.fileName, id),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DOWNLOAD_POLICY,
      'Cache-Control': 'private, no-store',
    },
  });
}
