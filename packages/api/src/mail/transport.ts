import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string | undefined;
  /** The Message-ID header, without angle brackets; the mail task sets a stable one per message. */
  messageId?: string | undefined;
}

export interface MailTransport {
  send(message: MailMessage): Promise<void>;
  close(): Promise<void>;
}

const DEFAULT_FROM = 'Gatehouse <no-reply@localhost>';

/** Delivers over SMTP from an `smtp://` or `smtps://` URL (credentials in the URL). Send failures reject. */
export function createSmtpTransport(url: string, from: string = DEFAULT_FROM): MailTransport {
  const transporter = createTransport(
    {
      url,
      pool: true,
      // nodemailer's defaults wait 2 minutes for a connection and 10 for a stalled socket: the mail task should
      // hear about an unreachable mail server in seconds (and an attempt stay well inside the queue's lock timeout).
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from },
  );
  return {
    async send({ to, subject, text, html, messageId }) {
      await transporter.sendMail({ to, subject, text, html, ...(messageId ? { messageId: `<${messageId}>` } : {}) });
    },
    async close() {
      // Queued messages fail with "Connection pool was closed"; in-flight ones finish first.
      transporter.close();
    },
  };
}

export interface LogTransport extends MailTransport {
  /** The last messages "sent", newest first, bodies included: for the development mail viewer only. */
  recent(): readonly MailMessage[];
}

const KEEP_RECENT = 50;

/** Development stand-in for SMTP: one log line per email, never the body (its links carry secret tokens). */
export function createLogTransport(log: (line: string) => void): LogTransport {
  const recent: MailMessage[] = [];
  return {
    async send(message) {
      // Whitespace collapsed and the subject JSON-quoted so a crafted address or name cannot forge log lines.
      log(`email to ${message.to.replace(/\s+/g, ' ')} not sent (SMTP_URL unset): ${JSON.stringify(message.subject)}`);
      recent.unshift(message);
      recent.length = Math.min(recent.length, KEEP_RECENT);
    },
    recent: () => recent,
    async close() {},
  };
}

export function createMailTransport(opts: {
  smtpUrl?: string | undefined;
  from?: string | undefined;
  log: (line: string) => void;
}): MailTransport | LogTransport {
  return opts.smtpUrl ? createSmtpTransport(opts.smtpUrl, opts.from) : createLogTransport(opts.log);
}
