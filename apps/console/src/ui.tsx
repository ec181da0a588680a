// The console's small building blocks: page frame, fields that show the server's field errors, and
// the loading / empty / error states every list has.
import { isGatehouseError } from '@gatehouse/client';
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId, useState } from 'react';

/** Refusals a person meets in the console, said as a sentence; anything else is the server's own message. */
const sentences: Record<string, string> = {
  LAST_OWNER: 'An organization needs an owner: transfer ownership before removing or demoting the last one.',
  OUTRANKED: 'You cannot change someone whose role is above yours.',
  UNAUTHORIZED: 'Your session has ended. Sign in again.',
  RATE_LIMITED: 'Too many attempts. Wait a moment and try again.',
  INVALID_CREDENTIALS: 'That email and password do not match an account.',
};

export function messageOf(error: unknown): string {
  if (isGatehouseError(error)) return sentences[error.reason] ?? error.message;
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** The server's per-field sentences of a refused input, `{}` for any other failure. */
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const fields = (error as { fieldErrors?: Record<string, string[]> } | null)?.fieldErrors;
  if (fields && Object.keys(fields).length > 0) return fields;
  // A rule of the service names its field in the error's details (e.g. the claim password).
  const details = isGatehouseError(error)
    ? (error.data as { details?: { field?: unknown } } | undefined)?.details
    : undefined;
  const field = typeof details?.field === 'string' ? details.field : undefined;
  return field && error instanceof Error ? { [field]: [error.message] } : {};
}

/** A form-level message for what no field shows. */
export function formErrorOf(error: unknown, shownFields: readonly string[]): string | null {
  if (!error) return null;
  const fields = Object.keys(fieldErrorsOf(error));
  if (fields.length > 0 && fields.every((f) => shownFields.includes(f))) return null;
  return messageOf(error);
}

export function Page({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="page" aria-labelledby="page-title">
      <header className="page-header">
        <h1 id="page-title">{title}</h1>
        {actions}
      </header>
      {children}
    </section>
  );
}

export function Field({
  label,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; name: string; error?: unknown; hint?: string }) {
  const id = useId();
  const messages = fieldErrorsOf(error)[input.name] ?? [];
  const described = messages.length ? `${id}-error` : hint ? `${id}-hint` : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} aria-invalid={messages.length > 0} aria-describedby={described} {...input} />
      {hint && !messages.length ? (
        <p className="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {messages.length ? (
        <p className="field-error" id={`${id}-error`}>
          {messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

export function Alert({ tone = 'error', children }: { tone?: 'error' | 'success' | 'info'; children: ReactNode }) {
  if (!children) return null;
  return (
    <div className={`alert alert-${tone}`} role={tone === 'error' ? 'alert' : 'status'}>
      {children}
    </div>
  );
}

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <p className="muted" role="status">
    {label}
  </p>
);
export const Empty = ({ children }: { children: ReactNode }) => <p className="empty">{children}</p>;
export const ErrorState = ({ error }: { error: unknown }) => (error ? <Alert>{messageOf(error)}</Alert> : null);

/** Next/previous over a cursor list: the caller keeps the stack of cursors it came through. */
export function Pager({
  cursors,
  nextCursor,
  onChange,
}: {
  cursors: (string | undefined)[];
  /** The page's `pageInfo.endCursor` when `hasNextPage`. */
  nextCursor: string | null | undefined;
  onChange: (cursors: (string | undefined)[]) => void;
}) {
  if (cursors.length <= 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={cursors.length <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous
      </button>
      <span className="muted">Page {cursors.length}</span>
      <button type="button" disabled={!nextCursor} onClick={() => onChange([...cursors, nextCursor ?? undefined])}>
        Next
      </button>
    </nav>
  );
}

/** The form's fields as strings (what the browser has). */
export const formValues = (form: HTMLFormElement) =>
  Object.fromEntries([...new FormData(form).entries()].map(([k, v]) => [k, String(v)]));

// ---- Organization pages (invitations, teams, projects, credits, audit) ----

/**
 * The cursor stack of a paged list, reset when its filter changes (a cursor is only valid for the query
 * it came from). `cursor` goes to the query; `pager(endCursor)` gives the Pager's props.
 */
export function useCursors(filterKey: string) {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: filterKey,
    cursors: [undefined],
  });
  const cursors = state.key === filterKey ? state.cursors : [undefined];
  return {
    cursor: cursors.at(-1),
    pager: (page: { pageInfo: { hasNextPage: boolean; endCursor: string | null } } | undefined) => ({
      cursors,
      nextCursor: page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null,
      onChange: (next: (string | undefined)[]) => setState({ key: filterKey, cursors: next }),
    }),
  };
}

/** A labelled select that shows the server's field errors, as Field does for inputs. */
export function SelectField({
  label,
  error,
  children,
  ...select
}: SelectHTMLAttributes<HTMLSelectElement> & { label: string; name: string; error?: unknown; children: ReactNode }) {
  const id = useId();
  const messages = fieldErrorsOf(error)[select.name] ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <select
        id={id}
        aria-invalid={messages.length > 0}
        aria-describedby={messages.length ? `${id}-error` : undefined}
        {...select}
      >
        {children}
      </select>
      {messages.length ? (
        <p className="field-error" id={`${id}-error`}>
          {messages.join(' ')}
        </p>
      ) : null}
    </div>
  );
}

/** A moment as people read it, in their own locale and time zone. */
export const when = (date: Date | null | undefined) =>
  date ? new Date(date).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }) : '—';

/** A table's box that scrolls sideways on a narrow screen; focusable so a keyboard can scroll it too. */
export const ScrollBox = ({ label, children }: { label: string; children: ReactNode }) => (
  // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard (WCAG 2.1.1)
  <section className="table-wrap" aria-label={label} tabIndex={0}>
    {children}
  </section>
);

/** Copies a value a person must paste elsewhere (a DNS record, a secret) and says so. */
export function CopyButton({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setCopied(true),
      () => setCopied(false),
    );
  return (
    <>
      <button type="button" onClick={copy}>
        {label}
      </button>
      <span role="status" className="muted">
        {copied ? ' Copied.' : ''}
      </span>
    </>
  );
}
