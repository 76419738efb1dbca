/**
 * The front server of scripts/server.mjs around a stand-in for Next, over raw sockets: the body
 * limit (declared and counted), the admission gate (queue, 503, a waiting client that leaves) and
 * the static bypass. e2e/body-limit.spec.ts checks the same limit against the real build.
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { INTERNAL_HEADER, MAX_BODY_BYTES, createFrontServer, markInternalFetches, settleClientAddress, startFromBuiltConfig, trustedProxiesFrom } from '../scripts/server.mjs';

type Seen = { url: string; body: string; internalHeader?: string };

let server: Server & { gate?: { inflight: number; waiting: number } };
let port = 0;
const seen: Seen[] = [];
/** Requests to /hold stay open until released here. */
let holds: (() => void)[] = [];

async function start(options: { maxBodyBytes?: number; maxInflight?: number; maxQueue?: number; internalToken?: string }) {
  seen.length = 0;
  holds = [];
  server = createFrontServer({
    maxInflight: options.maxInflight ?? 4,
    maxQueue: options.maxQueue ?? 16,
    maxBodyBytes: options.maxBodyBytes,
    internalToken: options.internalToken,
    handle: async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      seen.push({ url: req.url!, body: Buffer.concat(chunks).toString(), ...(req.headers[INTERNAL_HEADER] ? { internalHeader: String(req.headers[INTERNAL_HEADER]) } : {}) });
      if (req.url!.startsWith('/hold')) await new Promise<void>((r) => holds.push(r));
      const text = `ok ${chunks.reduce((n, c) => n + c.length, 0)}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    },
  }) as typeof server;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as net.AddressInfo).port;
}

afterEach(async () => {
  holds.forEach((r) => r());
  if (!server?.listening) return; // a test of a pure function started none
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

/** A raw connection: what was received so far, and a promise of the first full head + body. */
function connect() {
  const socket = net.connect(port, '127.0.0.1');
  let received = '';
  const listeners: (() => void)[] = [];
  socket.on('data', (d) => {
    received += d.toString('latin1');
    listeners.forEach((l) => l());
  });
  const closed = new Promise<void>((r) => socket.on('close', () => r()));
  socket.on('error', () => {}); // a reset after the server closes on an unfinished upload
  /** Resolves with the response once its head (and Content-Length body) is in. */
  const response = () =>
    new Promise<{ status: number; head: string; body: string }>((resolve) => {
      const check = () => {
        const end = received.indexOf('\r\n\r\n');
        if (end < 0) return;
        const head = received.slice(0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        const body = received.slice(end + 4);
        if (Buffer.byteLength(body, 'latin1') < length) return;
        resolve({ status: Number(head.split(' ')[1]), head, body: Buffer.from(body, 'latin1').toString() });
      };
      listeners.push(check);
      check();
    });
  return { socket, response, closed, text: () => received };
}

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((r) => setTimeout(r, 10));
};

describe("the client's address, as the sign-in limits count it", () => {
  const settled = (headers: Record<string, string>, peer: string | undefined, trusted: string[] = []) => {
    const h: Record<string, string | undefined> = { ...headers };
    settleClientAddress(h, peer, trusted);
    return h;
  };

  it('believes X-Forwarded-For from a proxy on this machine, or one named as trusted', () => {
    const sent = { 'x-forwarded-for': '1.2.3.4, 203.0.113.9', 'x-real-ip': '203.0.113.9' };
    for (const peer of ['127.0.0.1', '::1', '::ffff:127.0.0.1']) expect(settled(sent, peer)).toEqual(sent);
    expect(settled(sent, '::ffff:10.0.0.5', trustedProxiesFrom({ RESPITE_TRUSTED_PROXIES: ' 10.0.0.5 , fd00::1' }))).toEqual(sent);
    expect(settled(sent, 'fd00::1', trustedProxiesFrom({ RESPITE_TRUSTED_PROXIES: '10.0.0.5,fd00::1' }))).toEqual(sent);
  });

  it('replaces what anyone else says of their address by the address they connect from', () => {
    expect(settled({ 'x-forwarded-for': '198.51.100.1', 'x-real-ip': '198.51.100.2', host: 'x' }, '::ffff:203.0.113.7')).toEqual({
      'x-forwarded-for': '::ffff:203.0.113.7',
      host: 'x',
    });
    expect(settled({}, '203.0.113.7')).toEqual({ 'x-forwarded-for': '203.0.113.7' });
    expect(settled({ 'x-forwarded-for': '127.0.0.1' }, '10.0.0.6', trustedProxiesFrom({ RESPITE_TRUSTED_PROXIES: '10.0.0.5' }))).toEqual({
      'x-forwarded-for': '10.0.0.6',
    });
    expect(trustedProxiesFrom({})).toEqual([]);
  });

  it('hands the handler the header a local proxy sent', async () => {
    let forwarded: string | undefined;
    server = createFrontServer({
      maxInflight: 1,
      maxQueue: 1,
      handle: (req: IncomingMessage, res: ServerResponse) => {
        forwarded = req.headers['x-forwarded-for'] as string | undefined;
        res.end('ok');
      },
    }) as typeof server;
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    const c = connect();
    c.socket.write('GET / HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 203.0.113.9\r\nConnection: close\r\n\r\n');
    await c.closed;
    expect(forwarded).toBe('203.0.113.9');
  });
});

describe('the body limit', () => {
  it('answers 413 to a declared body over the limit before it is sent, with the security headers, and closes', async () => {
    await start({});
    const c = connect();
    c.socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\nabc`);
    // Only three bytes of 50 MB are sent: the answer comes anyway.
    const res = await c.response();
    expect(res.status).toBe(413);
    expect(res.head).toMatch(/\r\nconnection: close/i);
    expect(res.head).toMatch(/\r\nx-content-type-options: nosniff/i);
    expect(res.head).toMatch(/\r\nx-frame-options: DENY/i);
    expect(res.head).toMatch(/\r\ncontent-security-policy: default-src 'none'/i);
    await c.closed;
    expect(seen).toEqual([]);
  });

  it('takes a declared body of exactly the limit', async () => {
    await start({ maxBodyBytes: 1000 });
    const c = connect();
    c.socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n${'x'.repeat(1000)}`);
    const res = await c.response();
    expect(res.status).toBe(200);
    expect(res.body).toBe('ok 1000');
    c.socket.destroy();
  });

  it('counts a chunked body and answers 413 once it passes the limit, with the rest unsent', async () => {
    await start({ maxBodyBytes: 1000 });
    const c = connect();
    c.socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    c.socket.write(`258\r\n${'x'.repeat(600)}\r\n`);
    c.socket.write(`258\r\n${'x'.repeat(600)}\r\n`);
    // No terminating chunk: the body is still "being sent".
    const res = await c.response();
    expect(res.status).toBe(413);
    expect(res.head).toMatch(/\r\nconnection: close/i);
    await c.closed;
    expect(seen).toEqual([]);
  });

  it('hands a chunked body within the limit to the handler whole', async () => {
    await start({ maxBodyBytes: 1000 });
    const c = connect();
    c.socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n');
    c.socket.write(`1f4\r\n${'a'.repeat(500)}\r\n`);
    c.socket.write(`1f4\r\n${'b'.repeat(500)}\r\n0\r\n\r\n`);
    const res = await c.response();
    expect(res.status).toBe(200);
    expect(seen).toEqual([{ url: '/upload', body: 'a'.repeat(500) + 'b'.repeat(500) }]);
    c.socket.destroy();
  });

  it('asks for a chunked Expect: 100-continue body, counts it, and hands it over whole', async () => {
    await start({ maxBodyBytes: 1000 });
    const c = connect();
    c.socket.write('POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n');
    await until(() => c.text().startsWith('HTTP/1.1 100 Continue\r\n\r\n'));
    c.socket.write('a\r\n0123456789\r\n0\r\n\r\n');
    await until(() => c.text().includes('ok 10'));
    expect(seen).toEqual([{ url: '/upload', body: '0123456789' }]);
    c.socket.destroy();
  });

  it('answers 413 to an Expect: 100-continue upload over the limit without asking for its body', async () => {
    await start({});
    const c = connect();
    c.socket.write(`POST /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: ${MAX_BODY_BYTES + 1}\r\n\r\n`);
    const res = await c.response();
    expect(res.status).toBe(413);
    expect(seen).toEqual([]);
  });
});

describe('a refused upload, seen by an ordinary client', () => {
  it('a client that sends its whole over-limit body at once gets the 413, not a reset (lingering close)', async () => {
    // The limit is small here so that the body far outruns the socket buffers, as 15 MB does.
    await start({ maxBodyBytes: 64 * 1024 });
    const body = Buffer.alloc(4 * 1024 * 1024, 0x61);
    for (let i = 0; i < 5; i++) {
      const outcome = await new Promise<{ status?: number; error?: string }>((resolve) => {
        const result: { status?: number; error?: string } = {};
        const req = http.request({ host: '127.0.0.1', port, path: '/upload', method: 'POST', headers: { 'content-length': body.length } }, (res) => {
          result.status = res.statusCode;
          res.resume();
          res.on('end', () => setTimeout(() => resolve(result), 20));
        });
        // An EPIPE or reset while writing is what a client sees when the server closes on it.
        req.on('error', (e: NodeJS.ErrnoException) => {
          result.error = e.code ?? e.message;
          resolve(result);
        });
        req.end(body);
      });
      expect(outcome).toEqual({ status: 413 });
    }
    expect(seen).toEqual([]);
  });
});

describe('the admission gate', () => {
  it('queues past the limit, answers 503 with Retry-After past the queue, and lets the queue in as places free', async () => {
    await start({ maxInflight: 1, maxQueue: 1 });
    const first = connect();
    first.socket.write('GET /hold/1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => seen.length === 1);
    const second = connect();
    second.socket.write('GET /second HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => server.gate!.waiting === 1);
    const third = connect();
    third.socket.write('GET /third HTTP/1.1\r\nHost: x\r\n\r\n');
    const refused = await third.response();
    expect(refused.status).toBe(503);
    expect(refused.head).toMatch(/\r\nretry-after: \d+/i);
    expect(refused.head).toMatch(/\r\nx-content-type-options: nosniff/i);
    expect(seen.map((s) => s.url)).toEqual(['/hold/1']);
    holds.shift()!();
    expect((await first.response()).status).toBe(200);
    expect((await second.response()).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/hold/1', '/second']);
    for (const c of [first, second, third]) c.socket.destroy();
  });

  it('drops a waiting request whose client went away: it never reaches the handler', async () => {
    await start({ maxInflight: 1, maxQueue: 8 });
    const first = connect();
    first.socket.write('GET /hold/1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => seen.length === 1);
    const leaver = connect();
    leaver.socket.write('POST /gone HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello');
    await until(() => server.gate!.waiting === 1);
    leaver.socket.destroy();
    await until(() => server.gate!.waiting === 0);
    const later = connect();
    later.socket.write('GET /later HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => server.gate!.waiting === 1);
    holds.shift()!();
    expect((await later.response()).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/hold/1', '/later']);
    expect(server.gate!.inflight).toBe(0);
    for (const c of [first, later]) c.socket.destroy();
  });

  it('lets /_next/static/ through while the gate is full', async () => {
    await start({ maxInflight: 1, maxQueue: 0 });
    const first = connect();
    first.socket.write('GET /hold/1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => seen.length === 1);
    const page = connect();
    page.socket.write('GET /page HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await page.response()).status).toBe(503);
    const asset = connect();
    asset.socket.write('GET /_next/static/chunks/a.js HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await asset.response()).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/hold/1', '/_next/static/chunks/a.js']);
    for (const c of [first, page, asset]) c.socket.destroy();
  });

  it('frees the place when a request inside finishes, on a kept-alive connection too', async () => {
    await start({ maxInflight: 1, maxQueue: 8 });
    const c = connect();
    c.socket.write('GET /a HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await c.response()).body).toBe('ok 0');
    await until(() => server.gate!.inflight === 0);
    const d = connect();
    d.socket.write('GET /b HTTP/1.1\r\nHost: x\r\n\r\n');
    expect((await d.response()).status).toBe(200);
    expect(seen.map((s) => s.url)).toEqual(['/a', '/b']);
    for (const x of [c, d]) x.socket.destroy();
  });
});

describe("Next's requests to itself", () => {
  it('bypass a full gate with the right token (which the handler never sees), and only with it', async () => {
    await start({ maxInflight: 1, maxQueue: 0, internalToken: 'secret-token' });
    const first = connect();
    first.socket.write('GET /hold/1 HTTP/1.1\r\nHost: x\r\n\r\n');
    await until(() => seen.length === 1);
    const forged = connect();
    forged.socket.write(`GET /forged HTTP/1.1\r\nHost: x\r\n${INTERNAL_HEADER}: guessed\r\n\r\n`);
    expect((await forged.response()).status).toBe(503);
    const internal = connect();
    internal.socket.write(`GET /redirect-target HTTP/1.1\r\nHost: x\r\n${INTERNAL_HEADER}: secret-token\r\n\r\n`);
    expect((await internal.response()).status).toBe(200);
    expect(seen).toEqual([
      { url: '/hold/1', body: '' },
      { url: '/redirect-target', body: '' },
    ]);
    for (const c of [first, forged, internal]) c.socket.destroy();
  });

  it('are the fetches this process sends to its own origin: one of them goes in while the only place is held', async () => {
    await start({ maxInflight: 1, maxQueue: 8, internalToken: 'tok' });
    const origin = `http://127.0.0.1:${port}`;
    const stop = markInternalFetches(origin, 'tok');
    try {
      // Only fetches to this origin are marked.
      const other = await start2();
      await fetch(`${other.origin}/elsewhere`).then((r) => r.text());
      expect(other.headers).toEqual([undefined]);
      await new Promise((r) => other.server.close(r));
      // One place, taken by a request that waits for a fetch of the server itself (as Next's
      // action redirect does): it finishes, because that fetch bypasses the gate.
      const selfFetch = fetch(`${origin}/hold/outer`).then((r) => r.status);
      await until(() => seen.length === 1);
      expect((await fetch(`${origin}/inner`)).status).toBe(200);
      holds.shift()!();
      expect(await selfFetch).toBe(200);
      expect(seen.map((x) => x.url)).toEqual(['/hold/outer', '/inner']);
    } finally {
      stop();
    }
  });
});

/** A plain server elsewhere, recording the internal header of what it receives. */
async function start2() {
  const http = await import('node:http');
  const headers: (string | undefined)[] = [];
  const server = http.createServer((req, res) => {
    headers.push(req.headers[INTERNAL_HEADER] as string | undefined);
    res.end('ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, headers, origin: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}` };
}

describe('starting Next from the build', () => {
  it("hands Next the configuration the build wrote, so that next.config.ts is not compiled again", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'respite-built-config-'));
    try {
      const config = { distDir: '.next-x', compress: true, experimental: { serverActions: { bodySizeLimit: MAX_BODY_BYTES } } };
      mkdirSync(path.join(root, '.next-x'));
      writeFileSync(path.join(root, '.next-x', 'required-server-files.json'), JSON.stringify({ version: 1, config }));
      const env: Record<string, string | undefined> = { NEXT_DIST_DIR: '.next-x' };
      expect(startFromBuiltConfig(root, env)).toBe(true);
      expect(JSON.parse(env.__NEXT_PRIVATE_STANDALONE_CONFIG!)).toEqual(config);

      // No build in that folder: Next is left to read next.config.ts.
      const unbuilt: Record<string, string | undefined> = { NEXT_DIST_DIR: '.next-y' };
      expect(startFromBuiltConfig(root, unbuilt)).toBe(false);
      expect(unbuilt.__NEXT_PRIVATE_STANDALONE_CONFIG).toBeUndefined();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
