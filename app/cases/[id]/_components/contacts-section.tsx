import { getLocale, getTranslations } from 'next-intl/server';
import { ActionForm } from '@/components/form/action-form';
import { RadioGroup, SelectField, TextArea, TextField } from '@/components/form/fields';
import type { CaseDetail } from '@/db/cases';
import { contactStamp } from '@/db/contacts';
import { formatDate, todayInShanghai, toShanghaiLocalInput } from '@/lib/dates';
import { CONTACT_CHANNELS, CONTACT_DIRECTIONS } from '@/lib/domain';
import { newFormKey } from '@/lib/form-key';
import { telHref } from '@/lib/phone';
import { addContactAction, correctContactAction, deleteContactAction, recordPromiseOutcomeAction } from '../actions';
import type { CaseView } from '@/lib/folds';
import { LazyFold } from './lazy-fold';
import { DateTimeIn, DeleteForm, Section } from './parts';
import { ShowAllLink } from './show-all-link';

type Contact = CaseDetail['contacts'][number];

/** The contact's fields: empty for a new one, filled with what was recorded for a correction. */
async function ContactFields({ recorded }: { recorded?: Contact }) {
  const t = await getTranslations('case.contacts');
  const tc = await getTranslations('case');
  const d = await getTranslations('domain');
  const optional = (label: string) => tc('optionalLabel', { label });
  return (
    <>
      {/* A correction of a contact recorded before this was asked starts with neither chosen, and may leave it so. */}
      <RadioGroup
        name="direction"
        label={t('direction')}
        required={!recorded || recorded.direction !== null}
        defaultValue={recorded ? (recorded.direction ?? undefined) : 'outgoing'}
        options={CONTACT_DIRECTIONS.map((v) => ({ value: v, label: t(`directionOption.${v}`) }))}
      />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-1">
        <SelectField
          name="channel"
          label={t('channel')}
          required
          defaultValue={recorded?.channel ?? 'phone'}
          options={CONTACT_CHANNELS.map((c) => ({ value: c, label: d(`contactChannel.${c}`) }))}
        />
        <TextField name="occurredAt" type="datetime-local" label={t('occurredAt')} required defaultValue={toShanghaiLocalInput(recorded?.occurredAt ?? new Date())} />
      </div>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-1">
        <TextField name="agentId" label={optional(t('agentId'))} maxLength={40} autoComplete="off" defaultValue={recorded?.agentId} />
        <TextField
          name="theirNumber"
          label={optional(t('theirNumber'))}
          placeholder={t('theirNumberPlaceholder')}
          maxLength={40}
          autoComplete="off"
          defaultValue={recorded?.theirNumber}
        />
      </div>
      <TextArea name="summary" label={t('summary')} required rows={3} maxLength={2000} defaultValue={recorded?.summary} />
      <TextField name="promise" label={optional(t('promise'))} hint={t('promiseHint')} placeholder={t('promisePlaceholder')} maxLength={500} defaultValue={recorded?.promise} />
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-1">
        <TextField name="promiseDue" type="date" label={optional(t('promiseDue'))} defaultValue={recorded?.promiseDue} />
        <TextField
          name="promiseWorkdays"
          type="number"
          inputMode="numeric"
          label={optional(t('promiseWorkdays'))}
          hint={t(recorded ? 'promiseWorkdaysCorrectHint' : 'promiseWorkdaysHint')}
          placeholder="3"
        />
      </div>
    </>
  );
}

/**
 * A promise's outcome and the form to note it: kept, broken (for a complaint's evidence), or back to
 * awaited.
 */
async function PromiseOutcome({ contact, caseId, version, canWrite, view }: { contact: Contact; caseId: number; version: number; canWrite: boolean; view: CaseView }) {
  const t = await getTranslations('case.contacts');
  const ta = await getTranslations('case.actions');
  const locale = await getLocale();
  const fold = `promise-${contact.id}`;
  const open = view.isOpen(fold);
  const outcome = contact.promiseOutcome;
  const on = contact.promiseOutcomeOn ? formatDate(contact.promiseOutcomeOn, locale) : '';
  return (
    <div className="grid gap-1.5">
      <p
        className={`text-sm font-medium ${outcome === 'kept' ? 'text-emerald-800' : outcome === 'broken' ? 'text-red-700' : 'text-stone-700'}`}
        data-testid="contact-promise-outcome"
        data-outcome={outcome ?? 'awaited'}
      >
        {outcome === 'kept' ? t('outcomeKept', { date: on }) : outcome === 'broken' ? t('outcomeBroken', { date: on }) : t('outcomeAwaited')}
      </p>
      {canWrite && (
        <LazyFold name={fold} summary={outcome ? t('outcomeChange') : t('outcomeRecord')} open={open} href={view.openHref(fold)} testId="promise-outcome" tone="quiet" describedBy={`contact-${contact.id}-name`}>
          {open && (
            <ActionForm
              action={recordPromiseOutcomeAction}
              hidden={{ caseId, version, contactId: contact.id }}
              submitLabel={t('outcomeSave')}
              pendingLabel={ta('pending')}
              testId="promise-outcome-form"
            >
              <p className="text-sm text-stone-600">{t('outcomeHint')}</p>
              <RadioGroup
                name="outcome"
                label={t('outcome')}
                required
                defaultValue={outcome === 'kept' ? 'broken' : 'kept'}
                options={[
                  { value: 'kept', label: t('outcomeOptionKept') },
                  { value: 'broken', label: t('outcomeOptionBroken') },
                  ...(outcome ? [{ value: 'awaited', label: t('outcomeOptionAwaited') }] : []),
                ]}
              />
              <TextField name="on" type="date" label={t('outcomeOn')} hint={t('outcomeOnHint')} defaultValue={contact.promiseOutcomeOn ?? todayInShanghai()} />
            </ActionForm>
          )}
        </LazyFold>
      )}
    </div>
  );
}

/** Contacts shown before "show all": the latest ones are what the next call builds on. */
const CONTACTS_SHOWN = 10;

/** Every call, chat or visit, newest first, with what the lender promised and by when. */
export async function ContactsSection({ detail, canWrite, view }: { detail: CaseDetail; canWrite: boolean; view: CaseView }) {
  const t = await getTranslations('case.contacts');
  const ta = await getTranslations('case.actions');
  const d = await getTranslations('domain');
  const locale = await getLocale();
  const caseId = detail.case.id;
  const formOpen = view.isOpen('contact');
  const all = view.showsAll('contacts');
  const shown = all ? detail.contacts : detail.contacts.slice(0, CONTACTS_SHOWN);

  return (
    <Section title={t('title')} id="contacts" testId="contacts">
      {canWrite && (
        <LazyFold name="contact" summary={t('add')} hint={formOpen ? t('hint') : undefined} testId="add-contact" open={formOpen} href={view.openHref('contact')}>
          {formOpen && (
            <ActionForm
              action={addContactAction}
              hidden={{ caseId, formKey: newFormKey() }}
              submitLabel={t('save')}
              pendingLabel={ta('pending')}
              testId="contact-form"
            >
              <ContactFields />
            </ActionForm>
          )}
        </LazyFold>
      )}
      {detail.contacts.length === 0 ? (
        <p className="text-sm text-stone-600">{t('empty')}</p>
      ) : (
        <ul className="grid gap-2">
          {shown.map((contact) => (
            <li key={contact.id} className="grid gap-1.5 rounded-md border border-stone-200 p-3" data-testid="contact">
              <p className="flex flex-wrap gap-x-2 text-xs text-stone-600" id={`contact-${contact.id}-name`}>
                <span className="font-medium text-stone-800">{d(`contactChannel.${contact.channel}`)}</span>
                {contact.direction && (
                  <span data-testid="contact-direction" data-direction={contact.direction}>
                    {d(`contactDirection.${contact.direction}`)}
                  </span>
                )}
                <DateTimeIn instant={contact.occurredAt} locale={locale} />
                {contact.agentId && <span data-testid="contact-agent">{t('agent', { id: contact.agentId })}</span>}
                {contact.theirNumber && <TheirNumber number={contact.theirNumber} label={t('number', { number: contact.theirNumber })} />}
              </p>
              <p className="text-sm whitespace-pre-line wrap-anywhere">{contact.summary}</p>
              {contact.promise && (
                <p className="rounded-md bg-amber-50 px-2 py-1 text-sm wrap-anywhere text-amber-900" data-testid="contact-promise">
                  {contact.promiseDue
                    ? t('promiseLineDue', { promise: contact.promise, date: formatDate(contact.promiseDue, locale) })
                    : t('promiseLine', { promise: contact.promise })}
                </p>
              )}
              {contact.promise && <PromiseOutcome contact={contact} caseId={caseId} version={detail.case.version} canWrite={canWrite} view={view} />}
              {canWrite && (
                <LazyFold
                  name={`fix-contact-${contact.id}`}
                  summary={t('correct')}
                  open={view.isOpen(`fix-contact-${contact.id}`)}
                  href={view.openHref(`fix-contact-${contact.id}`)}
                  testId="correct-contact"
                  tone="quiet"
                  describedBy={`contact-${contact.id}-name`}
                >
                  {view.isOpen(`fix-contact-${contact.id}`) && (
                    <ActionForm
                      action={correctContactAction}
                      hidden={{ caseId, version: detail.case.version, contactId: contact.id }}
                      submitLabel={t('correctSubmit')}
                      pendingLabel={ta('pending')}
                      testId="correct-contact-form"
                    >
                      <p className="text-sm text-stone-600">{t('correctHint')}</p>
                      <ContactFields recorded={contact} />
                    </ActionForm>
                  )}
                </LazyFold>
              )}
              {canWrite && (
                <DeleteForm
                  action={deleteContactAction}
                  hidden={{ caseId, contactId: contact.id, stamp: contactStamp(contact) }}
                  label={t('delete')}
                  question={t('deleteQuestion')}
                  testId="contact-delete-form"
                  className="grid justify-items-start gap-2"
                  describedBy={`contact-${contact.id}-name`}
                />
              )}
            </li>
          ))}
        </ul>
      )}
      {detail.contacts.length > CONTACTS_SHOWN && (
        <ShowAllLink href={view.allHref('contacts', !all)} shorten={all} testId="contacts-show-all" from={CONTACTS_SHOWN}>
          {all ? t('showLatest', { count: CONTACTS_SHOWN }) : t('showAll', { count: detail.contacts.length })}
        </ShowAllLink>
      )}
    </Section>
  );
}

/** The number noted for a contact; one that dials is a link, so a phone calls it back with a tap. */
function TheirNumber({ number, label }: { number: string; label: string }) {
  const href = telHref(number);
  return (
    <span className="wrap-anywhere" data-testid="contact-number">
      {href ? (
        <a href={href} className="inline-flex min-h-6 items-center font-medium text-teal-800 underline">
          {label}
        </a>
      ) : (
        label
      )}
    </span>
  );
}
