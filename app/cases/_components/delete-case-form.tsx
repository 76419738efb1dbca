'use client';

import { useActionState } from 'react';
import { FormMessage } from '@/components/form/action-form';
import { idleState, type ActionState } from '@/components/form/state';
import { ConfirmButton } from '@/components/ui/confirm-button';

/**
 * Delete asks first, in the page; only the explicit second button submits. It carries the case's
 * version as the page showed it; refused as a conflict, the answer brings the version now, so that
 * pressing again, having looked, deletes.
 */
export function DeleteCaseForm({
  action,
  caseId,
  version,
  labels,
}: {
  action: (prev: ActionState, formData: FormData) => Promise<ActionState>;
  caseId: number;
  version: number;
  labels: { label: string; question: string; confirmLabel: string; cancelLabel: string; pendingLabel: string };
}) {
  const [state, formAction] = useActionState(action, idleState);
  return (
    <form action={formAction} className="grid gap-2" data-testid="delete-case-form">
      <input type="hidden" name="caseId" value={caseId} />
      <input type="hidden" name="version" value={state.hidden?.version ?? version} />
      <div>
        <ConfirmButton {...labels} />
      </div>
      <FormMessage state={state} />
    </form>
  );
}
