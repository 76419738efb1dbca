import { createReadStream, statSync } from 'node:fs';
import { Readable } from 'node:stream';
import { getDocumentFile } from '@/db/documents';
import { getViewer } from '@/db/viewer';
import { ForbiddenError, NotFoundError } from '@/lib/errors';

/** Nothing about why: a missing file, a stranger's file and a bad id all look the same. */
function notFound(): Response {
  return new Response(null, { status: 404, headers: { 'Cache-Control': 'private, no-store' } });
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
  const raw = (await params).id;
  if (!/^[1-9]\d{0,14}$/.test(raw)) return notFound();
  let file: ReturnType<typeof getDocumentFile>;
  try {
    file = getDocumentFile(viewer, Number(raw));
  } catch (e) {
    if (e instanceof NotFoundError) return notFound();
    // An advisor, for a sensitive document the borrower has not consented to share.
    if (e instanceof ForbiddenError) return new Response(null, { status: 403, headers: { 'Cache-Control': 'private, no-store' } });
    throw e;
  }
  let size: number;
  try {
    size = statSync(file.path).size;
  } catch {
    return notFound();
  }
  const body = Readable.toWeb(createReadStream(file.path)) as ReadableStream<Uint8Array>;
  return new Response(body, {
    status: 200,
    headers: {
      'Content-Type': file.mimeType,
      'Content-Length': String(size),
      'Content-Disposition': contentDisposition(file.fileName),
      'X-Content-Type-Options': 'nosniff',
      'Content-Security-Policy': "sandbox; default-src 'none'",
      'Cache-Control': 'private, no-store',
    },
  });
}
