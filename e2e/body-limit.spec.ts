/**
 * The front server (scripts/server.mjs) in front of the production build, over raw sockets: a body
 * over the limit (lib/limits.json, 11 MB) is refused with 413 while it is still being sent — at once
 * from its Content-Length, or as soon as a chunked body passes the limit — with the headers every
 * answer of the app carries; and proxy.ts refuses an action body Next could not decode with 400.
 */
import net from 'node:net';
import { expect, test } from '@playwright/test';
import limits from '../lib/limits.json' with { type: 'json' };

const MAX = limits.maxBodyBytes;
/** The headers next.config.ts puts on every answer: the front server's own answers must carry the same. */
const STATIC_HEADERS = ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'permissions-policy'];

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** A raw connection to the server; `response()` resolves once a whole answer (head + Content-Length body) is in. */
function connect(baseURL: string) {
  const url = new URL(baseURL);
  const socket = net.connect(Number(url.port), url.hostname);
  let received = Buffer.alloc(0);
  let onData = () => {};
  socket.on('data', (d) => {
    received = Buffer.concat([received, d]);
    onData();
  });
  // The server closes the connection after a 413 while this side may still be writing.
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  const response = () =>
    new Promise<RawResponse>((resolve) => {
      const check = () => {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine, ...lines] = received.subarray(0, end).toString('latin1').split('\r\n');
        const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
        const length = Number(headers['content-length'] ?? 0);
        if (received.length - end - 4 < length) return;
        resolve({ status: Number(statusLine.split(' ')[1]), headers, body: received.subarray(end + 4, end + 4 + length).toString('utf8') });
      };
      onData = check;
      check();
    });
  return { socket, response, closed };
}

async function pageHeaders(baseURL: string): Promise<Record<string, string>> {
  const res = await fetch(`${baseURL}/signin`);
  await res.arrayBuffer();
  expect(res.status).toBe(200);
  return Object.fromEntries(STATIC_HEADERS.map((h) => [h, res.headers.get(h) ?? '(none)']));
}

function expectRefusedLikeThePages(res: RawResponse, page: Record<string, string>) {
  expect(res.status).toBe(413);
  expect(res.headers.connection).toBe('close');
  for (const h of STATIC_HEADERS) expect(res.headers[h], h).toBe(page[h]);
  expect(res.headers['content-security-policy']).toContain("default-src 'none'");
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.body).toContain('Request body too large');
}

test('a body declared over the limit is answered 413 at once, before it is sent, and the connection is closed', async ({ baseURL }) => {
  const page = await pageHeaders(baseURL!);
  const c = connect(baseURL!);
  // 50 MB declared, a few bytes sent, and nothing more until the answer is in.
  c.socket.write(
    [`POST /cases/1 HTTP/1.1`, `Host: ${new URL(baseURL!).host}`, `Content-Type: multipart/form-data; boundary=x`, `Next-Action: 00`, `Content-Length: ${50 * 1024 * 1024}`, '', '--x\r\n'].join('\r\n'),
  );
  const res = await c.response();
  expectRefusedLikeThePages(res, page);
  await c.closed;
  // The server is none the worse for it.
  expect((await pageHeaders(baseURL!))['x-content-type-options']).toBe('nosniff');
});

test('a chunked body is counted as it arrives and answered 413 once it passes the limit, the rest unsent', async ({ baseURL }) => {
  const page = await pageHeaders(baseURL!);
  const c = connect(baseURL!);
  c.socket.write([`POST /cases/1 HTTP/1.1`, `Host: ${new URL(baseURL!).host}`, `Content-Type: application/octet-stream`, `Transfer-Encoding: chunked`, '', ''].join('\r\n'));
  const mb = Buffer.alloc(1024 * 1024, 0x61);
  let answered = false;
  const answer = c.response().then((r) => {
    answered = true;
    return r;
  });
  // One MB at a time, past the limit, and never the closing chunk: the answer must not wait for it.
  for (let sent = 0; sent <= MAX && !answered && !c.socket.destroyed; sent += mb.length) {
    const written = new Promise<void>((resolve) => {
      c.socket.write(`${mb.length.toString(16)}\r\n`);
      c.socket.write(mb);
      c.socket.write('\r\n', () => resolve());
    });
    await Promise.race([written, c.closed]);
  }
  const res = await answer;
  expectRefusedLikeThePages(res, page);
  await c.closed;
});

test('a body exactly at the limit is not refused by the front server', async ({ baseURL }) => {
  // Declared at the limit and sent whole, to a page (no action): whatever the page says, not 413.
  const c = connect(baseURL!);
  c.socket.write([`POST /signin HTTP/1.1`, `Host: ${new URL(baseURL!).host}`, `Content-Type: application/octet-stream`, `Content-Length: ${MAX}`, 'Connection: close', '', ''].join('\r\n'));
  c.socket.write(Buffer.alloc(MAX, 0x20));
  const res = await c.response();
  expect(res.status).not.toBe(413);
  expect(res.status).toBeLessThan(500);
  c.socket.destroy();
});

test('an action body Next could not decode is answered 400 by proxy.ts, signed in or not, with the usual headers', async ({ baseURL }) => {
  const page = await pageHeaders(baseURL!);
  const res = await fetch(`${baseURL}/cases/1`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'next-action': '7f'.repeat(21), 'content-type': 'multipart/form-data; boundary=not-the-one', origin: baseURL!, accept: 'text/x-component' },
    body: '--x\r\nContent-Disposition: form-data; name="0"\r\n\r\n[]\r\n--x--\r\n',
  });
  const body = await res.text();
  expect(res.status).toBe(400);
  expect(body).toBe('Bad request: this server action request cannot be decoded: the multipart body cannot be read.\n');
  for (const h of STATIC_HEADERS) expect(res.headers.get(h), h).toBe(page[h]);
  expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
});
