/**
 * "已记录还款": what a save said, carried to the page drawn after it in a short-lived cookie, for
 * when the form that saved is no longer on that page (the case moved on and shows other forms, a
 * reminder marked done left the list). The form would have said it; gone, it says nothing, and the
 * focus falls to <body>. The page's SaveFlash says it instead (components/ui/save-flash.tsx).
 *
 * The value is the save's own id (its time, so that the same words said twice are said twice)
 * and the message, URI-encoded: a cookie holds ASCII. Not httpOnly: the page takes it away once
 * it has read it, so that a reload does not say it again; nothing in it is private (the words a
 * form shows on the screen of who saved).
 */
export const FLASH_COOKIE = 'respite-saved';

/** Long enough for the page drawn in the same answer, or the next one without JavaScript. */
export const FLASH_SECONDS = 30;

/** Longer is not a message of ours: a cookie made by hand is left unsaid. */
const MAX_MESSAGE = 300;

export type Flash = { id: string; message: string };

export function flashValue(message: string, now: number): string {
  return `${now}~${encodeURIComponent(message.slice(0, MAX_MESSAGE))}`;
}

export function readFlashValue(raw: string | undefined): Flash | null {
  const m = raw ? /^(\d{1,16})~(.+)$/.exec(raw) : null;
  if (!m) return null;
  let message: string;
  try {
    message = decodeURIComponent(m[2]!);
  } catch {
    return null;
  }
  return message.trim() && message.length <= MAX_MESSAGE ? { id: m[1]!, message } : null;
}
