/**
 * `npm run generate` writes a fresh database where `--out` points, deleting what is there. That
 * may only be a database it generated before (or nothing): a path mistyped as the live database
 * (data/respite.db) must not cost the real accounts. Anything else is refused, unless --overwrite.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';

/** Why `out` may not be replaced by a generated database; null when it may (absent, or generated). */
export function whyNotReplace(out: string, generatedDomain = 'bench.test'): string | null {
  if (!existsSync(out)) return null;
  let db: Database.Database | null = null;
  try {
    db = new Database(out, { readonly: true, fileMustExist: true });
    const hasUsers = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'users'`).get();
    if (!hasUsers) return `${out} exists and is not a database this script generated.`;
    const others = db.prepare(`SELECT count(*) AS n FROM users WHERE email NOT LIKE ?`).get(`%@${generatedDomain}`) as { n: number };
    return others.n > 0 ? `${out} holds ${others.n} account(s) that are not generated test data: it looks like a real database.` : null;
  } catch {
    return `${out} exists and is not a database this script generated.`;
  } finally {
    db?.close();
  }
}
