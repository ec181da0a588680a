// The small pieces every component (and the console) is built of: a labelled field that shows its
// errors, the loading / empty / error states of a list, and next/previous over a cursor list.
import { type InputHTMLAttributes, type ReactNode, type SelectHTMLAttributes, useId, useState } from 'react';
import { errorMessage } from './error-message.js';
import type { FieldErrors } from './use-server-form.js';

interface FieldProps {
  label: string;
  name: string;
  /** The form's field errors (`useServerForm().fieldErrors`); this field shows its own. */
  errors?: FieldErrors;
  hint?: string;
}

/** The label, the control and its error, tied together for a screen reader. */
function useFieldParts({ name, errors, hint }: FieldProps) {
  const id = useId();
  const messages = errors?.[name] ?? [];
  const described = messages.length ? `${id}-error` : hint ? `${id}-hint` : undefined;
  const control = { id, name, 'aria-invalid': messages.length > 0, 'aria-describedby': described };
  const below = messages.length ? (
    <p className="gh-field-error" id={`${id}-error`}>
      {messages.join(' ')}
    </p>
  ) : hint ? (
    <p className="gh-hint" id={`${id}-hint`}>
      {hint}
    </p>
  ) : null;
  return { id, control, below };
}

export function Field({
  label,
  name,
  errors,
  hint,
  ...input
}: FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'name'>) {
  const { id, control, below } = useFieldParts({ label, name, errors, hint });
  return (
    <div className="gh-field">
      <label htmlFor={id}>{label}</label>
      <input {...input} {...control} />
      {below}
    </div>
  );
}

export function SelectField({
  label,
  name,
  errors,
  hint,
  options,
  ...select
}: FieldProps & { options: { value: string; label: string }[] } & Omit<
    SelectHTMLAttributes<HTMLSelectElement>,
    'name'
  >) {
  const { id, control, below } = useFieldParts({ label, name, errors, hint });
  return (
    <div className="gh-field">
      <label htmlFor={id}>{label}</label>
      <select {...select} {...control}>
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {below}
    </div>
  );
}

/** A form-level message (role=alert reads it out when it appears). */
export function FormError({ children }: { children: ReactNode }) {
  return children ? (
    <p className="gh-alert" role="alert">
      {children}
    </p>
  ) : null;
}

export const Loading = ({ label = 'Loading…' }: { label?: string }) => (
  <p className="gh-muted" role="status">
    {label}
  </p>
);

export const Empty = ({ children }: { children: ReactNode }) => <p className="gh-empty">{children}</p>;

/** A failed load, said as a sentence (errorMessage); nothing when there is no error. */
export const ErrorState = ({ error }: { error: unknown }) =>
  error ? <FormError>{errorMessage(error)}</FormError> : null;

/**
 * The cursors a cursor list came through, first page first (`undefined`): `cursors.at(-1)` is the page
 * to ask for. It starts over when `resetKey` changes (a new filter or search).
 */
export function useCursors(resetKey = '') {
  const [state, setState] = useState<{ key: string; cursors: (string | undefined)[] }>({
    key: resetKey,
    cursors: [undefined],
  });
  const cursors = state.key === resetKey ? state.cursors : [undefined];
  return {
    cursors,
    cursor: cursors.at(-1),
    setCursors: (next: (string | undefined)[]) => setState({ key: resetKey, cursors: next }),
  };
}

/** Next/previous over a cursor list (`useCursors` keeps where it has been). */
export function Pager({
  cursors,
  nextCursor,
  onChange,
  label = 'Pages',
}: {
  cursors: (string | undefined)[];
  /** The page's `pageInfo.endCursor` when `hasNextPage`, else null. */
  nextCursor: string | null | undefined;
  onChange: (cursors: (string | undefined)[]) => void;
  label?: string;
}) {
  if (cursors.length <= 1 && !nextCursor) return null;
  return (
    <nav className="gh-pager" aria-label={label}>
      <button type="button" disabled={cursors.length <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous
      </button>
      <span className="gh-muted">Page {cursors.length}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && onChange([...cursors, nextCursor])}>
        Next
      </button>
    </nav>
  );
}
