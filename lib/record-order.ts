import { todayInShanghai } from './dates';
import { DomainError } from './errors';

/**
 * A record's day keeps its order with the record it answers. Each rule is refused by its db/ verb
 * (the authority) and said by the form beside its own errors (app/cases/[id]/actions.ts), from here.
 */

/** A request for materials dated before the application it is about (db/attempts.ts requestMaterials). */
export function requestBeforeApplication(requestedOn: string, submittedOn: string): DomainError | null {
  return requestedOn < submittedOn ? new DomainError('requested_before_submitted', { field: 'requestedOn' }) : null;
}

/** A promise's outcome dated before the contact that recorded the promise (db/contacts.ts recordPromiseOutcome). */
export function outcomeBeforeContact(on: string, contactAt: Date): DomainError | null {
  const contactOn = todayInShanghai(contactAt);
  return on < contactOn ? new DomainError('promise_outcome_before_contact', { field: 'on', values: { contactOn } }) : null;
}
