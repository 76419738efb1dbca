/**
 * The Auth.js secret of the end-to-end test server (scripts/e2e-server.mjs), shared with the specs
 * that sign with it as the server does (the unsubscribe links of reminder mails). Tests only.
 */
export const E2E_AUTH_SECRET = 'e2e-only-secret-0123456789abcdef0123456789abcdef';
