/**
 * Where mail goes out: SMTP settings from the environment (documented in docs/email.md).
 * Without SMTP_HOST the app sends no mail at all and says so in settings; reminders still
 * show in the app and the calendar feed.
 */
import nodemailer, { type Transporter } from 'nodemailer';
import { appOrigin } from './app-url';

export type MailConfig = {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user: string | null;
  password: string | null;
  from: string;
  /** Where links in mails point, without a trailing slash. */
  appUrl: string;
};

/** The environment, or any object standing in for it. */
export type Env = Record<string, string | undefined>;

export const DEFAULT_FROM = '协商记 Respite <no-reply@localhost>';

function flag(value: string | undefined): boolean | null {
  if (value === undefined || value.trim() === '') return null;
  return /^(1|true|yes|on)$/i.test(value.trim());
}

/** The base URL for links in mails: APP_URL, or this server on PORT. */
export function appUrl(env: Env = process.env): string {
  // Outside a request there are no headers: APP_URL, else this server on PORT.
  return appOrigin(null, env as NodeJS.ProcessEnv);
}

/** True only when SMTP_HOST is set: everything else has a default. */
export function mailConfigured(env: Env = process.env): boolean {
  return Boolean(env.SMTP_HOST?.trim());
}

/** The SMTP settings, or null when mail is not configured. */
export function mailConfig(env: Env = process.env): MailConfig | null {
  if (!mailConfigured(env)) return null;
  const port = Number.parseInt(env.SMTP_PORT?.trim() || '587', 10);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`SMTP_PORT is not a port number: ${env.SMTP_PORT}`);
  return {
    host: env.SMTP_HOST!.trim(),
    port,
    secure: flag(env.SMTP_SECURE) ?? port === 465,
    user: env.SMTP_USER?.trim() || null,
    password: env.SMTP_PASSWORD ?? null,
    from: env.SMTP_FROM?.trim() || DEFAULT_FROM,
    appUrl: appUrl(env),
  };
}

/**
 * A nodemailer transport for the configuration: one connection per message (no pool, so a
 * dead connection is never reused), and short timeouts so a silent server cannot hold a
 * claimed delivery for long.
 */
export function createMailTransport(config: MailConfig): Transporter {
  return nodemailer.createTransport({
    host: config.host,
    port: config.port,
    secure: config.secure,
    // No `pool` option: the plain SMTP transport (pool: false) opens a connection per message.
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
    auth: config.user ? { user: config.user, pass: config.password ?? '' } : undefined,
  });
}
