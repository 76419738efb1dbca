import { getTranslations } from 'next-intl/server';
import { MoneyField, SelectField, TextField } from '@/components/form/fields';
import type { Attempt } from '@/db/schema';
import { APPLICATION_PROGRAMS, LENDER_APPLICATION_CHANNELS } from '@/lib/domain';
import { fenToYuanInput } from '@/lib/money';
import { OptionalFields } from './optional-fields';

/**
 * An application's fields: the programme, the channel, the day, the lender's reference and the
 * terms proposed. Empty for a new round (the programme of the last one offered), or filled with what
 * was recorded, to correct it (`recorded`).
 */
export async function ApplicationFields({ today, program, recorded }: { today: string; program?: string; recorded?: Attempt }) {
  const t = await getTranslations('case.actions');
  const tc = await getTranslations('case');
  const d = await getTranslations('domain');
  const opts = (codes: readonly string[], ns: string) => codes.map((v) => ({ value: v, label: d(`${ns}.${v}` as string) }));
  const optional = (label: string) => tc('optionalLabel', { label });
  const proposed = !!recorded && !!(recorded.proposedPeriods || recorded.proposedMonthlyFen || recorded.proposedFirstPaymentOn || recorded.proposedWaivedFen);
  return (
    <>
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField
          name="program"
          label={t('program')}
          required
          placeholder={tc('choose')}
          defaultValue={recorded?.program ?? program}
          options={opts(APPLICATION_PROGRAMS, 'program')}
        />
        <SelectField name="channel" label={t('channel')} required placeholder={tc('choose')} defaultValue={recorded?.channel} options={opts(LENDER_APPLICATION_CHANNELS, 'channel')} />
        <TextField name="submittedOn" type="date" label={t('submittedOn')} required defaultValue={recorded?.submittedOn ?? today} />
        <TextField name="lenderRef" label={optional(t('lenderRef'))} maxLength={60} autoComplete="off" defaultValue={recorded?.lenderRef ?? undefined} />
      </div>
      <OptionalFields summary={t('proposedTitle')} names={['proposedPeriods', 'proposedMonthly', 'proposedFirstPaymentOn', 'proposedWaived']} defaultOpen={proposed}>
        <TextField name="proposedPeriods" label={t('proposedPeriods')} inputMode="numeric" defaultValue={recorded?.proposedPeriods ?? undefined} />
        <MoneyField name="proposedMonthly" label={t('proposedMonthly')} defaultValue={fenToYuanInput(recorded?.proposedMonthlyFen)} />
        <TextField name="proposedFirstPaymentOn" type="date" label={t('proposedFirstPaymentOn')} defaultValue={recorded?.proposedFirstPaymentOn ?? undefined} />
        <MoneyField name="proposedWaived" label={t('proposedWaived')} defaultValue={fenToYuanInput(recorded?.proposedWaivedFen)} />
      </OptionalFields>
    </>
  );
}
