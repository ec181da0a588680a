// The organization's domains: proven by a DNS TXT record, they decide whom single sign-on may add as
// members and whom "SSO required" applies to.
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  Alert,
  CopyButton,
  Empty,
  ErrorState,
  Field,
  formErrorOf,
  formValues,
  Loading,
  messageOf,
  Page,
  Pager,
  when,
} from '../ui.tsx';

const statusText = { pending: 'Waiting for the TXT record', verified: 'Verified', failed: 'Record no longer found' };

export function Domains({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useQuery(
    gh.organizations.domains.list.queryOptions({ organizationId, limit: 20, cursor: cursors.at(-1) }),
  );
  const refresh = {
    onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.organizations.domains.list.queryKey() }),
  };
  const add = useMutation(gh.organizations.domains.add.mutationOptions(refresh));
  const verify = useMutation(gh.organizations.domains.verify.mutationOptions(refresh));
  const remove = useMutation(gh.organizations.domains.remove.mutationOptions(refresh));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = event.currentTarget;
    add.mutate({ organizationId, domain: formValues(form).domain ?? '' }, { onSuccess: () => form.reset() });
  };
  const acted = verify.error ?? remove.error;
  return (
    <Page title="Domains">
      <form onSubmit={onSubmit} className="narrow">
        <Field label="Domain" name="domain" required error={add.error} hint="e.g. example.com" />
        <Alert>{formErrorOf(add.error, ['domain'])}</Alert>
        <button type="submit" className="primary" disabled={add.isPending}>
          Add domain
        </button>
      </form>
      <Alert>{acted ? messageOf(acted) : null}</Alert>
      <Alert tone="success">{verify.data ? `${verify.data.domain} is verified.` : null}</Alert>
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Empty>No domains yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Domain</th>
                <th scope="col">Status</th>
                <th scope="col">TXT record to publish</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.domain}</td>
                  <td>
                    {statusText[d.status]}
                    {d.verifiedAt ? <span className="muted"> since {when(d.verifiedAt)}</span> : null}
                  </td>
                  <td>
                    <p>
                      Name: <code>{d.txtName}</code>{' '}
                      <CopyButton value={d.txtName} label={`Copy the record name for ${d.domain}`} />
                    </p>
                    <p>
                      Value: <code className="secret">{d.txtValue}</code>{' '}
                      <CopyButton value={d.txtValue} label={`Copy the record value for ${d.domain}`} />
                    </p>
                  </td>
                  <td>
                    <div className="actions">
                      {d.status !== 'verified' ? (
                        <button
                          type="button"
                          disabled={verify.isPending}
                          onClick={() => verify.mutate({ organizationId, domainId: d.id })}
                        >
                          Verify {d.domain}
                        </button>
                      ) : null}
                      <button
                        type="button"
                        className="danger"
                        disabled={remove.isPending}
                        onClick={() => remove.mutate({ organizationId, domainId: d.id })}
                      >
                        Remove {d.domain}
                      </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager
        cursors={cursors}
        nextCursor={page.data?.pageInfo.hasNextPage ? page.data.pageInfo.endCursor : null}
        onChange={setCursors}
      />
    </Page>
  );
}
