'use client';

import { useEffect, useState, type ReactNode } from 'react';
import { useFormStatus } from 'react-dom';

/**
 * Catches a file over the limit as soon as it is chosen, before minutes of uploading on a phone
 * connection: the file is taken out of the form and the size message shown beside it. If the form
 * is sent anyway, it says why the file is missing (`fileTooLarge`), and the server answers with
 * the size message at the field, where this one was. The server checks size and type again from
 * the bytes; this is only a courtesy.
 */
export function FileSizeGuard({ maxBytes, message, children }: { maxBytes: number; message: string; children: ReactNode }) {
  const [tooLarge, setTooLarge] = useState(false);
  const [shown, setShown] = useState(false);
  const { pending } = useFormStatus();
  // Once sent, the server's answer says it at the field: the same sentence twice would read as two problems.
  useEffect(() => {
    if (pending) setShown(false);
  }, [pending]);
  return (
    <div
      onChange={(e) => {
        const input = e.target as HTMLInputElement;
        if (input.type !== 'file') return;
        const file = input.files?.[0];
        const over = Boolean(file && file.size > maxBytes);
        if (over) input.value = '';
        setTooLarge(over);
        setShown(over);
      }}
    >
      {children}
      {tooLarge && <input type="hidden" name="fileTooLarge" value="1" />}
      {shown && (
        <p role="alert" className="mt-1 text-sm text-red-700" data-testid="file-too-large">
          {message}
        </p>
      )}
    </div>
  );
}
