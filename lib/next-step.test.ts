import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createTranslator } from 'next-intl';
import { describe, expect, it } from 'vitest';
import { APPLICATION_PROGRAMS, ESCALATION_ROUTES, REJECTION_REASONS } from './domain';
import { otherProgramsOffered, rejectionSuggestionKeys } from './next-step';

function translator(locale: 'zh-CN' | 'en') {
  const messages = {
    nextStep: JSON.parse(readFileSync(path.join('messages', locale, 'nextStep.json'), 'utf8')),
    domain: JSON.parse(readFileSync(path.join('messages', locale, 'domain.json'), 'utf8')),
  };
  return { ns: createTranslator({ locale, messages, namespace: 'nextStep' }), d: createTranslator({ locale, messages, namespace: 'domain' }) };
}

describe('advice after a rejection', () => {
  it('never suggests, as another program, the program the lender just rejected', () => {
    const { ns, d } = translator('zh-CN');
    for (const reason of REJECTION_REASONS) {
      for (const program of APPLICATION_PROGRAMS) {
        const advice = rejectionSuggestionKeys(reason, program).map((k) => ns(k as never));
        for (const line of advice) expect(line, `${reason} after ${program}`).not.toContain(d(`program.${program}`));
      }
    }
  });

  it('names the other programs instead, in both languages', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    const keys = rejectionSuggestionKeys('product_not_eligible', 'instalments');
    expect(keys[0]).toBe('suggest.other_program_after_instalments');
    expect(zh.ns(keys[0] as never)).toContain(zh.d('program.extension'));
    expect(en.ns(keys[0] as never)).toContain('an extension');
    expect(en.ns(keys[0] as never)).not.toContain('instalments');
  });

  it('names other programs only as examples, among those the lender offers (it may not offer them all)', () => {
    const zh = translator('zh-CN');
    const en = translator('en');
    for (const program of [undefined, ...APPLICATION_PROGRAMS]) {
      const [key] = rejectionSuggestionKeys('product_not_eligible', program);
      expect(key, String(program)).toMatch(/^suggest\.other_program/);
      expect(zh.ns(key as never)).toContain('对方提供的方案');
      expect(en.ns(key as never)).toContain('another program the lender offers');
    }
  });

  it('asks customer service before another program, and escalation last', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const reminders = JSON.parse(readFileSync(path.join('messages', locale, 'reminders.json'), 'utf8'));
      const advice: string = reminders.detail.next_step;
      const [service, other, escalate] = locale === 'en' ? ['customer service', 'another program', 'mediation'] : ['客服', '换一种', '调解'];
      expect(advice.indexOf(service), locale).toBeGreaterThanOrEqual(0);
      expect(advice.indexOf(service), locale).toBeLessThan(advice.indexOf(other));
      expect(advice.indexOf(other), locale).toBeLessThan(advice.indexOf(escalate));
    }
  });

  it('keeps the usual advice after interest suspension, an escalation, or when the program is not known', () => {
    for (const program of ['suspension', ...ESCALATION_ROUTES, undefined] as const) {
      expect(rejectionSuggestionKeys('product_not_eligible', program)).toEqual(['suggest.other_program', 'suggest.customer_service', 'suggest.escalate']);
    }
  });
});

describe('another program, where the directory lists the lender\'s', () => {
  it('names only the lender\'s own programs, never the one just rejected nor an escalation', () => {
    expect(otherProgramsOffered(['mediation', 'penalty_waiver', 'instalments', 'suspension'], 'instalments')).toEqual(['suspension', 'penalty_waiver']);
    expect(otherProgramsOffered(['instalments'], 'instalments')).toEqual([]);
    expect(otherProgramsOffered(null, 'instalments')).toEqual([]);
    expect(otherProgramsOffered(['extension'])).toEqual(['extension']);
  });

  it('says them in both languages', () => {
    for (const locale of ['zh-CN', 'en'] as const) {
      const { ns, d } = translator(locale);
      const programs = new Intl.ListFormat(locale, { type: 'disjunction' }).format(['suspension', 'penalty_waiver'].map((p) => d(`program.${p}` as never)));
      const line = ns('suggest.other_program_offered' as never, { programs } as never);
      expect(line).toContain(d('program.penalty_waiver' as never));
      expect(line).not.toContain('{programs}');
    }
  });
});
