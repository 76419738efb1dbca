/**
 * Whether a new password is too easy to guess (NIST SP 800-63B 3.1.1.2: refuse passwords that are
 * common, expected or compromised, with no rules of composition). zxcvbn-ts estimates how many
 * guesses a password takes, from lists of common passwords and words, keyboard patterns,
 * repeats, sequences and dates; the account's own email and name count as guessable words.
 *
 * Its lists are English-first, so the passwords most used in China, found again and again in
 * leaked lists (pinyin phrases and lucky numbers: woaini1314, 5201314, qq123456…), are added here.
 *
 * For the server (db/users.ts). The dictionaries weigh about 1 MB: they are loaded on the first
 * check, not when the server starts (db/users.ts is on every request's path, signing up is rare).
 */
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { newPassword } from './validation';

/** zxcvbn's score runs 0–4; below 2 it is guessed in fewer than 10⁸ tries, which an offline attack on a stolen hash makes in hours. */
export const MIN_PASSWORD_SCORE = 2;

const CHINESE_COMMON = [
  'woaini',
  'woaini1314',
  'woaini520',
  'woaini521',
  'woaini123',
  'woaini000',
  '5201314',
  '1314520',
  '520520',
  '521521',
  '1314521',
  '5211314',
  'iloveyou1314',
  'qq123456',
  'qq5201314',
  'a123456',
  'a123456789',
  'aa123456',
  'abc123456',
  '123456abc',
  '123456a',
  'asd123456',
  'zxc123456',
  'qwe123456',
  '147258369',
  '159357',
  '123654789',
  '789456123',
  '741852963',
  '110110110',
  '112233',
  '11223344',
  '88888888',
  '66666666',
  '888888',
  '666666',
  '168168',
  '518518',
  '31415926',
  'dearbook',
  'xiazhili',
  'zhang',
  'wang',
  'chen',
  'yang',
  'huang',
  'zhao',
  'zhou',
  'baobao',
  'woshishui',
  'nihao',
  'shabi',
  'tiantian',
  'xiaoxiao',
  'zhongguo',
  'beijing',
  'shanghai',
];

let factory: Promise<ZxcvbnFactory> | undefined;

function zxcvbn(): Promise<ZxcvbnFactory> {
  factory ??= (async () => {
    const [{ ZxcvbnFactory }, common] = await Promise.all([import('@zxcvbn-ts/core'), import('@zxcvbn-ts/language-common')]);
    return new ZxcvbnFactory({
      dictionary: { ...common.dictionary, 'chinese-common': CHINESE_COMMON },
      graphs: common.adjacencyGraphs,
      // The estimate's cost grows faster than the length: a 200-character password took 250 ms of CPU,
      // its first 64 characters take 60 ms. A password is judged by them: easy to guess there, it is refused.
      maxLength: 64,
    });
  })();
  return factory;
}

/** The account's email, its name before the @, and the person's name: words anyone who knows them tries first. */
function guessableWords(about: { email?: string; displayName?: string }): string[] {
  const email = about.email?.trim().toLowerCase();
  return [email, email?.split('@')[0], about.displayName?.trim()].filter((w): w is string => !!w);
}

/** Whether `password` is too easy to guess for this account (checked on the server whenever a password is set). */
export async function isWeakPassword(password: string, about: { email?: string; displayName?: string } = {}): Promise<boolean> {
  return (await zxcvbn()).check(password, guessableWords(about)).score < MIN_PASSWORD_SCORE;
}

/**
 * A password longer than this is not estimated beside a form's other refusals: the estimate runs
 * before anything limits the form (a sign-up with a mistyped address), and up to here it costs no
 * more CPU than rendering a page (27 ms at most measured). The verb still judges a longer one.
 */
const ALONGSIDE_MAX_LENGTH = 32;

/**
 * Whether a new password as a form holds it (any value) is long enough but too easy to guess: the
 * actions say so beside the form's other refusals (a confirmation that differs, a wrong current
 * password), which the verb that sets it stops at first, so that it is not said a round later.
 * Writes nothing: bad input never does.
 */
export async function isWeakNewPassword(typed: unknown, about: { email?: string; displayName?: string } = {}): Promise<boolean> {
  const parsed = newPassword.safeParse(typed);
  return parsed.success && parsed.data.length <= ALONGSIDE_MAX_LENGTH && (await isWeakPassword(parsed.data, about));
}
