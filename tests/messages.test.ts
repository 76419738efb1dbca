import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { CASE_STATUSES, CASE_TRANSITIONS } from '@/lib/case-status';
import {
  APPLICATION_CHANNELS,
  CASE_OUTCOMES,
  CONTACT_CHANNELS,
  DOCUMENT_KINDS,
  DOCUMENT_STATUSES,
  LENDER_KINDS,
  PROGRAMS,
  REJECTION_REASONS,
} from '@/lib/domain';
import { LOCALES, NAMESPACES } from '@/lib/i18n/config';
import { loadMessages } from '@/lib/i18n/messages';
import { rejectionSuggestionKeys } from '@/lib/next-step';

type Tree = { [k: string]: string | Tree };

function load(locale: string, ns: string): Tree {
  return JSON.parse(readFileSync(path.join('messages', locale, `${ns}.json`), 'utf8'));
}

function keys(tree: Tree, prefix = ''): string[] {
  return Object.entries(tree).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v, `${prefix}${k}.`)));
}

function get(tree: Tree, key: string): unknown {
  return key.split('.').reduce<unknown>((t, k) => (t && typeof t === 'object' ? (t as Tree)[k] : undefined), tree);
}

describe('message catalogues', () => {
  it('has a file for every namespace in both languages, and nothing else', () => {
    for (const locale of LOCALES) {
      expect(readdirSync(path.join('messages', locale)).sort()).toEqual(NAMESPACES.map((n) => `${n}.json`).sort());
    }
  });

  it('loads each language once per process, every file under its namespace', async () => {
    for (const locale of LOCALES) {
      const messages = await loadMessages(locale);
      expect(Object.keys(messages).sort()).toEqual([...NAMESPACES].sort());
      for (const ns of NAMESPACES) expect(messages[ns], `${locale} ${ns}`).toEqual(load(locale, ns));
      // The same catalogue object on the next request: not read again.
      expect(await loadMessages(locale)).toBe(messages);
    }
    expect(await loadMessages('en')).not.toBe(await loadMessages('zh-CN'));
  });

  it.each(NAMESPACES)('%s: the same keys in zh-CN and en, none empty', (ns) => {
    const zh = load('zh-CN', ns);
    const en = load('en', ns);
    expect(keys(en).sort()).toEqual(keys(zh).sort());
    for (const k of keys(zh)) {
      expect(String(get(zh, k)).trim(), `zh-CN ${ns}.${k}`).not.toBe('');
      expect(String(get(en, k)).trim(), `en ${ns}.${k}`).not.toBe('');
    }
  });

  // One apostrophe in English, the typographic one ("lender’s"): a straight one is also ICU's quoting
  // character, which swallows a following brace ("'{name}" prints "{name}").
  it.each(NAMESPACES)('%s: English uses the typographic apostrophe only', (ns) => {
    const en = load('en', ns);
    expect(keys(en).filter((k) => String(get(en, k)).includes("'"))).toEqual([]);
  });

  it('translates every code of the domain', () => {
    const lists: [string, readonly string[]][] = [
      ['status', CASE_STATUSES],
      ['transition', CASE_TRANSITIONS],
      ['program', PROGRAMS],
      ['channel', APPLICATION_CHANNELS],
      ['contactChannel', CONTACT_CHANNELS],
      ['documentKind', DOCUMENT_KINDS],
      ['documentStatus', DOCUMENT_STATUSES],
      ['rejectionReason', REJECTION_REASONS],
      ['outcome', CASE_OUTCOMES],
      ['lenderKind', LENDER_KINDS],
    ];
    for (const locale of LOCALES) {
      const domain = load(locale, 'domain');
      for (const [group, codes] of lists) {
        for (const code of codes) expect(get(domain, `${group}.${code}`), `${locale} domain.${group}.${code}`).toBeTypeOf('string');
      }
      const next = load(locale, 'nextStep');
      for (const s of CASE_STATUSES) expect(get(next, `status.${s}`)).toBeTypeOf('string');
      for (const r of REJECTION_REASONS) {
        for (const k of rejectionSuggestionKeys(r)) expect(get(next, k), `${locale} nextStep.${k}`).toBeTypeOf('string');
      }
    }
  });
  // The build precompiles every message (next.config.ts, next-intl's `precompile`), so a message
  // ICU cannot parse fails the build; this says which one. An ASCII apostrophe before { } # or |
  // starts ICU quoting and swallows what follows (write ’ instead).
  it.each(LOCALES)('%s: every message is valid ICU, and no apostrophe quotes a brace', (locale) => {
    const messages = Object.fromEntries(NAMESPACES.map((ns) => [ns, load(locale, ns)]));
    const invalid: string[] = [];
    const t = createTranslator({
      locale,
      messages,
      onError: (e) => {
        if (e.code === 'INVALID_MESSAGE') invalid.push(e.message);
      },
    });
    for (const ns of NAMESPACES) {
      for (const k of keys(messages[ns])) {
        t(`${ns}.${k}` as never);
        expect(String(get(messages[ns], k)), `${locale} ${ns}.${k}`).not.toMatch(/'[{}#|]/);
      }
    }
    expect(invalid).toEqual([]);
  });
});

describe('English counts a lender-set number in the singular when it is one', () => {
  // A lender's review time (1–60 workdays) and an agreement's periods (from 1) are what people type.
  it.each([
    ['nextStep.reviewDays', { lender: 'CMB', days: 1 }, 'CMB usually takes about 1 workday to review.'],
    ['nextStep.reviewDays', { lender: 'CMB', days: 5 }, 'CMB usually takes about 5 workdays to review.'],
    ['plan.agreedTermsValue', { periods: 1, monthly: '¥1,000.00' }, '1 period of ¥1,000.00'],
    ['plan.agreedTermsValue', { periods: 12, monthly: '¥1,000.00' }, '12 periods of ¥1,000.00'],
  ])('case.%s with %o', (key, values, expected) => {
    const t = createTranslator({ locale: 'en', messages: { case: load('en', 'case') }, namespace: 'case' }) as unknown as (k: string, v: object) => string;
    expect(t(key, values)).toBe(expected);
  });
});

describe('a calendar entry is named by what it shows', () => {
  // A link named with more than it shows must still contain its visible words (WCAG 2.5.3), so that
  // "click 差 ¥166.17" or "click ¥166.17 left" finds it. The entry shows the rest owed of one paid short.
  it.each(LOCALES)('%s', (locale) => {
    const translate = createTranslator({ locale, messages: { home: load(locale, 'home') } });
    const t = (key: string, values?: Record<string, string | number>) => translate(`home.calendar.${key}` as never, values as never);
    const values = { lender: '招联金融', seq: 1, periods: 4, amount: '¥1,666.67', paid: '¥1,500.50', owed: '¥166.17', state: t('state.missed') };
    expect(t('entryLabelShort', values)).toContain(t('entryShort', { amount: '¥166.17' }));
  });
});
