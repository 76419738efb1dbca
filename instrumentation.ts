/**
 * Runs once when the Next server starts. Opens the database, so that the server holds its "in
 * use" lock from the start (`npm run restore` refuses while it is held: db/client.ts). Starts
 * the reminder scheduler (the sweep for missed instalments and stale cases, and reminder mails
 * where SMTP is configured), so nothing extra has to be started. RESPITE_SCHEDULER=off leaves
 * the scheduler to `npm run mailer` (or to nobody).
 * Never during `next build`, and never in the edge runtime: the imports are dynamic so that
 * the edge bundle never sees better-sqlite3.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { getDb } = await import('./db/client');
  getDb();
  if (process.env.RESPITE_SCHEDULER === 'off') return;
  const { startMailScheduler } = await import('./db/mail-scheduler');
  startMailScheduler();
}
