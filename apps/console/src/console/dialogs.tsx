// The two dialogs of the credential pages: a secret shown once (with a copy button), and "are you sure".
// Native <dialog> opened modally: focus moves in and stays there, Escape closes it.
import { type ReactNode, useEffect, useId, useRef, useState } from 'react';

function useModal() {
  const ref = useRef<HTMLDialogElement>(null);
  // What had focus before the dialog opened (read at the first render, before showModal moves it).
  const opener = useRef(document.activeElement);
  // No close() on unmount: a removed dialog leaves the top layer by itself, and a close event fired
  // by StrictMode's second mount would shut the dialog it just opened. Focus goes back by hand, as
  // close() would have done, so a keyboard user is where they were.
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
    const back = opener.current;
    return () => {
      if (back instanceof HTMLElement && back.isConnected) back.focus();
    };
  }, []);
  return ref;
}

function CopyButton({ value, label }: { value: string; label: string }) {
  const [status, setStatus] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = () =>
    navigator.clipboard.writeText(value).then(
      () => setStatus('copied'),
      () => setStatus('failed'),
    );
  return (
    <span className="copy">
      <button type="button" onClick={copy}>
        Copy {label}
      </button>
      <span role="status" className={status === 'failed' ? 'field-error' : 'copied'}>
        {status === 'copied' ? 'Copied' : status === 'failed' ? 'Could not copy: select the text and copy it.' : ''}
      </span>
    </span>
  );
}

/** A secret the server returns once: shown with a copy button until the person closes the dialog. */
export function SecretDialog({
  title,
  values,
  children,
  onClose,
}: {
  title: string;
  /** What to show and copy, e.g. `[{ label: 'key', value: 'gh_…' }]`; the last one is the secret. */
  values: { label: string; value: string }[];
  children?: ReactNode;
  onClose: () => void;
}) {
  const ref = useModal();
  const id = useId();
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} className="dialog" onClose={onClose}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
      <p className="alert alert-info">
        Copy it now and keep it somewhere safe: <strong>you will not see it again.</strong>
      </p>
      {values.map(({ label, value }, i) => (
        <div key={label} className="secret-row">
          <label htmlFor={`${id}-${i}`} className="secret-label">
            {label[0]?.toUpperCase() + label.slice(1)}
          </label>
          {/* Read-only text: selectable by hand when the clipboard is not allowed. */}
          <textarea id={`${id}-${i}`} className="secret" readOnly rows={2} value={value} />
          <CopyButton value={value} label={label} />
        </div>
      ))}
      <div className="actions">
        <button type="button" className="primary" onClick={() => ref.current?.close()}>
          Done
        </button>
      </div>
    </dialog>
  );
}

/** Asks before an act that cannot be undone; `children` may hold extra fields of the form. */
export function ConfirmDialog({
  title,
  confirm,
  pending,
  error,
  onConfirm,
  onClose,
  children,
}: {
  title: string;
  /** The confirming button's words, e.g. "Revoke key". */
  confirm: string;
  pending: boolean;
  /** What the server answered, shown in the dialog. */
  error?: ReactNode;
  onConfirm: (form: HTMLFormElement) => void;
  onClose: () => void;
  children?: ReactNode;
}) {
  const ref = useModal();
  const id = useId();
  return (
    <dialog ref={ref} aria-labelledby={`${id}-title`} className="dialog" onClose={onClose}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          onConfirm(event.currentTarget);
        }}
      >
        <h2 id={`${id}-title`}>{title}</h2>
        {children}
        {error}
        <div className="actions">
          <button type="submit" className="danger" disabled={pending}>
            {confirm}
          </button>
          <button type="button" onClick={() => ref.current?.close()}>
            Cancel
          </button>
        </div>
      </form>
    </dialog>
  );
}
