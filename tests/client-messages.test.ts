import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLIENT_MESSAGES, clientMessages } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';

/** Client components get only the messages in CLIENT_MESSAGES (app/layout.tsx): each one they read must be there. */

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [p] : [];
  });
}

const clientFiles = ['app', 'components']
  .flatMap(sourceFiles)
  .filter((f) => /^\s*['"]use client['"]/.test(readFileSync(f, 'utf8')));

describe('messages sent to client components', () => {
  it('covers every namespace a client component reads', () => {
    const read = clientFiles.flatMap((f) =>
      [...readFileSync(f, 'utf8').matchAll(/useTranslations\(\s*(?:'([^']*)'|"([^"]*)")?\s*\)/g)].map((m) => ({
        file: f,
        ns: m[1] ?? m[2] ?? '',
      })),
    );
    expect(read.length).toBeGreaterThan(0);
    const allowed = CLIENT_MESSAGES.map((parts) => parts.join('.'));
    const missing = read.filter(({ ns }) => !allowed.some((a) => ns === a || ns.startsWith(`${a}.`)));
    expect(missing).toEqual([]);
  });

  it('picks those messages, in both languages, and nothing else', async () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const picked = clientMessages(await loadMessages(locale));
      for (const [ns, key] of CLIENT_MESSAGES) expect(picked[ns]?.[key], `${locale} ${ns}.${key}`).toBeTruthy();
      expect(Object.keys(picked).sort()).toEqual([...new Set(CLIENT_MESSAGES.map(([ns]) => ns))].sort());
    }
  });
});
