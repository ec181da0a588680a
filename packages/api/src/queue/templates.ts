import { escapeHtml } from '../core/html.js';
import type { Mail } from '../infra/caller.js';

/** To each owner and admin when an endpoint is turned off after 3 days of failed deliveries. */
export function webhookDisabledEmail(input: { to: string; organizationName: string; url: string }): Mail {
  const organization = escapeHtml(input.organizationName);
  const url = escapeHtml(input.url);
  return {
    to: input.to,
    subject: `A webhook of ${input.organizationName} was disabled`,
    text: [
      `Gatehouse could not deliver events of ${input.organizationName} to ${input.url} for 3 days, and has stopped sending to it.`,
      '',
      'Events are still recorded: once the endpoint works again, enable it (webhooks.update) and redeliver what it missed (webhooks.redeliver), or catch up with events.list.',
      '',
      'You receive this email because you are an owner or an admin of the organization.',
      '',
    ].join('\n'),
    html: [
      `<p>Gatehouse could not deliver events of <strong>${organization}</strong> to ${url} for 3 days, and has stopped sending to it.</p>`,
      '<p>Events are still recorded: once the endpoint works again, enable it (webhooks.update) and redeliver what it missed (webhooks.redeliver), or catch up with events.list.</p>',
      '<p>You receive this email because you are an owner or an admin of the organization.</p>',
    ].join('\n'),
  };
}
