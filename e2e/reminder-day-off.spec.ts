/**
 * A reminder's day, picked in its form, is said to be a day off when it is one: a weekend or a
 * public holiday by the mainland calendar (a 调休 Saturday is a workday, and says nothing). Said,
 * never refused: the reminder is saved for that day all the same.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator } from '@playwright/test';
import { isOffDayEstimated } from '../lib/off-days';
import { offDaysBetween } from '../lib/workdays';
import { addDays, createCase, openFold, signUp, submitButton, todayShanghai } from './helpers';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const form = {
  'zh-CN': JSON.parse(readFileSync(`${ROOT}messages/zh-CN/reminders.json`, 'utf8')).form,
  en: JSON.parse(readFileSync(`${ROOT}messages/en/reminders.json`, 'utf8')).form,
};

/** The first day from tomorrow on for which `pick` holds, within the year ahead. */
function firstDay(pick: (date: string, weekday: number) => boolean): string {
  const today = todayShanghai();
  for (let date = addDays(today, 1); date <= addDays(today, 360); date = addDays(date, 1)) {
    if (pick(date, new Date(`${date}T00:00:00Z`).getUTCDay())) return date;
  }
  throw new Error('no such day in the year ahead');
}

const year = offDaysBetween(todayShanghai(), addDays(todayShanghai(), 366));
const saturdayOff = firstDay((d, w) => w === 6 && !year.workdays.includes(d));
const weekdayOff = year.holidays.find((d) => d > todayShanghai());
const monday = firstDay((d, w) => w === 1 && !year.holidays.includes(d));
// In a year whose holiday schedule is not published (the data lags a year behind at its end), what is said is an estimate.
const estimatedSaturday = year.estimatedFrom ? firstDay((d, w) => w === 6 && d >= year.estimatedFrom! && !year.workdays.includes(d)) : null;

/** What the field says of a day off: an estimate in a year not published. */
function said(locale: 'zh-CN' | 'en', kind: 'offDayWeekend' | 'offDayHoliday', date: string): string {
  return isOffDayEstimated(date, year) ? form[locale].offDayEstimated.replace('{hint}', form[locale][kind]) : form[locale][kind];
}

/** The note a date field keeps beside it (FieldShell's block holds the field and the note). */
function noteOf(field: Locator): Locator {
  return field.locator('xpath=..').getByTestId('offday-note');
}

for (const locale of ['zh-CN', 'en'] as const) {
  test(`${locale}: the reminder form says when the day picked is a day off, and saves it all the same`, async ({ page }) => {
    await signUp(page, { locale });
    await createCase(page, { lender: '招联金融' });
    const reminderForm = (await openFold(page.getByTestId('add-reminder'))).getByTestId('reminder-form');
    const dueOn = reminderForm.locator('input[name="dueOn"]');
    const offDay = noteOf(dueOn);

    // A Monday that is a workday: nothing said, and the field points at nothing more.
    await dueOn.fill(monday);
    await expect(offDay).toBeEmpty();
    await expect(dueOn).not.toHaveAttribute('aria-describedby', /offday/);

    await dueOn.fill(saturdayOff);
    await expect(offDay).toHaveText(said(locale, 'offDayWeekend', saturdayOff));
    await expect(offDay).toHaveAttribute('data-kind', 'weekend');
    await expect(dueOn).toHaveAttribute('aria-describedby', /offday/);

    if (weekdayOff) {
      await dueOn.fill(weekdayOff);
      await expect(offDay).toHaveText(said(locale, 'offDayHoliday', weekdayOff));
    }
    if (estimatedSaturday) {
      await dueOn.fill(estimatedSaturday);
      await expect(offDay).toHaveText(form[locale].offDayEstimated.replace('{hint}', form[locale].offDayWeekend));
    }
    if (year.workdays[0]) {
      await dueOn.fill(year.workdays[0]);
      await expect(offDay).toBeEmpty();
    }

    // Only a word: the reminder is kept for the Saturday.
    await dueOn.fill(saturdayOff);
    await reminderForm.locator('input[name="title"]').fill(locale === 'en' ? 'Call the bank' : '打电话给银行');
    await submitButton(reminderForm).click();
    const saved = page.locator('[data-testid="reminder"][data-kind="custom"]');
    await expect(saved).toHaveCount(1);
    await expect(saved).toHaveAttribute('data-show-on', saturdayOff);
  });
}
