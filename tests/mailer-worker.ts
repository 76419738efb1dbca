/**
 * One mailer tick in a process of its own, against DATABASE_PATH and the test SMTP server on
 * SMTP_TEST_PORT, at the instant TICK_NOW: db/mailer.test.ts runs several at once to show
 * that separate processes never send a mail twice. Prints the tick's result as JSON.
 */
import { systemMailTick } from '../db/mailer';
import { transportTo } from './mail-helpers';

const port = Number(process.env.SMTP_TEST_PORT);
const now = new Date(process.env.TICK_NOW ?? '');
if (!port || Number.isNaN(now.getTime())) throw new Error('SMTP_TEST_PORT and TICK_NOW are required');

const result = await systemMailTick(now, { transport: transportTo(port), appUrl: 'https://respite.example' });
console.log(JSON.stringify(result));
