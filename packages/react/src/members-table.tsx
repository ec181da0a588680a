// An organization's members, a page at a time, filtered by role or searched; the caller changes a
// role, removes or deactivates a member where they may. What the server refuses (the last owner, a
// member who outranks the caller) is said next to the row it was about.
import { useGatehouseQueries, useSession } from '@gatehouse/client/react';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import { errorMessage } from './error-message.js';
import { useCan, useOrganizationId } from './organization.js';
import { Empty, ErrorState, Loading, Pager, useCursors } from './ui.js';

/** The built-in roles, offered when the caller may not read the organization's roles (roles:read). */
const builtInRoles = ['owner', 'admin', 'member', 'viewer'];

export interface MembersTableProps {
  /** Default: the organization the caller acts in now. */
  organizationId?: string;
  /** Members per page (1 to 200). */
  pageSize?: number;
}

type Member = {
  userId: string;
  name: string;
  email: string;
  role: string;
  status: 'active' | 'invited' | 'deactivated' | 'archived';
};

export function MembersTable({ organizationId: given, pageSize = 20 }: MembersTableProps) {
  const organizationId = useOrganizationId(given);
  if (!organizationId) return <Empty>Choose an organization to see its members.</Empty>;
  return <Members organizationId={organizationId} pageSize={pageSize} />;
}

function Members({ organizationId, pageSize }: { organizationId: string; pageSize: number }) {
  const gh = useGatehouseQueries();
  const session = useSession();
  const id = useId();
  const [role, setRole] = useState('');
  const [search, setSearch] = useState('');
  const { cursors, cursor, setCursors } = useCursors(`${organizationId} ${role} ${search}`);
  const members = useQuery({
    ...gh.organizations.members.queryOptions({
      organizationId,
      limit: pageSize,
      ...(cursor ? { cursor } : {}),
      ...(role ? { role } : {}),
      ...(search ? { search } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const roles = useQuery({ ...gh.roles.list.queryOptions({ organizationId, scope: 'organization' }), retry: false });
  const roleKeys = roles.data?.map((r) => r.key) ?? builtInRoles;
  const update = useCan(organizationId, 'members:update');
  const access = {
    update,
    remove: useCan(organizationId, 'members:remove'),
    // users.deactivate (members:update) acts in the organization the caller acts in now, so only there.
    deactivate: update && session.organization?.id === organizationId,
  };
  const onSearch = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    setSearch(String(new FormData(event.currentTarget).get('search') ?? '').trim());
  };
  const page = members.data;
  return (
    <div className="gh-members">
      <div className="gh-toolbar">
        <search>
          <form onSubmit={onSearch} className="gh-search">
            <label htmlFor={`${id}-search`}>Search members</label>
            <input id={`${id}-search`} name="search" type="search" defaultValue={search} />
            <button type="submit">Search</button>
          </form>
        </search>
        <div className="gh-filter">
          <label htmlFor={`${id}-role`}>Role</label>
          <select id={`${id}-role`} value={role} onChange={(e) => setRole(e.target.value)}>
            <option value="">All roles</option>
            {roleKeys.map((key) => (
              <option key={key} value={key}>
                {key}
              </option>
            ))}
          </select>
        </div>
      </div>
      {members.isPending ? (
        <Loading label="Loading members…" />
      ) : members.error ? (
        <ErrorState error={members.error} />
      ) : !page?.items.length ? (
        <Empty>{search || role ? 'No member matches.' : 'No members yet.'}</Empty>
      ) : (
        <table className="gh-table">
          <caption className="gh-visually-hidden">Members</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {page.items.map((member) => (
              <MemberRow
                // A new role is a new row: its select starts from the role the member has now.
                key={`${member.userId} ${member.role}`}
                organizationId={organizationId}
                member={member}
                roles={roleKeys}
                access={member.userId === session.user?.userId ? none : access}
              />
            ))}
          </tbody>
        </table>
      )}
      <Pager
        label="Member pages"
        cursors={cursors}
        nextCursor={page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null}
        onChange={setCursors}
      />
    </div>
  );
}

/** On their own row a member changes nothing here: their own role is an owner's transfer, leaving is elsewhere. */
const none = { update: false, remove: false, deactivate: false };

function MemberRow({
  organizationId,
  member,
  roles,
  access,
}: {
  organizationId: string;
  member: Member;
  roles: string[];
  access: typeof none;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [role, setRole] = useState(member.role);
  const [confirming, setConfirming] = useState(false);
  const done = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.organizations.members.pathKey() }),
  };
  const changeRole = useMutation(gh.organizations.updateMemberRole.mutationOptions(done));
  const remove = useMutation(gh.organizations.removeMember.mutationOptions(done));
  const deactivate = useMutation(gh.users.deactivate.mutationOptions(done));
  const activate = useMutation(gh.users.activate.mutationOptions(done));
  const actions = { role: changeRole, remove, deactivate, activate };
  // The last thing tried: its refusal is what the row says.
  const [last, setLast] = useState<keyof typeof actions | null>(null);
  const busy = Object.values(actions).some((m) => m.isPending);
  const error = last ? actions[last].error : null;
  const who = member.name || member.email;
  const roleId = useId();
  return (
    <tr aria-busy={busy}>
      <th scope="row" data-label="Name">
        {member.name}
      </th>
      <td data-label="Email">{member.email}</td>
      <td data-label="Role">
        {access.update ? (
          <div className="gh-inline">
            <label htmlFor={roleId} className="gh-visually-hidden">
              Role of {who}
            </label>
            <select id={roleId} value={role} onChange={(e) => setRole(e.target.value)} disabled={busy}>
              {(roles.includes(member.role) ? roles : [member.role, ...roles]).map((key) => (
                <option key={key} value={key}>
                  {key}
                </option>
              ))}
            </select>
            {role !== member.role ? (
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  setLast('role');
                  // Refused: the select goes back to the role the member still has.
                  changeRole.mutate(
                    { organizationId, userId: member.userId, role },
                    { onError: () => setRole(member.role) },
                  );
                }}
              >
                Save role<span className="gh-visually-hidden"> of {who}</span>
              </button>
            ) : null}
          </div>
        ) : (
          member.role
        )}
      </td>
      <td data-label="Status">{member.status}</td>
      <td data-label="Actions">
        <div className="gh-inline">
          {access.deactivate && member.status === 'active' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setLast('deactivate');
                deactivate.mutate({ userId: member.userId });
              }}
            >
              Deactivate<span className="gh-visually-hidden"> {who}</span>
            </button>
          ) : null}
          {access.deactivate && member.status === 'deactivated' ? (
            <button
              type="button"
              disabled={busy}
              onClick={() => {
                setLast('activate');
                activate.mutate({ userId: member.userId });
              }}
            >
              Reactivate<span className="gh-visually-hidden"> {who}</span>
            </button>
          ) : null}
          {access.remove && !confirming ? (
            <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
              Remove<span className="gh-visually-hidden"> {who}</span>
            </button>
          ) : null}
          {access.remove && confirming ? (
            <>
              <button
                type="button"
                className="gh-danger"
                disabled={busy}
                onClick={() => {
                  setConfirming(false);
                  setLast('remove');
                  remove.mutate({ organizationId, userId: member.userId });
                }}
              >
                Confirm removal<span className="gh-visually-hidden"> of {who}</span>
              </button>
              <button type="button" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : null}
        </div>
        {error ? (
          <p className="gh-row-error" role="alert">
            {errorMessage(error)}
          </p>
        ) : null}
      </td>
    </tr>
  );
}
