/** The caller's network address, as the server in front of us (or Next itself) reports it: what sign-in limits count by. */
export function clientAddress(headers: Headers): string {
  const forwarded = headers.get('x-forwarded-for');
  return forwarded?.split(',').at(-1)?.trim() || headers.get('x-real-ip') || 'unknown';
}
