import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';

/**
 * The file's bytes, opened at the first read: a body never read (a HEAD request, which Next answers
 * with GET's response and then drops; a client gone before the body) opens no file, so leaves none open.
 * Its reader is cancelled, closing the file, when the download stops.
 */
export function fileBody(path: string): ReadableStream<Uint8Array> {
  let reader: ReadableStreamDefaultReader<Uint8Array> | null = null;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        reader ??= (Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>).getReader();
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      async cancel(reason) {
        await reader?.cancel(reason);
      },
    },
    // Nothing is pulled before a reader asks (the default would read once at once).
    { highWaterMark: 0 },
  );
}
