import { describe, expect, it } from 'vitest';
import { codeFrom, normaliseInviteInput } from './invite-code';

describe('normaliseInviteInput', () => {
  it('makes what a Chinese keyboard types plain ASCII: full-width letters and digits, dashes, spaces', () => {
    expect(normaliseInviteInput('ＡＢＣＤ－ＥＦ２３')).toBe('ABCD-EF23');
    expect(normaliseInviteInput('ABCD—EFGH–JKLM‐2345')).toBe('ABCD-EFGH-JKLM-2345');
    expect(normaliseInviteInput('ABCD\u3000EFGH\u00a0JKLM\tNPQR')).toBe('ABCD EFGH JKLM NPQR');
    expect(normaliseInviteInput('ABCD−EFGH')).toBe('ABCD-EFGH'); // the minus sign (U+2212), from a symbol pad
  });
});

describe('codeFrom', () => {
  it.each([
    ['a code as given', 'ABCD-EFGH-JKLM', 'ABCD-EFGH-JKLM'],
    ['lower case, spaces', ' abcd efgh jklm ', 'abcd efgh jklm'],
    ['full-width letters and digits, full-width dash', 'ＡＢＣＤ－ＥＦＧＨ－ＪＫ２３', 'ABCD-EFGH-JK23'],
    ['an em dash (Chinese punctuation mode)', 'ABCD—EFGH—JKLM', 'ABCD-EFGH-JKLM'],
    ['an en dash', 'ABCD–EFGH–JKLM', 'ABCD-EFGH-JKLM'],
    ['full-width spaces, around and between', '\u3000ABCD\u3000EFGH\u3000JKLM\u3000', 'ABCD EFGH JKLM'],
    ['the invitation link pasted', 'https://respite.example/share/accept?code=ABCD-EFGH-JKLM', 'ABCD-EFGH-JKLM'],
    ['the link with the code encoded', 'https://respite.example/share/accept?x=1&code=ABCD%20EFGH+JKLM#top', 'ABCD EFGH JKLM'],
    ['the link, the code in it full-width', 'https://respite.example/share/accept?code=%EF%BC%A1%EF%BC%A2%E2%80%94CD', 'AB-CD'],
    ['nothing', undefined, ''],
    ['blank', '\u3000 ', ''],
    ['the first of several', ['ABCD-EFGH-JKLM', 'x'], 'ABCD-EFGH-JKLM'],
    ['the message it came in', '邀请码：ABCD-EFGH-JKLM。', 'ABCD-EFGH-JKLM'],
    ['the message, no punctuation', '邀请码ABCD-EFGH-JKLM', 'ABCD-EFGH-JKLM'],
    ['the message, full-width and spaced', '我的邀请码是 ａｂｃｄ ｅｆｇｈ ｊｋｌｍ ，有效 7 天', 'abcd efgh jklm'],
    ['a zero-width space from a chat app', '\u200bABCD-EFGH-JKLM\u200b', 'ABCD-EFGH-JKLM'],
    ['typed without dashes', 'abcdefghjkmn', 'abcdefghjkmn'],
    // The code as shown, wherever it stands: never the words around it.
    ['an English message, the code before a full stop', 'Use code ABCD-EFGH-JKLM.', 'ABCD-EFGH-JKLM'],
    ['an English message, words after the code', 'ABCD-EFGH-JKLM from Wang', 'ABCD-EFGH-JKLM'],
    ['an English message, words either side', 'Hi, it is Wang. Code ABCD-EFGH-JKLM works for 7 days', 'ABCD-EFGH-JKLM'],
    ['lower case in a message', 'use code abcd-efgh-jkmn please', 'abcd-efgh-jkmn'],
    ['full-width in an English message', 'Use code ＡＢＣＤ－ＥＦＧＨ－ＪＫＭＮ.', 'ABCD-EFGH-JKMN'],
    ['em dashes around it (Chinese punctuation)', 'Use code——ABCD-EFGH-JKLM——from Wang', 'ABCD-EFGH-JKLM'],
    ['the same code twice', '邀请码 ABCD-EFGH-JKLM（ABCD-EFGH-JKLM）', 'ABCD-EFGH-JKLM'],
    ['the code as shown beside a longer run of letters', '邀请码ABCD-EFGH-JKLM，my wechat ABCDEFGH', 'ABCD-EFGH-JKLM'],
  ])('%s', (_, raw, code) => {
    expect(codeFrom(raw)).toBe(code);
  });

  it.each([
    ['too long', 'A'.repeat(41)],
    ['too long, full-width', 'Ａ'.repeat(41)],
    ['Chinese characters and no code', '邀请码在哪里'],
    ['a message with two codes', '旧的 ABCD-EFGH-JKLM，新的 NPQR-STUV-WXYZ'],
    ['an English message with two codes', 'Old ABCD-EFGH-JKLM, new NPQR-STUV-WXYZ'],
    ['a code too long to be one', '邀请码 ABCD-EFGH-JKLMN'],
    ['markup', '<script>alert(1)</script>'],
    ['other punctuation', 'ABCD_EFGH.JKLM'],
    ['a link with a broken escape', 'https://respite.example/share/accept?code=%E0%A4%A'],
    ['a link with garbage for a code', 'https://respite.example/share/accept?code=%3Cb%3E'],
  ])('null for what cannot be a code: %s', (_, raw) => {
    expect(codeFrom(raw)).toBeNull();
  });
});
