/**
 * Settings' small forms (app/settings/actions.ts), as the person reads their answers: cancelling a
 * change of sign-in email that is no longer waiting, and "sign out everywhere else" with nobody else
 * signed in. The new address's link travels through a real SMTP server on loopback.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { idleState } from '@/components/form/state';
import { changeEmail, createSession, pendingEmailChange, systemConfirmEmail, viewerForSession } from '@/db/users';
import type { Viewer } from '@/db/viewer-type';
import { makeUser, TEST_PASSWORD, uniqueEmail } from './factories';
import { startSmtpServer, transportTo, type TestSmtp } from './mail-helpers';

const LOCALE = vi.hoisted(() => ({ current: 'zh-CN' as 'zh-CN' | 'en' }));
const VIEWER = vi.hoisted(() => ({ current: null as Viewer | null }));
const REVALIDATED = vi.hoisted(() => ({ paths: [] as string[] }));
const FLASHED = vi.hoisted(() => ({ messages: [] as string[] }));

// The action's request context, stood in for: the reader's language, who is signed in, the page to refresh.
vi.mock('next-intl/server', async () => (await import('./action-context')).nextIntlServerIn(() => LOCALE.current));
vi.mock('@/db/viewer', () => ({ getViewer: async () => VIEWER.current }));
vi.mock('next/cache', () => ({ revalidatePath: (p: string) => void REVALIDATED.paths.push(p) }));
// The page drawn next says the answer (the form goes with the waiting notice): the flash cookie, stood in for.
vi.mock('@/app/_lib/flash', () => ({ flashSaved: async (m: string) => void FLASHED.messages.push(m) }));
// Auth.js, which account deletion signs out with, is not loaded outside Next.
vi.mock('@/auth', () => ({ signOut: async () => undefined }));

const { cancelEmailChangeAction, signOutEverywhereAction } = await import('@/app/settings/actions');

const settings = (locale: 'zh-CN' | 'en') => JSON.parse(readFileSync(path.join('messages', locale, 'settings.json'), 'utf8'));
const say = (locale: 'zh-CN' | 'en', key: string, values: Record<string, string | number>) =>
  createTranslator({ locale, messages: { settings: settings(locale) }, namespace: 'settings' })(key as never, values as never);

/** The signed-in person as the next request reads them: the account as it is now. */
function signedIn(sessionId: string): Viewer {
  return (VIEWER.current = viewerForSession(sessionId)!);
}

beforeEach(() => {
  REVALIDATED.paths = [];
  FLASHED.messages = [];
  LOCALE.current = 'zh-CN';
});

describe('cancelling a change of sign-in email', () => {
  let smtp: TestSmtp;
  beforeAll(async () => {
    smtp = await startSmtpServer();
  });
  afterAll(async () => {
    await smtp.close();
  });
  const linkTo = (email: string) =>
    decodeURIComponent(/https:\/\/respite\.example\/confirm-email\?t=(\S+)/.exec(smtp.received.find((m) => m.to.includes(email))!.text)![1]!);

  /** An account whose sign-in email change waits for the link mailed to `moved`. */
  async function waitingChange(locale: 'zh-CN' | 'en') {
    const user = makeUser({ role: 'borrower', locale });
    const session = user.sessionId;
    signedIn(session);
    const moved = uniqueEmail('moved');
    await changeEmail(user, { password: TEST_PASSWORD, email: moved }, { transport: transportTo(smtp.port), appUrl: 'https://respite.example', wait: true });
    expect(pendingEmailChange(user)).toBe(moved);
    return { user, moved, session };
  }

  it.each(['zh-CN', 'en'] as const)('while one waits: cancelled, and said so (%s)', async (locale) => {
    LOCALE.current = locale;
    const { user } = await waitingChange(locale);
    const state = await cancelEmailChangeAction(idleState, new FormData());
    expect(state).toMatchObject({ status: 'ok', message: say(locale, 'emailChangeCancelled', { email: user.email }) });
    expect(pendingEmailChange(user)).toBeNull();
    expect(REVALIDATED.paths).toEqual(['/settings']);
    expect(FLASHED.messages).toEqual([say(locale, 'emailChangeCancelledFlash', {})]);
  });

  it.each(['zh-CN', 'en'] as const)('confirmed meanwhile in another tab: not "cancelled", but that none was waiting, with the address it is now (%s)', async (locale) => {
    LOCALE.current = locale;
    const { moved, session } = await waitingChange(locale);
    // The settings page was open on the computer; the link was opened on the phone.
    await systemConfirmEmail(linkTo(moved));
    const viewer = signedIn(session);
    expect(viewer.email).toBe(moved);
    const state = await cancelEmailChangeAction(idleState, new FormData());
    expect(state.status).toBe('ok');
    expect(state.message).toBe(say(locale, 'emailChangeNoneWaiting', { email: moved }));
    expect(state.message).not.toBe(say(locale, 'emailChangeCancelled', { email: moved }));
    // The change stands: the sign-in email is the new one.
    expect(viewerForSession(session)).toMatchObject({ email: moved });
    // The page is drawn again without the waiting notice (and this form); the page drawn next says it,
    // naming no address (the page shows the sign-in email as it is now).
    expect(REVALIDATED.paths).toEqual(['/settings']);
    expect(FLASHED.messages).toEqual([say(locale, 'emailChangeNoneWaitingFlash', {})]);
    expect(FLASHED.messages[0]).not.toContain(moved);
  });

  it('nothing was ever waiting: said so', async () => {
    const user = makeUser({ role: 'borrower' });
    signedIn(user.sessionId);
    const state = await cancelEmailChangeAction(idleState, new FormData());
    expect(state).toMatchObject({ status: 'ok', message: `没有等待确认的更改：登录邮箱现在是 ${user.email}。` });
  });
});

describe('sign out everywhere else', () => {
  it.each([
    ['zh-CN', 0, '没有其他设备在登录。'],
    ['zh-CN', 2, '已退出其他 2 个登录。'],
    ['en', 0, 'No other sessions were signed in.'],
    ['en', 1, 'Signed out 1 other session.'],
  ] as const)('%s, %i others: says what happened', async (locale, others, said) => {
    LOCALE.current = locale;
    // Signed in here (the factory's session), and on `others` other devices.
    const user = makeUser({ role: 'borrower', locale });
    signedIn(user.sessionId);
    for (let i = 0; i < others; i++) createSession(user.id);
    const state = await signOutEverywhereAction(idleState, new FormData());
    expect(state).toMatchObject({ status: 'ok', message: said });
  });
});
