import { eq } from 'drizzle-orm';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getDb } from '@/db/client';
import { accessLog } from '@/db/schema';
import { acceptInvite, createInvite } from '@/db/shares';
import type { Viewer } from '@/db/viewer-type';
import { makeAdvisor, makeBorrower, makeCase } from '@/tests/factories';

// The route's request context, stood in for: who is signed in, and their language.
const context = vi.hoisted(() => ({ viewer: null as Viewer | null, locale: 'zh-CN' }));
vi.mock('@/db/viewer', () => ({ getViewer: async () => context.viewer }));
vi.mock('next-intl/server', () => ({
  getLocale: async () => context.locale,
  getTranslations: async (namespace: string) => {
    const [ns, ...rest] = namespace.split('.');
    const messages = { [ns]: JSON.parse(readFileSync(path.join('messages', context.locale, `${ns}.json`), 'utf8')) };
    return createTranslator({ locale: context.locale, messages, namespace: [ns, ...rest].join('.') as never });
  },
}));

const { GET } = await import('@/app/dashboard/export/route');

function viewer(role: Viewer['role']): Viewer {
  return { id: 999_999, role, email: `${role}@example.com`, displayName: '王小明', locale: context.locale } as Viewer;
}

const request = () => new Request('http://127.0.0.1:3000/dashboard/export?status=repaying');

describe('/dashboard/export for anyone but an advisor', () => {
  beforeEach(() => {
    context.viewer = null;
    context.locale = 'zh-CN';
  });

  it('sends a visitor who is not signed in to sign in', async () => {
    const res = await GET(request());
    expect(res.status).toBe(303);
    // Relative: the host this server sees may not be the browser's; back to the dashboard after.
    expect(res.headers.get('location')).toBe('/signin?next=%2Fdashboard');
  });

  it.each([
    ['a borrower', 'borrower'],
    ['an admin', 'admin'],
  ] as const)('answers %s with the app’s not-found page, in their language', async (_, role) => {
    context.viewer = viewer(role);
    const res = await GET(request());
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
    const html = await res.text();
    expect(html).toContain('<html lang="zh-CN">');
    expect(html).toContain('<title>未找到</title>');
    expect(html).toContain('该页面不存在，或你无权查看。');
    expect(html).toContain('<a href="/"');
    expect(html).toContain('返回首页');
    expect(html).toContain('data-testid="export-not-found"');
    expect(html).not.toContain('Not found');
  });

  it('says it in English to a reader of English', async () => {
    context.locale = 'en';
    context.viewer = viewer('borrower');
    const res = await GET(request());
    expect(res.status).toBe(404);
    const html = await res.text();
    const common = JSON.parse(readFileSync(path.join('messages', 'en', 'common.json'), 'utf8'));
    expect(html).toContain('<html lang="en">');
    expect(html).toContain(`<title>${common.notFound.title}</title>`);
  });
});

describe('/dashboard/export for an advisor, asked from another site', () => {
  const exportsLogged = (advisorId: number) => getDb().select().from(accessLog).where(eq(accessLog.advisorId, advisorId)).all().filter((l) => l.action === 'export').length;

  it('answers a link from another site with a page that says what an export records, and exports nothing; from the app, it exports', async () => {
    context.locale = 'zh-CN';
    const client = makeBorrower();
    makeCase(client);
    const advisor = makeAdvisor();
    acceptInvite(advisor, createInvite(client, '').code);
    context.viewer = advisor;
    const sharing = JSON.parse(readFileSync(path.join('messages', 'zh-CN', 'sharing.json'), 'utf8'));

    for (const site of ['cross-site', 'same-site']) {
      const res = await GET(new Request('http://127.0.0.1:3000/dashboard/export?status=preparing', { headers: { 'sec-fetch-site': site } }));
      expect(res.status, site).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      const html = await res.text();
      expect(html).toContain('data-testid="export-from-another-site"');
      expect(html).toContain(sharing.fromAnotherSite.body);
      // Its link is the same export, from here.
      expect(html).toContain('<a href="/dashboard/export?status=preparing"');
      expect(exportsLogged(advisor.id)).toBe(0);
    }

    for (const site of ['same-origin', 'none', null]) {
      const res = await GET(new Request('http://127.0.0.1:3000/dashboard/export', site ? { headers: { 'sec-fetch-site': site } } : {}));
      expect(res.headers.get('content-type'), String(site)).toBe('text/csv; charset=utf-8');
    }
    expect(exportsLogged(advisor.id)).toBe(3);
  });
});
