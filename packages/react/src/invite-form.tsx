// Invites someone by email (organizations.invite). The input is checked with the server's own schema
// before it is sent; what the server refuses about the address (already a member, a domain the
// organization does not accept) is shown beside the email field.
import { ZInviteInput } from '@gatehouse/api/schemas';
import type { RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { useOrganizationId } from './organization.js';
import { Empty, Field, FormError, SelectField } from './ui.js';
import { useServerForm } from './use-server-form.js';

export type Invitation = RouterOutputs['organizations']['invite'];

export interface InviteFormProps {
  /** Default: the organization the caller acts in now. */
  organizationId?: string;
  /** Called with the invitation once sent (a second invite to a pending address returns that one). */
  onInvited?: (invitation: Invitation) => void;
}

export function InviteForm({ organizationId: given, onInvited }: InviteFormProps) {
  const organizationId = useOrganizationId(given);
  if (!organizationId) return <Empty>Choose an organization to invite people to.</Empty>;
  return <Invite organizationId={organizationId} onInvited={onInvited} />;
}

function Invite({ organizationId, onInvited }: { organizationId: string; onInvited?: InviteFormProps['onInvited'] }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [sent, setSent] = useState<string | null>(null);
  const roles = useQuery({ ...gh.roles.list.queryOptions({ organizationId, scope: 'organization' }), retry: false });
  const invite = useMutation(
    gh.organizations.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.organizations.listInvitations.pathKey() }),
    }),
  );
  const form = useServerForm({
    schema: ZInviteInput,
    mutation: invite,
    fields: ['email', 'role'],
    fieldOf: { ALREADY_MEMBER: 'email', EMAIL_DOMAIN_NOT_ALLOWED: 'email', INVITER_LACKS_AUTHORITY: 'role' },
  });
  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSent(null);
    const element = event.currentTarget;
    const data = new FormData(element);
    const role = String(data.get('role') ?? '');
    const invitation = await form.submit({
      organizationId,
      email: String(data.get('email') ?? '').trim(),
      ...(role ? { role } : {}),
    });
    if (!invitation) return;
    element.reset();
    setSent(invitation.email);
    onInvited?.(invitation);
  };
  const roleOptions = [
    { value: '', label: "The organization's default role" },
    // Ownership is handed over (transferOwnership), never sent by mail.
    ...(roles.data ?? []).filter((r) => r.key !== 'owner').map((r) => ({ value: r.key, label: r.name })),
  ];
  return (
    <form className="gh-form" onSubmit={onSubmit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId} className="gh-form-title">
        Invite a member
      </h2>
      <Field label="Email" name="email" type="email" autoComplete="off" errors={form.fieldErrors} required />
      <SelectField label="Role" name="role" options={roleOptions} errors={form.fieldErrors} />
      <FormError>{form.formError}</FormError>
      {sent ? (
        <p className="gh-success" role="status">
          Invitation sent to {sent}.
        </p>
      ) : null}
      <button type="submit" disabled={form.isPending}>
        {form.isPending ? 'Sending…' : 'Send invitation'}
      </button>
    </form>
  );
}
