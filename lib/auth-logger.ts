/**
 * Auth.js's error log (auth.ts `logger`). A refused sign-in — a wrong password, the limit reached,
 * a disabled account — is the form's answer to a person, not a fault of the server: Auth.js would
 * print it with ten lines of stack for every mistyped password, burying what does need a look.
 * Those are left out; every other error is printed, as Auth.js would, with its cause.
 */
export function logAuthError(error: Error): void {
  if ((error as Error & { type?: string }).type === 'CredentialsSignin') return;
  console.error('[auth][error]', error);
}
