'use client';

import { useState, type ReactNode } from 'react';

/**
 * Catches a file over the limit as soon as it is chosen, before minutes of uploading on a phone
 * connection. The server checks size and type again from the bytes; this is only a courtesy.
 */
export function FileSizeGuard({ maxBytes, message, children }: { maxBytes: number; message: string; children: ReactNode }) {
  const [tooLarge, setTooLarge] = useState(false);
  return (
    <div
      onChange={(e) => {
        const input = e.target as HTMLInputElement;
        if (input.type !== 'file') return;
        const file = input.files?.[0];
        if (file && file.size > maxBytes) {
          input.value = '';
          setTooLarge(true);
        } else {
          setTooLarge(false);
        }
      }}
    >
      {children}
      {tooLarge && (
        <p role="alert" className="mt-1 text-sm text-red-700" data-testid="file-too-large">
          {message}
        </p>
      )}
    </div>
  );
}
