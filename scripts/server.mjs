#!/usr/bin/env node
/**
 * The production server: Next's documented custom-server API (`next()`, `app.prepare()`,
 * `app.getRequestHandler()`) behind a plain `http.createServer`, with these things done in front
 * before Next sees a request:
 *
 *   1. Bodies over the app's limit (lib/limits.json, the same number as next.config.ts and
 *      proxy.ts) are refused with 413 and `Connection: close` WITHOUT being read: at once when the
 *      declared Content-Length is too large; as soon as the count passes the limit for a body sent
 *      without one (chunked). Next itself would read up to the limit first.
 *   2. An admission gate (scripts/gate.mjs): at most RESPITE_MAX_INFLIGHT requests inside Next at
 *      once (default 4 per CPU this process may run on); the others wait in arrival order with
 *      their bodies unread, up to RESPITE_MAX_QUEUE (default 512), past which the answer is 503
 *      with Retry-After. A waiting client that goes away is dropped without reaching Next.
 *      /_next/static/ (immutable files, no rendering) goes straight through, and so do Next's own
 *      requests to itself (after an action that redirects, Next fetches the target page from its
 *      own origin and waits for it inside the action's request: queued behind the gate, that fetch
 *      would wait for a place its own action holds — with every place so held, forever).
 *   3. SIGINT/SIGTERM close gracefully: no new connections, the requests under way and waiting
 *      finish, then Next closes (at most 10 s; then the remaining connections are cut).
 *   4. The page policy (lib/page-policy.mjs `applyPagePolicy`): for an ordinary page request — a GET
 *      or HEAD of a visitor with a session, or of a public path — the nonce, its Content-Security-
 *      Policy and HSTS are set here, and the request is marked so that proxy.ts does not run for
 *      it: Next's proxy cost 0.5–2.2 ms of CPU a request (A B A B: the home 15–17 ms, the reminder
 *      inbox 13). Every other request (a server action, a signed-out visitor sent to sign in, a
 *      download, an undecodable path) still goes through proxy.ts.
 *   5. The client's address (settleClientAddress): X-Forwarded-For is believed only from a proxy
 *      on this machine or one named in RESPITE_TRUSTED_PROXIES; anyone else's is replaced by the
 *      address they connect from, so the sign-in limits per address cannot be dodged by a header.
 *
 * (A server action whose body Next's decoder cannot read is answered 400 by proxy.ts, which has
 * the body Next has already buffered for it: see lib/action-body.ts.)
 *
 *   node scripts/server.mjs [--hostname 127.0.0.1] [--port 3000]     (or HOST / PORT)
 *
 * The build folder is NEXT_DIST_DIR (next.config.ts reads it), as with `next start`. Plain Node on
 * purpose: it runs before anything is built. scripts/start.mjs (npm start), scripts/e2e-server.mjs,
 * the benchmark and the durability suite all run this file.
 */
import { randomBytes } from 'node:crypto';
import diagnostics from 'node:diagnostics_channel';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { HSTS, applyPagePolicy, forwardedHttps } from '../lib/page-policy.mjs';
import { Gate, gateOptions } from './gate.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The largest request body the app takes, in bytes (lib/limits.json; next.config.ts and proxy.ts read it too). */
export const MAX_BODY_BYTES = JSON.parse(readFileSync(path.join(ROOT, 'lib/limits.json'), 'utf8')).maxBodyBytes;

/**
 * The headers every answer of the app carries (next.config.ts `headers()`; e2e/body-limit.spec.ts
 * checks that these are the same as a page's), with a policy for a plain-text answer that loads nothing.
 */
export function securityHeaders(req) {
  const headers = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=()',
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  };
  if (forwardedHttps(req.headers['x-forwarded-proto'])) headers['Strict-Transport-Security'] = HSTS;
  return headers;
}

/** The front server's own short answers: plain text, the security headers, and the connection closed after. */
function answer(req, res, status, text, extra = {}) {
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  const body = `${text}\n`;
  res.writeHead(status, {
    ...securityHeaders(req),
    'Content-Type': 'text/plain; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
    // The body (if any) is left unread: this connection cannot carry another request.
    Connection: 'close',
    ...extra,
  });
  res.end(body);
}

const TOO_LARGE = '请求内容过大。 / Request body too large.';

/** How long the connection of a refused body is kept open, discarding what still arrives. */
export const LINGER_MS = 5_000;

/**
 * Answers 413 and closes the connection the way nginx does ("lingering close"). Node destroys the
 * socket as soon as a `Connection: close` answer is written; with the client still sending its
 * body, the kernel answers the next bytes with a reset, and many clients (Node's http, Playwright)
 * report that reset instead of the 413 they were sent. So here the answer goes out with a FIN,
 * and whatever the client still sends is read and dropped — never buffered, never given to Next —
 * until it stops, or for at most LINGER_MS.
 */
function refuseTooLarge(req, res) {
  const socket = req.socket;
  if (socket && !socket.destroyed) {
    // Half-close instead of destroy: the answer and a FIN, the reading side left open.
    socket.destroySoon = function lingeringClose() {
      this.end();
    };
    const timer = setTimeout(() => socket.destroy(), LINGER_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
    req.resume(); // what arrives is dropped
  }
  answer(req, res, 413, TOO_LARGE);
}
const BUSY = '服务器繁忙，请稍后再试。 / The server is busy: please try again in a moment.';

/**
 * Counts a body sent without Content-Length (chunked) as the parser hands it over, by wrapping the
 * request's own `push` (what Node's HTTP parser calls with each piece of body). Past `limit` the
 * rest is dropped and `onOver` is called once. Until `gather()`, the parser's backpressure is left
 * as it is (a waiting request's body stays unread, in the socket); after it, the whole body is
 * taken in (at most `limit` bytes, held once in the request's own buffer) so that Next is only
 * given a body known to be within the limit.
 */
function countBody(req, limit, onOver) {
  const push = req.push;
  let seen = 0;
  let over = false;
  let ended = false;
  let gathering = false;
  let whenEnded = null;
  req.push = function countedPush(chunk, encoding) {
    if (over) return true;
    if (chunk !== null) {
      seen += chunk.length;
      if (seen > limit) {
        over = true;
        onOver();
        return true;
      }
    }
    const ok = push.call(this, chunk, encoding);
    if (chunk === null) {
      ended = true;
      req.push = push;
      whenEnded?.();
    }
    return gathering ? true : ok;
  };
  return {
    /** Reads the rest of the body, then calls `done` (at once if it is all in already). */
    gather(done) {
      if (over) return;
      if (ended) return done();
      gathering = true;
      whenEnded = done;
      if (req.socket && !req.socket.destroyed) req.socket.resume();
    },
  };
}

const isStatic = (url) => url.startsWith('/_next/static/');

const isLoopback = (address) => /^(127\.|::1$|::ffff:127\.)/.test(address ?? '');

/**
 * Who the client is, as sign-in and sign-up limits count them (lib/client-address.ts reads the last
 * X-Forwarded-For entry): a proxy in front says so in that header, and is trusted to, when it
 * connects from this machine (loopback) or from one of `trustedProxies` (RESPITE_TRUSTED_PROXIES).
 * Anyone else's X-Forwarded-For or X-Real-IP is theirs to invent, to sign in with a fresh "address"
 * at each try: it is replaced by the address they connect from.
 */
export function settleClientAddress(headers, peer, trustedProxies = []) {
  if (isLoopback(peer) || trustedProxies.includes(peer)) return;
  headers['x-forwarded-for'] = peer ?? 'unknown';
  delete headers['x-real-ip'];
}

/** RESPITE_TRUSTED_PROXIES: the addresses of proxies on other machines, comma-separated. */
export function trustedProxiesFrom(env) {
  return (env.RESPITE_TRUSTED_PROXIES ?? '')
    .split(',')
    .map((a) => a.trim())
    .filter(Boolean)
    .flatMap((a) => (a.includes(':') ? [a] : [a, `::ffff:${a}`]));
}

/** The header that marks a request this process sent to itself; its value is a per-process secret. */
export const INTERNAL_HEADER = 'x-respite-internal';

/**
 * Marks every fetch this process sends to `origin` (its own address) with INTERNAL_HEADER: `token`.
 * Uses undici's documented diagnostics channel (Node's fetch is undici), so no Next internals are
 * touched. Returns the function that stops marking.
 */
export function markInternalFetches(origin, token) {
  const onCreate = ({ request }) => {
    if (request.origin === origin) request.addHeader(INTERNAL_HEADER, token);
  };
  diagnostics.subscribe('undici:request:create', onCreate);
  return () => diagnostics.unsubscribe('undici:request:create', onCreate);
}

/**
 * The front server around a request handler (Next's, or a test's). A request carrying
 * INTERNAL_HEADER with `internalToken` (see markInternalFetches) bypasses the gate.
 *
 * @param {{ handle: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<void> | void,
 *           maxBodyBytes?: number, maxInflight: number, maxQueue: number, retryAfterS?: number,
 *           internalToken?: string, trustedProxies?: string[] }} options
 */
export function createFrontServer({ handle, maxBodyBytes = MAX_BODY_BYTES, maxInflight, maxQueue, retryAfterS = 2, internalToken, trustedProxies = [] }) {
  const gate = new Gate({ maxInflight, maxQueue });

  const toNext = (req, res, expectsContinue) => {
    if (res.destroyed || res.writableEnded) return;
    if (expectsContinue) res.writeContinue();
    Promise.resolve()
      .then(() => handle(req, res))
      .catch((error) => {
        console.error(`[server] ${req.method} ${req.url}:`, error);
        answer(req, res, 500, 'Internal error.');
      });
  };

  const onRequest = (req, res, expectsContinue = false) => {
    settleClientAddress(req.headers, req.socket?.remoteAddress, trustedProxies);
    const declared = req.headers['content-length'];
    if (declared !== undefined && !(Number(declared) <= maxBodyBytes)) {
      refuseTooLarge(req, res);
      return;
    }
    // No Content-Length but a body all the same (Transfer-Encoding: chunked): count it.
    let ticket = null;
    const counted =
      declared === undefined && req.headers['transfer-encoding'] !== undefined
        ? countBody(req, maxBodyBytes, () => {
            ticket?.cancel();
            refuseTooLarge(req, res);
          })
        : null;
    const start = (release) => {
      // A client that went away while waiting without the close being seen (its socket paused
      // under an unread body) is dropped here, still before Next.
      if (req.socket?.destroyed || res.destroyed) {
        release?.();
        return;
      }
      if (release) res.once('close', release);
      if (counted) counted.gather(() => toNext(req, res, false));
      else toNext(req, res, expectsContinue);
    };
    const internal = internalToken !== undefined && req.headers[INTERNAL_HEADER] === internalToken;
    delete req.headers[INTERNAL_HEADER];
    // A chunked body is counted as it comes, so one sent with Expect: 100-continue is asked for
    // as soon as the request is taken (a body with a Content-Length, when it reaches Next).
    const askForCountedBody = () => {
      if (counted && expectsContinue) res.writeContinue();
    };
    if (internal || isStatic(req.url ?? '')) {
      askForCountedBody();
      start(null);
      return;
    }
    ticket = gate.admit(start);
    if (ticket.state === 'refused') {
      answer(req, res, 503, BUSY, { 'Retry-After': String(retryAfterS) });
      return;
    }
    askForCountedBody();
    if (ticket.state === 'waiting') res.once('close', ticket.cancel);
  };

  const server = http.createServer(onRequest);
  // Expect: 100-continue is answered here: 413 at once, or "continue" when the request reaches Next.
  server.on('checkContinue', (req, res) => onRequest(req, res, true));
  server.gate = gate;
  return server;
}

function argValue(args, names) {
  for (let i = 0; i < args.length; i++) {
    for (const name of names) {
      if (args[i] === name) return args[i + 1];
      if (args[i].startsWith(`${name}=`)) return args[i].slice(name.length + 1);
    }
  }
  return undefined;
}

/**
 * Next starts from the configuration `next build` wrote into the build folder
 * (required-server-files.json), as Next's own standalone server does, instead of compiling
 * next.config.ts again: that compile loads SWC's compiler, 26 MB of the server's resident memory
 * for the life of the process. Started that way Next reads no .env file, so they are read here, as
 * Next would read them (variables already set win). Without a build, Next reads next.config.ts.
 *
 * @param {string} [root]
 * @param {Record<string, string | undefined>} [env]
 * @returns {boolean} whether Next starts from the build's configuration
 */
export function startFromBuiltConfig(root = ROOT, env = process.env) {
  let config;
  try {
    config = JSON.parse(readFileSync(path.join(root, env.NEXT_DIST_DIR || '.next', 'required-server-files.json'), 'utf8')).config;
  } catch {
    return false;
  }
  createRequire(import.meta.url)('@next/env').loadEnvConfig(root, false, { info: () => {}, error: console.error });
  env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
  return true;
}

async function main() {
  process.chdir(ROOT);
  // Before Next (and React) are loaded: they pick their production builds from it.
  process.env.NODE_ENV ||= 'production';
  process.env.NEXT_TELEMETRY_DISABLED ||= '1';
  const args = process.argv.slice(2);
  const hostname = argValue(args, ['--hostname', '-H']) ?? process.env.HOST ?? '127.0.0.1';
  const port = Number(argValue(args, ['--port', '-p']) ?? process.env.PORT ?? 3000);
  const { maxInflight, maxQueue } = gateOptions(process.env, os.availableParallelism());
  // Where Next sends its requests to itself: this server, directly, as `next start` sets it
  // (start-server.js); the port for the render workers likewise.
  const ownHost = hostname === '0.0.0.0' ? '127.0.0.1' : hostname === '::' ? '::1' : hostname;
  const origin = `http://${ownHost.includes(':') ? `[${ownHost}]` : ownHost}:${port}`;
  process.env.__NEXT_PRIVATE_ORIGIN = origin;
  process.env.PORT = String(port);
  const internalToken = randomBytes(24).toString('base64url');
  markInternalFetches(origin, internalToken);

  startFromBuiltConfig();
  const { default: next } = await import('next');
  const app = next({ dev: false, dir: ROOT, hostname, port });
  await app.prepare();
  const nextHandle = app.getRequestHandler();
  const handle = (req, res) => {
    applyPagePolicy(req, res);
    return nextHandle(req, res);
  };
  const server = createFrontServer({ handle, maxInflight, maxQueue, internalToken, trustedProxies: trustedProxiesFrom(process.env) });
  server.on('error', (error) => {
    console.error(`[server] ${error.message}`);
    process.exit(1);
  });
  server.listen(port, hostname, () => {
    const shown = hostname.includes(':') ? `[${hostname}]` : hostname;
    console.log(`[server] ready on http://${shown}:${port}/ (build ${process.env.NEXT_DIST_DIR || '.next'}; at most ${maxInflight} requests in Next at once, ${maxQueue} waiting)`);
  });

  let closing = false;
  const close = (signal) => {
    if (closing) return;
    closing = true;
    const code = signal === 'SIGINT' ? 130 : 143;
    // Connections left idle after their last answer are closed as they become idle.
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const force = setTimeout(() => {
      console.error('[server] requests still open after 10 s: closing their connections');
      server.closeAllConnections();
      process.exit(code);
    }, 10_000);
    force.unref();
    server.close(async () => {
      clearInterval(idle);
      await app.close().catch((error) => console.error('[server] closing Next:', error));
      process.exit(code);
    });
  };
  process.on('SIGINT', () => close('SIGINT'));
  process.on('SIGTERM', () => close('SIGTERM'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error('[server] could not start:', error);
    process.exit(1);
  });
}
