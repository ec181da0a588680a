import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestSmtpServer, type TestSmtpServer } from '../testing/smtp.js';
import { invitationEmail, passwordResetEmail } from './templates.js';
import { createLogTransport, createMailTransport, createSmtpTransport, type MailTransport } from './transport.js';

// Long enough that quoted-printable wraps it mid-token, and after `=` (sent as `=3D`).
const token = 'abcDEF123ghiJKL456mnoPQR789stuVWX012yzAB345';
const resetLink = `http://localhost:3000/reset-password?token=${token}`;

let smtp: TestSmtpServer;
let transport: MailTransport;

beforeAll(async () => {
  smtp = await startTestSmtpServer();
  transport = createSmtpTransport(smtp.url);
});

afterAll(async () => {
  await transport?.close();
  await smtp?.stop();
});

describe('SMTP transport', () => {
  it('delivers a password reset email with the exact link', async () => {
    expect(token).toHaveLength(43);
    await transport.send(passwordResetEmail({ to: 'reset@example.com', link: resetLink, expiresInMinutes: 30 }));

    const mail = await smtp.waitFor((m) => m.to.includes('reset@example.com'));
    expect(mail.to).toEqual(['reset@example.com']);
    expect(mail.from).toBe('no-reply@localhost');
    expect(mail.subject).toBe('Reset your Gatehouse password');
    expect(mail.text).toContain(resetLink);
    expect(mail.text).toContain('expires in 30 minutes');
    expect(mail.text).toContain('If you did not ask, you can ignore this email');
    expect(mail.raw).toMatch(/^Content-Type: multipart\/alternative/m);
  });

  it('delivers non-ASCII subjects and text-only bodies intact', async () => {
    const subject = `Grüße — ${Array(4).fill('a long subject that nodemailer folds over header lines').join(', ')}`;
    const text = `Zürich ✓ ${'x'.repeat(100)} ${resetLink}`;
    await transport.send({ to: 'plain@example.com', subject, text });

    const mail = await smtp.waitFor((m) => m.to.includes('plain@example.com'));
    expect(mail.subject).toBe(subject);
    expect(mail.text.trim()).toBe(text);
  });

  it('authenticates with credentials in the URL', async () => {
    const url = smtp.url.replace('smtp://', 'smtp://mailer:s3cret@');
    const authed = createSmtpTransport(url, 'Ops <ops@example.com>');
    try {
      await authed.send({ to: 'authed@example.com', subject: 'Authenticated', text: 'hello' });
    } finally {
      await authed.close();
    }
    const mail = await smtp.waitFor((m) => m.to.includes('authed@example.com'));
    expect(mail.from).toBe('ops@example.com');
  });

  it('rejects when the mail server is down', async () => {
    const gone = await startTestSmtpServer();
    await gone.stop();
    const down = createSmtpTransport(gone.url);
    try {
      await expect(down.send({ to: 'nobody@example.com', subject: 'Lost', text: 'lost' })).rejects.toThrow(
        /ECONNREFUSED/,
      );
    } finally {
      await down.close();
    }
  });

  it('is what createMailTransport picks when SMTP_URL is set', async () => {
    const lines: string[] = [];
    const picked = createMailTransport({ smtpUrl: smtp.url, log: (line) => lines.push(line) });
    try {
      await picked.send({ to: 'picked@example.com', subject: 'Picked', text: 'hello' });
    } finally {
      await picked.close();
    }
    await smtp.waitFor((m) => m.to.includes('picked@example.com'));
    expect(lines).toEqual([]);
  });
});

describe('log transport', () => {
  it('logs one line with the recipient and subject, never the body', async () => {
    const lines: string[] = [];
    const log = createLogTransport((line) => lines.push(line));
    await log.send(passwordResetEmail({ to: 'dev@example.com', link: resetLink, expiresInMinutes: 30 }));

    expect(lines).toEqual(['email to dev@example.com not sent (SMTP_URL unset): "Reset your Gatehouse password"']);
    expect(lines.join('')).not.toContain(token);
  });

  it('is what createMailTransport picks when SMTP_URL is unset', async () => {
    const lines: string[] = [];
    await createMailTransport({ log: (line) => lines.push(line) }).send({ to: 'a@b.c', subject: 'Hi', text: 'x' });
    expect(lines).toEqual(['email to a@b.c not sent (SMTP_URL unset): "Hi"']);
  });

  it('cannot be made to write a second line', async () => {
    const lines: string[] = [];
    await createLogTransport((line) => lines.push(line)).send({ to: 'a@b.c\nforged', subject: 'x\ny', text: '' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
  });
});

describe('invitation email', () => {
  const invitation = {
    to: 'invitee@example.com',
    organizationName: '<script>alert(1)</script> & Söhne',
    inviterName: 'Ada <ada@example.com>',
    role: 'admin',
    link: 'http://localhost:3000/invitations/accept?token=abc&x="y"',
    expiresAt: new Date('2026-12-01T09:05:00Z'),
  };

  it('escapes html in names and links but keeps the text and subject verbatim', () => {
    const message = invitationEmail(invitation);
    expect(message.subject).toBe('Join <script>alert(1)</script> & Söhne on Gatehouse');
    expect(message.html).not.toContain('<script>');
    expect(message.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; Söhne');
    expect(message.html).toContain('Ada &lt;ada@example.com&gt;');
    expect(message.html).toContain('href="http://localhost:3000/invitations/accept?token=abc&amp;x=&quot;y&quot;"');
    expect(message.text).toContain('Ada <ada@example.com> invited you to join <script>alert(1)</script> & Söhne');
    expect(message.text).toContain('with the admin role');
    expect(message.text).toContain(invitation.link);
    expect(message.text).toContain('expires on 1 December 2026 at 09:05 UTC');
  });

  it('arrives over SMTP with its subject decoded', async () => {
    await transport.send(invitationEmail(invitation));
    const mail = await smtp.waitFor((m) => m.to.includes('invitee@example.com'));
    expect(mail.subject).toBe('Join <script>alert(1)</script> & Söhne on Gatehouse');
    expect(mail.text).toContain(invitation.link);
  });
});
