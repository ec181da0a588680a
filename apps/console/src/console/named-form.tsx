// The name-and-description forms of teams and projects: a new one on the list page; on its own page,
// save, and delete behind a second click that says what goes with it.
import { type FormEvent, useState } from 'react';
import { Alert, Field, formErrorOf, formValues, messageOf } from '../ui.tsx';

/** The part of a mutation's state the form shows. */
interface Mutation {
  isPending: boolean;
  isSuccess: boolean;
  error: unknown;
}

export function NamedForm({
  thing,
  update,
  onSave,
  remove,
  onRemove,
  removeLabel,
  confirmLabel,
}: {
  thing: { name: string; description: string | null; updatedAt: Date };
  update: Mutation;
  onSave: (values: { name: string; description: string | null }) => void;
  remove: Mutation;
  onRemove: () => void;
  removeLabel: string;
  /** The confirming button: what the deletion takes with it. */
  confirmLabel: string;
}) {
  const [confirming, setConfirming] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', description = '' } = formValues(event.currentTarget);
    onSave({ name, description: description || null });
  };
  return (
    // Keyed by the last change, so the inputs show the saved values after a refresh.
    <form className="narrow" onSubmit={onSubmit} key={thing.updatedAt.toISOString()}>
      <Field label="Name" name="name" required defaultValue={thing.name} error={update.error} />
      <Field label="Description" name="description" defaultValue={thing.description ?? ''} error={update.error} />
      <Alert>{formErrorOf(update.error, ['name', 'description'])}</Alert>
      <Alert tone="success">{update.isSuccess ? 'Saved.' : null}</Alert>
      <div className="actions">
        <button type="submit" className="primary" disabled={update.isPending}>
          Save
        </button>
        {confirming ? (
          <>
            <button type="button" className="danger" onClick={onRemove} disabled={remove.isPending}>
              {confirmLabel}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              Keep it
            </button>
          </>
        ) : (
          <button type="button" className="danger" onClick={() => setConfirming(true)}>
            {removeLabel}
          </button>
        )}
      </div>
      {remove.error ? <Alert>{messageOf(remove.error)}</Alert> : null}
    </form>
  );
}

/** "New team", "New project": the created one's page opens from the mutation's onSuccess. */
export function NewNamedForm({
  what,
  create,
  onCreate,
}: {
  what: string;
  create: Pick<Mutation, 'isPending' | 'error'>;
  onCreate: (values: { name: string; description?: string }) => void;
}) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { name = '', description = '' } = formValues(event.currentTarget);
    onCreate({ name, ...(description ? { description } : {}) });
  };
  return (
    <>
      <h2>New {what}</h2>
      <form className="narrow" onSubmit={onSubmit}>
        <Field label="Name" name="name" required error={create.error} />
        <Field label="Description" name="description" error={create.error} />
        <Alert>{formErrorOf(create.error, ['name', 'description'])}</Alert>
        <button type="submit" className="primary" disabled={create.isPending}>
          Create {what}
        </button>
      </form>
    </>
  );
}
