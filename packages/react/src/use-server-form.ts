// A form's errors from both sides: the server's own zod schema checks the input before it is sent (no
// request for what the server would refuse anyway), and what the server still refuses lands beside its
// field (ValidationError.fieldErrors, a reason the form names a field for, or `details.field`) or, for
// anything else, as one sentence for the whole form.
import { isGatehouseError } from '@gatehouse/client';
import { useState } from 'react';
import type { z } from 'zod';
import { errorMessage } from './error-message.js';

/** Messages by field (a dotted path; `_` for the input as a whole). */
export type FieldErrors = Record<string, string[]>;

export interface ServerFormOptions<S extends z.ZodType, R> {
  /** The procedure's input schema, from `@gatehouse/api/schemas`. */
  schema: S;
  /** What sends it: `useMutation(gh.organizations.invite.mutationOptions())` fits as it is. */
  mutation: { mutateAsync(input: z.input<S>): Promise<R> };
  /** Refusals that are about one field: `{ ALREADY_MEMBER: 'email' }`. */
  fieldOf?: Partial<Record<string, string>>;
  /** The fields the form shows; an error about any other (say `organizationId`) is the form's. */
  fields?: readonly string[];
}

export interface ServerForm<S extends z.ZodType, R> {
  /** Validates, sends, and answers the server's result, or undefined when it was refused (see the errors). */
  submit(values: z.input<S>): Promise<R | undefined>;
  fieldErrors: FieldErrors;
  /** A sentence for a failure no field shows. */
  formError: string | null;
  isPending: boolean;
  reset(): void;
}

function zodFieldErrors(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const path = issue.path.length ? issue.path.join('.') : '_';
    fields[path] = [...(fields[path] ?? []), issue.message];
  }
  return fields;
}

/** The fields a server's refusal belongs to; empty when it belongs to the form as a whole. */
function serverFieldErrors(error: unknown, fieldOf: Partial<Record<string, string>>): FieldErrors {
  const given = (error as { fieldErrors?: FieldErrors } | null)?.fieldErrors;
  if (given && Object.keys(given).length) return given;
  if (!isGatehouseError(error)) return {};
  const detail = (error.data as { details?: { field?: unknown } }).details?.field;
  const field = fieldOf[error.reason] ?? (typeof detail === 'string' ? detail : undefined);
  return field ? { [field]: [errorMessage(error)] } : {};
}

export function useServerForm<S extends z.ZodType, R>({
  schema,
  mutation,
  fieldOf = {},
  fields: shown,
}: ServerFormOptions<S, R>): ServerForm<S, R> {
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [isPending, setPending] = useState(false);
  const reset = () => {
    setFieldErrors({});
    setFormError(null);
  };
  /** Beside their fields; the form's own sentence when any is about a field it does not show. */
  const show = (fields: FieldErrors, sentence: string) => {
    setFieldErrors(fields);
    const keys = Object.keys(fields);
    if (!keys.length || (shown && keys.some((key) => !shown.includes(key)))) setFormError(sentence);
  };
  return {
    fieldErrors,
    formError,
    isPending,
    reset,
    async submit(values) {
      reset();
      const checked = schema.safeParse(values);
      if (!checked.success) {
        const fields = zodFieldErrors(checked.error);
        show(fields, Object.values(fields).flat().join(' '));
        return undefined;
      }
      setPending(true);
      try {
        // The values as typed, not the parsed ones: the server parses (and transforms) them itself.
        return await mutation.mutateAsync(values);
      } catch (error) {
        show(serverFieldErrors(error, fieldOf), errorMessage(error));
        return undefined;
      } finally {
        setPending(false);
      }
    },
  };
}
