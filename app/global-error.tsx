'use client';

import type { CSSProperties, FormEvent } from 'react';
import en from '@/messages/en/crash.json';
import zh from '@/messages/zh-CN/crash.json';

/**
 * What a visitor sees when the root layout itself fails (app/error.tsx covers everything below
 * it): a read of the database the header needs failing, a chunk of the app that cannot load.
 * It replaces the whole document, so it has none of what the layout gives — no next-intl, no
 * viewer, possibly no stylesheet. It therefore says everything in both languages, Chinese first,
 * with the messages imported as they are (messages/<locale>/crash.json), and styles itself inline.
 *
 * Next answers the request with 500 and an empty document that its script fills in with this page
 * (as it does for notFound()). "Reload" reloads the page as it was, query included; it is a form,
 * so that it still asks for the page again should the script stop after drawing it.
 */
const LANGUAGES = [
  { lang: 'zh-CN', text: zh },
  { lang: 'en', text: en },
] as const;

export default function GlobalError({ error }: { error: Error & { digest?: string } }) {
  function reload(event: FormEvent) {
    event.preventDefault();
    window.location.reload();
  }
  return (
    <html lang="zh-CN">
      <head>
        <title>{`${zh.title} · ${en.title}`}</title>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </head>
      <body style={styles.body}>
        <main style={styles.card} role="alert" data-testid="crash">
          {LANGUAGES.map(({ lang, text }) => (
            <section key={lang} lang={lang} style={styles.section} data-testid={`crash-${lang}`}>
              <h1 style={styles.title}>{text.title}</h1>
              <p style={styles.body2}>{text.body}</p>
            </section>
          ))}
          <form method="get" onSubmit={reload} style={styles.actions}>
            <button type="submit" style={styles.button} data-testid="crash-reload">
              {zh.reload} / {en.reload}
            </button>
            <a href="/" style={styles.link} data-testid="crash-home">
              {zh.home} / {en.home}
            </a>
          </form>
          {error.digest ? (
            <p style={styles.digest} data-testid="crash-digest">
              {zh.digest} / {en.digest}: <code>{error.digest}</code>
            </p>
          ) : null}
        </main>
      </body>
    </html>
  );
}

// The app's own colours (teal-700, stone-600/800) and font stack, without the stylesheet.
const styles = {
  body: {
    margin: 0,
    minHeight: '100dvh',
    display: 'grid',
    placeItems: 'center',
    background: '#fafaf9',
    color: '#292524',
    fontFamily: 'system-ui, -apple-system, "PingFang SC", "Noto Sans CJK SC", "Noto Sans SC", "Microsoft YaHei", sans-serif',
    lineHeight: 1.6,
  },
  card: { maxWidth: '32rem', margin: '2rem 1rem', display: 'grid', gap: '1.25rem', textAlign: 'center' },
  section: { display: 'grid', gap: '0.25rem' },
  title: { margin: 0, fontSize: '1.375rem', fontWeight: 600 },
  body2: { margin: 0, color: '#57534e', fontSize: '1rem' },
  actions: { display: 'flex', flexWrap: 'wrap', gap: '1rem', justifyContent: 'center', alignItems: 'center' },
  button: {
    font: 'inherit',
    cursor: 'pointer',
    border: 0,
    borderRadius: '0.375rem',
    background: '#0f766e',
    color: '#fff',
    padding: '0.5rem 1rem',
  },
  link: { color: '#0f766e', textDecoration: 'underline' },
  digest: { margin: 0, color: '#57534e', fontSize: '0.875rem' },
} satisfies Record<string, CSSProperties>;
