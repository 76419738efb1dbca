/**
 * The words of a reminder mail, in the recipient's language: a subject, a plain-text body and
 * a simple HTML body (every user-supplied string escaped). Pure: the mailer in db/ gives it the
 * message catalogue and the reminders, and sends what comes back.
 */
import { createTranslator } from 'next-intl';
import type { AdvisorNote } from '@/db/notes';
import { caseLabel } from './case-label';
import { formatDate, formatDateTime } from './dates';
import { telHref } from './phone';
import { reminderDetail, reminderTitle, type ReminderFacts, type ReminderTranslator } from './reminder-text';

export type MailKind = 'urgent' | 'digest';

export type MailItem = ReminderFacts & {
  id: number;
  dueOn: string;
  /** The lender's hotline, while the lender is who to call (db/mailer.ts; as in the calendar feed). */
  lenderHotline?: string | null;
  /** The time of day it is due (HH:mm, Shanghai), when one was set. */
  dueTime?: string | null;
  /** Who added it for the recipient (an advisor), when not the recipient or a rule. */
  addedBy?: string | null;
};

export type RenderedMail = { subject: string; text: string; html: string };

/** An advisor's note on one of the recipient's cases, new since their previous digest (db/mailer.ts). */
export type MailNote = AdvisorNote;

/** At most this many reminders are listed in one digest; the rest are counted. */
export const DIGEST_LIST_LIMIT = 30;
/** At most this many advisors' notes are listed in one digest; the rest are counted. */
export const DIGEST_NOTES_LIMIT = 5;
/** A note longer than this (in characters) is cut short in the mail: its case's timeline has all of it. */
export const MAIL_NOTE_CHARS = 300;

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Stands in for a URL (or a number to dial) in a translated sentence, to be replaced by a link once the rest is escaped. */
const URL_SLOT = '\u0001URL\u0001';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);
}

/** Subjects are one line whatever a title holds. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The date a mail gives for a reminder. A nudge's own date is only when to start: the date that
 * matters is the deadline. A missed or short instalment's reminder comes after its date: the
 * instalment's date is the one its title names.
 */
function dateThatMatters(item: MailItem): string {
  const key = item.kind === 'materials_nudge' ? 'deadline' : item.kind === 'instalment_missed' || item.kind === 'instalment_short' ? 'dueOn' : null;
  const value = key ? item.data?.[key] : null;
  return typeof value === 'string' && value ? value : item.dueOn;
}

/**
 * The page every mail shares: its look, the brand, the greeting and intro, then `body`, then the
 * footer: the reminder mails' (with the settings link), or `footer`'s own words.
 */
function htmlPage(
  m: ReminderTranslator,
  page: { locale: string; subject: string; greeting: string; intro: string; settingsUrl: string | null; unsubscribeUrl?: string | null; footer?: string },
  body: string[],
): string {
  const e = escapeHtml;
  return [
    `<!doctype html><html lang="${e(page.locale)}"><head><meta charset="utf-8"><title>${e(page.subject)}</title></head>`,
    '<body style="margin:0;padding:16px;background:#f5f5f4;font-family:-apple-system,\'Noto Sans CJK SC\',\'PingFang SC\',\'Microsoft YaHei\',sans-serif;color:#1c1917;line-height:1.5">',
    '<div style="max-width:560px;margin:0 auto;background:#ffffff;border:1px solid #e7e5e4;border-radius:8px;padding:16px">',
    `<p style="margin:0 0 8px 0;color:#0f766e;font-weight:600">${e(m('brand'))}</p>`,
    `<p>${e(page.greeting)}</p>`,
    `<p>${e(page.intro)}</p>`,
    ...body,
    `<p style="color:#78716c;font-size:12px;border-top:1px solid #e7e5e4;padding-top:8px">${page.footer !== undefined ? e(page.footer) : linkedLine(m, 'footer', page.settingsUrl ?? '')}</p>`,
    page.unsubscribeUrl ? `<p style="color:#78716c;font-size:12px">${linkedLine(m, 'unsubscribe', page.unsubscribeUrl)}</p>` : '',
    '</div></body></html>',
  ].join('\n');
}

/** A footer sentence with its `{url}` as a link, every part escaped. */
function linkedLine(m: ReminderTranslator, key: string, url: string): string {
  const e = escapeHtml;
  // A function, not a string: a `$&` or `$'` in what is put in is text, not a replacement pattern.
  return e(m(key, { url: URL_SLOT })).replace(URL_SLOT, () => `<a href="${e(url)}" style="color:#0f766e">${e(url)}</a>`);
}

/** "Hotline: 95555 转 2", its number a link that dials (the extension left for the menu, lib/phone.ts) when it is one. */
function hotlineHtml(m: ReminderTranslator, hotline: string): string {
  const e = escapeHtml;
  const tel = telHref(hotline);
  const number = tel ? `<a href="${e(tel)}" style="color:#0f766e">${e(hotline)}</a>` : e(hotline);
  return e(m('hotline', { hotline: URL_SLOT })).replace(URL_SLOT, () => number);
}

/** The plain text's line for stopping reminder mail without signing in, when there is a link. */
function footerUnsubscribe(m: ReminderTranslator, url: string | null | undefined): string[] {
  return url ? [m('unsubscribe', { url })] : [];
}

/** A button-like link. */
function htmlButton(url: string, label: string): string {
  const e = escapeHtml;
  return `<p><a href="${e(url)}" style="display:inline-block;background:#0f766e;color:#ffffff;text-decoration:none;padding:10px 16px;border-radius:6px">${e(label)}</a></p>`;
}

/** A note as a mail quotes it: trimmed, and cut short past MAIL_NOTE_CHARS characters. */
function quotedNote(text: string): string {
  const chars = Array.from(text.trim());
  return chars.length > MAIL_NOTE_CHARS ? `${chars.slice(0, MAIL_NOTE_CHARS - 1).join('').trimEnd()}…` : chars.join('');
}

/**
 * The reminders due (a digest, or one urgent reminder), and in a digest the notes advisors wrote
 * on the recipient's cases since the previous one (顾问的留言), each with a link to its case's
 * timeline. A digest may carry notes alone: then it says so in its subject and intro.
 */
export function renderReminderMail(input: {
  kind: MailKind;
  locale: string;
  /** The locale's catalogue, as loadMessages gives it (needs the 'mail', 'reminders' and 'home' namespaces). */
  messages: Record<string, unknown>;
  displayName: string;
  items: MailItem[];
  /** A digest's notes from advisors, newest first. */
  notes?: MailNote[];
  /** Today in Shanghai (YYYY-MM-DD): items due before it are marked overdue. */
  today: string;
  appUrl: string;
  /** Where reminder mail stops without signing in (lib/unsubscribe.ts); none without a secret. */
  unsubscribeUrl?: string | null;
}): RenderedMail {
  const { kind, locale, messages, items, today, unsubscribeUrl } = input;
  const notes = kind === 'digest' ? (input.notes ?? []) : [];
  const m = createTranslator({ locale, messages, namespace: 'mail', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const r = createTranslator({ locale, messages, namespace: 'reminders', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const h = createTranslator({ locale, messages, namespace: 'home', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const remindersUrl = `${input.appUrl}/reminders`;
  const settingsUrl = `${input.appUrl}/settings`;

  const listed = kind === 'digest' ? items.slice(0, DIGEST_LIST_LIMIT) : items.slice(0, 1);
  const more = items.length - listed.length;
  const rows = listed.map((item) => {
    const date = dateThatMatters(item);
    // The time belongs to the reminder's own date, not to a deadline or an instalment's date named instead.
    const time = item.dueTime && date === item.dueOn ? ` ${r('item.time', { time: item.dueTime })}` : '';
    return {
      title: reminderTitle(r, item, locale, today),
      detail: kind === 'urgent' ? reminderDetail(r, item, locale) : item.kind === 'custom' ? item.note?.trim() || null : null,
      lender: item.lenderName?.trim() || (typeof item.data?.lender === 'string' ? item.data.lender : null),
      hotline: item.lenderHotline?.trim() || null,
      date: `${formatDate(date, locale)}${time}`,
      overdue: date < today,
      addedBy: item.addedBy ? r('item.addedBy', { name: oneLine(item.addedBy) }) : null,
    };
  });

  const listedNotes = notes.slice(0, DIGEST_NOTES_LIMIT).map((note) => ({
    author: oneLine(note.advisorName ?? '') || h('advisorNotes.someone'),
    at: formatDateTime(note.createdAt, locale),
    caseLabel: caseLabel((key, values) => h(`due.${key}`, values), note),
    caseUrl: `${input.appUrl}/cases/${note.caseId}#timeline`,
    text: quotedNote(note.text),
  }));
  const moreNotes = notes.length - listedNotes.length;
  const notesOnly = kind === 'digest' && items.length === 0;

  const subject =
    kind === 'urgent'
      ? oneLine(m('urgentSubject', { title: rows[0]?.title ?? '' }))
      : oneLine(notesOnly ? m('notesSubject', { count: notes.length }) : m('digestSubject', { count: items.length }));
  const greeting = m('greeting', { name: oneLine(input.displayName) });
  const intro = kind === 'urgent' ? m('urgentIntro') : notesOnly ? m('notesIntro') : m('digestIntro');

  // Plain text.
  const text: string[] = [greeting, '', intro, ''];
  rows.forEach((row, i) => {
    text.push(`${kind === 'digest' ? `${i + 1}. ` : '* '}${row.title}`);
    const meta = [
      row.lender ? m('lender', { lender: row.lender }) : null,
      row.hotline ? m('hotline', { hotline: row.hotline }) : null,
      `${m('due', { date: row.date })}${row.overdue ? m('overdueNote') : ''}`,
      row.addedBy,
    ];
    text.push(`   ${meta.filter(Boolean).join(' · ')}`);
    if (row.detail) text.push(`   ${row.detail}`);
    text.push('');
  });
  if (more > 0) text.push(m('more', { count: more }), '');
  if (!notesOnly) text.push(m('openText', { url: remindersUrl }), '', m('doneHint'), '');
  if (listedNotes.length > 0) {
    if (!notesOnly) text.push(h('advisorNotes.title'), '');
    for (const note of listedNotes) {
      text.push(`* ${note.author} · ${note.at} · ${note.caseLabel}`, ...note.text.split(/\r?\n/).map((line) => `   ${line}`), `   ${note.caseUrl}`, '');
    }
    if (moreNotes > 0) text.push(m('notesMore', { count: moreNotes }), '');
  }
  text.push('-- ', m('footer', { url: settingsUrl }), ...footerUnsubscribe(m, unsubscribeUrl), '');

  // HTML: the same, every string escaped.
  const e = escapeHtml;
  const li = rows
    .map((row) => {
      const meta = [row.lender ? e(m('lender', { lender: row.lender })) : null, row.hotline ? hotlineHtml(m, row.hotline) : null, e(m('due', { date: row.date }))]
        .filter(Boolean)
        .join(' · ');
      const overdue = row.overdue ? ` <strong style="color:#b91c1c">${e(m('overdue'))}</strong>` : '';
      const addedBy = row.addedBy ? ` · <span style="color:#4c1d95">${e(row.addedBy)}</span>` : '';
      const detail = row.detail ? `<div style="color:#57534e;font-size:14px;margin-top:2px">${e(row.detail)}</div>` : '';
      return `<li style="margin:0 0 12px 0"><div style="font-weight:600">${e(row.title)}</div><div style="color:#57534e;font-size:14px">${meta}${overdue}${addedBy}</div>${detail}</li>`;
    })
    .join('');
  const noteLi = listedNotes
    .map(
      (note) =>
        `<li style="margin:0 0 12px 0"><div style="color:#57534e;font-size:14px"><span style="font-weight:600;color:#4c1d95">${e(note.author)}</span> · ${e(note.at)} · <a href="${e(note.caseUrl)}" style="color:#0f766e">${e(note.caseLabel)}</a></div><div style="white-space:pre-line">${e(note.text)}</div></li>`,
    )
    .join('');
  const html = htmlPage(m, { locale, subject, greeting, intro, settingsUrl, unsubscribeUrl }, [
    ...(notesOnly
      ? []
      : [
          `<${kind === 'digest' ? 'ol' : 'ul'} style="padding-left:20px">${li}</${kind === 'digest' ? 'ol' : 'ul'}>`,
          more > 0 ? `<p>${e(m('more', { count: more }))}</p>` : '',
          htmlButton(remindersUrl, m('openLink')),
          `<p style="color:#57534e;font-size:14px">${e(m('doneHint'))}</p>`,
        ]),
    ...(listedNotes.length > 0
      ? [
          notesOnly ? '' : `<h2 style="font-size:16px;margin:20px 0 8px 0">${e(h('advisorNotes.title'))}</h2>`,
          `<ul style="padding-left:20px">${noteLi}</ul>`,
          moreNotes > 0 ? `<p>${e(m('notesMore', { count: moreNotes }))}</p>` : '',
        ]
      : []),
  ]);

  return { subject, text: text.join('\n'), html };
}

/**
 * To an advisor: a client missed an instalment. One reminder of the client's (its title in the
 * advisor's language), the client's name, and a link to the case (an advisor's own reminder
 * list holds none of the client's).
 */
export function renderClientAlertMail(input: {
  locale: string;
  messages: Record<string, unknown>;
  /** The advisor's name. */
  displayName: string;
  item: MailItem & { caseId: number | null; clientName: string };
  today: string;
  appUrl: string;
  unsubscribeUrl?: string | null;
}): RenderedMail {
  const { locale, messages, item, unsubscribeUrl } = input;
  const m = createTranslator({ locale, messages, namespace: 'mail', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const r = createTranslator({ locale, messages, namespace: 'reminders', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const caseUrl = item.caseId ? `${input.appUrl}/cases/${item.caseId}` : `${input.appUrl}/dashboard`;
  const settingsUrl = `${input.appUrl}/settings`;
  const client = oneLine(item.clientName);
  const title = reminderTitle(r, item, locale, input.today);
  const date = dateThatMatters(item);
  const lender = item.lenderName?.trim() || (typeof item.data?.lender === 'string' ? item.data.lender : null);
  const meta = [m('client', { client }), lender ? m('lender', { lender }) : null, `${m('due', { date: formatDate(date, locale) })}${date < input.today ? m('overdueNote') : ''}`]
    .filter(Boolean)
    .join(' · ');

  const subject = oneLine(m('clientSubject', { client, title }));
  const greeting = m('greeting', { name: oneLine(input.displayName) });
  const intro = m('clientIntro', { client });
  const text = [greeting, '', intro, '', `* ${title}`, `   ${meta}`, '', m('openCaseText', { url: caseUrl }), '', m('clientHint'), '', '-- ', m('footer', { url: settingsUrl }), ...footerUnsubscribe(m, unsubscribeUrl), ''];
  const e = escapeHtml;
  const html = htmlPage(m, { locale, subject, greeting, intro, settingsUrl, unsubscribeUrl }, [
    `<ul style="padding-left:20px"><li style="margin:0 0 12px 0"><div style="font-weight:600">${e(title)}</div><div style="color:#57534e;font-size:14px">${e(meta)}</div></li></ul>`,
    htmlButton(caseUrl, m('openCase')),
    `<p style="color:#57534e;font-size:14px">${e(m('clientHint'))}</p>`,
  ]);
  return { subject, text: text.join('\n'), html };
}

/**
 * 重设密码: the link that sets a new password (lib/password-reset.ts), to the address that asked
 * for it. It says how long the link works, and that a person who did not ask may ignore it.
 */
export function renderPasswordResetMail(input: {
  locale: string;
  messages: Record<string, unknown>;
  displayName: string;
  resetUrl: string;
  validMinutes: number;
}): RenderedMail {
  const m = createTranslator({ locale: input.locale, messages: input.messages, namespace: 'mail', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const subject = oneLine(m('resetSubject'));
  const greeting = m('greeting', { name: oneLine(input.displayName) });
  const intro = m('resetIntro', { minutes: input.validMinutes });
  const footer = m('resetFooter');
  const text = [greeting, '', intro, '', input.resetUrl, '', m('resetIgnore'), '', '-- ', footer, ''].join('\n');
  const html = htmlPage(m, { locale: input.locale, subject, greeting, intro, settingsUrl: null, footer }, [
    htmlButton(input.resetUrl, m('resetButton')),
    `<p style="color:#57534e;font-size:14px;word-break:break-all">${escapeHtml(input.resetUrl)}</p>`,
    `<p style="color:#57534e;font-size:14px">${escapeHtml(m('resetIgnore'))}</p>`,
  ]);
  return { subject, text, html };
}

/**
 * A moment as the mails about the account say it: as the app says a moment (lib/dates.ts: a 24-hour
 * clock, in Shanghai), and saying it is China's time: a security notice may be read abroad.
 */
function accountMoment(m: ReminderTranslator, locale: string, at: Date): string {
  return m('chinaTime', { at: formatDateTime(at, locale) });
}

/**
 * The notice that an account's sign-in email changed, to the old address, once the change is made
 * (the link mailed to the new address opened): its owner learns of a change they did not make.
 */
export function renderEmailChangedMail(input: {
  locale: string;
  messages: Record<string, unknown>;
  displayName: string;
  oldEmail: string;
  newEmail: string;
  at: Date;
}): RenderedMail {
  const m = createTranslator({ locale: input.locale, messages: input.messages, namespace: 'mail', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const subject = oneLine(m('emailChangedSubject'));
  const greeting = m('greeting', { name: oneLine(input.displayName) });
  const intro = m('emailChangedOld', { old: input.oldEmail, new: input.newEmail, at: accountMoment(m, input.locale, input.at) });
  const notYou = m('emailChangedNotYou');
  const footer = m('resetFooter');
  const text = [greeting, '', intro, '', notYou, '', '-- ', footer, ''].join('\n');
  const html = htmlPage(m, { locale: input.locale, subject, greeting, intro, settingsUrl: null, footer }, [
    `<p style="color:#57534e;font-size:14px">${escapeHtml(notYou)}</p>`,
  ]);
  return { subject, text, html };
}

/**
 * 确认邮箱: the link that confirms an address (lib/email-confirmation.ts), to that address: after
 * sign-up, or (`change`) the new sign-in email asked for in settings, which the link makes the sign-in
 * email. It says what waits for it, how long the link works, and that a person who did not ask may
 * ignore it. A change's mail names neither the account's current address nor anything else of it: it
 * may have gone to a stranger's address, mistyped.
 */
export function renderEmailConfirmationMail(input: {
  locale: string;
  messages: Record<string, unknown>;
  displayName: string;
  email: string;
  confirmUrl: string;
  validDays: number;
  change?: boolean;
}): RenderedMail {
  const m = createTranslator({ locale: input.locale, messages: input.messages, namespace: 'mail', timeZone: 'Asia/Shanghai' }) as unknown as ReminderTranslator;
  const { change } = input;
  const subject = oneLine(m(change ? 'emailChangeSubject' : 'confirmSubject'));
  const greeting = m('greeting', { name: oneLine(input.displayName) });
  const intro = change ? m('emailChangeIntro') : m('confirmIntro', { email: input.email });
  const ask = change ? m('emailChangeAsk', { days: input.validDays }) : m('confirmAsk', { days: input.validDays });
  const ignore = m(change ? 'emailChangeIgnore' : 'confirmIgnore');
  const footer = m('resetFooter');
  const text = [greeting, '', intro, '', ask, '', input.confirmUrl, '', ignore, '', '-- ', footer, ''].join('\n');
  const html = htmlPage(m, { locale: input.locale, subject, greeting, intro, settingsUrl: null, footer }, [
    `<p>${escapeHtml(ask)}</p>`,
    htmlButton(input.confirmUrl, m(change ? 'emailChangeButton' : 'confirmButton')),
    `<p style="color:#57534e;font-size:14px;word-break:break-all">${escapeHtml(input.confirmUrl)}</p>`,
    `<p style="color:#57534e;font-size:14px">${escapeHtml(ignore)}</p>`,
  ]);
  return { subject, text, html };
}
