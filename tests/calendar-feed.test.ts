/**
 * The calendar feed's text (lib/calendar-feed.ts) as RFC 5545 asks for its lines: at most 75
 * octets each, longer ones folded with CRLF + space, never inside a character. The feed is mostly
 * Chinese (3 octets a character), so a line folds after 24 characters, not after 74.
 *
 * ical-generator folds the calendar's text; the copy installed here carries
 * patches/ical-generator+10.2.0.patch, which counts a character's octets from its code unit
 * instead of running a TextEncoder over each character (the fix upstream made in 11.x, which
 * needs Node 22). The octets it counts are checked below against Buffer's own.
 */
import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import ical, { type VEvent } from 'node-ical';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { approveAttempt, submitAttempt } from '@/db/attempts';
import { updateCase } from '@/db/cases';
import { createPrivateLender, updatePrivateLender } from '@/db/lenders';
import { getCalendarFeedUrlToken, systemCalendarForToken, type CalendarFeedData, type CalendarReminder } from '@/db/calendar';
import { getDb } from '@/db/client';
import { changeInstalment } from '@/db/plans';
import { createReminder, updateReminder } from '@/db/reminders';
import { instalments, reminders } from '@/db/schema';
import type { Viewer } from '@/db/viewer-type';
import { buildCalendar, instalmentUid, reminderUid } from '@/lib/calendar-feed';
import { addDaysIso, todayInShanghai } from '@/lib/dates';
import { lenderFingerprint } from '@/lib/lender-curation';
import type { LenderInput } from '@/lib/validation';
import { approveInput, caseInput, makeBorrower, makeCase, reminderStampOf, submitInput, versionOf } from '@/tests/factories';

const NOTE_ZH = '请在周五前把收入证明、银行流水（近六个月）和困难说明寄到贷后部，并电话确认对方已收到。';
// One character of each UTF-8 length: 1 (a), 2 (é), 3 (中), 4 (😀, a surrogate pair in JavaScript).
const MIXED = 'aé中😀'.repeat(40);

function reminder(id: number, title: string): CalendarReminder {
  return {
    id,
    caseId: 7,
    kind: 'custom',
    title,
    note: NOTE_ZH,
    data: {},
    dueOn: '2026-12-03',
    dueTime: null,
    showOn: '2026-12-03',
    urgent: false,
    lenderName: '招商银行信用卡中心',
    lenderHotline: '95555 转 2',
    updatedAt: new Date('2026-11-20T08:00:00Z'),
    caseUpdatedAt: null,
    lenderUpdatedAt: null,
  };
}

function feed(titles: string[], locale: 'zh-CN' | 'en' = 'zh-CN'): string {
  const data: CalendarFeedData = {
    user: { id: 1, locale, displayName: '李明' },
    reminders: titles.map((t, i) => reminder(i + 1, t)),
    instalments: [],
  };
  return buildCalendar(data, { appUrl: 'https://respite.example', now: new Date('2026-11-29T08:00:00Z') });
}

/** An event's DESCRIPTION as text, as node-ical reads it (a string, or a value with parameters). */
function descriptionOf(e: VEvent): string {
  return typeof e.description === 'string' ? e.description : (e.description?.val ?? '');
}

const octets = (line: string) => Buffer.byteLength(line, 'utf8');
const unfold = (text: string) => text.replace(/\r\n /g, '');

describe('the calendar feed folds its lines as RFC 5545 asks', () => {
  const titles = ['给招商银行信用卡中心客服回电话，确认个性化分期申请的审核结果', MIXED, 'Call back about the hardship application'];
  const text = feed(titles);
  const lines = text.split('\r\n');

  it('ends every line with CRLF, the last one too', () => {
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('no line is longer than 75 octets, and long ones are folded', () => {
    for (const line of lines) expect(octets(line), line).toBeLessThanOrEqual(75);
    expect(lines.filter((l) => l.startsWith(' ')).length).toBeGreaterThan(10);
  });

  it('a folded line is filled: the next character would not have fitted', () => {
    for (let i = 0; i < lines.length - 1; i++) {
      if (!lines[i + 1].startsWith(' ')) continue;
      const next = String.fromCodePoint(lines[i + 1].codePointAt(1)!);
      // The content of a line (after the continuation's space) is at most 74 octets, and folding
      // happened because the next character would have taken it past 74.
      const content = lines[i].startsWith(' ') ? lines[i].slice(1) : lines[i];
      expect(octets(content) + octets(next), lines[i]).toBeGreaterThan(74);
    }
  });

  it('never splits a character: every line is whole UTF-8, and unfolding gives the text back', () => {
    for (const line of lines) expect(Buffer.from(line, 'utf8').toString('utf8'), line).toBe(line);
    for (const line of lines) expect(/[\uD800-\uDBFF]$/.test(line), line).toBe(false);
    const unfolded = unfold(text);
    expect(unfolded).toContain(`SUMMARY:${titles[0]}`);
    expect(unfolded).toContain(`SUMMARY:${MIXED}`);
  });

  it('a calendar app reads back the same titles and notes', () => {
    const events = Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
    expect(events.map((e) => e.uid).sort()).toEqual([1, 2, 3].map(reminderUid).sort());
    const summaries = events.map((e) => (typeof e.summary === 'string' ? e.summary : e.summary.val));
    expect(summaries.sort()).toEqual([...titles].sort());
    for (const e of events) {
      expect(descriptionOf(e)).toContain(NOTE_ZH);
    }
  });
});

describe('the installed ical-generator carries our patch', () => {
  it('counts octets without a TextEncoder per character (patches/ical-generator+10.2.0.patch)', () => {
    const dist = path.join(process.cwd(), 'node_modules/ical-generator/dist');
    for (const file of ['index.mjs', 'index.cjs']) {
      const source = readFileSync(path.join(dist, file), 'utf8');
      expect(source, `${file}: run \`npm install\` (its postinstall applies patches/)`).not.toContain('new TextEncoder().encode(i).length');
      expect(source, file).toContain('a=o<128?1:o<2048?2:i.length>1?4:3');
    }
  });
});

describe('an event changed since a calendar app imported it says so', () => {
  const STAMP = new Date('2026-11-29T08:00:00Z');

  afterEach(() => {
    vi.useRealTimers();
  });

  /** The owner's feed, read as a calendar app reads it, made at the same moment every time (one DTSTAMP). */
  function eventsOf(owner: Viewer): Record<string, VEvent> {
    const data = systemCalendarForToken(getCalendarFeedUrlToken(owner))!;
    const text = buildCalendar(data, { appUrl: 'https://respite.example', now: STAMP });
    const events: Record<string, VEvent> = {};
    for (const c of Object.values(ical.sync.parseICS(text))) if (c?.type === 'VEVENT') events[c.uid] = c;
    return events;
  }

  /** node-ical makes an all-day date at local midnight: read it back the same way. */
  function dayOf(e: VEvent): string {
    const d = e.start;
    return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
  }

  function revisionOf(e: VEvent) {
    return { dtstamp: e.dtstamp.getTime(), lastModified: e.lastmodified?.getTime(), sequence: e.sequence };
  }

  /** Later writes happen at `at`: the verbs stamp rows with `new Date()`. */
  function clockAt(at: Date) {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(at);
  }

  it('an edited reminder: LAST-MODIFIED is the edit, SEQUENCE grows, DTSTAMP stays', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const today = todayInShanghai();
    const input = { title: '给银行回电话', note: '', dueOn: addDaysIso(today, 3), dueTime: null };
    const edited = createReminder(owner, caseId, input);
    const untouched = createReminder(owner, caseId, { ...input, title: '寄材料' });
    const updatedAt = (id: number) => getDb().select().from(reminders).where(eq(reminders.id, id)).get()!.updatedAt;
    const before = eventsOf(owner);
    const first = revisionOf(before[reminderUid(edited)]);
    expect(first.lastModified).toBe(Math.floor(updatedAt(edited).getTime() / 1000) * 1000);
    expect(first.sequence).toBeGreaterThan(0);

    const revisions = [first];
    for (const [minutes, dueOn] of [[2, addDaysIso(today, 5)], [60 * 24, addDaysIso(today, 6)]] as const) {
      clockAt(new Date(updatedAt(edited).getTime() + minutes * 60_000));
      updateReminder(owner, edited, { ...input, dueOn }, reminderStampOf(edited));
      const after = eventsOf(owner);
      const event = after[reminderUid(edited)];
      expect(dayOf(event), 'the edit reached the feed').toBe(dueOn);
      const revision = revisionOf(event);
      expect(revision.lastModified).toBe(Math.floor(updatedAt(edited).getTime() / 1000) * 1000);
      expect(revision.lastModified).toBeGreaterThan(revisions.at(-1)!.lastModified!);
      expect(revision.sequence).toBeGreaterThan(revisions.at(-1)!.sequence!);
      expect(revision.dtstamp).toBe(STAMP.getTime());
      // The other reminder did not change: neither does its revision.
      expect(revisionOf(after[reminderUid(untouched)])).toEqual(revisionOf(before[reminderUid(untouched)]));
      revisions.push(revision);
    }
  });

  it('an instalment moved by the lender: its revision follows the case\'s', () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const today = todayInShanghai();
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: today }));
    approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: today, agreedPeriods: 3, agreedMonthly: 81_250, agreedFirstPaymentOn: addDaysIso(today, 10) }));
    const first = getDb().select().from(instalments).where(eq(instalments.caseId, caseId)).orderBy(instalments.seq).get()!;
    const before = revisionOf(eventsOf(owner)[instalmentUid(first.id)]);
    expect(before.lastModified).toBeDefined();

    clockAt(new Date(Date.now() + 5 * 60_000));
    changeInstalment(owner, caseId, versionOf(caseId), first.id, { dueOn: addDaysIso(today, 12), amountFen: first.amountFen });
    const event = eventsOf(owner)[instalmentUid(first.id)];
    expect(dayOf(event)).toBe(addDaysIso(today, 12));
    const after = revisionOf(event);
    expect(after.lastModified).toBeGreaterThan(before.lastModified!);
    expect(after.sequence).toBeGreaterThan(before.sequence!);
    expect(after.dtstamp).toBe(STAMP.getTime());
  });

  it("a lender's hotline corrected: every event that names the lender is revised, the others are not", () => {
    const owner = makeBorrower();
    const lenderInput: LenderInput = { name: '某小额贷款公司', kind: 'platform', products: ['消费贷'], hotline: '400-800-1234', appPath: '', reviewWorkdays: 5 };
    const lender = createPrivateLender(owner, lenderInput);
    const caseId = makeCase(owner, { lenderId: lender.id });
    const otherCase = makeCase(owner);
    const today = todayInShanghai();
    submitAttempt(owner, caseId, versionOf(caseId), submitInput({ submittedOn: today }));
    approveAttempt(owner, caseId, versionOf(caseId), approveInput({ decidedOn: today, agreedPeriods: 3, agreedMonthly: 81_250, agreedFirstPaymentOn: addDaysIso(today, 10) }));
    const input = { title: '给平台回电话', note: '', dueOn: addDaysIso(today, 3), dueTime: null };
    const onLender = createReminder(owner, caseId, input);
    const elsewhere = createReminder(owner, otherCase, input);
    const instalment = getDb().select().from(instalments).where(eq(instalments.caseId, caseId)).orderBy(instalments.seq).get()!;
    const before = eventsOf(owner);
    expect(descriptionOf(before[reminderUid(onLender)])).toContain('400-800-1234');
    expect(descriptionOf(before[instalmentUid(instalment.id)])).toContain('400-800-1234');

    clockAt(new Date(Date.now() + 5 * 60_000));
    updatePrivateLender(owner, lender.id, lenderFingerprint(lender), { ...lenderInput, hotline: '400-800-4321' });
    const after = eventsOf(owner);
    for (const uid of [reminderUid(onLender), instalmentUid(instalment.id)]) {
      expect(descriptionOf(after[uid]), uid).toContain('400-800-4321');
      expect(revisionOf(after[uid]).lastModified, uid).toBeGreaterThan(revisionOf(before[uid]).lastModified!);
      expect(revisionOf(after[uid]).sequence, uid).toBeGreaterThan(revisionOf(before[uid]).sequence!);
    }
    expect(revisionOf(after[reminderUid(elsewhere)])).toEqual(revisionOf(before[reminderUid(elsewhere)]));
  });

  it("a case moved to another lender: its reminders' events name the new one, revised", () => {
    const owner = makeBorrower();
    const other = createPrivateLender(owner, { name: '另一家消费金融公司', kind: 'consumer_finance', products: [], hotline: '', appPath: '', reviewWorkdays: 5 });
    const caseId = makeCase(owner);
    const today = todayInShanghai();
    const reminderId = createReminder(owner, caseId, { title: '问审核结果', note: '', dueOn: addDaysIso(today, 2), dueTime: null });
    const before = revisionOf(eventsOf(owner)[reminderUid(reminderId)]);

    clockAt(new Date(Date.now() + 5 * 60_000));
    updateCase(owner, caseId, versionOf(caseId), caseInput(owner, { lenderId: other.id }));
    const event = eventsOf(owner)[reminderUid(reminderId)];
    expect(descriptionOf(event)).toContain('另一家消费金融公司');
    expect(revisionOf(event).lastModified).toBeGreaterThan(before.lastModified!);
    expect(revisionOf(event).sequence).toBeGreaterThan(before.sequence!);
  });
});
