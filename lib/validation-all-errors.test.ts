/**
 * A form wrong in several ways is told all of them in one answer: a check across fields runs beside
 * the other refusals, not only once they are mended (the server's half of e2e/form-all-errors.spec.ts).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { contactSchema, newContactSchema, promiseOutcomeSchema } from './validation';

function errorsOf(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));
}

describe('contact form: the promise is checked beside a time in the future and an empty summary', () => {
  beforeEach(() => {
    // 09:00 on 9 Oct 2025 in Shanghai.
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2025-10-09T01:00:00.000Z'));
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const wrongEverywhere = { channel: 'phone', direction: 'outgoing', summary: '', promise: '回电', promiseDue: '2025-10-08', promiseWorkdays: '3' };

  it('a new contact later today: the time, the summary, the promised date and "one of the two", at once', () => {
    expect(errorsOf(newContactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-09T18:30' }))).toEqual({
      occurredAt: 'time_future',
      summary: 'required',
      promiseDue: 'promise_before_contact',
      promiseWorkdays: 'promise_date_or_workdays',
    });
  });

  it('a contact on a later day: the promised date is still checked against that day', () => {
    const r = newContactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-12T10:00', promiseDue: '2025-10-11', promiseWorkdays: '' });
    expect(errorsOf(r)).toEqual({ occurredAt: 'date_future', summary: 'required', promiseDue: 'promise_before_contact' });
    // The same day as the contact is no slip of the date.
    expect(errorsOf(newContactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-12T10:00', promiseDue: '2025-10-12', promiseWorkdays: '' }))).toEqual({
      occurredAt: 'date_future',
      summary: 'required',
    });
  });

  it('a date and workdays both typed are one too many even when the date itself is refused', () => {
    const r = newContactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-09T08:00', summary: '回电', promiseDue: '2025-02-30' });
    expect(errorsOf(r)).toEqual({ promiseDue: 'date_invalid', promiseWorkdays: 'promise_date_or_workdays' });
    // Either one alone is fine; a correction may carry both (its form shows the date workdays came to).
    expect(newContactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-09T08:00', summary: '回电', promiseDue: '' }).success).toBe(true);
    // Its workdays count in place of the date shown, which is not held to the contact's day.
    expect(errorsOf(contactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-09T18:30' }))).toEqual({
      occurredAt: 'time_future',
      summary: 'required',
    });
    expect(errorsOf(contactSchema.safeParse({ ...wrongEverywhere, occurredAt: '2025-10-09T18:30', promiseWorkdays: '' }))).toEqual({
      occurredAt: 'time_future',
      summary: 'required',
      promiseDue: 'promise_before_contact',
    });
  });

  it('a time in the future is still refused when nothing else is wrong', () => {
    const r = newContactSchema.safeParse({ channel: 'phone', direction: 'incoming', occurredAt: '2025-10-09T18:30', summary: '回电' });
    expect(r.success).toBe(false);
    expect(errorsOf(r)).toEqual({ occurredAt: 'time_future' });
  });

  it('who reached out, left unsaid on a new contact, is asked beside the other refusals', () => {
    const { direction: _, ...unsaid } = wrongEverywhere;
    expect(errorsOf(newContactSchema.safeParse({ ...unsaid, occurredAt: '2025-10-09T18:30' }))).toEqual({
      direction: 'required',
      occurredAt: 'time_future',
      summary: 'required',
      promiseDue: 'promise_before_contact',
      promiseWorkdays: 'promise_date_or_workdays',
    });
    // A correction of a contact recorded before it was asked may leave it unsaid.
    expect(errorsOf(contactSchema.safeParse({ ...unsaid, occurredAt: '2025-10-09T08:00', summary: '回电', promiseDue: '' }))).toEqual({});
  });
});

describe('promise outcome: no answer chosen', () => {
  it('asks for the answer and, beside it, for the day', () => {
    expect(errorsOf(promiseOutcomeSchema.safeParse({ on: '' }))).toEqual({ outcome: 'required', on: 'required' });
    expect(errorsOf(promiseOutcomeSchema.safeParse({ outcome: 'maybe', on: '' }))).toEqual({ outcome: 'required', on: 'required' });
    // A day typed, or refused for itself, asks for nothing more.
    expect(errorsOf(promiseOutcomeSchema.safeParse({ on: '2025-04-07' }))).toEqual({ outcome: 'required' });
    expect(errorsOf(promiseOutcomeSchema.safeParse({ on: '2025-02-30' }))).toEqual({ outcome: 'required', on: 'date_invalid' });
    // Back to awaited needs no day.
    expect(promiseOutcomeSchema.safeParse({ outcome: 'awaited', on: '' }).success).toBe(true);
  });
});
