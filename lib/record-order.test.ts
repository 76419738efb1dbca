import { describe, expect, it } from 'vitest';
import { outcomeBeforeContact, requestBeforeApplication } from './record-order';

describe('requestBeforeApplication', () => {
  it('refuses a request dated before the application, at its field, and takes the same day', () => {
    expect(requestBeforeApplication('2025-05-09', '2025-05-10')).toMatchObject({ code: 'requested_before_submitted', detail: { field: 'requestedOn' } });
    expect(requestBeforeApplication('2025-05-10', '2025-05-10')).toBeNull();
  });
});

describe('outcomeBeforeContact', () => {
  it("compares with the contact's day in Shanghai, and names it", () => {
    // 23:30 UTC on 9 May is 07:30 on 10 May in Shanghai.
    const at = new Date('2025-05-09T23:30:00Z');
    expect(outcomeBeforeContact('2025-05-09', at)).toMatchObject({
      code: 'promise_outcome_before_contact',
      detail: { field: 'on', values: { contactOn: '2025-05-10' } },
    });
    expect(outcomeBeforeContact('2025-05-10', at)).toBeNull();
  });
});
