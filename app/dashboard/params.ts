import { z } from 'zod';
import { ADVISOR_SORTS, type AdvisorCaseFilters, type AdvisorSort } from '@/db/advisor';
import { CASE_STATUSES } from '@/lib/case-status';

/** The page sizes the table offers; the first is the first screen's. */
export const PAGE_SIZES = [10, 25, 50, 100] as const;
export const FIRST_PAGE_SIZE: number = PAGE_SIZES[0];

/**
 * The dashboard's table is driven by its URL (a GET form, sortable headers, a pager), and the
 * CSV export takes the very same query string: both read it here. Anything malformed is
 * dropped rather than refused, so a hand-edited URL still shows a table.
 */
const schema = z.object({
  status: z.enum(CASE_STATUSES).optional().catch(undefined),
  lender: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  client: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional().catch(undefined),
  attention: z.enum(['1']).optional().catch(undefined),
  q: z
    .string()
    .transform((s) => s.trim().slice(0, 60))
    .optional()
    .catch(undefined),
  sort: z.enum(ADVISOR_SORTS).optional().catch(undefined),
  dir: z.enum(['asc', 'desc']).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
  /** Rows a page: the first screen shows FIRST_PAGE_SIZE; the table offers the others. */
  per: z.coerce
    .number()
    .int()
    .refine((n) => (PAGE_SIZES as readonly number[]).includes(n))
    .optional()
    .catch(undefined),
  /** 'all': the clients section lists every client, not only the first ones. */
  clients: z.enum(['all']).optional().catch(undefined),
  /** The attention list's page (its own pager, apart from the table's). */
  ap: z.coerce.number().int().min(1).max(1_000_000).optional().catch(undefined),
});

export type DashboardParams = z.infer<typeof schema>;

type Raw = Record<string, string | string[] | undefined> | URLSearchParams;

export function parseDashboardParams(raw: Raw): DashboardParams {
  const get = (key: string) => {
    if (raw instanceof URLSearchParams) return raw.get(key) ?? undefined;
    const v = raw[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const keys = ['status', 'lender', 'client', 'attention', 'q', 'sort', 'dir', 'page', 'per', 'clients', 'ap'] as const;
  const parsed = schema.parse(Object.fromEntries(keys.map((k) => [k, get(k)])));
  return { ...parsed, q: parsed.q || undefined };
}

/** A column's first click: amounts and activity from the largest/latest, the rest A→Z / soonest first. */
export function defaultDir(sort: AdvisorSort): 'asc' | 'desc' {
  return sort === 'total' || sort === 'updated' ? 'desc' : 'asc';
}

export const DEFAULT_SORT: AdvisorSort = 'next';

export function toFilters(p: DashboardParams): AdvisorCaseFilters {
  const sort = p.sort ?? DEFAULT_SORT;
  return {
    status: p.status,
    lenderId: p.lender,
    clientId: p.client,
    attention: p.attention === '1',
    q: p.q,
    sort,
    dir: p.dir ?? defaultDir(sort),
  };
}

/** The table's page size: `per` when given, else the first screen's. */
export function pageSize(p: DashboardParams): number {
  return p.per ?? FIRST_PAGE_SIZE;
}

/** True when anything narrows the table (sorting and paging do not). */
export function isFiltered(p: DashboardParams): boolean {
  return !!(p.status || p.lender || p.client || p.attention || p.q);
}

/**
 * The query string for these params with some changed (undefined removes a key). Page 1 (of the
 * table and of the attention list) and the first screen's page size are left out.
 */
export function queryString(p: DashboardParams, changes: Partial<Record<keyof DashboardParams, string | number | undefined>> = {}): string {
  const merged: Record<string, string | number | undefined> = { ...p, ...changes };
  const search = new URLSearchParams();
  for (const key of ['status', 'lender', 'client', 'attention', 'q', 'sort', 'dir', 'page', 'per', 'clients', 'ap'] as const) {
    const v = merged[key];
    if (v === undefined || v === '' || ((key === 'page' || key === 'ap') && Number(v) <= 1) || (key === 'per' && Number(v) === FIRST_PAGE_SIZE)) continue;
    search.set(key, String(v));
  }
  const s = search.toString();
  return s ? `?${s}` : '';
}
