import { describe, expect, it } from 'vitest';
import { appUrl, DEFAULT_FROM, mailConfig, mailConfigured } from './mail-config';
import { loadMessages } from './i18n/messages';
import { DIGEST_LIST_LIMIT, escapeHtml, renderReminderMail, type MailItem } from './reminder-mail';

describe('mail configuration', () => {
  it('is off without SMTP_HOST, whatever else is set', () => {
    expect(mailConfigured({ SMTP_PORT: '25', SMTP_USER: 'u' })).toBe(false);
    expect(mailConfigured({ SMTP_HOST: '  ' })).toBe(false);
    expect(mailConfig({ SMTP_PORT: '25' })).toBeNull();
  });

  it('defaults: port 587 with STARTTLS, the default sender, links to this server', () => {
    expect(mailConfig({ SMTP_HOST: 'smtp.example.com' })).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      user: null,
      password: null,
      from: DEFAULT_FROM,
      appUrl: 'http://127.0.0.1:3000',
    });
    expect(appUrl({ PORT: '8080' })).toBe('http://127.0.0.1:8080');
  });

  it('uses TLS from the start on port 465 unless SMTP_SECURE says otherwise', () => {
    expect(mailConfig({ SMTP_HOST: 'h', SMTP_PORT: '465' })?.secure).toBe(true);
    expect(mailConfig({ SMTP_HOST: 'h', SMTP_PORT: '465', SMTP_SECURE: 'false' })?.secure).toBe(false);
    expect(mailConfig({ SMTP_HOST: 'h', SMTP_PORT: '2525', SMTP_SECURE: 'true' })?.secure).toBe(true);
  });

  it('reads the account, sender and APP_URL (without a trailing slash)', () => {
    expect(
      mailConfig({
        SMTP_HOST: 'h',
        SMTP_USER: 'bot@example.com',
        SMTP_PASSWORD: 's3cret ',
        SMTP_FROM: 'Respite <bot@example.com>',
        APP_URL: 'https://respite.example.com/',
      }),
    ).toMatchObject({ user: 'bot@example.com', password: 's3cret ', from: 'Respite <bot@example.com>', appUrl: 'https://respite.example.com' });
  });

  it('refuses a port that is not one', () => {
    expect(() => mailConfig({ SMTP_HOST: 'h', SMTP_PORT: 'smtp' })).toThrow(/SMTP_PORT/);
  });
});

describe('reminder mail text', () => {
  const item = (id: number, title: string): MailItem => ({ id, kind: 'custom', title, dueOn: '2025-04-08', data: {}, lenderName: '招商银行' });

  it('escapes HTML', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
  });

  it('lists at most DIGEST_LIST_LIMIT items and counts the rest, with the name escaped', async () => {
    const items = Array.from({ length: DIGEST_LIST_LIMIT + 3 }, (_, i) => item(i + 1, `事项 ${i + 1}`));
    const mail = renderReminderMail({
      kind: 'digest',
      locale: 'zh-CN',
      messages: await loadMessages('zh-CN'),
      displayName: '<script>x</script>',
      items,
      today: '2025-04-08',
      appUrl: 'https://r.example',
    });
    expect(mail.subject).toBe(`【协商记】今日待办 ${DIGEST_LIST_LIMIT + 3} 项`);
    expect(mail.text).toContain(`${DIGEST_LIST_LIMIT}. 事项 ${DIGEST_LIST_LIMIT}`);
    expect(mail.text).not.toContain(`事项 ${DIGEST_LIST_LIMIT + 1}`);
    expect(mail.text).toContain('另外还有 3 项');
    expect(mail.text).toContain('机构：招商银行');
    expect(mail.html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('<a href="https://r.example/settings"');
  });

  it('puts a hotline (or a link) typed with $& or $\' in as text, not as a replacement pattern', async () => {
    const hotline = "95555 $` $' $&";
    const mail = renderReminderMail({
      kind: 'urgent',
      locale: 'en',
      messages: await loadMessages('en'),
      displayName: 'Lin',
      items: [{ ...item(1, 'Call the bank'), lenderHotline: hotline }],
      today: '2025-04-08',
      appUrl: 'https://r.example/$&',
    });
    expect(mail.html).toContain(escapeHtml(hotline));
    expect(mail.html).toContain('https://r.example/$&amp;/settings');
    expect(mail.html).not.toContain('\u0001');
  });

  it('keeps a subject on one line whatever the title holds', async () => {
    const mail = renderReminderMail({
      kind: 'urgent',
      locale: 'en',
      messages: await loadMessages('en'),
      displayName: 'Lin',
      items: [item(1, 'call\r\nBcc: someone@example.com')],
      today: '2025-04-08',
      appUrl: 'https://r.example',
    });
    expect(mail.subject).toBe('[Respite] Urgent: call Bcc: someone@example.com');
  });
});
