// The organization's invitations: who was invited, by whom, to which role, until when; resend a new
// link or cancel one. The server decides both (members:invite, the inviter's authority, its limits).
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Alert,
  Empty,
  ErrorState,
  Loading,
  messageOf,
  Page,
  Pager,
  ScrollBox,
  SelectField,
  useCursors,
  when,
} from '../ui.tsx';

const statuses = ['pending', 'accepted', 'expired', 'cancelled'] as const;
type Status = (typeof statuses)[number];

export function Invitations({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Status | ''>('pending');
  const { cursor, pager } = useCursors(status);
  const list = useQuery(
    gh.organizations.listInvitations.queryOptions({
      organizationId,
      limit: 20,
      ...(status ? { status } : {}),
      ...(cursor ? { cursor } : {}),
    }),
  );
  const [notice, setNotice] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.organizations.listInvitations.pathKey() });
  const resend = useMutation(
    gh.invitations.resend.mutationOptions({
      onSuccess: (i) => {
        setNotice(`A new link is on its way to ${i.email}.`);
        return refresh();
      },
    }),
  );
  const cancel = useMutation(
    gh.organizations.cancelInvitation.mutationOptions({
      onSuccess: (i) => {
        setNotice(`The invitation to ${i.email} is cancelled.`);
        return refresh();
      },
    }),
  );
  const act = (run: () => void) => {
    setNotice(null);
    resend.reset();
    cancel.reset();
    run();
  };
  const error = resend.error ?? cancel.error;

  return (
    <Page title="Invitations">
      <p className="muted">People are invited from the Members page; here you follow up on what was sent.</p>
      <div className="filters">
        <SelectField
          label="Status"
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value as Status | '')}
        >
          <option value="">All</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {s[0]?.toUpperCase()}
              {s.slice(1)}
            </option>
          ))}
        </SelectField>
      </div>
      {error ? <Alert>{messageOf(error)}</Alert> : null}
      <Alert tone="success">{notice}</Alert>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No {status ? `${status} ` : ''}invitations.</Empty>
      ) : (
        <ScrollBox label="Invitations">
          <table>
            <caption className="visually-hidden">Invitations</caption>
            <thead>
              <tr>
                <th scope="col">Email</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">Invited by</th>
                <th scope="col">Expires</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((i) => (
                <tr key={i.id}>
                  <td>{i.email}</td>
                  <td>{i.role}</td>
                  <td>
                    <span className={`badge badge-${i.status}`}>{i.status}</span>
                  </td>
                  <td>{i.inviter?.name ?? '—'}</td>
                  <td>{i.status === 'pending' || i.status === 'expired' ? when(i.expiresAt) : '—'}</td>
                  <td className="actions">
                    {i.status === 'pending' || i.status === 'expired' ? (
                      <>
                        <button
                          type="button"
                          disabled={resend.isPending}
                          aria-label={`Resend the invitation to ${i.email}`}
                          onClick={() => act(() => resend.mutate({ invitationId: i.id }))}
                        >
                          Resend
                        </button>
                        <button
                          type="button"
                          className="danger"
                          disabled={cancel.isPending}
                          aria-label={`Cancel the invitation to ${i.email}`}
                          onClick={() => act(() => cancel.mutate({ organizationId, invitationId: i.id }))}
                        >
                          Cancel
                        </button>
                      </>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />
    </Page>
  );
}
