// One sentence for any failure a component shows: the server's refusals by their reason, said for the
// person at the screen; what the client could not reach; and the server's own message otherwise (its
// messages are written for people: "Only an owner can change the role of an owner").
import { isGatehouseError, RateLimitError } from '@gatehouse/client';

/** Refusals whose server message speaks to the API caller rather than to a person in a browser. */
const sentences: Partial<Record<string, string>> = {
  LAST_OWNER: 'An organization needs at least one owner: make someone else an owner first.',
  ALREADY_MEMBER: 'This person is already a member of the organization.',
  UNAUTHORIZED: 'Your session has ended. Sign in again.',
  CSRF: 'This page is out of date. Reload it and try again.',
  MFA_STEP_UP_REQUIRED: 'Confirm it is you with your second factor, then try again.',
  MFA_REQUIRED: 'This organization requires a second factor: set one up in your profile first.',
  MEMBERSHIP_DEACTIVATED: 'Your membership of this organization is deactivated.',
  ORGANIZATION_SUSPENDED: 'This organization is suspended.',
  EMAIL_NOT_VERIFIED: 'Verify your email address first: follow the link we mailed you.',
  INVITER_LACKS_AUTHORITY: 'You cannot invite someone with that role.',
  INTERNAL_SERVER_ERROR: 'Something went wrong on our side. Try again in a moment.',
};

const asSentence = (text: string) => (/[.!?]$/.test(text) ? text : `${text}.`);

export function errorMessage(error: unknown): string {
  if (error instanceof RateLimitError) {
    return error.retryAfter
      ? `Too many attempts. Try again in ${error.retryAfter} seconds.`
      : 'Too many attempts. Wait a moment and try again.';
  }
  if (isGatehouseError(error)) {
    const sentence = sentences[error.reason] ?? asSentence(error.message);
    return error.code === 'INTERNAL_SERVER_ERROR' && error.requestId
      ? `${sentence} (Request ${error.requestId}.)`
      : sentence;
  }
  // No answer came (ConnectionError), or something broke in the page itself.
  if ((error as { kind?: unknown } | null)?.kind === 'connection') {
    return 'Could not reach the server. Check your connection and try again.';
  }
  return error instanceof Error ? asSentence(error.message) : 'Something went wrong.';
}
