/**
 * The admission gate of the front server (scripts/server.mjs): at most `maxInflight` requests
 * inside Next at once; the others wait in arrival order (FIFO), up to `maxQueue` of them; past
 * that a request is refused (the server answers 503 with Retry-After).
 *
 * Why: Next starts rendering every request it is given at once. Under overload each render then
 * takes longer, all of them hold their memory for longer, and the server's memory grows with the
 * backlog (1.1 GB at 100 req/s offered to the dashboard). Waiting here costs a socket and a few
 * hundred bytes; a request inside Next costs its whole render.
 *
 * Pure: no timers, no I/O. `admit(start)` either calls `start(release)` now or keeps it for later;
 * `release` (idempotent) frees the place and starts the oldest waiting request. A waiting request
 * whose client went away is withdrawn with `ticket.cancel()` and is never started.
 */

export class Gate {
  #inflight = 0;
  /** Waiting entries in arrival order: a Set keeps insertion order and deletes in O(1). */
  #queue = new Set();

  /**
   * @param {{ maxInflight: number, maxQueue: number }} options
   */
  constructor({ maxInflight, maxQueue }) {
    if (!(Number.isInteger(maxInflight) && maxInflight >= 1)) throw new RangeError(`maxInflight must be a whole number ≥ 1, not ${maxInflight}`);
    if (!(Number.isInteger(maxQueue) && maxQueue >= 0)) throw new RangeError(`maxQueue must be a whole number ≥ 0, not ${maxQueue}`);
    this.maxInflight = maxInflight;
    this.maxQueue = maxQueue;
  }

  /** Requests started and not yet released. */
  get inflight() {
    return this.#inflight;
  }

  /** Requests waiting for a place. */
  get waiting() {
    return this.#queue.size;
  }

  /**
   * Asks for a place for one request.
   * - 'started': `start(release)` has been called (synchronously, before admit returns);
   * - 'waiting': it will be called when a place frees up, unless `cancel()` is called first;
   * - 'refused': the queue is full; `start` is never called.
   *
   * @param {(release: () => void) => void} start
   * @returns {{ state: 'started' | 'waiting' | 'refused', cancel: () => boolean }}
   */
  admit(start) {
    // Nobody overtakes a waiting request, even if a place is free for a moment.
    if (this.#inflight < this.maxInflight && this.#queue.size === 0) {
      this.#run(start);
      return { state: 'started', cancel: () => false };
    }
    if (this.#queue.size >= this.maxQueue) return { state: 'refused', cancel: () => false };
    const entry = { start };
    this.#queue.add(entry);
    // true when the entry was still waiting (and is now gone for good); false when it had started.
    return { state: 'waiting', cancel: () => this.#queue.delete(entry) };
  }

  #run(start) {
    this.#inflight += 1;
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      this.#inflight -= 1;
      this.#drain();
    };
    try {
      start(release);
    } catch (error) {
      release();
      throw error;
    }
  }

  #drain() {
    while (this.#inflight < this.maxInflight && this.#queue.size > 0) {
      const [entry] = this.#queue;
      this.#queue.delete(entry);
      try {
        this.#run(entry.start);
      } catch (error) {
        // One waiting request's failure to start must not strand the others behind it.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  }
}

/** The gate's size from the environment: RESPITE_MAX_INFLIGHT (default perCpu × CPUs) and RESPITE_MAX_QUEUE. */
export function gateOptions(env, cpus, { perCpu = 4, queue = 512 } = {}) {
  const whole = (name, fallback, min) => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new RangeError(`${name} must be a whole number ≥ ${min}, not ${JSON.stringify(raw)}`);
    return n;
  };
  return {
    maxInflight: whole('RESPITE_MAX_INFLIGHT', Math.max(1, perCpu * Math.max(1, cpus)), 1),
    maxQueue: whole('RESPITE_MAX_QUEUE', queue, 0),
  };
}
