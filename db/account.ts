import { and, asc, count, eq, inArray, ne, notInArray, sql } from 'drizzle-orm';
import { closeSync, createReadStream, openSync, statSync } from 'node:fs';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { csvYuan } from '@/lib/csv';
import { todayInShanghai } from '@/lib/dates';
import { DomainError, NotFoundError } from '@/lib/errors';
import { recordedDebtFen } from '@/lib/money';
import { countOtherActiveAdmins } from './admin';
import { isSensitiveDocument } from './documents';
import { getDb } from './client';
import { removeStoredFiles, storedFilePath } from './files';
import { forgetLoginLimits, normaliseEmail, verifyPasswordAgain } from './users';
import {
  accessLog,
  attempts,
  caseEvents,
  cases,
  contacts,
  documents,
  emailDeliveries,
  instalments,
  lenderSuggestions,
  lenders,
  materialRequests,
  plans,
  reminders,
  shares,
  users,
} from './schema';
import type { ReminderFacts } from '@/lib/reminder-text';
import type { Viewer } from './viewer-type';

/**
 * The account's own data (DESIGN.md §2, "own profile, password, data export, account deletion").
 * Every query here is scoped by the viewer's id and nothing else: there is no id parameter, so
 * there is nobody else's data to ask for.
 */

// --- formats of the export ------------------------------------------------------------------

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;

/** An instant as ISO 8601 in China Standard Time, e.g. 2025-04-02T10:30:00.000+08:00. */
function at(instant: Date | null | undefined): string | null {
  if (!instant) return null;
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace('Z', '+08:00');
}

/** An amount as integer fen and as a yuan string: { fen: 123456, yuan: "1234.56" }. */
function money(fen: number | null | undefined): { fen: number; yuan: string } | null {
  return fen == null ? null : { fen, yuan: csvYuan(fen) };
}

/**
 * An emoji, to keep (group 1), or any other character that is not a letter, a digit, . _ - or a
 * space, to replace. An emoji as Unicode builds it (UTS #51): a pictograph with its skin tone, its
 * emoji-style selector or its tag sequence (🏴 of England), joined to more by zero-width joiners
 * (👨‍👩‍👧); a flag of two regional indicators (🇨🇳); or a keycap (1️⃣, tried before its digit alone).
 * The joiners and selectors are invisible on their own, so they pass only inside such a sequence.
 */
const EMOJI_OR_REFUSED =
  /(\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F|[\u{E0020}-\u{E007E}]+\u{E007F})*(?:\u200D\p{Extended_Pictographic}(?:\p{Emoji_Modifier}|\uFE0F)*)*|\p{Regional_Indicator}{2}|[#*0-9]\uFE0F?\u20E3)|[^\p{L}\p{N}._ -]/gu;

/**
 * A stored file's name inside the archive: letters (any script), digits, emoji, and . _ - only,
 * so no path separator, control or bidirectional character. Emoji are valid UTF-8 like any letter:
 * 工资😀.pdf stays 工资😀.pdf.
 */
export function archiveFileName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(EMOJI_OR_REFUSED, (_, emoji?: string) => emoji ?? '_')
    .replace(/\s+/g, ' ')
    .replace(/^[.\s]+/, '')
    .trim();
  // Keep the extension when shortening, and cut between characters as the reader sees them: a cut
  // through an emoji would leave half a surrogate pair (not encodable as UTF-8) or a stray joiner.
  if (cleaned.length <= 80) return cleaned || 'file';
  const dot = cleaned.lastIndexOf('.');
  const ext = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  const characters = new Intl.Segmenter('und', { granularity: 'grapheme' }).segment(cleaned.slice(0, cleaned.length - ext.length));
  let kept = '';
  for (const { segment } of characters) {
    if (kept.length + segment.length > 80 - ext.length) break;
    kept += segment;
  }
  return kept + ext;
}

function groupBy<T, K>(rows: T[], key: (row: T) => K): Map<K, T[]> {
  const out = new Map<K, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = out.get(k);
    if (list) list.push(row);
    else out.set(k, [row]);
  }
  return out;
}

export type ExportFile = { archivePath: string; diskPath: string; size: number };

const ABOUT = {
  format: 'Respite account export, version 1',
  instants: 'ISO 8601 in China Standard Time (UTC+08:00), e.g. 2025-04-02T10:30:00.000+08:00',
  calendarDates: 'YYYY-MM-DD, in Asia/Shanghai',
  money: 'each amount as { fen: integer 分, yuan: "1234.56" }',
  notIncluded:
    'your password hash, your sign-in sessions, your calendar-feed address (a secret: make a new one in Settings), invitation codes (only their hashes were ever kept)',
};
const CODES_NOTE = 'statuses, kinds, channels and reasons are codes (e.g. "preparing"); codeLabels says what each means, in Chinese and English';

/**
 * Everything Respite holds about the viewer, as one JSON-ready object, plus the stored files
 * that go beside it in the archive (only those still on disk). A borrower gets their account,
 * their cases with everything in them, their reminders, private lenders, shares, the advisors'
 * access log and the mail sent to them; an advisor gets their account, their shares, the notes
 * and reminders they wrote on clients' cases, their own access log lines and their mail.
 */
/**
 * Words for what the export holds as codes (the route gives the translations): a rule reminder's
 * sentence in each language, and what each code of the domain means (a status, a kind of document),
 * in each language, as `codeLabels`.
 */
export type ExportWording = {
  reminderText?: (r: ReminderFacts) => Record<string, string>;
  codeLabels?: Record<string, Record<string, Record<string, string>>>;
};

export function exportAccountData(viewer: Viewer, now = new Date(), wording: ExportWording = {}): { data: Record<string, unknown>; files: ExportFile[] } {
  const db = getDb();
  return db.transaction((tx) => {
    const user = tx.select().from(users).where(eq(users.id, viewer.id)).get();
    if (!user) throw new NotFoundError();
    const ownCaseIds = tx.select({ id: cases.id }).from(cases).where(eq(cases.ownerId, viewer.id));
    const inOwnCases = (column: Parameters<typeof inArray>[0]) => inArray(column, ownCaseIds);

    const caseRows = tx
      .select({ c: cases, lenderName: lenders.name, lenderOwnerId: lenders.ownerId })
      .from(cases)
      .innerJoin(lenders, eq(lenders.id, cases.lenderId))
      .where(eq(cases.ownerId, viewer.id))
      .orderBy(asc(cases.id))
      .all();
    const attemptsBy = groupBy(tx.select().from(attempts).where(inOwnCases(attempts.caseId)).orderBy(asc(attempts.round)).all(), (r) => r.caseId);
    const requestsBy = groupBy(
      tx.select().from(materialRequests).where(inOwnCases(materialRequests.caseId)).orderBy(asc(materialRequests.id)).all(),
      (r) => r.caseId,
    );
    const docsBy = groupBy(tx.select().from(documents).where(inOwnCases(documents.caseId)).orderBy(asc(documents.id)).all(), (r) => r.caseId);
    const contactsBy = groupBy(
      tx
        .select({ c: contacts, byName: users.displayName, byRole: users.role })
        .from(contacts)
        .leftJoin(users, eq(users.id, contacts.createdBy))
        .where(inOwnCases(contacts.caseId))
        .orderBy(asc(contacts.occurredAt), asc(contacts.id))
        .all(),
      (r) => r.c.caseId,
    );
    const plansBy = groupBy(tx.select().from(plans).where(inOwnCases(plans.caseId)).orderBy(asc(plans.id)).all(), (r) => r.caseId);
    const instalmentsBy = groupBy(
      tx.select().from(instalments).where(inOwnCases(instalments.caseId)).orderBy(asc(instalments.seq)).all(),
      (r) => r.planId,
    );
    const eventsBy = groupBy(
      tx
        .select({ e: caseEvents, actorName: users.displayName, actorRole: users.role })
        .from(caseEvents)
        .leftJoin(users, eq(users.id, caseEvents.actorId))
        .where(inOwnCases(caseEvents.caseId))
        .orderBy(asc(caseEvents.createdAt), asc(caseEvents.id))
        .all(),
      (r) => r.e.caseId,
    );
    const reminderRows = tx
      .select({ r: reminders, byName: users.displayName, byRole: users.role })
      .from(reminders)
      .leftJoin(users, eq(users.id, reminders.createdBy))
      .where(eq(reminders.ownerId, viewer.id))
      .orderBy(asc(reminders.id))
      .all();

    const person = (id: number | null, name: string | null, role: string | null) =>
      id === null ? null : id === viewer.id ? { you: true } : { you: false, name: name ?? null, role: role ?? null };

    const files: ExportFile[] = [];
    const exportedCases = caseRows.map(({ c, lenderName, lenderOwnerId }) => ({
      id: c.id,
      lender: { id: c.lenderId, name: lenderName, private: lenderOwnerId !== null },
      product: c.product,
      accountRef: c.accountRef,
      principal: money(c.principalFen),
      interest: money(c.interestFen),
      penalty: money(c.penaltyFen),
      totalOverdue: money(recordedDebtFen(c)),
      overdueSince: c.overdueSince,
      status: c.status,
      outcome: c.outcome,
      archived: c.archived,
      note: c.note,
      createdAt: at(c.createdAt),
      updatedAt: at(c.updatedAt),
      attempts: (attemptsBy.get(c.id) ?? []).map((a) => ({
        id: a.id,
        round: a.round,
        program: a.program,
        channel: a.channel,
        submittedOn: a.submittedOn,
        lenderRef: a.lenderRef,
        proposed: {
          periods: a.proposedPeriods,
          monthly: money(a.proposedMonthlyFen),
          firstPaymentOn: a.proposedFirstPaymentOn,
          waived: money(a.proposedWaivedFen),
        },
        decision: a.decision,
        decidedOn: a.decidedOn,
        rejectionReason: a.rejectionReason,
        rejectionText: a.rejectionText,
        agreed: {
          periods: a.agreedPeriods,
          monthly: money(a.agreedMonthlyFen),
          firstPaymentOn: a.agreedFirstPaymentOn,
          waived: money(a.agreedWaivedFen),
        },
        createdAt: at(a.createdAt),
      })),
      materialRequests: (requestsBy.get(c.id) ?? []).map((m) => ({
        id: m.id,
        attemptId: m.attemptId,
        what: m.what,
        requestedOn: m.requestedOn,
        deadline: m.deadline,
        sentOn: m.sentOn,
        overtakenByTheDecisionOn: m.closedOn,
        createdAt: at(m.createdAt),
      })),
      documents: (docsBy.get(c.id) ?? []).map((d) => {
        let fileInArchive: string | null = null;
        if (d.storedName) {
          const diskPath = storedFilePath(d.storedName);
          const size = fileSize(diskPath);
          if (size !== null) {
            fileInArchive = `files/${c.id}/${d.id}-${archiveFileName(d.fileName ?? 'file')}`;
            files.push({ archivePath: fileInArchive, diskPath, size });
          }
        }
        return {
          id: d.id,
          attemptId: d.attemptId,
          kind: d.kind,
          status: d.status,
          note: d.note,
          // As the app treats it: marked so, or of a kind that always is (medical, bank statements).
          sensitive: isSensitiveDocument(d),
          file: d.storedName
            ? { originalName: d.fileName, mimeType: d.mimeType, sizeBytes: d.sizeBytes, inArchive: fileInArchive }
            : null,
          createdAt: at(d.createdAt),
          updatedAt: at(d.updatedAt),
        };
      }),
      contacts: (contactsBy.get(c.id) ?? []).map(({ c: k, byName, byRole }) => ({
        id: k.id,
        channel: k.channel,
        direction: k.direction,
        occurredAt: at(k.occurredAt),
        agentId: k.agentId,
        theirNumber: k.theirNumber,
        summary: k.summary,
        promise: k.promise,
        promiseDue: k.promiseDue,
        // Whether the lender kept it (kept, broken; null while awaited), and the day: evidence for a complaint.
        promiseOutcome: k.promiseOutcome,
        promiseOutcomeOn: k.promiseOutcomeOn,
        recordedBy: person(k.createdBy, byName, byRole),
        createdAt: at(k.createdAt),
      })),
      plans: (plansBy.get(c.id) ?? []).map((p) => ({
        id: p.id,
        attemptId: p.attemptId,
        periods: p.periods,
        monthly: money(p.monthlyFen),
        firstDueOn: p.firstDueOn,
        total: money(p.totalFen),
        cancelledByTheLenderOn: p.voidedOn,
        paidOffAtOnceOn: p.paidOffOn,
        owedWhenPaidOff: money(p.paidOffOwedFen),
        createdAt: at(p.createdAt),
        instalments: (instalmentsBy.get(p.id) ?? []).map((i) => ({
          id: i.id,
          seq: i.seq,
          dueOn: i.dueOn,
          amount: money(i.amountFen),
          paidOn: i.paidOn,
          paid: money(i.paidFen),
        })),
      })),
      timeline: (eventsBy.get(c.id) ?? []).map(({ e, actorName, actorRole }) => ({
        id: e.id,
        kind: e.kind,
        data: e.data,
        by: person(e.actorId, actorName, actorRole),
        at: at(e.createdAt),
      })),
    }));

    // A reminder names its case's lender as it is now (lib/reminder-text.ts), as the inbox does.
    const lenderOfCase = new Map(caseRows.map(({ c, lenderName }) => [c.id, lenderName]));
    const exportedReminders = reminderRows.map(({ r, byName, byRole }) => ({
      id: r.id,
      caseId: r.caseId,
      kind: r.kind,
      title: r.title,
      // What the inbox says, in each language: a rule reminder has no title of its own, only its kind and data.
      ...(wording.reminderText ? { text: wording.reminderText({ kind: r.kind, title: r.title, note: r.note, data: r.data, dueOn: r.dueOn, lenderName: r.caseId ? lenderOfCase.get(r.caseId) : null }) } : {}),
      note: r.note,
      data: r.data,
      dueOn: r.dueOn,
      dueTime: r.dueTime,
      urgent: r.urgent,
      status: r.status,
      closedByRule: r.autoClosed,
      snoozedUntil: r.snoozedUntil,
      createdBy: r.ruleKey ? 'rule' : person(r.createdBy, byName, byRole),
      mailedAt: at(r.mailedAt),
      closedAt: at(r.closedAt),
      createdAt: at(r.createdAt),
    }));

    const privateLenders = tx
      .select()
      .from(lenders)
      .where(eq(lenders.ownerId, viewer.id))
      .orderBy(asc(lenders.id))
      .all()
      .map((l) => ({
        id: l.id,
        name: l.name,
        kind: l.kind,
        products: l.products,
        channels: l.channels,
        reviewWorkdays: l.reviewWorkdays,
        createdAt: at(l.createdAt),
      }));

    // Shares the viewer gave (as a borrower): with whom, since when, what they consented to.
    const sharesGiven = tx
      .select({ s: shares, name: users.displayName, email: users.email })
      .from(shares)
      .leftJoin(users, eq(users.id, shares.advisorId))
      .where(eq(shares.borrowerId, viewer.id))
      .orderBy(asc(shares.id))
      .all()
      .map(({ s, name, email }) => ({
        id: s.id,
        label: s.label,
        status: s.status,
        advisor: s.advisorId === null ? null : { name, email },
        consentAt: at(s.consentAt),
        sensitiveDocumentsConsentAt: at(s.sensitiveConsentAt),
        invitationExpiresAt: at(s.inviteExpiresAt),
        acceptedAt: at(s.acceptedAt),
        revokedAt: at(s.revokedAt),
        createdAt: at(s.createdAt),
      }));

    // What advisors looked at or did with the viewer's data.
    const accessToYourData = tx
      .select({ l: accessLog, name: sql<string>`coalesce(${users.displayName}, ${accessLog.advisorName})` })
      .from(accessLog)
      .leftJoin(users, eq(users.id, accessLog.advisorId))
      .where(eq(accessLog.borrowerId, viewer.id))
      .orderBy(asc(accessLog.id))
      .all()
      .map(({ l, name }) => ({ advisor: name, action: l.action, caseId: l.caseId, detail: l.detail, at: at(l.createdAt) }));

    // As an advisor: the shares they hold, and what they did with their clients' data.
    const sharesReceived = tx
      .select({ s: shares, name: users.displayName })
      .from(shares)
      .innerJoin(users, eq(users.id, shares.borrowerId))
      .where(eq(shares.advisorId, viewer.id))
      .orderBy(asc(shares.id))
      .all()
      .map(({ s, name }) => ({
        id: s.id,
        client: name,
        status: s.status,
        sensitiveDocumentsConsentAt: at(s.sensitiveConsentAt),
        acceptedAt: at(s.acceptedAt),
        revokedAt: at(s.revokedAt),
      }));
    const yourAccessToClients = tx
      .select()
      .from(accessLog)
      .where(eq(accessLog.advisorId, viewer.id))
      .orderBy(asc(accessLog.id))
      .all()
      .map((l) => ({ action: l.action, caseId: l.caseId, detail: l.detail, at: at(l.createdAt) }));
    const suggestionsYouMade = tx
      .select({ id: lenderSuggestions.id, lender: lenders.name, body: lenderSuggestions.body, status: lenderSuggestions.status, createdAt: lenderSuggestions.createdAt, resolvedAt: lenderSuggestions.resolvedAt })
      .from(lenderSuggestions)
      .leftJoin(lenders, eq(lenders.id, lenderSuggestions.lenderId))
      .where(eq(lenderSuggestions.authorId, viewer.id))
      .orderBy(asc(lenderSuggestions.id))
      .all()
      .map((x) => ({ id: x.id, lender: x.lender, suggestion: x.body, status: x.status, at: at(x.createdAt), answeredAt: at(x.resolvedAt) }));
    const notesYouWrote = tx
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.actorId, viewer.id), eq(caseEvents.kind, 'note'), notInArray(caseEvents.caseId, ownCaseIds)))
      .orderBy(asc(caseEvents.id))
      .all()
      .map((e) => ({ id: e.id, caseId: e.caseId, text: typeof e.data.text === 'string' ? e.data.text : '', at: at(e.createdAt) }));
    // A reminder written for a client is the client's to edit, to mark done, to add a private note to:
    // only while the client still shares with the advisor (as on their dashboard), never after the
    // share was revoked or the client left.
    const activeClients = tx
      .select({ id: shares.borrowerId })
      .from(shares)
      .where(and(eq(shares.advisorId, viewer.id), eq(shares.status, 'active')));
    const remindersYouWrote = tx
      .select()
      .from(reminders)
      .where(and(eq(reminders.createdBy, viewer.id), ne(reminders.ownerId, viewer.id), inArray(reminders.ownerId, activeClients)))
      .orderBy(asc(reminders.id))
      .all()
      .map((r) => ({
        id: r.id,
        caseId: r.caseId,
        title: r.title,
        note: r.note,
        dueOn: r.dueOn,
        dueTime: r.dueTime,
        status: r.status,
        createdAt: at(r.createdAt),
      }));

    const mail = tx
      .select()
      .from(emailDeliveries)
      .where(eq(emailDeliveries.userId, viewer.id))
      .orderBy(asc(emailDeliveries.id))
      .all()
      .map((d) => ({
        id: d.id,
        kind: d.kind,
        status: d.status,
        reminderIds: d.reminderIds,
        tries: d.attempts,
        lastError: d.lastError,
        sentAt: at(d.sentAt),
        createdAt: at(d.createdAt),
      }));

    const data: Record<string, unknown> = {
      about: { ...ABOUT, ...(wording.codeLabels ? { codes: CODES_NOTE } : {}), exportedAt: at(now) },
      ...(wording.codeLabels ? { codeLabels: wording.codeLabels } : {}),
      account: {
        id: user.id,
        email: user.email,
        // A new sign-in email asked for in settings and not yet confirmed (null when none waits).
        pendingEmail: user.pendingEmail,
        displayName: user.displayName,
        role: user.role,
        language: user.locale,
        settings: { emailReminders: user.emailReminders, calendarFeed: user.calendarToken ? 'on' : 'never opened' },
        createdAt: at(user.createdAt),
        updatedAt: at(user.updatedAt),
      },
      cases: exportedCases,
      reminders: exportedReminders,
      privateLenders,
      sharesYouGave: sharesGiven,
      advisorAccessToYourData: accessToYourData,
      mailToYou: mail,
    };
    if (user.role === 'advisor' || sharesReceived.length > 0 || notesYouWrote.length > 0 || remindersYouWrote.length > 0 || suggestionsYouMade.length > 0) {
      data.asAdvisor = {
        sharesWithYou: sharesReceived,
        notesYouWrote,
        remindersYouWroteForClients: remindersYouWrote,
        yourAccessToClientsData: yourAccessToClients,
        suggestionsToTheLenderDirectory: suggestionsYouMade,
      };
    }
    return { data, files };
  });
}

function fileSize(diskPath: string): number | null {
  try {
    return statSync(diskPath).size;
  } catch {
    return null;
  }
}

// --- the archive ------------------------------------------------------------------------------

/** The download's name: respite-export-2025-06-02.zip (the day in Shanghai). */
export function exportFileName(now = new Date()): string {
  return `respite-export-${todayInShanghai(now)}.zip`;
}

/**
 * The export as a zip, streamed: respite-export.json, README.txt, and files/<case>/<document>-<name>.
 * The data is read once, at the start (one consistent snapshot); the files are read from disk
 * chunk by chunk as the reader pulls, so a large archive is never held in memory. Stored files
 * (PDF, JPEG, PNG, WebP) are compressed already and go in as they are.
 */
export function exportAccountArchive(viewer: Viewer, readme: string, now = new Date(), wording: ExportWording = {}): ReadableStream<Uint8Array> {
  const { data, files } = exportAccountData(viewer, now, wording);
  // Each file opened together once the archive is read (not before: a body never read, as a HEAD
  // request's, leaves no file open), so that one deleted or replaced while the archive downloads
  // (minutes, on a phone) is still read whole, as it was — an open file outlives its name. Each is
  // closed once read, or when the download stops.
  let opened: (ExportFile & { fd: number | null })[] = [];
  const openAll = () =>
    files.map((file) => {
      try {
        return { ...file, fd: openSync(file.diskPath, 'r') as number | null };
      } catch {
        return { ...file, fd: null };
      }
    });
  const out: Uint8Array[] = [];
  let finished = false;
  let failure: unknown = null;
  const zip = new Zip((err, chunk, final) => {
    if (err) failure = err;
    else out.push(chunk);
    if (final) finished = true;
  });
  // A zip entry's time is a wall-clock time with no zone (MS-DOS), which fflate writes from the
  // server's local time: given the Shanghai wall clock as "local", the borrower's unzip shows the
  // time the export was made where they are, not the server's UTC.
  const mtime = new Date(now.getTime() + SHANGHAI_OFFSET_MS + now.getTimezoneOffset() * 60_000);

  // fflate flags a non-ASCII name as UTF-8 but says the archive was made by MS-DOS, and Info-ZIP's
  // unzip (Debian's, among others) reads a name from MS-DOS as its code page whatever the flag:
  // files/9/11-收入证明.pdf listed as files/9/11-������.pdf. Made by Unix, the name is read as the UTF-8
  // it is flagged as; the external attributes then hold Unix mode bits, a plain file's rw-r--r--.
  function add(entry: ZipDeflate | ZipPassThrough) {
    entry.mtime = mtime;
    entry.os = 3;
    entry.attrs = (0o100644 << 16) >>> 0;
    zip.add(entry);
  }

  function addText(name: string, text: string) {
    const entry = new ZipDeflate(name, { level: 6 });
    add(entry);
    entry.push(new TextEncoder().encode(text), true);
  }

  async function* produce(): AsyncGenerator<Uint8Array> {
    try {
      opened = openAll();
      addText('README.txt', readme);
      addText('respite-export.json', `${JSON.stringify(data, null, 2)}\n`);
      yield* drain();
      for (const file of opened) {
        const entry = new ZipPassThrough(file.archivePath);
        add(entry);
        if (file.fd !== null) {
          const fd = file.fd;
          file.fd = null; // the stream closes it
          for await (const chunk of createReadStream('', { fd, highWaterMark: 256 * 1024 })) {
            entry.push(chunk as Buffer);
            yield* drain();
          }
        }
        entry.push(new Uint8Array(0), true);
        yield* drain();
      }
      zip.end();
      yield* drain();
      if (!finished) throw new Error('zip did not finish');
    } finally {
      for (const file of opened) if (file.fd !== null) closeSync(file.fd);
    }
  }

  function* drain(): Generator<Uint8Array> {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  }

  const chunks = produce();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (e) {
          controller.error(e);
        }
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    // Nothing is pulled before a reader asks (the default would start at once).
    { highWaterMark: 0 },
  );
}

// --- deleting the account ---------------------------------------------------------------------

/** What deleting the account would remove, for the settings page to say so. */
export function accountDeletionSummary(viewer: Viewer) {
  const db = getDb();
  const one = (q: { get: () => { n: number } | undefined }) => q.get()?.n ?? 0;
  const ownCaseIds = db.select({ id: cases.id }).from(cases).where(eq(cases.ownerId, viewer.id));
  return {
    cases: one(db.select({ n: count() }).from(cases).where(eq(cases.ownerId, viewer.id))),
    files: one(
      db
        .select({ n: count() })
        .from(documents)
        .where(and(inArray(documents.caseId, ownCaseIds), sql`${documents.storedName} is not null`)),
    ),
    reminders: one(db.select({ n: count() }).from(reminders).where(eq(reminders.ownerId, viewer.id))),
    /** Advisors who can see the viewer's cases now. */
    activeSharesGiven: one(db.select({ n: count() }).from(shares).where(and(eq(shares.borrowerId, viewer.id), eq(shares.status, 'active')))),
    /** Clients whose cases the viewer (an advisor) can see now. */
    activeClients: one(db.select({ n: count() }).from(shares).where(and(eq(shares.advisorId, viewer.id), eq(shares.status, 'active')))),
  };
}

export type DeleteAccountResult = { filesRemoved: number; filesMissing: number };

/**
 * Deletes the viewer's account, after the password and a typed confirmation (the account's email).
 * A wrong password or confirmation changes nothing (DomainError 'wrong_password' / 'confirm_mismatch');
 * the last admin cannot leave ('last_admin'), or nobody could curate the lender directory.
 *
 * In one transaction:
 * - the shares the viewer gave are deleted with the account, so their advisors lose access on
 *   their next request (every read checks for an active share);
 * - the shares the viewer held as an advisor are revoked and detached from them, not deleted:
 *   the client keeps the record of whom they shared with, when they consented and when it ended;
 * - the viewer's own cases (and everything in them), reminders, private lenders, sessions, form
 *   keys, pending mail and access-log lines go (cases first: a case restricts its lender);
 * - what the viewer wrote on someone else's case (an advisor's notes, reminders for a client)
 *   stays, since it is the client's record: the foreign keys set its author to null, and each
 *   such timeline event is marked `deletedActorRole` so the client still reads "advisor (deleted)".
 * The stored files are removed after the commit (a file already gone is logged, not an error).
 */
export async function deleteAccount(
  viewer: Viewer,
  input: { password: string; confirmEmail: string },
  now = new Date(),
): Promise<DeleteAccountResult> {
  const db = getDb();
  const user = db.select().from(users).where(eq(users.id, viewer.id)).get();
  if (!user) throw new NotFoundError();
  await verifyPasswordAgain(user, input.password);
  if (normaliseEmail(input.confirmEmail) !== user.email) throw new DomainError('confirm_mismatch');

  // Overwritten, not only unlinked (withSecureDelete).
  const storedNames = withSecureDelete(db.$client, () =>
    db.transaction((tx) => {
      if (user.role === 'admin' && countOtherActiveAdmins(tx, viewer.id) === 0) throw new DomainError('last_admin');
      const ownCaseIds = tx.select({ id: cases.id }).from(cases).where(eq(cases.ownerId, viewer.id));
      const names = tx
        .select({ storedName: documents.storedName })
        .from(documents)
        .where(and(inArray(documents.caseId, ownCaseIds), sql`${documents.storedName} is not null`))
        .all()
        .map((r) => r.storedName!);

      // What they wrote on other people's cases keeps a trace of who wrote it.
      tx.update(caseEvents)
        .set({ data: sql`json_set(${caseEvents.data}, '$.deletedActorRole', ${user.role})` })
        .where(and(eq(caseEvents.actorId, viewer.id), notInArray(caseEvents.caseId, ownCaseIds)))
        .run();
      // As an advisor: access ends now; the client keeps the share's record.
      tx.update(shares)
        .set({ status: 'revoked', revokedAt: sql`coalesce(${shares.revokedAt}, ${now.getTime()})`, advisorId: null })
        .where(eq(shares.advisorId, viewer.id))
        .run();
      // As a borrower: the shares they gave, then their cases (cascading to everything in them),
      // then their private lenders (a case restricts its lender), then the account, whose
      // foreign keys take sessions, form keys, reminders, mail and access-log lines with it.
      tx.delete(shares).where(eq(shares.borrowerId, viewer.id)).run();
      tx.delete(cases).where(eq(cases.ownerId, viewer.id)).run();
      tx.delete(lenders).where(eq(lenders.ownerId, viewer.id)).run();
      tx.delete(emailDeliveries).where(eq(emailDeliveries.userId, viewer.id)).run();
      // The sign-in limiter's rows are keyed by the email, not the id: no foreign key takes them.
      forgetLoginLimits(tx, user.email);
      // Nor those under a new email still waiting for its link (tried at sign-in before it was confirmed),
      // unless another account signs in with that address by now: its counts are that account's.
      if (user.pendingEmail && !tx.select({ id: users.id }).from(users).where(eq(users.email, user.pendingEmail)).get()) {
        forgetLoginLimits(tx, user.pendingEmail);
      }
      const gone = tx.delete(users).where(eq(users.id, viewer.id)).run().changes;
      if (gone !== 1) throw new NotFoundError();
      return names;
    }),
  );

  return removeStoredFiles(storedNames);
}

/**
 * Runs a deletion with SQLite's secure_delete on: the freed cells and pages are zeroed, so what was
 * deleted does not linger in the file; then a checkpoint empties the write-ahead log of the old
 * pages (best effort: a reader still on an older snapshot keeps them until it is done). The pragma
 * is the connection's: it is set back before anything else can run on it (all synchronous).
 */
function withSecureDelete<T>(client: ReturnType<typeof getDb>['$client'], fn: () => T): T {
  const before = client.pragma('secure_delete', { simple: true }) as number;
  client.pragma('secure_delete = ON');
  try {
    return fn();
  } finally {
    client.pragma(`secure_delete = ${before}`);
    client.pragma('wal_checkpoint(TRUNCATE)');
  }
}
