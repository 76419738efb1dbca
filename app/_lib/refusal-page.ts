import { getLocale, getTranslations } from 'next-intl/server';

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export type RefusalTexts = { title: string; paragraphs: string[]; link: { href: string; label: string } };

/**
 * A short page in the viewer's language, for a route handler that refuses (a download or an export
 * is not a page of the app's layout): the same look as app/documents/[id]/route.ts's refusal pages,
 * inline styles only. `headers` adds to (or replaces) the defaults, a Content-Security-Policy say.
 */
export async function refusalPage(status: number, testId: string, texts: RefusalTexts, headers: Record<string, string> = {}): Promise<Response> {
  const locale = await getLocale();
  const title = escapeHtml(texts.title);
  const html = `<!DOCTYPE html>
<html lang="${escapeHtml(locale)}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${title}</title></head>
<body style="margin:0;font-family:system-ui,-apple-system,'Noto Sans CJK SC','PingFang SC','Microsoft YaHei',sans-serif;line-height:1.6;color:#1c1917;background:#fafaf9">
<main style="max-width:36rem;margin:3rem auto;padding:1.5rem;background:#fff;border:1px solid #e7e5e4;border-radius:0.5rem" data-testid="${escapeHtml(testId)}">
<h1 style="font-size:1.375rem;margin:0 0 0.75rem">${title}</h1>
${texts.paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join('\n')}
<p><a href="${escapeHtml(texts.link.href)}" style="color:#0f766e">${escapeHtml(texts.link.label)}</a></p>
</main>
</body>
</html>
`;
  return new Response(html, { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'private, no-store', ...headers } });
}

/**
 * The app's "not found" (app/not-found.tsx's words), whatever the reason. An advisor is told the
 * likely reasons (the client deleted it or stopped sharing) and led to the dashboard, from their role alone.
 */
export async function notFoundPage(testId: string, { advisor = false, headers = {} }: { advisor?: boolean; headers?: Record<string, string> } = {}): Promise<Response> {
  const t = await getTranslations('common.notFound');
  return refusalPage(
    404,
    testId,
    {
      title: t('title'),
      paragraphs: advisor ? [t('body'), t('advisorBody')] : [t('body')],
      link: advisor ? { href: '/dashboard', label: t('dashboard') } : { href: '/', label: t('home') },
    },
    headers,
  );
}
