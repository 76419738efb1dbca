/**
 * A downloaded document: the name it is saved under (app/documents/[id]/content-disposition.ts): the
 * UTF-8 one for every current browser, and a plain ASCII one before it for a client that reads
 * only `filename` (RFC 6266 §4.3).
 */
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { contentDisposition } from '@/app/documents/[id]/content-disposition';
import { fileBody } from '@/app/documents/[id]/file-body';

describe('contentDisposition', () => {
  it('gives a Chinese name percent-encoded, after a plain name made of the document and its extension', () => {
    expect(contentDisposition('招商银行 流水(2025).pdf', 42)).toBe(
      `attachment; filename="document-42.pdf"; filename*=UTF-8''%E6%8B%9B%E5%95%86%E9%93%B6%E8%A1%8C%20%E6%B5%81%E6%B0%B4%282025%29.pdf`,
    );
    expect(contentDisposition('收入证明', 7)).toBe(`attachment; filename="document-7"; filename*=UTF-8''%E6%94%B6%E5%85%A5%E8%AF%81%E6%98%8E`);
  });

  it('keeps a plain ASCII name as it is in both, quotes and backslashes made harmless in the plain one', () => {
    expect(contentDisposition('payslip 2025-06.png', 3)).toBe(`attachment; filename="payslip 2025-06.png"; filename*=UTF-8''payslip%202025-06.png`);
    expect(contentDisposition('a"b\\c.pdf', 3)).toBe(`attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf`);
  });
});

describe('a document\'s bytes (fileBody)', () => {
  const openFiles = () => readdirSync('/proc/self/fd').length;

  it('opens the file only when read: a body never read (a HEAD request, a client gone) leaves nothing open', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'respite-body-'));
    const file = path.join(dir, 'proof.pdf');
    const bytes = Buffer.alloc(300_000, 7);
    writeFileSync(file, bytes);
    const before = openFiles();
    for (let i = 0; i < 5; i++) fileBody(file);
    expect(openFiles()).toBe(before);
    // Read whole: the bytes as stored, and the file closed after.
    expect(Buffer.from(await new Response(fileBody(file)).arrayBuffer()).equals(bytes)).toBe(true);
    // Stopped after the first chunk: closed too.
    const reader = fileBody(file).getReader();
    await reader.read();
    await reader.cancel();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(openFiles()).toBe(before);
    rmSync(dir, { recursive: true, force: true });
  });
});
