/**
 * The URLs of the pages' folds (lib/folds.ts): what `?open=` opens, and the
 * links that open one (a reminder's snooze closing its edit), close one, or show a list in full,
 * each keeping the rest of the page's state.
 */
import { describe, expect, it } from 'vitest';
import { caseView, foldView } from '@/lib/folds';
import { panelName } from '@/app/reminders/_components/panels';

describe('foldView (the /reminders inbox)', () => {
  it('opens what the URL lists, and nothing that is not a fold name', () => {
    const view = foldView('/reminders', { open: 'snooze-12,edit-7,<script>,Snooze-3' });
    expect(view.isOpen('snooze-12')).toBe(true);
    expect(view.isOpen('edit-7')).toBe(true);
    expect(view.isOpen('snooze-7')).toBe(false);
    expect(view.isOpen('<script>')).toBe(false);
    expect(view.isOpen('Snooze-3')).toBe(false);
  });

  it('opening a reminder panel closes its other panel and keeps the other reminders', () => {
    const view = foldView('/reminders', { open: ['edit-12', 'snooze-9'] });
    expect(view.openHref('snooze-12', ['edit-12'])).toBe('/reminders?open=snooze-9,snooze-12#fold-snooze-12');
    // Already open: the same list.
    expect(view.openHref('snooze-9')).toBe('/reminders?open=edit-12,snooze-9#fold-snooze-9');
  });

  it('closing takes only that panel out, at the anchor it belongs to', () => {
    const view = foldView('/reminders', { open: 'snooze-12,edit-4' });
    expect(view.closeHref('snooze-12', 'reminder-12')).toBe('/reminders?open=edit-4#reminder-12');
    expect(foldView('/reminders', { open: 'snooze-12' }).closeHref('snooze-12', 'reminder-12')).toBe('/reminders#reminder-12');
  });
});

describe('caseView', () => {
  it('keeps the lists shown in full when a reminder panel opens or closes', () => {
    const view = caseView(5, { open: 'contact', all: 'reminders,nonsense' });
    expect(view.showsAll('reminders')).toBe(true);
    expect(view.openHref(panelName('snooze', 33))).toBe('/cases/5?open=contact,snooze-33&all=reminders#fold-snooze-33');
    const opened = caseView(5, { open: 'contact,snooze-33', all: 'reminders' });
    expect(opened.isOpen('snooze-33')).toBe(true);
    expect(opened.closeHref('snooze-33', 'reminder-33')).toBe('/cases/5?open=contact&all=reminders#reminder-33');
    expect(opened.allHref('reminders', false)).toBe('/cases/5?open=contact,snooze-33#reminders-h');
  });

  it('an unknown list in ?all= is ignored', () => {
    const view = caseView(5, { all: 'nonsense' });
    expect(view.allHref('plan', true)).toBe('/cases/5?all=plan#plan-h');
  });
});
