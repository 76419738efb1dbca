import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import { ActionForm } from '@/components/form/action-form';
import { TextField } from '@/components/form/fields';
import { listAccessLog, listSharesForBorrower } from '@/db/shares';
import { requireViewer } from '@/db/viewer';
import { newFormKey } from '@/lib/form-key';
import { createInviteAction } from './actions';
import { AccessLog } from './_components/access-log';
import { InviteResult } from './_components/invite-result';
import { ShareList } from './_components/share-list';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('sharing'))('title') };
}

const card = 'grid min-w-0 gap-3 rounded-lg border border-stone-200 bg-white p-4 sm:p-6';

/**
 * 分享与授权: what an advisor sees and does not, an invitation code shown once, who has access
 * (revoke, sensitive-document consent), and the log of everything advisors did.
 */
export default async function SharingPage({ searchParams }: { searchParams: Promise<{ log?: string | string[] }> }) {
  const viewer = await requireViewer();
  const t = await getTranslations('sharing');

  if (viewer.role !== 'borrower') {
    return (
      <div className="mx-auto grid max-w-2xl gap-4" data-testid="sharing-not-borrower">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <div className={card}>
          <p className="text-stone-700">{t('notBorrower')}</p>
          {viewer.role === 'advisor' && (
            <>
              <p className="text-stone-700">{t('notBorrowerAdvisor')}</p>
              <div>
                <Link
                  href="/share/accept"
                  className="inline-flex min-h-10 items-center rounded-md bg-teal-700 px-4 py-2 text-sm font-medium text-white hover:bg-teal-800"
                >
                  {t('goAccept')}
                </Link>
              </div>
            </>
          )}
        </div>
      </div>
    );
  }

  // One instant for the list's order and for what each row shows (waiting or expired).
  const now = new Date();
  const shares = listSharesForBorrower(viewer, now);
  // ?log=<id>: the access log's older entries, after that one.
  const logParam = (await searchParams).log;
  const before = typeof logParam === 'string' && /^[1-9]\d{0,14}$/.test(logParam) ? Number(logParam) : undefined;
  const log = listAccessLog(viewer, { before });

  return (
    <div className="grid gap-6" data-testid="sharing-page">
      <div className="grid gap-2">
        <h1 className="text-2xl font-semibold">{t('title')}</h1>
        <p className="max-w-3xl text-stone-700">{t('intro')}</p>
      </div>

      <section className={card} aria-label={t('see.title')} data-testid="sharing-explained">
        <div className="grid gap-4 sm:grid-cols-2">
          <div className="grid content-start gap-2">
            <h2 className="font-medium text-emerald-900">{t('see.title')}</h2>
            <ul className="grid list-disc gap-1 pl-5 text-sm text-stone-700 marker:text-emerald-600">
              <li>{t('see.cases')}</li>
              <li>{t('see.documents')}</li>
              <li>{t('see.add')}</li>
            </ul>
          </div>
          <div className="grid content-start gap-2">
            <h2 className="font-medium text-red-900">{t('notSee.title')}</h2>
            <ul className="grid list-disc gap-1 pl-5 text-sm text-stone-700 marker:text-red-500">
              <li>{t('notSee.sensitive')}</li>
              <li>{t('notSee.account')}</li>
              <li>{t('notSee.change')}</li>
            </ul>
          </div>
        </div>
        <p className="text-sm text-stone-600">{t('logNote')}</p>
        <div role="note" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950" data-testid="agent-warning">
          <p className="font-medium">{t('warningTitle')}</p>
          <p>{t('warning')}</p>
        </div>
      </section>

      <section className={card} aria-labelledby="invite-h">
        <h2 id="invite-h" className="text-lg font-semibold">
          {t('invite.title')}
        </h2>
        <p className="text-sm text-stone-600">{t('invite.hint')}</p>
        <ActionForm
          action={createInviteAction}
          hidden={{ formKey: newFormKey() }}
          submitLabel={t('invite.submit')}
          pendingLabel={t('invite.pending')}
          testId="invite-form"
        >
          <TextField
            name="label"
            label={t('invite.label')}
            placeholder={t('invite.labelPlaceholder')}
            hint={t('invite.labelHint')}
            maxLength={100}
          />
          <InviteResult
            labels={{
              created: t('invite.created'),
              code: t('invite.code'),
              link: t('invite.link'),
              copyCode: t('invite.copyCode'),
              copy: t('invite.copy'),
              copied: t('invite.copied'),
              copyFailed: t('invite.copyFailed'),
              howTo: t('invite.howTo'),
            }}
          />
        </ActionForm>
      </section>

      <ShareList shares={shares} now={now} />
      <AccessLog rows={log} older={before !== undefined} />
    </div>
  );
}
