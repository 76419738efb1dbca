import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileOf, makeBorrower, makeCase, pdfBytes } from '@/tests/factories';
import { archiveFileName, exportAccountArchive } from './account';
import { addDocument, attachDocumentFile } from './documents';

const NOW = new Date('2025-06-02T04:00:00Z');
const CHINESE = '收入证明.pdf';
const EMOJI = '工资😀单👨‍👩‍👧.pdf';

async function readAll(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  return Buffer.from(await new Response(stream).arrayBuffer());
}

/** A borrower's export holding two stored files, one named in Chinese and one with emoji. */
async function archiveWithNames(): Promise<{ bytes: Buffer; names: string[] }> {
  const viewer = makeBorrower();
  const caseId = makeCase(viewer);
  const names = ['README.txt', 'respite-export.json'];
  for (const name of [CHINESE, EMOJI]) {
    const docId = addDocument(viewer, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(viewer, caseId, docId, fileOf(pdfBytes(), name, 'application/pdf'));
    names.push(`files/${caseId}/${docId}-${name}`);
  }
  return { bytes: await readAll(exportAccountArchive(viewer, 'README', NOW)), names };
}

type Header = { name: string; madeBy: number; os: number; flags: number; mode: number; localFlags: number };

/** The central directory's entries (APPNOTE 4.3.12), each with the flags of its local header. */
function centralDirectory(bytes: Buffer): Header[] {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = bytes.readUInt32LE(end + 16);
  const headers: Header[] = [];
  for (let i = 0; i < bytes.readUInt16LE(end + 10); i++) {
    expect(bytes.readUInt32LE(at)).toBe(0x02014b50);
    const nameLength = bytes.readUInt16LE(at + 28);
    const local = bytes.readUInt32LE(at + 42);
    expect(bytes.readUInt32LE(local)).toBe(0x04034b50);
    headers.push({
      name: bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8'),
      madeBy: bytes[at + 4],
      os: bytes[at + 5],
      flags: bytes.readUInt16LE(at + 8),
      mode: bytes.readUInt32LE(at + 38) >>> 16,
      localFlags: bytes.readUInt16LE(local + 6),
    });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return headers;
}

function hasUnzip(): boolean {
  try {
    execFileSync('unzip', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('the export archive\'s entry names', () => {
  it('are UTF-8, flagged so, in entries made by Unix as plain rw-r--r-- files', async () => {
    const { bytes, names } = await archiveWithNames();
    const headers = centralDirectory(bytes);
    expect(headers.map((h) => h.name)).toEqual(names);
    for (const h of headers) {
      // Made by Unix (APPNOTE 4.4.2.2): Info-ZIP's unzip reads a name from MS-DOS (0) as code page 437.
      expect(h.os, h.name).toBe(3);
      expect(h.madeBy, h.name).toBe(20);
      expect(h.mode, h.name).toBe(0o100644);
      // Bit 11: the name is UTF-8; set wherever it is not plain ASCII, in both headers.
      const utf8 = /[^\x20-\x7e]/.test(h.name) ? 0x800 : 0;
      expect(h.flags & 0x800, h.name).toBe(utf8);
      expect(h.localFlags & 0x800, h.name).toBe(utf8);
    }
  });

  it.skipIf(!hasUnzip())('list right with Info-ZIP\'s unzip', async () => {
    const { bytes, names } = await archiveWithNames();
    const dir = mkdtempSync(path.join(tmpdir(), 'respite-export-'));
    try {
      const file = path.join(dir, 'export.zip');
      writeFileSync(file, bytes);
      const listing = execFileSync('unzip', ['-l', file], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } });
      for (const name of names) expect(listing).toContain(`   ${name}\n`);
      expect(listing).not.toContain('\uFFFD');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('archiveFileName', () => {
  it('keeps emoji, whole sequences included', () => {
    expect(archiveFileName(EMOJI)).toBe(EMOJI);
    for (const name of ['👍🏽 ok.png', '🇨🇳.pdf', '1️⃣ #️⃣.pdf', '🏳️‍🌈.jpg', '🏴󠁧󠁢󠁥󠁮󠁧󠁿.pdf', '©️ ❤️.pdf']) expect(archiveFileName(name)).toBe(name);
  });

  it('still refuses separators, parent steps, control and invisible characters', () => {
    expect(archiveFileName('😀/../😀\\x.pdf')).toBe('😀_.._😀_x.pdf');
    expect(archiveFileName('../😀.pdf')).toBe('_😀.pdf');
    expect(archiveFileName('a\u0000b\u0007c\nd\u007f.pdf')).toBe('a_b_c_d_.pdf');
    // Joiners, selectors, tags and bidirectional controls outside an emoji sequence.
    expect(archiveFileName('a\u200Db\uFE0Fc\u{E0067}d\u202Egpj.exe')).toBe('a_b_c_d_gpj.exe');
    expect(archiveFileName('\u{1F1E8}.pdf')).toBe('_.pdf');
  });

  it('shortens a long name between emoji, never through one', () => {
    const shortened = archiveFileName(`${'长'.repeat(75)}${'👨‍👩‍👧'.repeat(3)}.pdf`);
    expect(shortened).toBe(`${'长'.repeat(75)}.pdf`);
    // Each 😀 is two UTF-16 units: 68 + 4 × 2 + 4 is the 80 allowed; a fifth would be cut in half.
    expect(archiveFileName(`${'长'.repeat(68)}${'😀'.repeat(10)}.pdf`)).toBe(`${'长'.repeat(68)}${'😀'.repeat(4)}.pdf`);
  });
});
