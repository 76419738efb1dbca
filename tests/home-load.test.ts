import { describe, expect, it } from 'vitest';
import { loadHome } from '@/app/home/load';
import { makeAdvisor, makeBorrower, makeCase } from '@/tests/factories';
import { addCaseNote, ADVISOR_NOTES_SHOWN } from '@/db/notes';
import { acceptInvite, createInvite } from '@/db/shares';
import { todayInShanghai } from '@/lib/dates';

/** A borrower with one case shared with an advisor, and `count` notes the advisor wrote on it. */
function borrowerWithNotes(count: number) {
  const owner = makeBorrower();
  const advisor = makeAdvisor({ displayName: '陈顾问' });
  acceptInvite(advisor, createInvite(owner, '法律援助').code);
  const caseId = makeCase(owner);
  const texts = Array.from({ length: count }, (_, i) => `第 ${i + 1} 条建议`);
  for (const text of texts) addCaseNote(advisor, caseId, text);
  return { owner, texts };
}

const home = (owner: ReturnType<typeof makeBorrower>) => {
  const today = todayInShanghai();
  return loadHome(owner, today.slice(0, 7), today).recorded!;
};

describe('the home’s advisors’ notes', () => {
  it('lists the latest few and says there are more when the days hold more', () => {
    const { owner, texts } = borrowerWithNotes(ADVISOR_NOTES_SHOWN + 2);
    const recorded = home(owner);
    expect(recorded.advisorNotes.map((n) => n.text)).toEqual(texts.slice(-ADVISOR_NOTES_SHOWN).reverse());
    expect(recorded.moreAdvisorNotes).toBe(true);
  });

  it('says nothing of more when every note is listed', () => {
    const { owner, texts } = borrowerWithNotes(ADVISOR_NOTES_SHOWN);
    const recorded = home(owner);
    expect(recorded.advisorNotes.map((n) => n.text)).toEqual([...texts].reverse());
    expect(recorded.moreAdvisorNotes).toBe(false);
  });
});
