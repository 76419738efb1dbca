import { readFileSync } from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { createTranslator } from 'next-intl';
import { describe, expect, it, vi } from 'vitest';
import { idleState } from '@/components/form/state';
import { getDb } from '@/db/client';
import { users } from '@/db/schema';
import { passwordResetToken } from '@/lib/password-reset';
import { makeBorrower } from './factories';

// The action's request context, stood in for: the reader's language.
vi.mock('next-intl/server', () => ({
  getLocale: async () => 'zh-CN',
  getTranslations: async (namespace: string) => {
    const ns = namespace.split('.')[0];
    const messages = { [ns]: JSON.parse(readFileSync(path.join('messages', 'zh-CN', `${ns}.json`), 'utf8')) };
    return createTranslator({ locale: 'zh-CN', messages, namespace: namespace as never });
  },
}));

// Auth.js, which the other actions of the file sign in with, is not loaded outside Next.
vi.mock('@/auth', () => ({ signIn: async () => undefined }));
vi.mock('next-auth', () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));

const { resetPasswordAction } = await import('@/app/(auth)/actions');

function form(fields: Record<string, string>): FormData {
  const data = new FormData();
  for (const [k, v] of Object.entries(fields)) data.set(k, v);
  return data;
}

function linkFor(userId: number): string {
  return passwordResetToken(getDb().select().from(users).where(eq(users.id, userId)).get()!, new Date())!;
}

// As sign-in and sign-up: a refused form comes back with `values`, which tells the emptied password
// fields to say "type it again" (components/form/fields.tsx); the passwords themselves never come back.
describe('resetPasswordAction, refused', () => {
  it('for passwords that differ: the fields say to type them again, and no password comes back', async () => {
    const token = linkFor(makeBorrower().id);
    const state = await resetPasswordAction(idleState, form({ token, next: 'a good long password 1', confirm: 'a good long password 2' }));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { confirm: expect.any(String) } });
    expect(state.values).toEqual({});
  });

  it('for a password too easy to guess', async () => {
    const borrower = makeBorrower();
    const state = await resetPasswordAction(idleState, form({ token: linkFor(borrower.id), next: borrower.email, confirm: borrower.email }));
    expect(state).toMatchObject({ status: 'error', fieldErrors: { next: expect.any(String) } });
    expect(state.values).toEqual({});
  });

  it('for a link that no longer works: nothing to type again, the message says to ask for a new link', async () => {
    const state = await resetPasswordAction(idleState, form({ token: 'not-a-link', next: 'a good long password 1', confirm: 'a good long password 1' }));
    const errors = JSON.parse(readFileSync(path.join('messages', 'zh-CN', 'errors.json'), 'utf8'));
    expect(state).toMatchObject({ status: 'error', message: errors.reset_link_invalid });
    expect(state.values).toBeUndefined();
  });
});
