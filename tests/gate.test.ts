import { describe, expect, it } from 'vitest';
import { Gate, gateOptions } from '../scripts/gate.mjs';

/** A request as the gate sees it: its ticket, and its release (which only exists once it started). */
function request(gate: Gate, name: string, log: string[]) {
  let release: (() => void) | null = null;
  const ticket = gate.admit((r) => {
    log.push(name);
    release = r;
  });
  return {
    ticket,
    release: () => {
      if (!release) throw new Error(`${name} has not started`);
      release();
    },
  };
}

describe('the admission gate', () => {
  it('starts requests at once up to the limit, then queues them', () => {
    const gate = new Gate({ maxInflight: 2, maxQueue: 10 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    const b = request(gate, 'b', log);
    const c = request(gate, 'c', log);
    expect([a.ticket.state, b.ticket.state, c.ticket.state]).toEqual(['started', 'started', 'waiting']);
    expect(log).toEqual(['a', 'b']);
    expect(gate.inflight).toBe(2);
    expect(gate.waiting).toBe(1);
  });

  it('hands a freed place to the oldest waiting request (FIFO)', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 10 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    const rest = ['b', 'c', 'd'].map((n) => request(gate, n, log));
    expect(log).toEqual(['a']);
    a.release();
    expect(log).toEqual(['a', 'b']);
    rest[0].release();
    rest[1].release();
    expect(log).toEqual(['a', 'b', 'c', 'd']);
    rest[2].release();
    expect(gate.inflight).toBe(0);
    expect(gate.waiting).toBe(0);
  });

  it('never starts a request that was cancelled while waiting, and it no longer counts against the queue', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 2 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    const b = request(gate, 'b', log);
    const c = request(gate, 'c', log);
    expect(request(gate, 'refused', log).ticket.state).toBe('refused');
    expect(b.ticket.cancel()).toBe(true);
    expect(gate.waiting).toBe(1);
    const d = request(gate, 'd', log);
    expect(d.ticket.state).toBe('waiting');
    a.release();
    expect(log).toEqual(['a', 'c']);
    c.release();
    expect(log).toEqual(['a', 'c', 'd']);
    // Cancelling after the start changes nothing.
    expect(d.ticket.cancel()).toBe(false);
    expect(gate.inflight).toBe(1);
  });

  it('refuses past the queue bound, and takes requests again once there is room', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 1 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    request(gate, 'b', log);
    const c = request(gate, 'c', log);
    expect(c.ticket.state).toBe('refused');
    a.release();
    expect(log).toEqual(['a', 'b']);
    expect(request(gate, 'e', log).ticket.state).toBe('waiting');
    expect(log).not.toContain('c');
  });

  it('counts a release once, however often it is called', () => {
    const gate = new Gate({ maxInflight: 2, maxQueue: 10 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    request(gate, 'b', log);
    request(gate, 'c', log);
    request(gate, 'd', log);
    a.release();
    a.release();
    a.release();
    expect(log).toEqual(['a', 'b', 'c']);
    expect(gate.inflight).toBe(2);
    expect(gate.waiting).toBe(1);
  });

  it('does not let a newcomer overtake a waiting request', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 10 });
    const log: string[] = [];
    // A release that starts the next one from inside its own start (a request answered at once).
    const a = request(gate, 'a', log);
    const b = request(gate, 'b', log);
    a.release();
    const c = request(gate, 'c', log);
    expect(c.ticket.state).toBe('waiting');
    expect(log).toEqual(['a', 'b']);
    b.release();
    expect(log).toEqual(['a', 'b', 'c']);
  });

  it('frees the place of a request whose start throws, and lets the next one in', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 10 });
    expect(() =>
      gate.admit(() => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(gate.inflight).toBe(0);
    const log: string[] = [];
    expect(request(gate, 'next', log).ticket.state).toBe('started');
  });

  it('a request answered synchronously inside its start releases and lets the queue move on', () => {
    const gate = new Gate({ maxInflight: 1, maxQueue: 10 });
    const log: string[] = [];
    const a = request(gate, 'a', log);
    gate.admit((release) => {
      log.push('quick');
      release();
    });
    const c = request(gate, 'c', log);
    a.release();
    expect(log).toEqual(['a', 'quick', 'c']);
    expect(gate.inflight).toBe(1);
    expect(c.ticket.state).toBe('waiting');
  });

  it('refuses sizes that make no sense', () => {
    expect(() => new Gate({ maxInflight: 0, maxQueue: 1 })).toThrow(RangeError);
    expect(() => new Gate({ maxInflight: 1.5, maxQueue: 1 })).toThrow(RangeError);
    expect(() => new Gate({ maxInflight: 1, maxQueue: -1 })).toThrow(RangeError);
  });
});

describe('the gate size from the environment', () => {
  it('defaults to 4 per CPU and a queue of 512', () => {
    expect(gateOptions({}, 2)).toEqual({ maxInflight: 8, maxQueue: 512 });
    expect(gateOptions({}, 1)).toEqual({ maxInflight: 4, maxQueue: 512 });
    expect(gateOptions({}, 0)).toEqual({ maxInflight: 4, maxQueue: 512 });
  });

  it('takes RESPITE_MAX_INFLIGHT and RESPITE_MAX_QUEUE, and refuses nonsense', () => {
    expect(gateOptions({ RESPITE_MAX_INFLIGHT: '1000', RESPITE_MAX_QUEUE: '0' }, 2)).toEqual({ maxInflight: 1000, maxQueue: 0 });
    expect(gateOptions({ RESPITE_MAX_INFLIGHT: '' }, 2).maxInflight).toBe(8);
    expect(() => gateOptions({ RESPITE_MAX_INFLIGHT: '0' }, 2)).toThrow(/RESPITE_MAX_INFLIGHT/);
    expect(() => gateOptions({ RESPITE_MAX_INFLIGHT: 'lots' }, 2)).toThrow(/RESPITE_MAX_INFLIGHT/);
    expect(() => gateOptions({ RESPITE_MAX_QUEUE: '-1' }, 2)).toThrow(/RESPITE_MAX_QUEUE/);
  });
});
