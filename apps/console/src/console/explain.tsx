// "Why can X do Y": asks the server's own decision (permissions.explain) and says its chain of grants
// in sentences, so what the console shows is what the server decides.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { Alert, formErrorOf, formValues, Loading, SelectField } from '../ui.tsx';
import { useIdentities, useProjectChoices, useTeamChoices } from './directory.tsx';

interface Question {
  principalId: string;
  permission: string;
  resourceId?: string;
}

interface Link {
  via: 'role' | 'team' | 'project';
  role: string;
  teamId?: string | undefined;
  projectId?: string | undefined;
  scope?: string | undefined;
}

export function ExplainPanel({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const identities = useIdentities(organizationId);
  const projects = useProjectChoices(organizationId);
  const teams = useTeamChoices(organizationId);
  const catalogue = useQuery(gh.permissions.catalogue.queryOptions());
  // The caller's own keys here: a key's answer is its holder's roles narrowed by its scopes.
  const keys = (useQuery(gh.auth.listKeys.queryOptions({ status: 'active', limit: 200 })).data?.items ?? []).filter(
    (k) => k.organizationId === organizationId,
  );
  const [question, setQuestion] = useState<Question | null>(null);
  const answer = useQuery({
    ...gh.permissions.explain.queryOptions({
      organizationId,
      principalId: question?.principalId ?? '',
      permission: question?.permission ?? '',
      ...(question?.resourceId ? { resourceId: question.resourceId } : {}),
    }),
    enabled: question !== null,
    retry: false,
  });
  const onAsk = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const { principalId = '', permission = '', resourceId = '' } = formValues(event.currentTarget);
    setQuestion({ principalId, permission, ...(resourceId ? { resourceId } : {}) });
  };

  const key = keys.find((k) => k.id === question?.principalId);
  const who = key ? `Key ${key.keyPrefix}` : identities.nameOf(question?.principalId);
  // Roles are a person's: for a key, its holder's.
  const holder = key ? `The holder of key ${key.keyPrefix}` : who;
  const where = question?.resourceId ? `project ${projects.nameOf(question.resourceId)}` : 'the organization';
  const onWhat = (link: Link) => (link.projectId ? `project ${projects.nameOf(link.projectId)}` : 'the organization');
  const sentence = (link: Link) => {
    if (link.role === 'platform:admin') return `${holder} is an administrator of this deployment (platform admin).`;
    if (link.via === 'team') {
      return `${holder} is in team ${teams.nameOf(link.teamId)}, which holds the role ${link.role} on ${onWhat(link)}.`;
    }
    if (link.via === 'project') return `${holder} holds the role ${link.role} on ${onWhat(link)} directly.`;
    return `${holder} holds the role ${link.role} in the organization.`;
  };
  const missing = {
    organization: `${who} does not act in this organization.`,
    role: `No role ${holder} holds grants ${question?.permission} on ${where}.`,
    scope: `A role grants it, but the key's scopes leave ${question?.permission} out.`,
  };

  return (
    <section className="explain" aria-labelledby="explain-title">
      <h2 id="explain-title">Why can someone do something?</h2>
      <form className="inline-form" onSubmit={onAsk}>
        <SelectField label="Who" name="principalId" required error={answer.error}>
          {identities.items.map((i) => (
            <option key={i.id} value={i.id}>
              {i.name}
              {i.type === 'serviceAccount' ? ' (service account)' : i.email ? ` (${i.email})` : ''}
            </option>
          ))}
          {keys.length ? (
            <optgroup label="Your API keys">
              {keys.map((k) => (
                <option key={k.id} value={k.id}>
                  Key {k.keyPrefix} ({k.name})
                </option>
              ))}
            </optgroup>
          ) : null}
        </SelectField>
        <SelectField label="Permission" name="permission" required error={answer.error}>
          {(catalogue.data?.permissions ?? []).map((p) => (
            <option key={p.key} value={p.key}>
              {p.key}
            </option>
          ))}
        </SelectField>
        <SelectField label="On" name="resourceId" error={answer.error}>
          <option value="">The organization</option>
          {projects.items.map((p) => (
            <option key={p.id} value={p.id}>
              Project {p.name}
            </option>
          ))}
        </SelectField>
        <button type="submit">Explain</button>
      </form>
      {question === null ? null : answer.isFetching ? (
        <Loading label="Asking…" />
      ) : answer.error ? (
        <Alert>{formErrorOf(answer.error, ['principalId', 'permission', 'resourceId'])}</Alert>
      ) : answer.data ? (
        <div className="explanation" role="status">
          <p>
            <strong>
              {answer.data.allowed ? 'Yes' : 'No'}: {who} {answer.data.allowed ? 'can' : 'cannot'} use{' '}
              {question.permission} on {where}.
            </strong>
          </p>
          {answer.data.chain.length ? (
            <ol className="chain">
              {answer.data.chain.map((link) => (
                <li key={`${link.via}:${link.role}:${link.teamId ?? ''}:${link.projectId ?? ''}`}>
                  {sentence(link)}
                  {link.scope ? ` The credential's scopes include ${link.scope}.` : ''}
                </li>
              ))}
            </ol>
          ) : null}
          {answer.data.missing ? <p>{missing[answer.data.missing]}</p> : null}
        </div>
      ) : null}
    </section>
  );
}
