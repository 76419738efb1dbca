import { getLocale, getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { FileField, SelectField, TextField } from '@/components/form/fields';
import type { CaseDetail } from '@/db/cases';
import { isSensitiveDocument } from '@/db/documents';
import { formatBytes } from '@/lib/bytes';
import { programDocuments } from '@/lib/checklist';
import {
  APPLICATION_PROGRAMS,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  FILE_KEPT_STATUSES,
  MAX_UPLOAD_BYTES,
  SENSITIVE_DOCUMENT_KINDS,
  type DocumentKind,
  type DocumentStatus,
} from '@/lib/domain';
import { newFormKey } from '@/lib/form-key';
import {
  addDocumentAction,
  addSuggestedDocumentsAction,
  deleteDocumentAction,
  setDocumentSensitiveAction,
  setDocumentStatusAction,
  uploadDocumentFileAction,
} from '../actions';
import { FileSizeGuard } from './file-size-guard';
import type { CaseView } from '@/lib/folds';
import { LazyFold } from './lazy-fold';
import { DeleteForm, secondaryButton, Section } from './parts';

const STATUS_TONE: Record<DocumentStatus, string> = {
  needed: 'bg-amber-50 text-amber-900 ring-amber-300',
  ready: 'bg-sky-50 text-sky-800 ring-sky-300',
  submitted: 'bg-violet-50 text-violet-800 ring-violet-300',
  accepted: 'bg-emerald-50 text-emerald-800 ring-emerald-300',
  rejected: 'bg-red-50 text-red-800 ring-red-300',
};

const ACCEPT = '.pdf,.jpg,.jpeg,.png,.webp,application/pdf,image/jpeg,image/png,image/webp';

/** The checklist: what is suggested, what is listed, each one's status and file. */
export async function DocumentsSection({
  detail,
  suggested,
  canWrite,
  view,
}: {
  detail: CaseDetail;
  suggested: DocumentKind[];
  canWrite: boolean;
  view: CaseView;
}) {
  const t = await getTranslations('case.documents');
  const tc = await getTranslations('case');
  const ta = await getTranslations('case.actions');
  const te = await getTranslations('errors');
  const d = await getTranslations('domain');
  const ts = await getTranslations('sharing.caseView');
  const caseId = detail.case.id;
  // An advisor opens a sensitive document only with the borrower's separate consent.
  const mayOpen = (doc: CaseDetail['documents'][number]) => detail.access.sensitiveConsent || !isSensitiveDocument(doc);
  const small = 'flex flex-wrap items-end gap-2';
  const rounds = new Map(detail.attempts.map((a) => [a.id, a.round]));
  // Before any application the program is not known yet, and what it adds to the lender's list is
  // what the borrower is gathering now: each program's extra documents, each a click away.
  const listed = new Set<DocumentKind>([...detail.documents.map((doc) => doc.kind), ...suggested]);
  const noProgramYet = detail.attempts.length === 0;
  const offered =
    canWrite && detail.case.status === 'preparing' && noProgramYet
      ? APPLICATION_PROGRAMS.map((program) => ({ program, extra: programDocuments(program).filter((k) => !listed.has(k)) })).filter((p) => p.extra.length > 0)
      : [];
  const list = offered.length > 0 ? new Intl.ListFormat(await getLocale(), { type: 'conjunction', style: 'narrow' }) : null;
  const byProgram = list ? offered.map(({ program, extra }) => ({ program, documents: list.format(extra.map((k) => d(`documentKind.${k}`))) })) : [];

  return (
    <Section title={t('title')} id="documents" testId="documents">
      {canWrite && suggested.length > 0 && (
        <div className="grid gap-2 rounded-md bg-teal-50 p-3" data-testid="suggested-documents">
          <p className="text-sm text-stone-800">{t(noProgramYet ? 'suggestedTitleLender' : 'suggestedTitle')}</p>
          <ul className="flex flex-wrap gap-1.5">
            {suggested.map((k) => (
              <li key={k} className="rounded-full bg-white px-2 py-0.5 text-xs text-teal-900 ring-1 ring-teal-200" data-kind={k}>
                {d(`documentKind.${k}`)}
              </li>
            ))}
          </ul>
          <ActionForm
            action={addSuggestedDocumentsAction}
            hidden={{ caseId }}
            submitLabel={t('addSuggested')}
            pendingLabel={ta('pending')}
            testId="add-suggested"
          />
        </div>
      )}
      {byProgram.length > 0 && (
        <div className="grid gap-2 rounded-md border border-teal-200 p-3" data-testid="program-documents">
          <p className="text-sm text-stone-800">{t('byProgramTitle')}</p>
          <ul className="grid gap-2">
            {byProgram.map(({ program, documents }) => (
              // A group named by its line: its button says only "add these", and is heard with the program.
              // The group is inside the item: a list's children stay list items to a screen reader.
              <li key={program} data-program={program}>
                <div role="group" aria-labelledby={`program-documents-${program}`} className="flex flex-wrap items-center justify-between gap-x-3 gap-y-1">
                  <span className="text-sm text-stone-800" id={`program-documents-${program}`}>
                    <span className="font-medium">{d(`program.${program}`)}</span>
                    {t('byProgramAlso', { documents })}
                  </span>
                  <ActionForm
                    action={addSuggestedDocumentsAction}
                    hidden={{ caseId, program }}
                    submitLabel={t('byProgramAdd')}
                    pendingLabel={ta('pending')}
                    testId="add-program-documents"
                    submitClassName="inline-flex min-h-10 items-center rounded-md px-2 py-1 text-sm font-medium text-teal-800 ring-1 ring-teal-300 hover:bg-teal-50 sm:min-h-0"
                  />
                </div>
              </li>
            ))}
          </ul>
        </div>
      )}
      {detail.documents.length === 0 ? (
        <p className="text-sm text-stone-600">{t('empty')}</p>
      ) : (
        <ul className="grid gap-2">
          {detail.documents.map((doc) => (
            <li
              key={doc.id}
              className="grid gap-1.5 rounded-md border border-stone-200 p-3"
              data-testid="document"
              data-kind={doc.kind}
              data-status={doc.status}
              data-document-id={doc.id}
              data-sensitive={isSensitiveDocument(doc) ? '1' : '0'}
            >
              <div className="flex flex-wrap items-center justify-between gap-2">
                <span className="flex flex-wrap items-center gap-2">
                  <span className="font-medium" id={`document-${doc.id}-name`}>
                    {d(`documentKind.${doc.kind}`)}
                  </span>
                  {isSensitiveDocument(doc) && (
                    <span className="rounded-full bg-violet-50 px-2 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-violet-300 ring-inset" data-testid="document-sensitive-badge">
                      {ts('sensitiveBadge')}
                    </span>
                  )}
                </span>
                <span className={`rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_TONE[doc.status]}`} data-testid="document-status">
                  {d(`documentStatus.${doc.status}`)}
                </span>
              </div>
              {doc.note && mayOpen(doc) && <p className="text-sm whitespace-pre-line wrap-anywhere text-stone-700">{doc.note}</p>}
              {/* Set back to needed or ready, it went with no round (a row saved before that was kept says nothing either). */}
              {doc.attemptId && rounds.has(doc.attemptId) && doc.status !== 'needed' && doc.status !== 'ready' && (
                <p className="text-xs text-stone-500" data-testid="document-sent-with">
                  {t('sentWith', { round: rounds.get(doc.attemptId)! })}
                </p>
              )}
              {doc.storedName && !mayOpen(doc) ? (
                <p className="rounded-md bg-violet-50 px-2 py-1.5 text-sm text-violet-900" data-testid="document-locked">
                  {ts('sensitiveLocked')}
                </p>
              ) : doc.storedName ? (
                <p className="flex flex-wrap items-center gap-x-2 text-sm">
                  <a
                    href={`/documents/${doc.id}`}
                    // The file comes as an attachment either way. An advisor's link to a sensitive
                    // document is followed rather than downloaded: should the borrower withdraw their
                    // consent while this page is open, the refusal is a page that says why, not a
                    // failed download.
                    download={detail.access.isOwner || !isSensitiveDocument(doc) || undefined}
                    className="inline-flex min-h-10 max-w-full items-center font-medium break-all text-teal-700 underline"
                    data-testid="document-download"
                  >
                    {t('downloadFile', { name: doc.fileName ?? '' })}
                  </a>
                  <span className="text-xs text-stone-500" data-testid="document-size">{formatBytes(doc.sizeBytes ?? 0)}</span>
                </p>
              ) : (
                <p className="text-xs text-stone-500">{t('noFile')}</p>
              )}
              {canWrite && (
                <LazyFold
                  name={`doc-${doc.id}`}
                  summary={t('manage')}
                  tone="quiet"
                  testId="document-manage"
                  describedBy={`document-${doc.id}-name`}
                  open={view.isOpen(`doc-${doc.id}`)}
                  href={view.openHref(`doc-${doc.id}`)}
                >
                  {view.isOpen(`doc-${doc.id}`) && (
                  <>
                    {SENSITIVE_DOCUMENT_KINDS.includes(doc.kind) ? (
                      <p className="text-sm text-stone-600" data-testid="document-sensitive-fixed">
                        {ts('sensitiveFixed')} {ts('sensitiveHint')}
                      </p>
                    ) : (
                      <ActionForm
                        action={setDocumentSensitiveAction}
                        hidden={{ caseId, documentId: doc.id, sensitive: doc.sensitive ? '0' : '1' }}
                        submitLabel={doc.sensitive ? ts('unmarkSensitive') : ts('markSensitive')}
                        pendingLabel={ts('pending')}
                        className="grid gap-2"
                        submitClassName={secondaryButton}
                        testId="document-sensitive-form"
                      >
                        <p className="text-sm text-stone-600">{ts('sensitiveHint')}</p>
                      </ActionForm>
                    )}
                    <ActionForm
                      action={setDocumentStatusAction}
                      hidden={{ caseId, documentId: doc.id, from: doc.status }}
                      submitLabel={t('saveStatus')}
                      pendingLabel={ta('pending')}
                      className={small}
                      submitClassName={secondaryButton}
                      testId="document-status-form"
                    >
                      <SelectField
                        // Made again when the status changes (a file uploaded makes it ready): it shows the status now.
                        key={doc.status}
                        name="status"
                        label={t('status')}
                        defaultValue={doc.status}
                        options={DOCUMENT_STATUSES.map((s) => ({ value: s, label: d(`documentStatus.${s}`) }))}
                        className="grid min-w-40 flex-1 gap-1"
                      />
                    </ActionForm>
                    {doc.storedName && FILE_KEPT_STATUSES.has(doc.status) ? (
                      <p className="text-sm text-stone-600" data-testid="document-file-kept">
                        {t('fileKept')}
                      </p>
                    ) : (
                      <ActionForm
                        action={uploadDocumentFileAction}
                        hidden={{ caseId, documentId: doc.id, shownFile: doc.storedName ?? '' }}
                        submitLabel={t('upload')}
                        pendingLabel={t('uploading')}
                        submitClassName={secondaryButton}
                        testId="document-upload-form"
                      >
                        <FileSizeGuard maxBytes={MAX_UPLOAD_BYTES} message={te('file_too_large')}>
                          <FileField name="file" label={doc.storedName ? t('replaceFile') : t('file')} hint={t('fileHint')} accept={ACCEPT} />
                        </FileSizeGuard>
                      </ActionForm>
                    )}
                    <DeleteForm
                      action={deleteDocumentAction}
                      hidden={{ caseId, documentId: doc.id, shownFile: doc.storedName ?? '' }}
                      label={t('delete')}
                      question={t('deleteQuestion')}
                      testId="document-delete-form"
                    />
                  </>
                  )}
                </LazyFold>
              )}
            </li>
          ))}
        </ul>
      )}
      {canWrite && (
        <LazyFold name="document" summary={t('addOne')} testId="add-document" open={view.isOpen('document')} href={view.openHref('document')}>
          {view.isOpen('document') && (
            <ActionForm
              action={addDocumentAction}
              hidden={{ caseId, formKey: newFormKey() }}
              submitLabel={t('add')}
              pendingLabel={ta('pending')}
              testId="add-document-form"
            >
              <SelectField
                name="kind"
                label={t('kind')}
                required
                placeholder={tc('choose')}
                options={DOCUMENT_KINDS.map((k) => ({ value: k, label: d(`documentKind.${k}`) }))}
              />
              <TextField name="note" label={tc('optionalLabel', { label: t('note') })} placeholder={t('notePlaceholder')} maxLength={500} />
            </ActionForm>
          )}
        </LazyFold>
      )}
      <p className="text-sm text-stone-500">{t('hint')}</p>
    </Section>
  );
}
