import { createTransport } from 'nodemailer';

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html?: string;
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
      // nodemailer's defaults wait 2 minutes for a connection and 10 for a stalled socket: the caller (a request
      // today, the outbox later) should hear about an unreachable mail server in seconds.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    },
    { from },
  );
  return {
    async send({ to, subject, text, html }) {
      await transporter.sendMail({ to, subject, text, html });
    },
    async close() {
      // Queued messages fail with "Connection pool was closed"; in-flight ones finish first.
      transporter.close();
    },
  };
}

/** Development stand-in for SMTP: one log line per email, never the body (its links carry secret tokens). */
export function createLogTransport(log: (line: string) => void): MailTransport {
  return {
    async send({ to, subject }) {
      // Whitespace collapsed and the subject JSON-quoted so a crafted address or name cannot forge log lines.
      log(`email to ${to.replace(/\s+/g, ' ')} not sent (SMTP_URL unset): ${JSON.stringify(subject)}`);
    },
    async close() {},
  };
}

export function createMailTransport(opts: {
  smtpUrl?: string;
  from?: string;
  log: (line: string) => void;
}): MailTransport {
  return opts.smtpUrl ? createSmtpTransport(opts.smtpUrl, opts.from) : createLogTransport(opts.log);
}
