/**
 * What the case page renders beyond its first screen, from its URL (issue 6): `?open=contact,doc-12`
 * lists the folds the user opened (their forms are rendered only then), `?all=timeline,plan` the
 * long lists shown in full. Server-first: every one is reached by a plain link, with or without
 * JavaScript.
 */

export type ListName = 'timeline' | 'plan' | 'contacts' | 'reminders';
const LISTS: readonly ListName[] = ['timeline', 'plan', 'contacts', 'reminders'];

const NAME = /^[a-z][a-z0-9_-]{0,39}$/;
/** Enough for every fold a person could open on one case; a longer list is someone else's URL. */
const MAX_OPEN = 30;

export type CaseView = {
  isOpen(name: string): boolean;
  showsAll(list: ListName): boolean;
  /** This page with the fold added to the open ones, and its anchor. */
  openHref(name: string): string;
  /** This page with the list shown in full (or shortened again), and its anchor. */
  allHref(list: ListName, all: boolean): string;
};

type SearchParams = Record<string, string | string[] | undefined>;

function names(raw: string | string[] | undefined): string[] {
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return [...new Set(values.flatMap((v) => v.split(',')).filter((n) => NAME.test(n)))].slice(0, MAX_OPEN);
}

export function caseView(caseId: number, params: SearchParams): CaseView {
  const open = names(params.open);
  const all = names(params.all).filter((n): n is ListName => (LISTS as readonly string[]).includes(n));
  const href = (nextOpen: string[], nextAll: string[], anchor: string) => {
    const query = [nextOpen.length ? `open=${nextOpen.join(',')}` : '', nextAll.length ? `all=${nextAll.join(',')}` : '']
      .filter(Boolean)
      .join('&');
    return `/cases/${caseId}${query ? `?${query}` : ''}#${anchor}`;
  };
  return {
    isOpen: (name) => open.includes(name),
    showsAll: (list) => all.includes(list),
    openHref: (name) => href(open.includes(name) ? open : [...open, name], all, `fold-${name}`),
    allHref: (list, show) => href(open, show ? [...new Set([...all, list])] : all.filter((l) => l !== list), `${list}-h`),
  };
}
