// Teams: the list, a new team, and one team's page (`?team=`): its name, its members, and the roles it
// holds on the organization or on projects, which its members inherit. "Why can X do Y" sits below.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Link, navigate, useSearchParam } from '../router.tsx';
import {
  Alert,
  Empty,
  ErrorState,
  Field,
  formErrorOf,
  formValues,
  Loading,
  messageOf,
  Page,
  Pager,
  ScrollBox,
  SelectField,
  useCursors,
  when,
} from '../ui.tsx';
import { useIdentities, useProjectChoices, useRoleChoices } from './directory.tsx';
import { ExplainPanel } from './explain.tsx';
import { NamedForm, NewNamedForm } from './named-form.tsx';

export function Teams({ organizationId }: { organizationId: string }) {
  const teamId = useSearchParam('team');
  return teamId ? (
    <TeamDetail organizationId={organizationId} teamId={teamId} />
  ) : (
    <TeamList organizationId={organizationId} />
  );
}

function TeamList({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState('');
  const { cursor, pager } = useCursors(search);
  const list = useQuery(
    gh.teams.list.queryOptions({
      organizationId,
      limit: 20,
      ...(search ? { search } : {}),
      ...(cursor ? { cursor } : {}),
    }),
  );
  const create = useMutation(
    gh.teams.create.mutationOptions({
      onSuccess: (team) => {
        void queryClient.invalidateQueries({ queryKey: gh.teams.pathKey() });
        navigate(`/console/teams?team=${team.id}`);
      },
    }),
  );

  return (
    <Page title="Teams">
      <search className="filters">
        <Field
          label="Search teams"
          name="search"
          type="search"
          value={search}
          onChange={(e) => setSearch(e.target.value.trim())}
        />
      </search>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No teams match.</Empty>
      ) : (
        <ScrollBox label="Teams">
          <table>
            <caption className="visually-hidden">Teams</caption>
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Members</th>
                <th scope="col">Roles held</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((t) => (
                <tr key={t.id}>
                  <td>
                    <Link to={`/console/teams?team=${t.id}`}>{t.name}</Link>
                    {t.description ? <div className="muted">{t.description}</div> : null}
                  </td>
                  <td>{t.memberCount}</td>
                  <td>{t.roles.length ? t.roles.map((r) => r.role).join(', ') : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />

      <NewNamedForm what="team" create={create} onCreate={(values) => create.mutate({ organizationId, ...values })} />

      <ExplainPanel organizationId={organizationId} />
    </Page>
  );
}

function TeamDetail({ organizationId, teamId }: { organizationId: string; teamId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const team = useQuery(gh.teams.retrieve.queryOptions({ organizationId, teamId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.teams.pathKey() });
  const update = useMutation(gh.teams.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    gh.teams.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        navigate('/console/teams');
      },
    }),
  );
  if (team.isPending) return <Loading />;
  if (!team.data) return <ErrorState error={team.error} />;
  const t = team.data;

  return (
    <Page title={`Team ${t.name}`} actions={<Link to="/console/teams">All teams</Link>}>
      {t.isEveryone ? (
        <Alert tone="info">Everyone in the organization is in this team; its membership follows theirs.</Alert>
      ) : (
        <NamedForm
          thing={t}
          update={update}
          onSave={(values) => update.mutate({ organizationId, teamId, ...values })}
          remove={remove}
          onRemove={() => remove.mutate({ organizationId, teamId })}
          removeLabel="Delete team"
          confirmLabel={`Delete ${t.name} and its role bindings`}
        />
      )}
      <TeamMembers organizationId={organizationId} teamId={teamId} isEveryone={t.isEveryone} />
      <TeamRoles organizationId={organizationId} teamId={teamId} roles={t.roles} />
      <p className="muted">Created {when(t.createdAt)}</p>
    </Page>
  );
}

function TeamMembers({
  organizationId,
  teamId,
  isEveryone,
}: {
  organizationId: string;
  teamId: string;
  isEveryone: boolean;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const identities = useIdentities(organizationId);
  const { cursor, pager } = useCursors(teamId);
  const members = useQuery(
    gh.teams.members.queryOptions({ organizationId, teamId, limit: 20, ...(cursor ? { cursor } : {}) }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.teams.pathKey() });
  const add = useMutation(gh.teams.addMember.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(gh.teams.removeMember.mutationOptions({ onSuccess: refresh }));
  const onAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { userId = '', role = 'member' } = formValues(event.currentTarget);
    remove.reset();
    add.mutate({ organizationId, teamId, userId, role: role as 'member' | 'maintainer' });
  };

  return (
    <>
      <h2>Members</h2>
      {members.isPending ? (
        <Loading />
      ) : members.error ? (
        <ErrorState error={members.error} />
      ) : members.data.items.length === 0 ? (
        <Empty>Nobody is in this team yet.</Empty>
      ) : (
        <ScrollBox label="Team members">
          <table>
            <caption className="visually-hidden">Team members</caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Email</th>
                <th scope="col">Team role</th>
                {isEveryone ? null : (
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                )}
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((m) => (
                <tr key={m.userId}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                  {isEveryone ? null : (
                    <td>
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Remove ${m.name} from the team`}
                        onClick={() => {
                          add.reset();
                          remove.mutate({ organizationId, teamId, userId: m.userId });
                        }}
                      >
                        Remove
                      </button>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(members.data)} />
      {remove.error ? <Alert>{messageOf(remove.error)}</Alert> : null}
      {isEveryone ? null : (
        <form className="inline-form" onSubmit={onAdd}>
          <SelectField label="Member to add" name="userId" required error={add.error}>
            {identities.items
              .filter((i) => i.type === 'user')
              .map((i) => (
                <option key={i.id} value={i.id}>
                  {i.name} ({i.email})
                </option>
              ))}
          </SelectField>
          <SelectField label="Team role" name="role" error={add.error}>
            <option value="member">Member</option>
            <option value="maintainer">Maintainer (manages the team's members)</option>
          </SelectField>
          <button type="submit" disabled={add.isPending}>
            Add to team
          </button>
          <Alert>{formErrorOf(add.error, ['userId', 'role'])}</Alert>
        </form>
      )}
    </>
  );
}

function TeamRoles({
  organizationId,
  teamId,
  roles,
}: {
  organizationId: string;
  teamId: string;
  roles: { role: string; resource: { type: 'organization' | 'project'; id: string } }[];
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const projects = useProjectChoices(organizationId);
  const [where, setWhere] = useState('');
  const roleChoices = useRoleChoices(organizationId, where ? 'project' : 'organization');
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.teams.pathKey() });
  const grant = useMutation(gh.teams.grantRole.mutationOptions({ onSuccess: refresh }));
  const revoke = useMutation(gh.teams.revokeRole.mutationOptions({ onSuccess: refresh }));
  const onGrant = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { role = '' } = formValues(event.currentTarget);
    revoke.reset();
    grant.mutate({ organizationId, teamId, role, ...(where ? { projectId: where } : {}) });
  };

  return (
    <>
      <h2>Roles the team holds</h2>
      {roles.length === 0 ? (
        <Empty>This team holds no role: its members get nothing through it.</Empty>
      ) : (
        <ul className="bindings">
          {roles.map((r) => (
            <li key={`${r.resource.type}:${r.resource.id}`}>
              <span>
                <strong>{r.role}</strong> on{' '}
                {r.resource.type === 'organization' ? 'the organization' : `project ${projects.nameOf(r.resource.id)}`}
              </span>
              <button
                type="button"
                className="danger"
                aria-label={`Revoke ${r.role} on ${r.resource.type === 'organization' ? 'the organization' : projects.nameOf(r.resource.id)}`}
                onClick={() => {
                  grant.reset();
                  revoke.mutate({
                    organizationId,
                    teamId,
                    ...(r.resource.type === 'project' ? { projectId: r.resource.id } : {}),
                  });
                }}
              >
                Revoke
              </button>
            </li>
          ))}
        </ul>
      )}
      {revoke.error ? <Alert>{messageOf(revoke.error)}</Alert> : null}
      <form className="inline-form" onSubmit={onGrant}>
        <SelectField
          label="On"
          name="projectId"
          value={where}
          onChange={(e) => setWhere(e.target.value)}
          error={grant.error}
        >
          <option value="">The organization</option>
          {projects.items.map((p) => (
            <option key={p.id} value={p.id}>
              Project {p.name}
            </option>
          ))}
        </SelectField>
        <SelectField label="Role" name="role" required error={grant.error}>
          {roleChoices.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={grant.isPending}>
          Grant role
        </button>
        <Alert>{formErrorOf(grant.error, ['projectId', 'role'])}</Alert>
      </form>
    </>
  );
}
