import { escapeHtml } from '../core/html.js';
import type { MailMessage } from './transport.js';

// Fixed locale and zone: the server's own settings say nothing about the reader's.
const expiryFormat = new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeStyle: 'short', timeZone: 'UTC' });

const minutes = (n: number) => (n === 1 ? '1 minute' : `${n} minutes`);

export function passwordResetEmail(input: { to: string; link: string; expiresInMinutes: number }): MailMessage {
  const link = escapeHtml(input.link);
  const expiry = minutes(input.expiresInMinutes);
  return {
    to: input.to,
    subject: 'Reset your Gatehouse password',
    text: [
      'Someone asked to reset the password of your Gatehouse account.',
      '',
      `Choose a new password here (the link expires in ${expiry}):`,
      input.link,
      '',
      'If you did not ask, you can ignore this email: your password stays as it is.',
      '',
    ].join('\n'),
    html: [
      '<p>Someone asked to reset the password of your Gatehouse account.</p>',
      `<p><a href="${link}">Choose a new password</a> (the link expires in ${expiry}).</p>`,
      `<p>Or paste this link into your browser: ${link}</p>`,
      '<p>If you did not ask, you can ignore this email: your password stays as it is.</p>',
    ].join('\n'),
  };
}

/** To an account an organization created without a password (see users.create): the link sets one. */
export function setPasswordEmail(input: {
  to: string;
  organizationName: string;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const expires = `${expiryFormat.format(input.expiresAt)} UTC`;
  const h = { organization: escapeHtml(input.organizationName), link: escapeHtml(input.link) };
  return {
    to: input.to,
    subject: `Your ${input.organizationName} account on Gatehouse`,
    text: [
      `${input.organizationName} created a Gatehouse account for you with this email address.`,
      '',
      'Choose your password here:',
      input.link,
      '',
      `The link expires on ${expires}. If you were not expecting it, you can ignore this email.`,
      '',
    ].join('\n'),
    html: [
      `<p><strong>${h.organization}</strong> created a Gatehouse account for you with this email address.</p>`,
      `<p><a href="${h.link}">Choose your password</a></p>`,
      `<p>Or paste this link into your browser: ${h.link}</p>`,
      `<p>The link expires on ${expires}. If you were not expecting it, you can ignore this email.</p>`,
    ].join('\n'),
  };
}

export function verificationEmail(input: { to: string; link: string; expiresInMinutes: number }): MailMessage {
  const link = escapeHtml(input.link);
  const expiry = minutes(input.expiresInMinutes);
  return {
    to: input.to,
    subject: 'Confirm your email address for Gatehouse',
    text: [
      'Someone created a Gatehouse account with this email address.',
      '',
      `If it was you, confirm the address here (the link expires in ${expiry}):`,
      input.link,
      '',
      'If it was not you, the same link lets you take the account over: you choose its password, and',
      'whoever created it is signed out.',
      '',
    ].join('\n'),
    html: [
      '<p>Someone created a Gatehouse account with this email address.</p>',
      `<p>If it was you, <a href="${link}">confirm the address</a> (the link expires in ${expiry}).</p>`,
      `<p>Or paste this link into your browser: ${link}</p>`,
      '<p>If it was not you, the same link lets you take the account over: you choose its password, and whoever created it is signed out.</p>',
    ].join('\n'),
  };
}

export function invitationEmail(input: {
  to: string;
  organizationName: string;
  inviterName: string;
  role: string;
  link: string;
  expiresAt: Date;
}): MailMessage {
  const expires = `${expiryFormat.format(input.expiresAt)} UTC`;
  const h = {
    organization: escapeHtml(input.organizationName),
    inviter: escapeHtml(input.inviterName),
    role: escapeHtml(input.role),
    link: escapeHtml(input.link),
  };
  return {
    to: input.to,
    subject: `Join ${input.organizationName} on Gatehouse`,
    text: [
      `${input.inviterName} invited you to join ${input.organizationName} on Gatehouse with the ${input.role} role.`,
      '',
      'Accept the invitation here:',
      input.link,
      '',
      `The invitation expires on ${expires}. If you were not expecting it, you can ignore this email.`,
      '',
    ].join('\n'),
    html: [
      `<p>${h.inviter} invited you to join <strong>${h.organization}</strong> on Gatehouse with the ${h.role} role.</p>`,
      `<p><a href="${h.link}">Accept the invitation</a></p>`,
      `<p>Or paste this link into your browser: ${h.link}</p>`,
      `<p>The invitation expires on ${expires}. If you were not expecting it, you can ignore this email.</p>`,
    ].join('\n'),
  };
}

const creditFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

export function lowBalanceEmail(input: {
  to: string;
  organizationName: string;
  balance: number;
  threshold: number;
}): MailMessage {
  const balance = `${creditFormat.format(input.balance)} credits`;
  const threshold = `${creditFormat.format(input.threshold)} credits`;
  const organization = escapeHtml(input.organizationName);
  return {
    to: input.to,
    subject: `${input.organizationName} is running low on credits`,
    text: [
      `The credit balance of ${input.organizationName} on Gatehouse fell to ${balance}, below its alert threshold of ${threshold}.`,
      '',
      'Work that consumes credits is refused once the balance reaches zero. Add credits to keep it running.',
      '',
      'You receive this email because you own the organization. It is sent once each time the balance falls below the threshold.',
      '',
    ].join('\n'),
    html: [
      `<p>The credit balance of <strong>${organization}</strong> on Gatehouse fell to ${balance}, below its alert threshold of ${threshold}.</p>`,
      '<p>Work that consumes credits is refused once the balance reaches zero. Add credits to keep it running.</p>',
      '<p>You receive this email because you own the organization. It is sent once each time the balance falls below the threshold.</p>',
    ].join('\n'),
  };
}

/** The development mail viewer (/dev/mail): the last emails the log transport kept, newest first, as text. */
export function devMailPage(messages: readonly MailMessage[]): string {
  const items = messages.map(
    (m) =>
      `<article><h2>${escapeHtml(m.subject)}</h2><p>To: ${escapeHtml(m.to)}</p><pre>${escapeHtml(m.text)}</pre></article>`,
  );
  return `<!doctype html><meta charset="utf-8"><title>Gatehouse development mail</title>
<h1>Development mail (${messages.length})</h1><p>SMTP_URL is unset: these were not sent.</p>${items.join('<hr>') || '<p>None yet.</p>'}`;
}

/** To a member whose second factor an admin of the organization managing their account removed (users.resetMfa). */
export function mfaResetEmail(input: { to: string; organizationName: string }): MailMessage {
  const organization = escapeHtml(input.organizationName);
  return {
    to: input.to,
    subject: 'Your Gatehouse second factor was removed',
    text: [
      `An administrator of ${input.organizationName} removed the second factor (authenticator app and recovery codes) of your Gatehouse account.`,
      '',
      'Sign in with your password and set up a new one. If you did not ask for this, tell your administrator.',
      '',
    ].join('\n'),
    html: [
      `<p>An administrator of ${organization} removed the second factor (authenticator app and recovery codes) of your Gatehouse account.</p>`,
      '<p>Sign in with your password and set up a new one. If you did not ask for this, tell your administrator.</p>',
    ].join('\n'),
  };
}
