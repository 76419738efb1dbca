import { existsSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DomainError, NotFoundError } from '@/lib/errors';
import { documentSchema } from '@/lib/validation';
import {
  advanceCase,
  escalateInput,
  fileOf,
  jpegBytes,
  makeAdvisor,
  makeBorrower,
  makeCase,
  pdfBytes,
  pngBytes,
  publicLender,
  rejectInput,
  snapshotCases,
  storedFiles,
  submitInput,
  versionOf,
  webpBytes,
} from '@/tests/factories';
import { rejection, thrown } from '@/tests/thrown';
import { escalateCase, rejectAttempt, submitAttempt, undoAttempt } from './attempts';
import { getCaseDetail } from './cases';
import {
  addDocument,
  addSuggestedDocuments,
  attachDocumentFile,
  deleteDocument,
  getDocumentFile,
  isSensitiveDocument,
  setDocumentStatus,
  suggestChecklist,
} from './documents';
import { storedFilePath, uploadDir } from './files';
import { createPrivateLender } from './lenders';
import { acceptInvite, createInvite, listAccessLog } from './shares';
import type { Viewer } from './viewer-type';

const docsOf = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).documents;
const docOf = (owner: Viewer, caseId: number, id: number) => docsOf(owner, caseId).find((d) => d.id === id)!;
const eventKinds = (owner: Viewer, caseId: number) => getCaseDetail(owner, caseId).events.map((e) => e.kind);

describe('addDocument', () => {
  it('adds a needed document to the checklist and records it', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'payslip', note: '三月工资单' });
    expect(docsOf(owner, caseId)).toEqual([
      expect.objectContaining({ id, caseId, kind: 'payslip', note: '三月工资单', status: 'needed', attemptId: null, storedName: null }),
    ]);
    expect(getCaseDetail(owner, caseId).events.at(-1)).toMatchObject({ kind: 'document_added', data: { kind: 'payslip' } });
  });

  it('adds one document when the same form is submitted twice', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const key = 'doc-form-key-000000001';
    const first = addDocument(owner, caseId, { kind: 'other', note: '' }, key);
    expect(addDocument(owner, caseId, { kind: 'other', note: '' }, key)).toBe(first);
    expect(docsOf(owner, caseId).map((d) => d.id)).toEqual([first]);
  });
});

describe('what the lender gives back', () => {
  it('keeps the agreement or approval notice and the settlement certificate on the checklist, neither sensitive', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    for (const kind of ['agreement', 'settlement_certificate'] as const) {
      // The add-document form takes the kind …
      expect(documentSchema.safeParse({ kind, note: '' }).success, kind).toBe(true);
      const id = addDocument(owner, caseId, { kind, note: '' });
      expect(docOf(owner, caseId, id), kind).toMatchObject({ kind, status: 'needed' });
      // … and an advisor opens it without the separate consent health and bank details need.
      expect(isSensitiveDocument(docOf(owner, caseId, id)), kind).toBe(false);
    }
  });
});

describe('the suggested checklist', () => {
  it("comes from the lender's documents, then the latest attempt's program, without repeats", () => {
    const owner = makeBorrower();
    const lender = publicLender(owner, 'platform');
    // What this test relies on in the seeded directory.
    expect(lender.documents).toContain('hardship_letter');
    expect(lender.documents).toContain('income_proof');
    expect(lender.documents).not.toContain('bank_statement');
    expect(lender.documents).not.toContain('payslip');
    expect(lender.documents).not.toContain('id_card');
    const caseId = makeCase(owner, { lenderId: lender.id });

    // No attempt yet: the lender's list.
    expect(suggestChecklist(owner, caseId)).toEqual(lender.documents);

    // What is already on the checklist is not suggested again.
    addDocument(owner, caseId, { kind: 'hardship_letter', note: '' });
    expect(suggestChecklist(owner, caseId)).toEqual(lender.documents.filter((k) => k !== 'hardship_letter'));
    expect(addSuggestedDocuments(owner, caseId)).toBe(lender.documents.length - 1);
    expect(docsOf(owner, caseId).map((d) => d.kind)).toEqual(['hardship_letter', ...lender.documents.filter((k) => k !== 'hardship_letter')]);
    expect(docsOf(owner, caseId).every((d) => d.status === 'needed')).toBe(true);
    expect(getCaseDetail(owner, caseId).events.at(-1)).toMatchObject({ kind: 'checklist_added' });

    // Twice adds nothing.
    const before = snapshotCases([caseId]);
    expect(suggestChecklist(owner, caseId)).toEqual([]);
    expect(addSuggestedDocuments(owner, caseId)).toBe(0);
    expect(snapshotCases([caseId])).toEqual(before);

    // Applying for 停息挂账 also asks for bank statements and payslips (银行流水、工资单).
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ program: 'suspension' }));
    expect(suggestChecklist(owner, caseId)).toEqual(['bank_statement', 'payslip']);
    expect(addSuggestedDocuments(owner, caseId)).toBe(2);

    // After a rejection and an escalation to mediation, the latest round's program counts.
    rejectAttempt(owner, caseId, versionOf(caseId), rejectInput());
    escalateCase(owner, caseId, versionOf(caseId), escalateInput({ route: 'mediation' }));
    expect(suggestChecklist(owner, caseId)).toEqual(['id_card']);
    addSuggestedDocuments(owner, caseId);

    const kinds = docsOf(owner, caseId).map((d) => d.kind);
    expect(new Set(kinds).size).toBe(kinds.length);
    expect(kinds).toContain('id_card');
    expect(kinds).toContain('bank_statement');
    expect(kinds).toContain('payslip');
  });

  it('before any application, takes the program the borrower means to apply for', () => {
    const owner = makeBorrower();
    const lender = publicLender(owner, 'platform');
    const caseId = makeCase(owner, { lenderId: lender.id });
    expect(lender.documents).not.toContain('payslip');
    expect(suggestChecklist(owner, caseId, 'suspension')).toEqual([...lender.documents, 'bank_statement', 'payslip']);
    expect(suggestChecklist(owner, caseId, 'penalty_waiver')).toEqual(lender.documents);
    // Nothing is kept of the program: the suggestion without one is the lender's list, as before.
    expect(suggestChecklist(owner, caseId)).toEqual(lender.documents);
    expect(addSuggestedDocuments(owner, caseId, 'instalments')).toBe(lender.documents.length + 2);
    expect(docsOf(owner, caseId).map((d) => d.kind)).toEqual([...lender.documents, 'bank_statement', 'payslip']);
    expect(getCaseDetail(owner, caseId).events.at(-1)).toMatchObject({ kind: 'checklist_added', data: { kinds: [...lender.documents, 'bank_statement', 'payslip'], program: 'instalments' } });
    const before = snapshotCases([caseId]);
    expect(addSuggestedDocuments(owner, caseId, 'suspension')).toBe(0);
    expect(snapshotCases([caseId])).toEqual(before);
    // Not someone else's case, for any program.
    expect(() => addSuggestedDocuments(makeBorrower(), caseId, 'mediation')).toThrow(NotFoundError);
    expect(snapshotCases([caseId])).toEqual(before);
  });

  it('is empty for a private lender with no known documents and no attempt', () => {
    const owner = makeBorrower();
    const lender = createPrivateLender(owner, { name: '某小贷公司', kind: 'platform', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    const caseId = makeCase(owner, { lenderId: lender.id });
    const before = snapshotCases([caseId]);
    expect(suggestChecklist(owner, caseId)).toEqual([]);
    expect(addSuggestedDocuments(owner, caseId)).toBe(0);
    expect(snapshotCases([caseId])).toEqual(before);
  });
});

describe('setDocumentStatus', () => {
  it('changes the status and records from and to; the same status writes nothing', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, caseId, id, 'ready');
    expect(docOf(owner, caseId, id).status).toBe('ready');
    expect(getCaseDetail(owner, caseId).events.at(-1)).toMatchObject({
      kind: 'document_status',
      data: { kind: 'income_proof', from: 'needed', to: 'ready' },
    });
    const before = snapshotCases([caseId]);
    setDocumentStatus(owner, caseId, id, 'ready');
    expect(snapshotCases([caseId])).toEqual(before);
  });

  it('refuses a change made from a status shown before the document moved on (a file made it ready), and changes nothing', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    // The form was shown while the document was needed; a file then made it ready.
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), '收入证明.pdf'));
    expect(docOf(owner, caseId, id).status).toBe('ready');
    const before = snapshotCases([caseId]);
    const refused = thrown(() => setDocumentStatus(owner, caseId, id, 'needed', 'needed'));
    expect(refused).toBeInstanceOf(DomainError);
    // The form is given the status as it is now, to be sent again once the reader has decided.
    expect(refused).toMatchObject({ code: 'document_status_changed', detail: { hidden: { from: 'ready' } } });
    expect(snapshotCases([caseId])).toEqual(before);
    // Shown as it is now, or asking for what it already is: as usual.
    setDocumentStatus(owner, caseId, id, 'ready', 'needed');
    expect(snapshotCases([caseId])).toEqual(before);
    setDocumentStatus(owner, caseId, id, 'submitted', 'ready');
    expect(docOf(owner, caseId, id).status).toBe('submitted');
  });

  it('refuses a document that is not on this case', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const otherCase = makeCase(owner);
    const elsewhere = addDocument(owner, otherCase, { kind: 'income_proof', note: '' });
    expect(() => setDocumentStatus(owner, caseId, elsewhere, 'ready')).toThrow(NotFoundError);
    expect(docOf(owner, otherCase, elsewhere).status).toBe('needed');
  });
});

describe('attachDocumentFile', () => {
  const accepted: [string, () => Buffer, string, string, string][] = [
    ['a PNG', pngBytes, 'scan.png', 'image/png', 'scan.png'],
    ['a PDF', pdfBytes, '收入证明.pdf', 'application/pdf', '收入证明.pdf'],
    ['a JPEG', jpegBytes, 'photo.jpg', 'image/jpeg', 'photo.jpg'],
    ['a WebP', webpBytes, 'photo.webp', 'image/webp', 'photo.webp'],
    // The type comes from the bytes, not from the name or what the browser claims; the name's
    // extension follows the type, so that the download opens.
    ['a PNG named .pdf', pngBytes, 'statement.pdf', 'image/png', 'statement.png'],
  ];

  it.each(accepted)('stores %s under a generated name and makes the document ready', async (_label, bytes, uploaded, mime, name) => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    const filesBefore = storedFiles();

    await attachDocumentFile(owner, caseId, id, fileOf(bytes(), uploaded, 'application/pdf'));

    const doc = docOf(owner, caseId, id);
    expect(doc).toMatchObject({ status: 'ready', fileName: name, mimeType: mime, sizeBytes: bytes().length });
    expect(doc.storedName).toMatch(/^[0-9a-f]{32}$/);
    const added = storedFiles().filter((f) => !filesBefore.includes(f));
    expect(added).toEqual([doc.storedName]);
    expect(readFileSync(path.join(uploadDir(), doc.storedName!))).toEqual(bytes());
    expect(path.resolve(uploadDir())).toBe(path.resolve(process.env.UPLOAD_DIR!));
    expect(getCaseDetail(owner, caseId).events.at(-1)).toMatchObject({ kind: 'document_uploaded', data: { kind: 'income_proof', fileName: name } });
  });

  it('keeps only the base name of the uploaded file', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'id_card', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), '../../etc/passwd.png'));
    const doc = docOf(owner, caseId, id);
    expect(doc.fileName).toBe('passwd.png');
    expect(existsSync(storedFilePath(doc.storedName!))).toBe(true);
  });

  it('leaves a submitted document submitted', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, caseId, id, 'submitted');
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'a.pdf'));
    expect(docOf(owner, caseId, id).status).toBe('submitted');
  });

  it('makes a document the lender sent back ready again: the new file is to be sent', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'old.pdf'));
    setDocumentStatus(owner, caseId, id, 'rejected');
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'new.pdf'));
    expect(docOf(owner, caseId, id)).toMatchObject({ status: 'ready', fileName: 'new.pdf' });
  });

  it.each(['submitted', 'accepted'] as const)('keeps the file of a document %s: the record of what was sent is not replaced', async (status) => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'sent.pdf'));
    setDocumentStatus(owner, caseId, id, status);
    const before = snapshotCases([caseId]);
    const files = storedFiles();
    await expect(attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), 'other.png'))).rejects.toMatchObject({ code: 'document_file_sent', detail: { field: 'file' } });
    expect(snapshotCases([caseId])).toEqual(before);
    expect(storedFiles()).toEqual(files);
    expect(readFileSync(storedFilePath(docOf(owner, caseId, id).storedName!))).toEqual(pdfBytes());
  });

  const elevenMegabytes = () => {
    const b = Buffer.alloc(11 * 1024 * 1024);
    pngBytes().copy(b); // a real image header: refused for its size, not its type
    return b;
  };
  const refused: [string, () => Buffer | string, string, string, string][] = [
    ['a text file named x.pdf', () => 'this is not a PDF at all\n', 'x.pdf', 'application/pdf', 'file_type'],
    [
      'an SVG',
      () => '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"><script>alert(1)</script></svg>',
      'image.svg',
      'image/svg+xml',
      'file_type',
    ],
    ['an HTML page', () => '<!DOCTYPE html><html><body><script>alert(1)</script></body></html>', 'proof.html', 'text/html', 'file_type'],
    ['HTML named .png', () => '<html><body>hi</body></html>', 'proof.png', 'image/png', 'file_type'],
    ['a GIF', () => Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64'), 'a.gif', 'image/gif', 'file_type'],
    ['a ZIP', () => Buffer.from('504b0506000000000000000000000000000000000000', 'hex'), 'a.zip', 'application/zip', 'file_type'],
    ['an empty file', () => Buffer.alloc(0), 'empty.pdf', 'application/pdf', 'file_empty'],
    ['an 11 MB file', elevenMegabytes, 'big.png', 'image/png', 'file_too_large'],
  ];

  it.each(refused)('refuses %s (%s) and stores nothing', async (_label, bytes, name, type, code) => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    const rowsBefore = snapshotCases([caseId]);
    const filesBefore = storedFiles();

    const e = await rejection(attachDocumentFile(owner, caseId, id, fileOf(bytes(), name, type)));

    expect(e).toBeInstanceOf(DomainError);
    expect((e as DomainError).code).toBe(code);
    expect(storedFiles()).toEqual(filesBefore);
    expect(snapshotCases([caseId])).toEqual(rowsBefore);
  });

  it('replacing the file removes the old stored file', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), 'first.png'));
    const first = docOf(owner, caseId, id).storedName!;
    expect(existsSync(storedFilePath(first))).toBe(true);

    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'second.pdf'));
    const doc = docOf(owner, caseId, id);
    expect(doc).toMatchObject({ fileName: 'second.pdf', mimeType: 'application/pdf', status: 'ready' });
    expect(doc.storedName).not.toBe(first);
    expect(existsSync(storedFilePath(first))).toBe(false);
    expect(readFileSync(storedFilePath(doc.storedName!))).toEqual(pdfBytes());
  });

  it('a refused replacement keeps the old file', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), 'first.png'));
    const before = docOf(owner, caseId, id);
    const e = await rejection(attachDocumentFile(owner, caseId, id, fileOf('not an image', 'second.png')));
    expect(e).toBeInstanceOf(DomainError);
    expect(docOf(owner, caseId, id)).toEqual(before);
    expect(readFileSync(storedFilePath(before.storedName!))).toEqual(pngBytes());
  });

  it('refuses a form drawn before a file was put on the document elsewhere, and keeps that file', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    // The laptop's page was drawn with no file; the phone uploads one meanwhile.
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), 'phone.png'), '');
    const phone = docOf(owner, caseId, id);
    const files = storedFiles();
    await expect(attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'laptop.pdf'), '')).rejects.toMatchObject({
      code: 'document_file_changed',
      detail: { field: 'file' },
    });
    expect(docOf(owner, caseId, id)).toEqual(phone);
    expect(storedFiles()).toEqual(files);
    expect(readFileSync(storedFilePath(phone.storedName!))).toEqual(pngBytes());
    // Drawn with that file (the page reloaded), replacing it is a choice, and it is made.
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'laptop.pdf'), phone.storedName!);
    expect(docOf(owner, caseId, id).fileName).toBe('laptop.pdf');
    expect(existsSync(storedFilePath(phone.storedName!))).toBe(false);
  });
});

describe('deleteDocument', () => {
  it('refuses a form drawn before the document had its file, and deletes nothing', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'proof.pdf'));
    const doc = docOf(owner, caseId, id);
    const before = snapshotCases([caseId]);
    expect(() => deleteDocument(owner, caseId, id, '')).toThrow(expect.objectContaining({ code: 'document_file_changed' }));
    expect(snapshotCases([caseId])).toEqual(before);
    expect(existsSync(storedFilePath(doc.storedName!))).toBe(true);
    deleteDocument(owner, caseId, id, doc.storedName!);
    expect(existsSync(storedFilePath(doc.storedName!))).toBe(false);
  });

  it('removes the row and its stored file, and records it', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'bank_statement', note: '' });
    const kept = addDocument(owner, caseId, { kind: 'payslip', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pdfBytes(), 'statement.pdf'));
    await attachDocumentFile(owner, caseId, kept, fileOf(pngBytes(), 'payslip.png'));
    const storedName = docOf(owner, caseId, id).storedName!;
    const keptName = docOf(owner, caseId, kept).storedName!;

    deleteDocument(owner, caseId, id);

    expect(docsOf(owner, caseId).map((d) => d.id)).toEqual([kept]);
    expect(existsSync(storedFilePath(storedName))).toBe(false);
    expect(existsSync(storedFilePath(keptName))).toBe(true);
    expect(eventKinds(owner, caseId).at(-1)).toBe('document_deleted');
    // Which one went: its file's name, and that it was sensitive (a bank statement), for the timeline to hide it without consent.
    expect(getCaseDetail(owner, caseId).events.at(-1)!.data).toEqual({ kind: 'bank_statement', fileName: 'statement.pdf', sensitive: true });
    expect(() => deleteDocument(owner, caseId, id)).toThrow(NotFoundError);
  });

  it('names a document without a file by its note, and one with neither by its kind alone', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const noted = addDocument(owner, caseId, { kind: 'other', note: '社区出具的困难证明' });
    const bare = addDocument(owner, caseId, { kind: 'other', note: '' });
    deleteDocument(owner, caseId, noted);
    expect(getCaseDetail(owner, caseId).events.at(-1)!.data).toEqual({ kind: 'other', note: '社区出具的困难证明' });
    deleteDocument(owner, caseId, bare);
    expect(getCaseDetail(owner, caseId).events.at(-1)!.data).toEqual({ kind: 'other' });
  });
});

describe('getDocumentFile', () => {
  it("gives the stored file's path to the owner, and to nobody else", async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'medical_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(jpegBytes(), '诊断书.jpg'));
    const file = getDocumentFile(owner, id);
    expect(file).toEqual({
      path: storedFilePath(docOf(owner, caseId, id).storedName!),
      fileName: '诊断书.jpg',
      mimeType: 'image/jpeg',
      size: jpegBytes().length,
    });
    expect(path.dirname(file.path)).toBe(uploadDir());
    expect(readFileSync(file.path)).toEqual(jpegBytes());

    expect(() => getDocumentFile(makeBorrower(), id)).toThrow(NotFoundError);
  });

  it('is not found for a document without a file, or one that does not exist', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'other', note: '' });
    expect(() => getDocumentFile(owner, id)).toThrow(NotFoundError);
    expect(() => getDocumentFile(owner, 2_000_000_000)).toThrow(NotFoundError);
  });

  it('is not found for a file gone from the disk, and an advisor asking for it is not logged as having downloaded it', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(owner, '').code);
    const id = addDocument(owner, caseId, { kind: 'payslip', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), '工资单.png'));
    expect(getDocumentFile(advisor, id).size).toBe(pngBytes().length);
    expect(listAccessLog(owner).map((l) => l.action)).toEqual(['download_document']);

    rmSync(storedFilePath(docOf(owner, caseId, id).storedName!));
    expect(() => getDocumentFile(advisor, id)).toThrow(NotFoundError);
    expect(() => getDocumentFile(owner, id)).toThrow(NotFoundError);
    expect(listAccessLog(owner).map((l) => l.action)).toEqual(['download_document']);
  });
});

describe('documents and submissions', () => {
  it('a document made ready by its file goes with the next application', async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const id = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    await attachDocumentFile(owner, caseId, id, fileOf(pngBytes(), 'p.png'));
    advanceCase(owner, caseId, 'under_review');
    const d = getCaseDetail(owner, caseId);
    expect(d.documents[0]).toMatchObject({ status: 'submitted', attemptId: d.currentAttempt!.id });
  });

  it('a status set by hand moves the round it went with: back to needed, none; submitted by hand, the round awaiting a decision, undone with it', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const income = addDocument(owner, caseId, { kind: 'income_proof', note: '' });
    setDocumentStatus(owner, caseId, income, 'ready');
    submitAttempt(owner, caseId, versionOf(caseId), submitInput(), [income]);
    const round = getCaseDetail(owner, caseId).currentAttempt!.id;
    const docOn = (id: number) => getCaseDetail(owner, caseId).documents.find((d) => d.id === id)!;
    expect(docOn(income)).toMatchObject({ status: 'submitted', attemptId: round });
    // Set back by hand: it went with no round (the page no longer says "sent with round 1").
    setDocumentStatus(owner, caseId, income, 'needed');
    expect(docOn(income)).toMatchObject({ status: 'needed', attemptId: null });

    // Marked submitted by hand while the lender reviews: it went with this round…
    const payslip = addDocument(owner, caseId, { kind: 'payslip', note: '' });
    setDocumentStatus(owner, caseId, payslip, 'submitted');
    expect(docOn(payslip)).toMatchObject({ status: 'submitted', attemptId: round });
    // …so undoing the round makes it ready again, as the documents sent with the application.
    undoAttempt(owner, caseId, versionOf(caseId));
    expect(docOn(payslip)).toMatchObject({ status: 'ready', attemptId: null });

    // With no round awaiting a decision (preparing), submitted by hand goes with none.
    setDocumentStatus(owner, caseId, payslip, 'submitted');
    expect(docOn(payslip)).toMatchObject({ status: 'submitted', attemptId: null });
  });
});
