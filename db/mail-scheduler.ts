/**
 * The reminder scheduler: runs systemMailTick every minute (the sweep for missed instalments
 * and stale cases, then the mail outbox). Started by instrumentation.ts inside the Next
 * server, or by scripts/mailer.ts as a process of its own; both may run at once, as may several
 * servers on one database: the outbox makes every mail go out once.
 */
import { systemMailTick, type TickResult } from './mailer';

export const TICK_INTERVAL_MS = 60_000;
export const FIRST_TICK_DELAY_MS = 5_000;

type Log = Pick<Console, 'log' | 'error'>;

/** One tick whose errors are logged, never thrown: a broken SMTP server must not stop the app. */
export async function runTickSafely(log: Log = console, now = new Date()): Promise<TickResult | null> {
  try {
    const result = await systemMailTick(now);
    const m = result.mail;
    const busy = result.swept.missed + result.swept.stale + (m ? m.urgent + m.digests + m.sent + m.skipped + m.retrying + m.failed : 0);
    if (busy > 0) log.log(`[reminders] ${JSON.stringify(result)}`);
    return result;
  } catch (error) {
    log.error('[reminders] tick failed:', error instanceof Error ? error.message : error);
    return null;
  }
}

const globalForScheduler = globalThis as unknown as { respiteScheduler?: SchedulerHandle };

/**
 * Starts the tick loop once per process (a second call returns the running one). The timers
 * are unref'd: they never keep a process alive on their own. A tick that is still running when
 * the next is due makes that one skip.
 */
export type SchedulerHandle = {
  /** Stops the timers; resolves once a tick in progress has finished (so no claimed mail is abandoned). */
  stop: () => Promise<void>;
};

export function startMailScheduler(options: { intervalMs?: number; firstDelayMs?: number; log?: Log } = {}): SchedulerHandle {
  if (globalForScheduler.respiteScheduler) return globalForScheduler.respiteScheduler;
  const log = options.log ?? console;
  let current: Promise<unknown> | null = null;
  let interval: ReturnType<typeof setInterval> | undefined;
  const tick = () => {
    if (current) return;
    current = runTickSafely(log).finally(() => {
      current = null;
    });
  };
  const first = setTimeout(() => {
    tick();
    interval = setInterval(tick, options.intervalMs ?? TICK_INTERVAL_MS);
    interval.unref?.();
  }, options.firstDelayMs ?? FIRST_TICK_DELAY_MS);
  first.unref?.();
  const handle: SchedulerHandle = {
    async stop() {
      clearTimeout(first);
      if (interval) clearInterval(interval);
      globalForScheduler.respiteScheduler = undefined;
      await current;
    },
  };
  globalForScheduler.respiteScheduler = handle;
  return handle;
}
