import type { Metadata, Viewport } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale, getMessages, getTranslations } from 'next-intl/server';
import type { ReactNode } from 'react';
import { getViewer } from '@/db/viewer';
import { RefreshOnHistory } from '@/components/ui/refresh-on-history';
import { SaveFlash } from '@/components/ui/save-flash';
import { failHereIfAsked } from '@/lib/faults';
import { clientMessages } from '@/lib/i18n/config';
import { savedFlash } from './_lib/flash';
import { SiteHeader } from './_components/site-header';
import './globals.css';

export async function generateMetadata(): Promise<Metadata> {
  const t = await getTranslations('common');
  return { title: { default: t('appName'), template: `%s · ${t('appName')}` }, description: t('tagline') };
}

export const viewport: Viewport = { width: 'device-width', initialScale: 1 };

export default async function RootLayout({ children }: { children: ReactNode }) {
  await failHereIfAsked('root-layout');
  const locale = await getLocale();
  const viewer = await getViewer();
  const messages = clientMessages(await getMessages());
  const t = await getTranslations('common');
  return (
    <html lang={locale}>
      <body className="min-h-dvh">
        {/* The first Tab: past the header's links, straight to the page (a long case page is read by keyboard too). */}
        <a
          href="#main"
          className="sr-only text-sm font-medium text-teal-800 focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
          data-testid="skip-link"
        >
          {t('skipToContent')}
        </a>
        <NextIntlClientProvider messages={messages}>
          <SiteHeader viewer={viewer} locale={locale} />
          <main id="main" tabIndex={-1} className="mx-auto w-full max-w-5xl px-4 py-6 focus:outline-none">
            {children}
          </main>
          {/* What a save said, when the form that saved went with it (lib/flash.ts). */}
          {viewer && <SaveFlash flash={await savedFlash()} closeLabel={t('savedFlashClose')} />}
          {/* Back and Forward ask the server again: never a page the viewer may no longer see. */}
          {viewer && <RefreshOnHistory />}
        </NextIntlClientProvider>
      </body>
    </html>
  );
}
