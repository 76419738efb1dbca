import { and, desc, eq, sql } from 'drizzle-orm';
import { rmSync, statSync } from 'node:fs';
import { canTransition } from '@/lib/case-status';
import { suggestedDocuments } from '@/lib/checklist';
import { FILE_KEPT_STATUSES, SENSITIVE_DOCUMENT_KINDS, type DocumentKind, type DocumentStatus, type Program } from '@/lib/domain';
import { DomainError, ForbiddenError, NotFoundError } from '@/lib/errors';
import { activeShare, assertCanReadCase, assertCanWriteCase, caseReadableByRole } from './access';
import { getDb, type DB } from './client';
import { recordEvent } from './events';
import { checkUpload, storedFilePath, storeFile } from './files';
import { once } from './idempotency';
import { prepared } from './prepared';
import { logAdvisorAccess } from './shares';
import { attempts, cases, documents, lenders, type CaseDocument } from './schema';
import type { Viewer } from './viewer-type';

function documentOnCase(tx: Pick<DB, 'select'>, caseId: number, documentId: number): CaseDocument {
  const doc = tx
    .select()
    .from(documents)
    .where(and(eq(documents.id, documentId), eq(documents.caseId, caseId)))
    .get();
  if (!doc) throw new NotFoundError();
  return doc;
}

/** Adds a document to the case's checklist (status: needed). */
export function addDocument(viewer: Viewer, caseId: number, input: { kind: DocumentKind; note: string }, formKey?: string): number {
  return getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
    return once(tx, viewer, formKey, () => {
      const row = tx.insert(documents).values({ caseId, kind: input.kind, note: input.note }).returning({ id: documents.id }).get();
      recordEvent(tx, caseId, viewer.id, 'document_added', { kind: input.kind });
      return row.id;
    }).id;
  });
}

/**
 * The checklist suggested from the lender and the program of the latest attempt (or `program`, one the
 * borrower means to apply for, in its place), minus what is already listed.
 * One prepared statement (issue 6: every case page asks), scoped like every read: a case the
 * viewer may not read gives no row, and NotFoundError. Its row is read bare (`values`), its two
 * JSON lists parsed here: drizzle then adds little to what better-sqlite3 does but fill the values
 * in (the floor alone, on the everyday data of 1 December: 1.05–1.11× raw read bare, 1.23–1.25× read
 * as an object; 1.31× in that day's runs with the lender's list decoded by drizzle).
 */
export function suggestChecklist(viewer: Viewer, caseId: number, program?: Program): DocumentKind[] {
  const role = viewer.role === 'advisor' ? 'advisor' : 'borrower';
  const [row] = prepared(getDb(), `documents.suggest.${role}`, (db) =>
    db
      .select({
        // As stored (JSON text), parsed below with the case's own list.
        lenderDocuments: sql<string>`${lenders.documents}`,
        program: sql<Program | null>`(select ${attempts.program} from ${attempts} where ${attempts.caseId} = ${cases.id}
          order by ${attempts.round} desc limit 1)`,
        have: sql<string>`(select json_group_array(${documents.kind}) from ${documents} where ${documents.caseId} = ${cases.id})`,
      })
      .from(cases)
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(and(eq(cases.id, sql.placeholder('caseId')), caseReadableByRole(role, sql.placeholder('viewerId'))))
      .prepare(),
  ).values({ caseId, viewerId: viewer.id }) as [string, Program | null, string][];
  if (!row) throw new NotFoundError();
  const [lenderDocuments, latestProgram, listed] = row;
  const have = new Set(JSON.parse(listed) as DocumentKind[]);
  return suggestedDocuments(JSON.parse(lenderDocuments) as DocumentKind[], program ?? latestProgram).filter((k) => !have.has(k));
}

/**
 * Adds every suggested document not yet on the checklist: for `program` when one is named (the
 * program the borrower means to apply for, before any application), else the latest round's.
 */
export function addSuggestedDocuments(viewer: Viewer, caseId: number, program?: Program): number {
  // Write access first: with nothing left to suggest, an advisor must still be refused, not told "0 added".
  assertCanWriteCase(getDb(), viewer, caseId);
  const kinds = suggestChecklist(viewer, caseId, program);
  if (kinds.length === 0) return 0;
  getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
    tx.insert(documents)
      .values(kinds.map((kind) => ({ caseId, kind })))
      .run();
    recordEvent(tx, caseId, viewer.id, 'checklist_added', { kinds, ...(program ? { program } : {}) });
  });
  return kinds.length;
}

/**
 * A document's status set by hand. `from` is the status the form showed: when the document has
 * moved on since (a file uploaded made it ready), the change is refused rather than undoing that.
 * The round a document went with follows: set back to needed or ready, it went with none; marked
 * submitted while a round awaits the lender's decision, it went with that one (so that undoing the
 * round makes it ready again, as the documents sent with the application).
 */
export function setDocumentStatus(viewer: Viewer, caseId: number, documentId: number, status: DocumentStatus, from?: DocumentStatus): void {
  getDb().transaction((tx) => {
    const current = assertCanWriteCase(tx, viewer, caseId);
    const doc = documentOnCase(tx, caseId, documentId);
    // The form says which status it was shown with: one left open while a file made the document
    // ready (or another tab changed it) does not put the old status back. The form then carries
    // the status as it is now: sent again, once the reader has decided, the change is made.
    if (from !== undefined && doc.status !== from && doc.status !== status) throw new DomainError('document_status_changed', { hidden: { from: doc.status } });
    if (doc.status === status) return;
    let attemptId = doc.attemptId;
    if (status === 'needed' || status === 'ready') attemptId = null;
    // A round the lender may still decide (lib/case-status.ts): the case's latest, undecided.
    else if (status === 'submitted' && attemptId === null && canTransition(current.status, 'approve')) {
      const round = tx.select({ id: attempts.id, decision: attempts.decision }).from(attempts).where(eq(attempts.caseId, caseId)).orderBy(desc(attempts.round)).get();
      if (round && round.decision === null) attemptId = round.id;
    }
    tx.update(documents).set({ status, attemptId, updatedAt: new Date() }).where(eq(documents.id, documentId)).run();
    recordEvent(tx, caseId, viewer.id, 'document_status', { kind: doc.kind, from: doc.status, to: status });
  });
}

/**
 * `shown` is the file the form was drawn with (its stored name; '' for none). A form left open
 * while another tab or device put a file on the document, or replaced it, would otherwise replace
 * or delete that file for good without a word: the write is refused instead. Left out, not checked.
 */
function assertFileAsShown(doc: Pick<CaseDocument, 'storedName'>, shown: string | undefined, field?: string): void {
  if (shown !== undefined && (doc.storedName ?? '') !== shown) throw new DomainError('document_file_changed', field ? { field } : {});
}

/**
 * Stores a file for a document: type checked from its bytes, written under a generated name,
 * the old file (if any) removed once the new one is recorded. A file makes a needed document
 * ready, and one the lender sent back ready again. The file of a document sent to the lender (or
 * accepted by it) is the record of what was sent: it is not replaced (a new file is another document).
 * `shown`: see assertFileAsShown.
 */
export async function attachDocumentFile(viewer: Viewer, caseId: number, documentId: number, file: File, shown?: string): Promise<void> {
  // Check access before reading the upload, so an outsider learns nothing and nothing is stored.
  const db = getDb();
  assertCanWriteCase(db, viewer, caseId);
  documentOnCase(db, caseId, documentId);
  const upload = await checkUpload(file);
  const storedName = storeFile(upload.bytes);
  let previous: string | null = null;
  try {
    db.transaction((tx) => {
      assertCanWriteCase(tx, viewer, caseId);
      const doc = documentOnCase(tx, caseId, documentId);
      if (doc.storedName && FILE_KEPT_STATUSES.has(doc.status)) throw new DomainError('document_file_sent', { field: 'file' });
      assertFileAsShown(doc, shown, 'file');
      previous = doc.storedName;
      tx.update(documents)
        .set({
          fileName: upload.fileName,
          storedName,
          mimeType: upload.mimeType,
          sizeBytes: upload.bytes.length,
          status: doc.status === 'needed' || doc.status === 'rejected' ? 'ready' : doc.status,
          updatedAt: new Date(),
        })
        .where(eq(documents.id, documentId))
        .run();
      recordEvent(tx, caseId, viewer.id, 'document_uploaded', { kind: doc.kind, fileName: upload.fileName });
    });
  } catch (e) {
    rmSync(storedFilePath(storedName), { force: true });
    throw e;
  }
  if (previous) rmSync(storedFilePath(previous), { force: true });
}

/** Deletes a document and its file. `shown`: see assertFileAsShown (a file put on it meanwhile is not deleted unseen). */
export function deleteDocument(viewer: Viewer, caseId: number, documentId: number, shown?: string): void {
  const stored = getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
    const doc = documentOnCase(tx, caseId, documentId);
    assertFileAsShown(doc, shown);
    tx.delete(documents).where(eq(documents.id, documentId)).run();
    // Which one went, where a checklist holds several of a kind: its file's name, else its note.
    recordEvent(tx, caseId, viewer.id, 'document_deleted', {
      kind: doc.kind,
      ...(doc.fileName ? { fileName: doc.fileName } : doc.note ? { note: doc.note } : {}),
      ...(isSensitiveDocument(doc) ? { sensitive: true } : {}),
    });
    return doc.storedName;
  });
  if (stored) rmSync(storedFilePath(stored), { force: true });
}

/** Sensitive by its kind (medical proof, bank statements) or because the borrower marked it. */
export function isSensitiveDocument(doc: Pick<CaseDocument, 'kind' | 'sensitive'>): boolean {
  return doc.sensitive || SENSITIVE_DOCUMENT_KINDS.includes(doc.kind);
}

/**
 * Where a document's file is, and its size on disk, for whoever may read the case; else
 * NotFoundError (a file gone from the disk too). An advisor opens a sensitive document only with
 * the borrower's separate consent (ForbiddenError without it), and every file an advisor opens is
 * in the borrower's access log: one that is not there to open is not logged.
 */
export function getDocumentFile(viewer: Viewer, documentId: number) {
  const db = getDb();
  const doc = db.select().from(documents).where(eq(documents.id, documentId)).get();
  if (!doc || !doc.storedName) throw new NotFoundError();
  const c = assertCanReadCase(db, viewer, doc.caseId);
  if (c.ownerId !== viewer.id) {
    const share = activeShare(db, viewer.id, c.ownerId);
    if (!share) throw new NotFoundError();
    if (isSensitiveDocument(doc) && !share.sensitiveConsentAt) throw new ForbiddenError();
  }
  const filePath = storedFilePath(doc.storedName);
  let size: number;
  try {
    size = statSync(filePath).size;
  } catch {
    throw new NotFoundError();
  }
  if (c.ownerId !== viewer.id) logAdvisorAccess(db, viewer.id, c.ownerId, 'download_document', c.id, doc.kind);
  return { path: filePath, fileName: doc.fileName ?? 'file', mimeType: doc.mimeType ?? 'application/octet-stream', size };
}

/** The borrower marks a document sensitive (or not): an advisor then needs separate consent to open it. */
export function setDocumentSensitive(viewer: Viewer, caseId: number, documentId: number, sensitive: boolean): void {
  getDb().transaction((tx) => {
    assertCanWriteCase(tx, viewer, caseId);
    const doc = documentOnCase(tx, caseId, documentId);
    if (doc.sensitive === sensitive) return;
    tx.update(documents).set({ sensitive, updatedAt: new Date() }).where(eq(documents.id, documentId)).run();
    recordEvent(tx, caseId, viewer.id, 'document_sensitive', { kind: doc.kind, sensitive });
  });
}
