// @vitest-environment node
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq, isNull } from 'drizzle-orm';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DOCUMENT_KINDS, LENDER_KINDS, PROGRAMS } from '../../lib/domain';
import { publicLenderSchema } from '../../lib/validation';
import { openDatabase, type DB } from '../client';
import { lenders, users } from '../schema';
import { PUBLIC_LENDERS, REWORDED_EN_APP, seedLenders } from './lenders';

// Our own fresh, migrated database file: independent of whatever DATABASE_PATH the config sets.
const migrationsFolder = fileURLToPath(new URL('../migrations', import.meta.url));

let dir: string;
let db: DB;

beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'respite-seed-'));
  db = openDatabase(path.join(dir, 'test.db'));
  migrate(db, { migrationsFolder });
});

afterEach(() => {
  db.$client.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The lenders DESIGN.md §1 and the issue name, matched by a fragment of name or products. */
const NAMED = [
  ['花呗', '借呗'],
  ['招商银行信用卡'],
  ['建设银行', '快贷'],
  ['工商银行信用卡'],
  ['美团'],
  ['抖音'],
  ['京东'],
  ['360借条'],
  ['微粒贷', '微众银行'],
  ['度小满', '有钱花'],
  ['平安普惠'],
] as const satisfies readonly (readonly string[])[];

function publicLenders() {
  return db.select().from(lenders).where(isNull(lenders.ownerId)).all();
}

describe('PUBLIC_LENDERS', () => {
  it('uses only known kinds, programs and document codes', () => {
    for (const lender of PUBLIC_LENDERS) {
      expect(LENDER_KINDS, lender.name).toContain(lender.kind);
      expect(lender.programs?.length, lender.name).toBeGreaterThan(0);
      for (const program of lender.programs ?? []) expect(PROGRAMS, lender.name).toContain(program);
      for (const kind of lender.documents ?? []) expect(DOCUMENT_KINDS, lender.name).toContain(kind);
      expect(new Set(lender.programs).size, `${lender.name} repeats a program`).toBe(lender.programs?.length);
      expect(new Set(lender.documents).size, `${lender.name} repeats a document`).toBe(lender.documents?.length);
      expect(lender.products?.length, lender.name).toBeGreaterThan(0);
      expect(lender.channels?.complaint, lender.name).toBeTruthy();
      expect(lender.ownerId ?? null, lender.name).toBeNull();
      expect(Number.isInteger(lender.reviewWorkdays), lender.name).toBe(true);
      expect(lender.reviewWorkdays!, lender.name).toBeGreaterThanOrEqual(1);
      expect(lender.reviewWorkdays!, lender.name).toBeLessThanOrEqual(30);
      if (lender.channels?.hotline) expect(lender.channels.hotline, lender.name).toMatch(/^\d{5,11}$/);
    }
  });

  it('can be saved unchanged from the admin\'s edit form', () => {
    // The form's fields as app/admin/_components/lender-curation-form.tsx fills them from the lender.
    for (const lender of PUBLIC_LENDERS) {
      const ch = lender.channels ?? {};
      const form: Record<string, string> = {
        name: lender.name,
        kind: lender.kind,
        products: (lender.products ?? []).join('、'),
        hotline: ch.hotline ?? '',
        reviewWorkdays: String(lender.reviewWorkdays),
        appPath: ch.app ?? '',
        branch: ch.branch ?? '',
        complaint: ch.complaint ?? '',
        appPathEn: ch.en?.app ?? '',
        branchEn: ch.en?.branch ?? '',
        complaintEn: ch.en?.complaint ?? '',
        ...Object.fromEntries((lender.programs ?? []).map((p) => [`program_${p}`, '1'])),
        ...Object.fromEntries((lender.documents ?? []).map((k) => [`document_${k}`, '1'])),
      };
      const parsed = publicLenderSchema.safeParse(form);
      expect(parsed.error?.issues ?? [], lender.name).toEqual([]);
      expect(parsed.data, lender.name).toMatchObject({
        name: lender.name,
        products: lender.products,
        appPathEn: ch.en?.app ?? '',
        reviewWorkdays: lender.reviewWorkdays,
        programs: PROGRAMS.filter((p) => lender.programs?.includes(p)),
        documents: DOCUMENT_KINDS.filter((k) => lender.documents?.includes(k)),
      });
    }
  });

  it('has unique names', () => {
    const names = PUBLIC_LENDERS.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it.each(NAMED.map((fragments) => [fragments.join('/'), fragments] as const))('includes %s', (_label, fragments) => {
    const found = PUBLIC_LENDERS.filter((l) =>
      fragments.every((f) => l.name.includes(f) || (l.products ?? []).some((p) => p.includes(f))),
    );
    expect(found).toHaveLength(1);
  });
});

describe('seedLenders', () => {
  it('inserts every public lender with no owner', () => {
    seedLenders(db);
    const rows = publicLenders();
    expect(rows.map((r) => r.name).sort()).toEqual(PUBLIC_LENDERS.map((l) => l.name).sort());
    expect(db.select().from(lenders).all()).toHaveLength(PUBLIC_LENDERS.length);

    const huabei = rows.find((r) => r.name.includes('花呗'))!;
    expect(huabei.products).toEqual(expect.arrayContaining(['花呗', '借呗']));
    expect(huabei.channels.hotline).toBe('95188');
    const cmb = rows.find((r) => r.name === '招商银行信用卡')!;
    expect(cmb.kind).toBe('bank');
    expect(cmb.programs).toContain('instalments');
  });

  it('inserts nothing more when run twice', () => {
    seedLenders(db);
    const first = publicLenders();
    seedLenders(db);
    const second = publicLenders();
    expect(second).toHaveLength(PUBLIC_LENDERS.length);
    expect(second).toEqual(first);
  });

  it('does not add a seeded lender again after an admin renamed it (known by its seed name)', () => {
    seedLenders(db);
    const cmb = publicLenders().find((r) => r.name === '招商银行信用卡')!;
    expect(cmb.seedName).toBe('招商银行信用卡');
    db.update(lenders).set({ name: '招商银行（信用卡中心）' }).where(eq(lenders.id, cmb.id)).run();
    seedLenders(db);
    const rows = publicLenders();
    expect(rows).toHaveLength(PUBLIC_LENDERS.length);
    expect(rows.filter((r) => r.name.startsWith('招商银行')).map((r) => r.name)).toEqual(['招商银行（信用卡中心）']);
  });

  it('leaves a curated lender untouched and adds only what is missing', () => {
    seedLenders(db);
    const cmb = publicLenders().find((r) => r.name === '招商银行信用卡')!;
    db.update(lenders)
      .set({ reviewWorkdays: 12, channels: { hotline: '95555', app: 'curated by admin' } })
      .where(eq(lenders.id, cmb.id))
      .run();
    db.delete(lenders).where(eq(lenders.name, '360借条')).run();

    seedLenders(db);

    const rows = publicLenders();
    expect(rows).toHaveLength(PUBLIC_LENDERS.length);
    const after = rows.find((r) => r.id === cmb.id)!;
    expect(after.reviewWorkdays).toBe(12);
    expect(after.channels).toEqual({ hotline: '95555', app: 'curated by admin' });
    expect(rows.filter((r) => r.name === '360借条')).toHaveLength(1);
  });

  it('gives the English to a lender seeded before it, unless its guidance was curated', () => {
    seedLenders(db);
    const byName = () => new Map(publicLenders().map((r) => [r.name, r]));
    const before = byName();
    // As a directory seeded before the English was written.
    for (const name of ['花呗/借呗（重庆蚂蚁消费金融）', '招联金融']) {
      const { en: _en, ...zhOnly } = before.get(name)!.channels;
      db.update(lenders).set({ channels: zhOnly }).where(eq(lenders.id, before.get(name)!.id)).run();
    }
    // …one of which an admin has since curated.
    const { en: _seededEn, ...zhOfZhaolian } = before.get('招联金融')!.channels;
    const curated = { ...zhOfZhaolian, app: '招联金融 App → 我的 → 客服' };
    db.update(lenders).set({ channels: curated }).where(eq(lenders.id, before.get('招联金融')!.id)).run();

    seedLenders(db);

    const after = byName();
    expect(after.get('花呗/借呗（重庆蚂蚁消费金融）')!.channels).toEqual(before.get('花呗/借呗（重庆蚂蚁消费金融）')!.channels);
    expect(after.get('花呗/借呗（重庆蚂蚁消费金融）')!.channels.en?.app).toMatch(/^支付宝 \(Alipay\)/);
    expect(after.get('招联金融')!.channels).toEqual(curated);
    expect(publicLenders()).toHaveLength(PUBLIC_LENDERS.length);
  });

  it('rewords an English app path still as an earlier seed had it, unless an admin has changed it since', () => {
    seedLenders(db);
    const huabei = () => publicLenders().find((r) => r.seedName === '花呗/借呗（重庆蚂蚁消费金融）')!;
    const seeded = huabei();
    const old = REWORDED_EN_APP['花呗/借呗（重庆蚂蚁消费金融）']!;
    // As a directory seeded with the old wording, 201 characters, which the admin's form refused.
    expect(old.length).toBeGreaterThan(200);
    db.update(lenders).set({ name: '花呗/借呗', channels: { ...seeded.channels, en: { ...seeded.channels.en, app: old } } }).where(eq(lenders.id, seeded.id)).run();

    seedLenders(db);
    expect(huabei().channels).toEqual(seeded.channels);
    expect(huabei().channels.en!.app!.length).toBeLessThanOrEqual(200);
    expect(huabei().name).toBe('花呗/借呗');

    // Curated since: left as the admin wrote it.
    const curated = { ...seeded.channels, en: { ...seeded.channels.en, app: 'Alipay → Me → Huabei' } };
    db.update(lenders).set({ channels: curated }).where(eq(lenders.id, seeded.id)).run();
    seedLenders(db);
    expect(huabei().channels).toEqual(curated);
  });

  it('is not blocked by a borrower’s private lender of the same name', () => {
    const user = db
      .insert(users)
      .values({ email: 'b@example.com', displayName: 'B', passwordHash: 'x' })
      .returning()
      .get();
    db.insert(lenders).values({ name: '招商银行信用卡', kind: 'bank', ownerId: user.id }).run();

    seedLenders(db);

    const named = db.select().from(lenders).where(eq(lenders.name, '招商银行信用卡')).all();
    expect(named.map((r) => r.ownerId).sort()).toEqual([user.id, null].sort());
    expect(publicLenders()).toHaveLength(PUBLIC_LENDERS.length);
  });

  it('rolls back entirely if an insert fails', () => {
    // A trigger that rejects one lender makes the batch fail: nothing may be left behind.
    db.$client.exec(
      `CREATE TRIGGER reject_one BEFORE INSERT ON lenders WHEN NEW.name = '平安普惠'
       BEGIN SELECT RAISE(ABORT, 'rejected'); END;`,
    );
    expect(() => seedLenders(db)).toThrow();
    expect(db.select().from(lenders).all()).toHaveLength(0);
  });
});
