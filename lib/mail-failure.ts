/**
 * What a failed reminder mail is said to have met, in the reader's language. The outbox keeps the
 * SMTP error as one technical line (db/mailer.ts shortError: nodemailer's code, then its message,
 * in English): fit for an administrator, not for a borrower. It is classified when read, so that
 * lines stored before this existed are classified too.
 */

export const MAIL_FAILURE_REASONS = ['unreachable', 'timeout', 'login', 'recipient', 'rejected', 'other'] as const;
export type MailFailureReason = (typeof MAIL_FAILURE_REASONS)[number];

// In this order: a timeout is a socket error too, and a login refused may name the address.
const RULES: [MailFailureReason, RegExp][] = [
  // nodemailer's ETIMEDOUT ("Connection timeout", "Greeting never received"), Node's "connect ETIMEDOUT".
  ['timeout', /\bE(?:SOCKET)?TIMEDOUT\b|\btime[ds]? ?out\b|greeting never received/i],
  // EAUTH ("Invalid login: 535 …"), ENOAUTH (no credentials where the server wants them).
  ['login', /\bE(?:NO)?AUTH\b|invalid login|authenticat/i],
  // EENVELOPE at RCPT TO: the server does not take mail for the recipient's address.
  ['recipient', /recipients? (?:were |was )?rejected|recipient address|\bRCPT\b/i],
  // The connection itself: refused, reset, no such host, no route, TLS that does not work.
  [
    'unreachable',
    /\bE(?:SOCKET|CONNECTION|DNS|TLS|CONNREFUSED|CONNRESET|HOSTUNREACH|NETUNREACH|NOTFOUND|ADDRNOTAVAIL|PIPE)\b|\bEAI_AGAIN\b|\bSSL\b|certificate/i,
  ],
  // The server answered, and refused the sender (MAIL FROM) or the message (DATA).
  ['rejected', /\bE(?:ENVELOPE|MESSAGE)\b|mail command failed|message failed/i],
];

/**
 * The stored line with every email address in it made "…@…": an SMTP server refusing a recipient
 * names the address, and the admin console, which shows the line, says nothing of whom mail was for
 * (whose reminders were due, which advisor's client missed an instalment).
 */
export function withoutAddresses(line: string): string {
  return line.replace(/[^\s<>"'(),;:\[\]]+@[^\s<>"'(),;:\[\]]+/g, '…@…');
}

/** The stored line's reason; 'other' for anything not recognised, an empty line included. */
export function mailFailureReason(line: string | null | undefined): MailFailureReason {
  const text = line ?? '';
  return RULES.find(([, test]) => test.test(text))?.[0] ?? 'other';
}
