// Projects: the list the caller reaches, a new project, and one project's page (`?project=`): its name
// and the users and teams that hold a project role on it.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { FormEvent } from 'react';
import { Link, navigate, useSearchParam } from '../router.tsx';
import {
  Alert,
  Empty,
  ErrorState,
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
import { useIdentities, useRoleChoices, useTeamChoices } from './directory.tsx';
import { ExplainPanel } from './explain.tsx';
import { NamedForm, NewNamedForm } from './named-form.tsx';

type ProjectRole = 'project_admin' | 'project_editor' | 'project_viewer';

export function Projects({ organizationId }: { organizationId: string }) {
  const projectId = useSearchParam('project');
  return projectId ? (
    <ProjectDetail organizationId={organizationId} projectId={projectId} />
  ) : (
    <ProjectList organizationId={organizationId} />
  );
}

function ProjectList({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const { cursor, pager } = useCursors(organizationId);
  const list = useQuery(gh.projects.list.queryOptions({ organizationId, limit: 20, ...(cursor ? { cursor } : {}) }));
  const create = useMutation(
    gh.projects.create.mutationOptions({
      onSuccess: (project) => {
        void queryClient.invalidateQueries({ queryKey: gh.projects.pathKey() });
        navigate(`/console/projects?project=${project.id}`);
      },
    }),
  );

  return (
    <Page title="Projects">
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>No projects yet.</Empty>
      ) : (
        <ScrollBox label="Projects">
          <table>
            <caption className="visually-hidden">Projects</caption>
            <thead>
              <tr>
                <th scope="col">Project</th>
                <th scope="col">Description</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((p) => (
                <tr key={p.id}>
                  <td>
                    <Link to={`/console/projects?project=${p.id}`}>{p.name}</Link>
                  </td>
                  <td>{p.description ?? '—'}</td>
                  <td>{when(p.createdAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />

      <NewNamedForm
        what="project"
        create={create}
        onCreate={(values) => create.mutate({ organizationId, ...values })}
      />

      <ExplainPanel organizationId={organizationId} />
    </Page>
  );
}

function ProjectDetail({ organizationId, projectId }: { organizationId: string; projectId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const project = useQuery(gh.projects.retrieve.queryOptions({ organizationId, projectId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.projects.pathKey() });
  const update = useMutation(gh.projects.update.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    gh.projects.delete.mutationOptions({
      onSuccess: async () => {
        await refresh();
        navigate('/console/projects');
      },
    }),
  );
  if (project.isPending) return <Loading />;
  if (!project.data) return <ErrorState error={project.error} />;
  const p = project.data;

  return (
    <Page title={`Project ${p.name}`} actions={<Link to="/console/projects">All projects</Link>}>
      <NamedForm
        thing={p}
        update={update}
        onSave={(values) => update.mutate({ organizationId, projectId, ...values })}
        remove={remove}
        onRemove={() => remove.mutate({ organizationId, projectId })}
        removeLabel="Delete project"
        confirmLabel={`Delete ${p.name} and everyone's access to it`}
      />
      <Collaborators organizationId={organizationId} projectId={projectId} />
    </Page>
  );
}

function Collaborators({ organizationId, projectId }: { organizationId: string; projectId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const identities = useIdentities(organizationId);
  const teams = useTeamChoices(organizationId);
  const roles = useRoleChoices(organizationId, 'project');
  const { cursor, pager } = useCursors(projectId);
  const list = useQuery(
    gh.projects.collaborators.queryOptions({ organizationId, projectId, limit: 20, ...(cursor ? { cursor } : {}) }),
  );
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.projects.collaborators.pathKey() });
  const add = useMutation(gh.projects.addCollaborator.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(gh.projects.removeCollaborator.mutationOptions({ onSuccess: refresh }));
  const onAdd = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { who = '', role = '' } = formValues(event.currentTarget);
    remove.reset();
    add.mutate({
      organizationId,
      projectId,
      role: role as ProjectRole,
      ...(who.startsWith('team_') ? { teamId: who } : { userId: who }),
    });
  };

  return (
    <>
      <h2>Collaborators</h2>
      {list.isPending ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.data.items.length === 0 ? (
        <Empty>Nobody holds a role on this project yet; the organization's roles still apply.</Empty>
      ) : (
        <ScrollBox label="Collaborators">
          <table>
            <caption className="visually-hidden">Collaborators</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">Role</th>
                <th scope="col">Status</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((c) => (
                <tr key={`${c.type}:${c.id ?? c.invitationId}`}>
                  <td>
                    {c.type === 'team' ? `Team ${c.name}` : c.name}
                    {c.email ? <div className="muted">{c.email}</div> : null}
                    {c.external ? <div className="muted">Outside the organization</div> : null}
                  </td>
                  <td>{c.role}</td>
                  <td>{c.status}</td>
                  <td>
                    {c.id ? (
                      <button
                        type="button"
                        className="danger"
                        aria-label={`Remove ${c.name} from the project`}
                        onClick={() => {
                          add.reset();
                          remove.mutate({
                            organizationId,
                            projectId,
                            ...(c.type === 'team' ? { teamId: c.id ?? '' } : { userId: c.id ?? '' }),
                          });
                        }}
                      >
                        Remove
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollBox>
      )}
      <Pager {...pager(list.data)} />
      {remove.error ? <Alert>{messageOf(remove.error)}</Alert> : null}
      <form className="inline-form" onSubmit={onAdd}>
        <SelectField label="Member or team" name="who" required error={add.error}>
          {teams.items.map((t) => (
            <option key={t.id} value={t.id}>
              Team {t.name}
            </option>
          ))}
          {identities.items
            .filter((i) => i.type === 'user')
            .map((i) => (
              <option key={i.id} value={i.id}>
                {i.name} ({i.email})
              </option>
            ))}
        </SelectField>
        <SelectField label="Project role" name="role" required error={add.error}>
          {roles.map((r) => (
            <option key={r.key} value={r.key}>
              {r.name}
            </option>
          ))}
        </SelectField>
        <button type="submit" disabled={add.isPending}>
          Add collaborator
        </button>
        <Alert>{formErrorOf(add.error, ['role', 'userId', 'teamId'])}</Alert>
      </form>
    </>
  );
}
