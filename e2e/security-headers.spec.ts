import { expect, test, type APIResponse, type Response } from '@playwright/test';
import { createCase, openFold, pngBytes, signUp, submitButton } from './helpers';

/**
 * Every kind of response carries the security headers: a page, a server action's answer, the
 * calendar feed's 404, a document download (with its own, stricter sandbox policy), /signin and
 * the redirect to it. The page policy allows no eval and no framing. Pages load without a single
 * Content-Security-Policy violation in the console.
 */

type AnyResponse = Response | APIResponse;

async function headersOf(response: AnyResponse): Promise<Record<string, string>> {
  return 'allHeaders' in response ? response.allHeaders() : response.headers();
}

async function expectSecurityHeaders(response: AnyResponse, what: string): Promise<string> {
  const h = await headersOf(response);
  expect(h['x-content-type-options'], `${what}: nosniff`).toBe('nosniff');
  expect(h['referrer-policy'], `${what}: Referrer-Policy`).toBe('same-origin');
  expect(h['x-frame-options'], `${what}: X-Frame-Options`).toBe('DENY');
  expect(h['permissions-policy'], `${what}: Permissions-Policy`).toContain('camera=()');
  const csp = h['content-security-policy'];
  expect(csp, `${what}: Content-Security-Policy`).toBeTruthy();
  expect(csp, `${what}: no eval`).not.toContain('unsafe-eval');
  // Served over plain HTTP here: no HSTS (it is only sent behind HTTPS).
  expect(h['strict-transport-security'], `${what}: no HSTS over http`).toBeUndefined();
  return csp;
}

function expectPagePolicy(csp: string): void {
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'self'");
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+' 'strict-dynamic'/);
  expect(csp).not.toMatch(/script-src[^;]*'unsafe-inline'/);
}

test('every kind of response carries the security headers', async ({ page, request }) => {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content.Security.Policy/i.test(m.text())) violations.push(m.text());
  });

  // /signin, and the redirect there for a visitor without a session.
  const signin = await request.get('/signin');
  expect(signin.status()).toBe(200);
  expectPagePolicy(await expectSecurityHeaders(signin, '/signin'));
  const redirect = await request.get('/cases', { maxRedirects: 0 });
  expect(redirect.status()).toBe(307);
  expectPagePolicy(await expectSecurityHeaders(redirect, 'redirect to /signin'));

  // A fresh nonce each time.
  const again = await request.get('/signin');
  expect((await headersOf(again))['content-security-policy']).not.toBe((await headersOf(signin))['content-security-policy']);

  await signUp(page);
  // A page, as the browser got it.
  const casesPage = await page.goto('/cases');
  expectPagePolicy(await expectSecurityHeaders(casesPage!, '/cases'));

  // A server action's answer (creating a case, then adding a document).
  const caseId = await createCase(page, { principal: '5000' });
  const form = (await openFold(page.getByTestId('documents').getByTestId('add-document'))).getByTestId('add-document-form');
  await form.locator('select[name="kind"]').selectOption('other');
  const actionAnswer = page.waitForResponse((r) => r.request().method() === 'POST' && !!r.request().headers()['next-action']);
  await submitButton(form).click();
  expectPagePolicy(await expectSecurityHeaders(await actionAnswer, 'server action POST'));

  // A document download keeps its own sandbox policy.
  const doc = page.getByTestId('documents').locator('[data-testid="document"][data-kind="other"]');
  await expect(doc).toHaveCount(1);
  await openFold(doc.getByTestId('document-manage'));
  const upload = doc.getByTestId('document-upload-form');
  await upload.locator('input[type="file"]').setInputFiles({ name: 'proof.png', mimeType: 'image/png', buffer: pngBytes() });
  await submitButton(upload).click();
  await expect(doc.getByTestId('document-download')).toBeVisible();
  const documentId = Number(await doc.getAttribute('data-document-id'));
  const download = await page.request.get(`/documents/${documentId}`);
  expect(download.status()).toBe(200);
  const downloadCsp = await expectSecurityHeaders(download, 'document download');
  expect(downloadCsp).toContain('sandbox');
  expect(downloadCsp).toContain("default-src 'none'");

  // The calendar feed with an unknown token: a 404 that still carries the headers.
  const calendar = await request.get(`/calendar/${'a'.repeat(43)}.ics`, { maxRedirects: 0 });
  expect(calendar.status()).toBe(404);
  await expectSecurityHeaders(calendar, 'calendar 404');

  // The case page once more, fully loaded: no policy violation reported.
  await page.goto(`/cases/${caseId}`);
  await page.waitForLoadState('networkidle');
  expect(violations).toEqual([]);
});

test('HSTS only over HTTPS (behind a TLS proxy)', async ({ request }) => {
  const viaHttps = await request.get('/signin', { headers: { 'x-forwarded-proto': 'https' } });
  expect((await headersOf(viaHttps))['strict-transport-security']).toBe('max-age=31536000; includeSubDomains');
  const plain = await request.get('/signin');
  expect((await headersOf(plain))['strict-transport-security']).toBeUndefined();
});
