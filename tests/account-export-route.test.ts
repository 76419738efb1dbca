/**
 * /settings/export (app/settings/export/route.ts): the archive's JSON says what its codes mean, in
 * both languages, as the app says them; here, whether the lender kept a contact's promise.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { createTranslator } from 'next-intl';
import { describe, expect, it, vi } from 'vitest';
import { addContact, recordPromiseOutcome } from '@/db/contacts';
import type { Viewer } from '@/db/viewer-type';
import { contactInput, makeBorrower, makeCase, versionOf } from '@/tests/factories';

// The route's request context, stood in for: who is signed in; translations in the language asked for.
const context = vi.hoisted(() => ({ viewer: null as Viewer | null }));
vi.mock('@/db/viewer', () => ({ getViewer: async () => context.viewer }));
vi.mock('next-intl/server', () => ({
  getTranslations: async ({ locale, namespace }: { locale: string; namespace: string }) => {
    const ns = namespace.split('.')[0]!;
    const messages = { [ns]: JSON.parse(readFileSync(path.join('messages', locale, `${ns}.json`), 'utf8')) };
    return createTranslator({ locale, messages, namespace: namespace as never });
  },
}));

const { GET } = await import('@/app/settings/export/route');

const contacts = (locale: string) => JSON.parse(readFileSync(path.join('messages', locale, 'case.json'), 'utf8')).contacts;

describe('/settings/export', () => {
  it("labels whether a promise was kept, in Chinese and English, beside the contacts that say it", async () => {
    const owner = makeBorrower();
    const caseId = makeCase(owner);
    const broken = addContact(owner, caseId, contactInput({ promise: '减免罚息' }));
    recordPromiseOutcome(owner, caseId, versionOf(caseId), broken, { outcome: 'broken', on: '2025-04-10' });
    context.viewer = owner;

    const res = await GET(new Request('http://127.0.0.1:3000/settings/export'));
    expect(res.status).toBe(200);
    const zip = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const json = JSON.parse(strFromU8(zip['respite-export.json']!));

    expect(json.codeLabels.promiseOutcome).toEqual({
      kept: { 'zh-CN': contacts('zh-CN').outcomeOptionKept, en: contacts('en').outcomeOptionKept },
      broken: { 'zh-CN': contacts('zh-CN').outcomeOptionBroken, en: contacts('en').outcomeOptionBroken },
    });
    expect(json.codeLabels.promiseOutcome.broken).toEqual({ 'zh-CN': '没有兑现', en: 'Broken' });
    expect(json.cases[0].contacts[0]).toMatchObject({ promise: '减免罚息', promiseOutcome: 'broken', promiseOutcomeOn: '2025-04-10' });
    // The other codes are labelled as before.
    expect(json.codeLabels.contactChannel.phone['zh-CN']).toBeTypeOf('string');
  });
});
