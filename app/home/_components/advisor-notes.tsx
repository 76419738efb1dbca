import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { DateTimeText } from '@/components/ui/format';
import { ADVISOR_NOTES_DAYS, type AdvisorNote } from '@/db/notes';
import { caseLabel } from '@/lib/case-label';

/**
 * 顾问的留言: the latest notes advisors wrote on the borrower's cases, so that advice is read
 * without opening every case; each leads to its case's timeline, where the whole record is.
 * Shown only when there is one; says so when the days hold more than are listed.
 */
export async function AdvisorNotes({ notes, more }: { notes: AdvisorNote[]; more: boolean }) {
  if (notes.length === 0) return null;
  const t = await getTranslations('home.advisorNotes');
  const td = await getTranslations('home.due');
  return (
    <section aria-labelledby="home-advisor-notes-h" className="grid gap-3" data-testid="home-advisor-notes">
      <div className="grid gap-0.5">
        <h2 id="home-advisor-notes-h" className="text-lg font-semibold">
          {t('title')}
        </h2>
        <p className="text-sm text-stone-600">{t('hint', { days: ADVISOR_NOTES_DAYS })}</p>
      </div>
      <ul className="grid gap-2">
        {notes.map((n) => (
          <li key={n.id} className="grid gap-1 rounded-md border border-violet-200 bg-violet-50/40 p-3" data-testid="home-advisor-note" data-case-id={n.caseId}>
            <p className="flex flex-wrap items-baseline gap-x-2 text-sm text-stone-600">
              <span className="font-medium text-violet-900 wrap-anywhere" data-testid="home-advisor-note-author">
                {n.advisorName ?? t('someone')}
              </span>
              <DateTimeText instant={n.createdAt} />
            </p>
            <p className="line-clamp-4 text-base wrap-anywhere whitespace-pre-line text-stone-900" data-testid="home-advisor-note-text">
              {n.text}
            </p>
            <p className="text-sm">
              <Link
                href={`/cases/${n.caseId}#timeline`}
                className="inline-flex min-h-10 items-center text-teal-800 underline underline-offset-2 hover:text-teal-900"
                data-testid="home-advisor-note-case"
              >
                {caseLabel(td, n)}
              </Link>
            </p>
          </li>
        ))}
      </ul>
      {more && (
        <p className="text-sm text-stone-600" data-testid="home-advisor-notes-more">
          {t('more', { shown: notes.length })}
        </p>
      )}
    </section>
  );
}
