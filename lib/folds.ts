/**
 * What a page renders beyond its first screen, from its URL (issue 6): `?open=contact,doc-12`
 * lists the folds the user opened (their forms are rendered only then), `?all=timeline,plan` the
 * case page's long lists shown in full. The case page and the reminders' snooze and edit panels
 * (on the case page and in the /reminders inbox) use it. Server-first: every one is reached by a
 * plain link, with or without JavaScript.
 */

export type ListName = 'timeline' | 'plan' | 'contacts' | 'reminders';
const LISTS: readonly ListName[] = ['timeline', 'plan', 'contacts', 'reminders'];
/** The lists a printed case record shows in full: its story; the reminders repeat the plan's dates. */
const PRINTED: readonly ListName[] = ['timeline', 'plan', 'contacts'];

const NAME = /^[a-z][a-z0-9_-]{0,39}$/;
/** Enough for every fold a person could open on one case; a longer list is someone else's URL. */
const MAX_OPEN = 30;

/**
 * Which folds of a page are open, from its `?open=` list, and the links that open or close one.
 * The case page's folds and the reminders' snooze and edit panels (`snooze-<id>`, `edit-<id>`,
 * on the case page and in the /reminders inbox) use it.
 */
export type FoldView = {
  isOpen(name: string): boolean;
  /** This page with the fold added to the open ones (and any `closing` taken out), and its anchor. */
  openHref(name: string, closing?: readonly string[]): string;
  /** This page with the fold taken out of the open ones, at `anchor` (what the fold belonged to). */
  closeHref(name: string, anchor: string): string;
};

export type CaseView = FoldView & {
  showsAll(list: ListName): boolean;
  /** This page with the list shown in full (or shortened again), and its anchor. */
  allHref(list: ListName, all: boolean): string;
  /** This page with its story's lists in full, asking the browser to print it (`&print=1`). */
  printHref: string;
  /** The same page without asking to print: where the URL goes once the browser was asked. */
  printedHref: string;
  /** The page was opened to be printed: it asks the browser once, then drops `print=1` from the URL. */
  printing: boolean;
  /** Brought here by the case's own form, which saved it (`?saved=created|updated`): the page says so, once. */
  saved: 'created' | 'updated' | null;
};

type SearchParams = Record<string, string | string[] | undefined>;

function names(raw: string | string[] | undefined): string[] {
  const values = Array.isArray(raw) ? raw : raw ? [raw] : [];
  return [...new Set(values.flatMap((v) => v.split(',')).filter((n) => NAME.test(n)))].slice(0, MAX_OPEN);
}

function views(path: string, params: SearchParams, lists: readonly string[]) {
  const open = names(params.open);
  const all = names(params.all).filter((n) => lists.includes(n));
  const href = (nextOpen: string[], nextAll: string[], anchor: string) => {
    const query = [nextOpen.length ? `open=${nextOpen.join(',')}` : '', nextAll.length ? `all=${nextAll.join(',')}` : '']
      .filter(Boolean)
      .join('&');
    return `${path}${query ? `?${query}` : ''}#${anchor}`;
  };
  const folds: FoldView = {
    isOpen: (name) => open.includes(name),
    openHref: (name, closing = []) => {
      const kept = open.filter((n) => !closing.includes(n));
      return href(kept.includes(name) ? kept : [...kept, name], all, `fold-${name}`);
    },
    closeHref: (name, anchor) => href(open.filter((n) => n !== name), all, anchor),
  };
  return { folds, all, href, open };
}

/** The folds of a page without lists of its own (the /reminders inbox). */
export function foldView(path: string, params: SearchParams): FoldView {
  return views(path, params, []).folds;
}

export function caseView(caseId: number, params: SearchParams): CaseView {
  const { folds, all, href, open } = views(`/cases/${caseId}`, params, LISTS);
  return {
    ...folds,
    showsAll: (list) => all.includes(list),
    allHref: (list, show) => href(open, show ? [...new Set([...all, list])] : all.filter((l) => l !== list), `${list}-h`),
    printHref: `/cases/${caseId}?all=${PRINTED.join(',')}&print=1`,
    printedHref: `/cases/${caseId}?all=${PRINTED.join(',')}`,
    printing: params.print === '1',
    saved: params.saved === 'created' || params.saved === 'updated' ? params.saved : null,
  };
}
