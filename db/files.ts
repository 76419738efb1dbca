import { fileTypeFromBuffer } from 'file-type';
import { randomBytes } from 'node:crypto';
import { mkdirSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALLOWED_UPLOAD_TYPES, MAX_UPLOAD_BYTES } from '@/lib/domain';
import { DomainError } from '@/lib/errors';

/** Uploaded files live outside the web root, under generated names; only db/ knows where. */
export function uploadDir(): string {
  return path.resolve(/* turbopackIgnore: true */ process.cwd(), process.env.UPLOAD_DIR ?? path.join(process.env.DATA_DIR ?? 'data', 'files'));
}

const STORED_NAME = /^[a-f0-9]{32}$/;

export function storedFilePath(storedName: string): string {
  if (!STORED_NAME.test(storedName)) throw new Error('bad stored name');
  return path.join(uploadDir(), storedName);
}

export type CheckedUpload = { bytes: Buffer; mimeType: (typeof ALLOWED_UPLOAD_TYPES)[number]; fileName: string };

/** Checks an upload's size and, from its bytes, its type: PDF, JPEG, PNG or WebP only. */
export async function checkUpload(file: File): Promise<CheckedUpload> {
  if (file.size === 0) throw new DomainError('file_empty');
  if (file.size > MAX_UPLOAD_BYTES) throw new DomainError('file_too_large');
  const bytes = Buffer.from(await file.arrayBuffer());
  if (bytes.length > MAX_UPLOAD_BYTES) throw new DomainError('file_too_large');
  const type = await fileTypeFromBuffer(bytes);
  const mimeType = ALLOWED_UPLOAD_TYPES.find((t) => t === type?.mime);
  if (!mimeType) throw new DomainError('file_type');
  return { bytes, mimeType, fileName: uploadFileName(file.name, type!.ext) };
}

/** Extensions a file's name may carry for another type: replaced, not kept in front of the right one. */
const FILE_EXTENSIONS = new Set(['pdf', 'jpg', 'jpeg', 'jpe', 'png', 'webp', 'gif', 'heic', 'heif', 'bmp', 'tif', 'tiff', 'doc', 'docx', 'xls', 'xlsx', 'txt']);
const NAME_MAX = 120;

/**
 * The name a download carries: the uploaded one without characters a file system refuses (or
 * that turn text around), at most 120 characters, ending in the extension of the type its bytes
 * are. A PNG sent as 户口本.pdf downloads as 户口本.png, which a phone opens; a long name is cut
 * before its extension, not through it. No dot begins the name (a phone or a Mac would hide the
 * file saved) or ends its stem (收入证明. is not saved as 收入证明..pdf).
 */
export function uploadFileName(name: string, ext: string): string {
  // Bidirectional controls go too: "evil\u202Egpj.exe" must not read as "evilexe.jpg".
  const clean = path
    .basename(name || '')
    .replace(/[\u0000-\u001f\\/:*?"<>|]/g, '_')
    .replace(/[\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
    .trim();
  const dot = clean.lastIndexOf('.');
  const given = dot >= 0 ? clean.slice(dot + 1).toLowerCase() : '';
  const same = given === ext || (ext === 'jpg' && (given === 'jpeg' || given === 'jpe'));
  const stem = (dot >= 0 && (same || FILE_EXTENSIONS.has(given)) ? clean.slice(0, dot) : clean).replace(/^[.\s]+|[.\s]+$/g, '') || 'file';
  const suffix = same ? clean.slice(dot) : `.${ext}`;
  return Array.from(stem).slice(0, NAME_MAX - suffix.length).join('') + suffix;
}

/** Writes the bytes under a fresh generated name, durably, and returns the name. */
export function storeFile(bytes: Buffer): string {
  mkdirSync(uploadDir(), { recursive: true, mode: 0o700 });
  const name = randomBytes(16).toString('hex');
  writeFileSync(storedFilePath(name), bytes, { mode: 0o600, flush: true });
  return name;
}

/**
 * Removes stored files by their generated names (after the rows that named them are gone).
 * A file already missing is logged and counted, never an error: the rows are what matter.
 */
export function removeStoredFiles(storedNames: readonly string[]): { filesRemoved: number; filesMissing: number } {
  let filesRemoved = 0;
  let filesMissing = 0;
  for (const name of storedNames) {
    try {
      unlinkSync(storedFilePath(name));
      filesRemoved++;
    } catch (e) {
      filesMissing++;
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') console.warn(`stored file ${name} was already gone`);
      else console.error(`could not remove stored file ${name}`, e);
    }
  }
  return { filesRemoved, filesMissing };
}
