import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A message as the test server received it: envelope addresses, the raw source, and the decoded text/plain body. */
export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  subject: string;
  text: string;
}

export interface TestSmtpServer {
  url: string;
  messages: ReceivedMail[];
  waitFor(predicate: (m: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

export interface TestSmtpOptions {
  /** Listen here instead of on a random port (to bring a "down" server back). */
  port?: number;
  /** Recipients refused with a permanent 550. */
  refuse?: (address: string) => boolean;
}

/** The token of the invitation link in the first mail to `to` (case-insensitively) from message `after` on. */
export async function invitationToken(smtp: TestSmtpServer, to: string, after = 0): Promise<string> {
  const mail = await smtp.waitFor(
    (m) => m.to.some((t) => t.toLowerCase() === to.toLowerCase()) && smtp.messages.indexOf(m) >= after,
  );
  const token = /invitations\/accept\?token=([\w-]+)/.exec(mail.text)?.[1];
  if (!token) throw new Error(`no invitation link in ${mail.text}`);
  return token;
}

/** A real SMTP server on a loopback port that keeps every message it accepts. */
export async function startTestSmtpServer(options: TestSmtpOptions = {}): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<(m: ReceivedMail) => void>();

  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    disableReverseLookup: true,
    // A pooled client left connected must not hold stop() for the default 30 seconds.
    closeTimeout: 500,
    // Any credentials pass, so `smtp://user:pass@…` URLs can be exercised too.
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (options.refuse?.(address.address)) {
        return callback(Object.assign(new Error('No such mailbox'), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        let mail: ReceivedMail;
        try {
          const raw = Buffer.concat(chunks).toString('utf8');
          const { mailFrom, rcptTo } = session.envelope;
          mail = { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((r) => r.address), raw, ...parse(raw) };
        } catch (error) {
          return callback(error as Error);
        }
        messages.push(mail);
        for (const notify of waiters) notify(mail);
        callback();
      });
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A client dropping mid-message is that client's failure to report; unhandled, it would crash the test process.
  server.on('error', () => {});
  const { port } = server.server.address() as AddressInfo;

  return {
    url: `smtp://127.0.0.1:${port}`,
    messages,
    waitFor(predicate, timeoutMs = 5_000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = (m: ReceivedMail) => {
          if (!predicate(m)) return;
          done();
          resolve(m);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`No matching email within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        waiters.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Just enough MIME for the messages our own templates produce through nodemailer: UTF-8 text, quoted-printable
// or base64 bodies, encoded-word subjects, text/plain possibly nested in multipart/alternative or mixed.

interface Part {
  headers: Map<string, string>;
  body: string;
}

function parse(raw: string): { subject: string; text: string } {
  const message = splitPart(raw.replace(/\r\n/g, '\n'));
  return { subject: decodeWords(message.headers.get('subject') ?? ''), text: findText(message) ?? '' };
}

function splitPart(source: string): Part {
  const blank = source.indexOf('\n\n');
  const head = blank === -1 ? source : source.slice(0, blank);
  const headers = new Map<string, string>();
  for (const line of head.replace(/\n[ \t]+/g, ' ').split('\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).trim().toLowerCase();
    if (colon > 0 && !headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
  }
  return { headers, body: blank === -1 ? '' : source.slice(blank + 2) };
}

function findText(part: Part): string | undefined {
  const contentType = part.headers.get('content-type') ?? 'text/plain';
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  if (type.startsWith('multipart/')) {
    const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
    if (!boundary) return undefined;
    // Before the first delimiter is the preamble; a delimiter followed by `--` closes the multipart.
    for (const section of part.body.split(`--${boundary}`).slice(1)) {
      if (section.startsWith('--')) break;
      const text = findText(splitPart(section.replace(/^[ \t]*\n/, '').replace(/\n$/, '')));
      if (text !== undefined) return text;
    }
    return undefined;
  }
  if (type !== 'text/plain') return undefined;
  const encoding = (part.headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  if (encoding === 'quoted-printable') return bytesToUtf8(decodeQuotedPrintable(part.body));
  if (encoding === 'base64') return Buffer.from(part.body, 'base64').toString('utf8');
  return part.body;
}

/** Soft line breaks removed and `=XX` turned into one char per byte (latin1), for bytesToUtf8. */
function decodeQuotedPrintable(body: string): string {
  return body
    .replace(/=[ \t]*\n/g, '')
    .replace(/=([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

const bytesToUtf8 = (latin1: string) => Buffer.from(latin1, 'latin1').toString('utf8');

const ENCODED_WORD = /=\?[^?]+\?([BbQq])\?([^?]*)\?=/g;

/** RFC 2047 words; adjacent ones are decoded together since a UTF-8 character may be split across two. */
function decodeWords(value: string): string {
  return value.replace(/(?:=\?[^?]+\?[BbQq]\?[^?]*\?=\s*)+/g, (run) => {
    let bytes = '';
    for (const [, kind, data = ''] of run.matchAll(ENCODED_WORD)) {
      bytes +=
        kind?.toUpperCase() === 'B'
          ? Buffer.from(data, 'base64').toString('latin1')
          : decodeQuotedPrintable(data.replace(/_/g, ' '));
    }
    // The run swallowed the whitespace after its last word; give back what separated it from plain text.
    return bytesToUtf8(bytes) + (/\s$/.test(run) ? ' ' : '');
  });
}
