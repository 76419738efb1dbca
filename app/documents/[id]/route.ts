import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDocumentFile } from '@/db/documents';
import { getViewer } from '@/db/viewer';
import { ForbiddenError, NotFoundError } from '@/lib/errors';
import { DOWNLOAD_POLICY } from '@/lib/page-policy.mjs';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A short page in the viewer's language (a download link's refusal is not a page of the app's layout). */
async function refusalPage(status: number, testId: string, texts: { title: string; paragraphs: string[]; link: { href: string; label: string } }): Promise<Response> {
  const locale = await getLocale();
  const title = escapeHtml(texts.title);
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="margin:0;font-family:system-ui,-apple-system,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;line-height:1.6;color:#1c1917;background:#fafaf9">
<main style="max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #e7e5e4;border-radius:0.5rem" data-testid="${testId}">
<h1 style="font-size:1.375rem;margin:0 0 0.75rem">${title}</h1>
${texts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p><a href="${escapeHtml(texts.link.href)}" style="color:#0f766e">${escapeHtml(texts.link.label)}</a></p>
</main>
</body>
</html>
`;
  return new Response(html, {
    status,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': DOWNLOAD_POLICY,
      'Cache-Control': 'private, no-store',
    },
  });
}

/**
 * The app's "not found", the same page whatever the reason: a missing file, a stranger's file, a
 * share revoked since the link was shown, and a bad id all look alike. An advisor is told the likely
 * reasons (the client deleted it or stopped sharing), as app/not-found.tsx tells them, from their role alone.
 */
async function notFound(advisor = false): Promise<Response> {
  const t = await getTranslations('common.notFound');
  return refusalPage(404, 'document-not-found', {
    title: t('title'),
    paragraphs: advisor ? [t('body'), t('advisorBody')] : [t('body')],
    link: advisor ? { href: '/dashboard', label: t('dashboard') } : { href: '/', label: t('home') },
  });
}

/**
 * An advisor who may read the case, asking for a sensitive document the borrower has not consented
 * to share (or has withdrawn consent for, with the link still open on a page): a short page in the
 * viewer's language that says why. Only they get it: anyone who may not read the case gets
 * notFound(), which says nothing more than "not found".
 */
async function consentRefused(): Promise<Response> {
  const t = await getTranslations('sharing.documentRefused');
  return refusalPage(403, 'document-refused', { title: t('title'), paragraphs: [t('body'), t('hint')], link: { href: '/dashboard', label: t('back') } });
}

/** RFC 5987/6266: the name percent-encoded as UTF-8, so Chinese file names survive. */
function contentDisposition(fileName: string): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename*=UTF-8''${encoded}`;
}

/**
 * Downloads a document's file, for whoever may read its case. The type is the one sniffed from
 * the bytes at upload; the browser is told to save it, never to render or run it.
 */
export async function GET(_request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const viewer = await getViewer();
  if (!viewer) return notFound();
  const advisor = viewer.role === 'advisor';
  const raw = (await params).id;
  if (!/^[1-9]\d{0,14}$/.test(raw)) return notFound(advisor);
  let file: ReturnType<typeof getDocumentFile>;
  try {
    file = getDocumentFile(viewer, Number(raw));
  } catch (e) {
    if (e instanceof NotFoundError) return notFound(advisor);
    // An advisor with an active share, for a sensitive document the borrower has not consented
    // to share: getDocumentFile throws NotFoundError, above, to everyone else.
    if (e instanceof ForbiddenError) return consentRefused();
    throw e;
  }
  let size: number;
  try {
    size = statSync(file.path).size;
  } catch {
    return notFound(advisor);
  }
  const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': file.mimeType,
      'Content-Length': String(size),
      'Content-Disposition': contentDisposition(file.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': DOWNLOAD_POLICY,
      'Cache-Control': 'private, no-store',
    },
  });
}
