/**
 * The project's .env files, read as `npm start` and the server read them (@next/env: .env,
 * .env.production, .env.local …; a variable already set in the environment wins). Imported first by
 * every script, so that `npm run create-admin`, backup, restore, reset-link, mailer, db:migrate and
 * the demo find the DATA_DIR, DATABASE_PATH and SMTP settings the server uses: not another database.
 */
import nextEnv from '@next/env';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function loadProjectEnv(root = PROJECT_ROOT): void {
  // Read anew each call (@next/env keeps the first answer otherwise), over the environment as the process began.
  nextEnv.loadEnvConfig(root, false, { info: () => {}, error: console.error }, true);
}

loadProjectEnv();
