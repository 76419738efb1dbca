/**
 * `npm run mailer`: the reminder scheduler as a process of its own (the same tick the server
 * runs: the reminder sweep, then reminder mails where SMTP is configured). Safe next to a
 * running server or another mailer: every mail goes out once.
 *
 *   npm run mailer            tick every minute until stopped (Ctrl-C / SIGTERM)
 *   npm run mailer -- --once  run one tick, print what it did, and exit
 *
 * Reads DATABASE_PATH and the SMTP_* variables (see docs/email.md). Start the server with
 * RESPITE_SCHEDULER=off if this process should be the only sender.
 */
import './load-env'; // first: the .env the server reads (DATA_DIR, SMTP …)
import { mailConfigured } from '../lib/mail-config';
import { runTickSafely, startMailScheduler } from '../db/mail-scheduler';

async function main() {
  if (!mailConfigured()) console.log('[mailer] SMTP_HOST is not set: reminders are swept, but no mail is sent.');
  if (process.argv.includes('--once')) {
    const result = await runTickSafely();
    console.log(`[mailer] ${JSON.stringify(result)}`);
    process.exit(result ? 0 : 1);
  }
  const scheduler = startMailScheduler({ firstDelayMs: 0 });
  // The scheduler's timers are unref'd; this one keeps the process alive until a signal.
  const keepAlive = setInterval(() => {}, 1 << 30);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[mailer] ${signal}: finishing the current tick, then stopping.`);
    clearInterval(keepAlive);
    await scheduler.stop();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
  console.log('[mailer] running: one tick a minute.');
}

void main();
