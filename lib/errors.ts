/**
 * Errors the data layer throws on purpose. Server actions turn them into a short,
 * translated message (messages/<locale>/errors.json); none of them carries internals.
 */

/** The record does not exist, or the viewer may not see it: the two look the same. */
export class NotFoundError extends Error {
  readonly code = 'not_found';
  constructor() {
    super('not found');
    this.name = 'NotFoundError';
  }
}

/** The viewer can see the record but may not do this to it (an advisor editing facts, say). */
export class ForbiddenError extends Error {
  readonly code = 'forbidden';
  constructor() {
    super('forbidden');
    this.name = 'ForbiddenError';
  }
}

/** The record changed since the form was loaded: nothing was written. */
export class ConflictError extends Error {
  readonly code = 'conflict';
  constructor() {
    super('changed elsewhere');
    this.name = 'ConflictError';
  }
}

/**
 * A rule of the domain refused the write; `code` is a key in errors.json. `field` names the form
 * field the refusal is about (the form marks it there), and `values` fill the message's
 * placeholders: a key ending in `Fen` is an amount, one ending in `On` a day (app/_lib/action.ts
 * formats them in the reader's language). `hidden`: what the form carries from then on in place of
 * what it was drawn with (the stamp of a record changed elsewhere), so that sent again, it is saved.
 */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    readonly detail: { field?: string; values?: Record<string, string | number>; hidden?: Record<string, string> } = {},
  ) {
    super(code);
    this.name = 'DomainError';
  }
}
