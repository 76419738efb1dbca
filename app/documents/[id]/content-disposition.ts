/**
 * RFC 6266: the name percent-encoded as UTF-8 (`filename*`), so Chinese file names survive, after a
 * plain ASCII `filename` for a browser or download manager that reads only that one: the name
 * itself when it is plain ASCII, else `document-<id>` with its extension.
 */
export function contentDisposition(fileName: string, documentId: number): string {
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const ext = /\.([A-Za-z0-9]{1,5})$/.exec(fileName)?.[1];
  const plain = /^[\x20-\x7e]+$/.test(fileName) ? fileName.replace(/["\\]/g, '_') : `document-${documentId}${ext ? `.${ext}` : ''}`;
  return `attachment; filename="${plain}"; filename*=UTF-8''${encoded}`;
}
