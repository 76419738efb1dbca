/**
 * What a refused call threw, for a test to look at: the call must throw (or its promise reject),
 * and the test fails when it does not.
 */

/** What `fn` threw; fails the test when it threw nothing. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to throw');
}

/** What `promise` was rejected with; fails the test when it was fulfilled. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error('expected the call to be refused');
}
