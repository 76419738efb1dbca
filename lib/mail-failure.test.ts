import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { shortError } from '@/db/mailer';
import { MAIL_FAILURE_REASONS, mailFailureReason, withoutAddresses } from './mail-failure';

/** An error as nodemailer throws it (the shapes below were seen from nodemailer against smtp-server). */
function smtpError(code: string, message: string, extra: Record<string, unknown> = {}) {
  return Object.assign(new Error(message), { code, ...extra });
}

describe('mailFailureReason', () => {
  it.each([
    ['the port is closed', smtpError('ESOCKET', 'connect ECONNREFUSED 127.0.0.1:587', { command: 'CONN' }), 'unreachable'],
    ['no such host', smtpError('EDNS', 'getaddrinfo ENOTFOUND smtp.example.invalid', { command: 'CONN' }), 'unreachable'],
    ['the connection was reset', smtpError('ESOCKET', 'read ECONNRESET', { command: 'CONN' }), 'unreachable'],
    ['TLS on a plain port', smtpError('ESOCKET', 'error:0A00010B:SSL routines:ssl3_get_record:wrong version number', { command: 'CONN' }), 'unreachable'],
    ['STARTTLS refused', smtpError('ETLS', 'Error upgrading connection with STARTTLS: 500 Error: command not recognized'), 'unreachable'],
    ['a bad certificate', smtpError('ESOCKET', 'self-signed certificate in certificate chain'), 'unreachable'],
    ['the login refused', smtpError('EAUTH', 'Invalid login: 535 5.7.8 Error: authentication failed', { responseCode: 535 }), 'login'],
    ['no credentials given', smtpError('ENOAUTH', 'Missing credentials for "PLAIN"'), 'login'],
    [
      'the recipient refused',
      smtpError('EENVELOPE', "Can't send mail - all recipients were rejected: 550 5.1.1 <wang@example.com>: Recipient address rejected: User unknown", {
        command: 'RCPT TO',
      }),
      'recipient',
    ],
    ['the sender refused', smtpError('EENVELOPE', 'Mail command failed: 553 5.7.1 Sender address rejected', { command: 'MAIL FROM' }), 'rejected'],
    ['the message refused', smtpError('EMESSAGE', 'Message failed: 451 mailbox busy, try later', { responseCode: 451 }), 'rejected'],
    ['no greeting', smtpError('ETIMEDOUT', 'Greeting never received', { command: 'CONN' }), 'timeout'],
    ['no connection in time', smtpError('ETIMEDOUT', 'Connection timeout', { command: 'CONN' }), 'timeout'],
    ['a socket timing out', smtpError('ESOCKET', 'connect ETIMEDOUT 203.0.113.5:465'), 'timeout'],
    ['something else', new Error('Unexpected socket close'), 'other'],
    ['not an error at all', 'boom', 'other'],
    ['nothing', null, 'other'],
  ])('%s', (_, error, reason) => {
    expect(mailFailureReason(shortError(error))).toBe(reason);
  });

  it('classifies lines stored before it existed, and nothing', () => {
    expect(mailFailureReason('ESOCKET: connect ECONNREFUSED 127.0.0.1:587')).toBe('unreachable');
    expect(mailFailureReason('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:587')).toBe('unreachable');
    expect(mailFailureReason('EAUTH: Invalid login: 535 Authentication credentials invalid')).toBe('login');
    expect(mailFailureReason('unknown error')).toBe('other');
    expect(mailFailureReason('')).toBe('other');
    expect(mailFailureReason(undefined)).toBe('other');
  });
});

describe('withoutAddresses', () => {
  it.each([
    ['550 5.1.1 <a.b+c@mail.example.cn>: Recipient address rejected', '550 5.1.1 <…@…>: Recipient address rejected'],
    ['RCPT TO:wang@example.test failed, and li@example.test too', 'RCPT TO:…@… failed, and …@… too'],
    ['ESOCKET connect ECONNREFUSED 127.0.0.1:25', 'ESOCKET connect ECONNREFUSED 127.0.0.1:25'],
    ['EAUTH Invalid login: 535 5.7.8 Username and Password not accepted', 'EAUTH Invalid login: 535 5.7.8 Username and Password not accepted'],
  ])('%j → %j', (line, shown) => {
    expect(withoutAddresses(line)).toBe(shown);
  });
});

describe('every reason is said in both languages', () => {
  it.each(['zh-CN', 'en'])('%s', (locale) => {
    const settings = JSON.parse(readFileSync(path.join('messages', locale, 'mail.json'), 'utf8')).settings;
    for (const reason of MAIL_FAILURE_REASONS) expect(settings.failureReason[reason], reason).toBeTypeOf('string');
    expect(settings.lastFailure).toContain('{reason}');
  });
});
