import { describe, expect, it } from 'vitest';
import { PUBLIC_LENDERS } from '@/db/seed/lenders';
import { channelsIn } from './lender-guidance';

const HAN = /[\u4e00-\u9fff]/;

describe("the directory in the reader's language", () => {
  it('gives English guidance for every public lender, and the Chinese as written', () => {
    for (const lender of PUBLIC_LENDERS) {
      const zh = channelsIn(lender.channels!, 'zh-CN');
      const en = channelsIn(lender.channels!, 'en');
      for (const field of ['app', 'branch', 'complaint'] as const) {
        expect(Boolean(en[field]), `${lender.name} ${field}`).toBe(Boolean(zh[field]));
        if (!zh[field]) continue;
        expect(zh[field], lender.name).toMatch(HAN);
        expect(en[field], `${lender.name} ${field}`).not.toBe(zh[field]);
        // Chinese only in what the phone shows (app and menu names, the words to search for):
        // the sentences around them are English, without Chinese punctuation.
        expect(en[field], `${lender.name} ${field}`).not.toMatch(/[，；。、：]/);
        expect(en[field], `${lender.name} ${field}`).toMatch(/\b(search|look|ask|complain|call|Use|For)\b/);
      }
      expect(en.hotline).toBe(zh.hotline);
    }
  });

  it("keeps a private lender's words in any language", () => {
    const own = { app: '在 App 里找客服', hotline: '95000' };
    expect(channelsIn(own, 'en')).toEqual(own);
  });
});
