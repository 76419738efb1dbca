import { cookies } from 'next/headers';
import { FLASH_COOKIE, FLASH_SECONDS, flashValue, readFlashValue, type Flash } from '@/lib/flash';

/** In a server action: the page drawn after it says `message` if the form that saved is gone (lib/flash.ts). */
export async function flashSaved(message: string): Promise<void> {
  (await cookies()).set(FLASH_COOKIE, flashValue(message, Date.now()), { path: '/', maxAge: FLASH_SECONDS, sameSite: 'lax', httpOnly: false });
}

/** In a page or layout: the save to say, if one was just made. */
export async function savedFlash(): Promise<Flash | null> {
  return readFlashValue((await cookies()).get(FLASH_COOKIE)?.value);
}
