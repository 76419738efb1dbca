/**
 * The unsubscribe link's page and its confirming route (app/mail/unsubscribe), as a mail program and
 * a person without a session reach them: a token that is not one (a character that is not ASCII),
 * RFC 8058's one-click POST in either form encoding, and the page's language in a browser that has
 * none chosen (a mail program's own).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { renderToStaticMarkup } from 'react-dom/server';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { getMailStatus, setEmailReminders } from '@/db/mailer';
import { asLocale } from '@/lib/i18n/config';
import { isUnsubscribeToken, pageLocale, unsubscribeToken, unsubscribeUrls } from '@/lib/unsubscribe';
import { makeBorrower } from '@/tests/factories';

// The request's context, stood in for: its locale cookie, and next-intl reading it as lib/i18n/request.ts does.
const context = vi.hoisted(() => ({ cookie: undefined as string | undefined }));
vi.mock('next/headers', () => ({
  cookies: async () => ({ get: (name: string) => (name === 'locale' && context.cookie !== undefined ? { name, value: context.cookie } : undefined) }),
}));
vi.mock('next-intl/server', () => ({
  getTranslations: async (arg: string | { locale: string; namespace: string }) => {
    const { locale, namespace } = typeof arg === 'string' ? { locale: asLocale(context.cookie), namespace: arg } : arg;
    const ns = namespace.split('.')[0];
    const messages = { [ns]: JSON.parse(readFileSync(path.join('messages', locale, `${ns}.json`), 'utf8')) };
    return createTranslator({ locale, messages, namespace: namespace as never });
  },
}));

const { POST } = await import('@/app/mail/unsubscribe/confirm/route');
const { default: UnsubscribePage, generateMetadata } = await import('@/app/mail/unsubscribe/page');

const APP = 'https://respite.example';
const words = (locale: 'zh-CN' | 'en') => JSON.parse(readFileSync(path.join('messages', locale, 'mail.json'), 'utf8')).unsubscribePage as Record<string, string>;

const confirmUrl = (userId: number, token: string, extra = '') => `${APP}/mail/unsubscribe/confirm?u=${userId}&t=${encodeURIComponent(token)}${extra}`;

async function page(query: Record<string, string>): Promise<string> {
  return renderToStaticMarkup(await UnsubscribePage({ searchParams: Promise.resolve(query) }));
}

beforeEach(() => {
  context.cookie = undefined;
});

describe('a token that is not one', () => {
  it('is refused, not thrown on, when it has the length of a token but a character that is not ASCII', async () => {
    const { id } = makeBorrower();
    const token = unsubscribeToken(id)!;
    const odd = `é${token.slice(1)}`; // 43 characters, 44 bytes
    expect(odd).toHaveLength(token.length);
    expect(isUnsubscribeToken(id, odd)).toBe(false);
    expect(isUnsubscribeToken(id, `${token.slice(0, 42)}中`)).toBe(false);
    expect(isUnsubscribeToken(id, token)).toBe(true);

    // The route answers as for any wrong link: not found for the mail program, "invalid" for the button.
    const oneClick = await POST(new Request(confirmUrl(id, odd), { method: 'POST', body: new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }) }));
    expect(oneClick.status).toBe(404);
    const button = await POST(new Request(confirmUrl(id, odd), { method: 'POST' }));
    expect(button.status).toBe(303);
    expect(button.headers.get('location')).toBe('/mail/unsubscribe?invalid=1');
    expect(getMailStatus({ id } as never).enabled).toBe(true);
    // And the page that asks first opens.
    expect(await page({ u: String(id), t: odd })).toContain(words('zh-CN').button);
  });
});

describe('RFC 8058 one-click', () => {
  it('stops reminder mail for a one-click POST sent as multipart/form-data (the RFC\'s own example), as for one url-encoded', async () => {
    for (const body of [
      () => {
        const form = new FormData();
        form.set('List-Unsubscribe', 'One-Click');
        return form;
      },
      () => new URLSearchParams({ 'List-Unsubscribe': 'One-Click' }),
    ]) {
      const viewer = makeBorrower();
      const res = await POST(new Request(confirmUrl(viewer.id, unsubscribeToken(viewer.id)!), { method: 'POST', body: body() }));
      expect(res.status).toBe(200);
      expect(await res.text()).toBe('Unsubscribed\n');
      expect(getMailStatus(viewer).enabled).toBe(false);
    }
  });

  it('reads the RFC\'s multipart body as a mail program writes it, and one sent with no type', async () => {
    const viewer = makeBorrower();
    const boundary = 'XXXXboundary text';
    const body = `--${boundary}\r\nContent-Disposition: form-data; name="List-Unsubscribe"\r\n\r\nOne-Click\r\n--${boundary}--\r\n`;
    const res = await POST(
      new Request(confirmUrl(viewer.id, unsubscribeToken(viewer.id)!), { method: 'POST', body, headers: { 'Content-Type': `multipart/form-data; boundary="${boundary}"` } }),
    );
    expect(res.status).toBe(200);
    expect(getMailStatus(viewer).enabled).toBe(false);

    const bare = makeBorrower();
    const blob = new Blob(['List-Unsubscribe=One-Click']); // no Content-Type at all
    const plain = await POST(new Request(confirmUrl(bare.id, unsubscribeToken(bare.id)!), { method: 'POST', body: blob }));
    expect(plain.status).toBe(200);
  });

  it('takes an empty or malformed body for the page\'s button, never a failure; a wrong one-click value is no one-click', async () => {
    const viewer = makeBorrower();
    const url = confirmUrl(viewer.id, unsubscribeToken(viewer.id)!);
    const bodies: [string, string | undefined][] = [
      ['', 'application/x-www-form-urlencoded'],
      ['', 'multipart/form-data'], // no boundary
      ['--nope\r\nnonsense', 'multipart/form-data; boundary=other'],
      ['List-Unsubscribe=One-Click-Maybe', 'application/x-www-form-urlencoded'],
      ['{"List-Unsubscribe":"One-Click"}', 'application/json'],
    ];
    for (const [body, type] of bodies) {
      setEmailReminders(viewer, true);
      const res = await POST(new Request(url, { method: 'POST', body, headers: type ? { 'Content-Type': type } : {} }));
      expect(res.status, `${type}: ${body}`).toBe(303);
      expect(res.headers.get('location')).toBe('/mail/unsubscribe?done=1');
    }
  });
});

describe('the page\'s language, in a browser with none chosen', () => {
  it('names the account\'s language in the mail\'s page link, not in the signed token', () => {
    const urls = unsubscribeUrls(APP, 42, { locale: 'en' })!;
    expect(urls.page).toBe(`${APP}/mail/unsubscribe?u=42&t=${unsubscribeToken(42)}&l=en`);
    expect(urls.oneClick).toBe(`${APP}/mail/unsubscribe/confirm?u=42&t=${unsubscribeToken(42)}`);
  });

  it('speaks an English account\'s language from its link without a cookie, and carries it to the page that says it is done', async () => {
    const viewer = makeBorrower({ locale: 'en' });
    const token = unsubscribeToken(viewer.id)!;
    const en = words('en');
    const zh = words('zh-CN');

    const asking = await page({ u: String(viewer.id), t: token, l: 'en' });
    expect(asking).toContain(en.title);
    expect(asking).toContain(en.button);
    expect(asking).not.toContain(zh.button);
    expect(asking).toContain(`action="/mail/unsubscribe/confirm?u=${viewer.id}&amp;t=${token}&amp;l=en"`);
    expect((await generateMetadata({ searchParams: Promise.resolve({ u: String(viewer.id), t: token, l: 'en' }) })).title).toBe(en.title);

    const res = await POST(new Request(confirmUrl(viewer.id, token, '&l=en'), { method: 'POST' }));
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/mail/unsubscribe?done=1&l=en');
    expect(getMailStatus(viewer).enabled).toBe(false);
    const done = await page({ done: '1', l: 'en' });
    expect(done).toContain(en.done);
  });

  it('keeps a language chosen on this device, the default for a Chinese account, and the usual one for a link that is not right', async () => {
    const viewer = makeBorrower({ locale: 'en' });
    const token = unsubscribeToken(viewer.id)!;
    const en = words('en');
    const zh = words('zh-CN');

    // Chosen on this device (the cookie): the reader's.
    context.cookie = 'zh-CN';
    expect(await page({ u: String(viewer.id), t: token, l: 'en' })).toContain(zh.button);
    const chosen = await POST(new Request(confirmUrl(viewer.id, token, '&l=en'), { method: 'POST', headers: { Cookie: 'theme=x; locale=zh-CN' } }));
    expect(chosen.headers.get('location')).toBe('/mail/unsubscribe?done=1');
    context.cookie = undefined;

    // A link that is not right: its language is not taken from it.
    setEmailReminders(viewer, true);
    expect(await page({ u: String(viewer.id), t: `${token.slice(0, 42)}A`, l: 'en' })).toContain(zh.button);
    const wrong = await POST(new Request(confirmUrl(viewer.id, `${token.slice(0, 42)}A`, '&l=en'), { method: 'POST' }));
    expect(wrong.headers.get('location')).toBe('/mail/unsubscribe?invalid=1');

    // A Chinese account's link needs no naming: the page speaks Chinese anyway.
    const chinese = makeBorrower({ locale: 'zh-CN' });
    const back = await POST(new Request(confirmUrl(chinese.id, unsubscribeToken(chinese.id)!, '&l=zh-CN'), { method: 'POST' }));
    expect(back.headers.get('location')).toBe('/mail/unsubscribe?done=1');
    expect(await page({ done: '1' })).toContain(zh.done);
    expect(en.done).not.toBe(zh.done);
  });

  it('decides by the cookie first, then a verified link\'s language', () => {
    expect(pageLocale(undefined, 'en', true)).toBe('en');
    expect(pageLocale(undefined, 'en', false)).toBeNull();
    expect(pageLocale('zh-CN', 'en', true)).toBeNull();
    expect(pageLocale('fr', 'en', true)).toBe('en'); // a cookie that names no language of ours is none
    expect(pageLocale(undefined, 'fr', true)).toBeNull();
    expect(pageLocale(undefined, null, true)).toBeNull();
  });
});
