// The organization's webhook endpoints: which events go where, their signing secrets (shown once, at
// creation or rotation), a test event, and each endpoint's deliveries with a way to send one again.
import type { GatehouseEventType, RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  Alert,
  CopyButton,
  Empty,
  ErrorState,
  Field,
  fieldErrorsOf,
  formErrorOf,
  Loading,
  messageOf,
  Page,
  Pager,
  when,
} from '../ui.tsx';

type TWebhook = RouterOutputs['webhooks']['list']['items'][number];

/** Every event an endpoint may subscribe to (the test event goes only where it is asked for); typed
 * against the catalogue, so a new event type fails the build until it is offered here. */
const eventLabels: Record<Exclude<GatehouseEventType, 'webhook.test'>, string> = {
  'user.created': 'A user is created',
  'user.deactivated': 'A user is deactivated',
  'organization.member_added': 'A member is added',
  'organization.member_removed': 'A member is removed',
  'organization.member_role_changed': "A member's role changes",
  'invitation.created': 'An invitation is sent',
  'invitation.accepted': 'An invitation is accepted',
  'api_key.created': 'An API key is created',
  'api_key.revoked': 'An API key is revoked',
  'service_account.credential_created': 'A service account credential is created',
  'sso.connection_changed': 'The SSO connection changes',
  'credits.low_balance': 'Credits run low',
};
const eventTypes = Object.keys(eventLabels) as (keyof typeof eventLabels)[];

export function Webhooks({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const [selected, setSelected] = useState<string | null>(null);
  // A secret the server showed this once (new endpoint or rotation), until the person closes it.
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const page = useQuery(gh.webhooks.list.queryOptions({ organizationId, limit: 20, cursor: cursors.at(-1) }));
  const webhook = page.data?.items.find((w) => w.id === selected);
  return (
    <Page title="Webhooks">
      {secret ? (
        <section className="reveal" aria-label="Signing secret">
          <Alert tone="info">The signing secret of {secret.url}. Copy it now: it is shown only once.</Alert>
          <p className="secret" data-testid="webhook-secret">
            {secret.secret}
          </p>
          <p className="actions">
            <CopyButton value={secret.secret} label="Copy the secret" />
            <button type="button" onClick={() => setSecret(null)}>
              I have saved the secret
            </button>
          </p>
        </section>
      ) : null}
      <h2>Endpoints</h2>
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Empty>No endpoints yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">URL</th>
                <th scope="col">Events</th>
                <th scope="col">State</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((w) => (
                <tr key={w.id}>
                  <td>
                    {w.url}
                    {w.description ? <div className="muted">{w.description}</div> : null}
                  </td>
                  <td>{w.events.join(', ')}</td>
                  <td>{w.enabled ? 'Enabled' : 'Disabled'}</td>
                  <td>
                    <button type="button" aria-pressed={w.id === selected} onClick={() => setSelected(w.id)}>
                      Manage {w.url}
                    </button>
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
      {webhook ? (
        <Endpoint
          key={webhook.id}
          organizationId={organizationId}
          webhook={webhook}
          onSecret={(s) => setSecret({ url: webhook.url, secret: s })}
          onDeleted={() => setSelected(null)}
        />
      ) : (
        <CreateWebhook
          organizationId={organizationId}
          onCreated={(w) => {
            setSecret({ url: w.url, secret: w.secret });
            setSelected(w.id);
          }}
        />
      )}
    </Page>
  );
}

/** URL, description, events and signing, as the create and update forms both ask for them. */
function EndpointFields({ error, webhook }: { error: unknown; webhook?: TWebhook }) {
  const eventsError = fieldErrorsOf(error).events ?? [];
  return (
    <>
      <Field
        label="Endpoint URL"
        name="url"
        type="url"
        required
        defaultValue={webhook?.url}
        error={error}
        hint="https://…"
      />
      <Field label="Description" name="description" defaultValue={webhook?.description ?? ''} error={error} />
      <fieldset aria-describedby={eventsError.length ? 'events-error' : undefined}>
        <legend>Events to send</legend>
        {eventTypes.map((type) => (
          <label key={type} className="check">
            <input type="checkbox" name="events" value={type} defaultChecked={webhook?.events.includes(type)} />{' '}
            {eventLabels[type]} <code>{type}</code>
          </label>
        ))}
        {eventsError.length ? (
          <p className="field-error" id="events-error">
            {eventsError.join(' ')}
          </p>
        ) : null}
      </fieldset>
      <label className="check">
        <input type="checkbox" name="ed25519" defaultChecked={webhook?.signing === 'ed25519'} /> Sign with the
        deployment's Ed25519 key (published in its JWKS) instead of the endpoint's secret
      </label>
    </>
  );
}

function endpointInput(form: HTMLFormElement) {
  const data = new FormData(form);
  const description = String(data.get('description') ?? '').trim();
  return {
    url: String(data.get('url') ?? '').trim(),
    description: description || null,
    events: data.getAll('events').map(String) as (keyof typeof eventLabels)[],
    signing: data.get('ed25519') ? ('ed25519' as const) : ('hmac' as const),
  };
}

const FIELDS = ['url', 'description', 'events', 'signing'];

function CreateWebhook({
  organizationId,
  onCreated,
}: {
  organizationId: string;
  onCreated: (w: { id: string; url: string; secret: string }) => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const create = useMutation(
    gh.webhooks.create.mutationOptions({
      onSuccess: (w) => {
        void queryClient.invalidateQueries({ queryKey: gh.webhooks.list.queryKey() });
        onCreated(w);
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ organizationId, ...endpointInput(event.currentTarget) });
  };
  return (
    <section aria-labelledby="create-webhook-title">
      <h2 id="create-webhook-title">Add an endpoint</h2>
      <form onSubmit={onSubmit} className="narrow">
        <EndpointFields error={create.error} />
        <Alert>{formErrorOf(create.error, FIELDS)}</Alert>
        <button type="submit" className="primary" disabled={create.isPending}>
          Add endpoint
        </button>
      </form>
    </section>
  );
}

function Endpoint({
  organizationId,
  webhook,
  onSecret,
  onDeleted,
}: {
  organizationId: string;
  webhook: TWebhook;
  onSecret: (secret: string) => void;
  onDeleted: () => void;
}) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const ref = { organizationId, webhookId: webhook.id };
  const refresh = () => queryClient.invalidateQueries({ queryKey: gh.webhooks.pathKey() });
  const update = useMutation(gh.webhooks.update.mutationOptions({ onSuccess: refresh }));
  const rotate = useMutation(gh.webhooks.rotateSecret.mutationOptions({ onSuccess: (r) => onSecret(r.secret) }));
  const test = useMutation(gh.webhooks.test.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(
    gh.webhooks.delete.mutationOptions({
      onSuccess: () => {
        onDeleted();
        void refresh();
      },
    }),
  );
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const enabled = (event.currentTarget.elements.namedItem('enabled') as HTMLInputElement).checked;
    update.mutate({ ...ref, ...endpointInput(event.currentTarget), enabled });
  };
  const acted = rotate.error ?? test.error ?? remove.error;
  return (
    <section aria-labelledby="endpoint-title">
      <h2 id="endpoint-title">{webhook.url}</h2>
      <p className="actions">
        <button type="button" disabled={test.isPending} onClick={() => test.mutate(ref)}>
          Send a test event
        </button>
        <button type="button" disabled={rotate.isPending} onClick={() => rotate.mutate(ref)}>
          Rotate the secret
        </button>
        <button type="button" className="danger" disabled={remove.isPending} onClick={() => remove.mutate(ref)}>
          Delete the endpoint
        </button>
      </p>
      <Alert>{acted ? messageOf(acted) : null}</Alert>
      <Alert tone="success">
        {test.isSuccess ? 'A test event is on its way: it appears in the deliveries below.' : null}
        {rotate.data ? ` The old secret keeps signing until ${when(rotate.data.previousSecretExpiresAt)}.` : null}
      </Alert>
      <Deliveries organizationId={organizationId} webhookId={webhook.id} />
      <h3>Change the endpoint</h3>
      <form onSubmit={onSubmit} className="narrow">
        <EndpointFields error={update.error} webhook={webhook} />
        <label className="check">
          <input type="checkbox" name="enabled" defaultChecked={webhook.enabled} /> Enabled
        </label>
        <Alert>{formErrorOf(update.error, FIELDS)}</Alert>
        <Alert tone="success">{update.isSuccess ? 'The endpoint is saved.' : null}</Alert>
        <button type="submit" className="primary" disabled={update.isPending}>
          Save endpoint
        </button>
      </form>
    </section>
  );
}

const deliveryText = { pending: 'Pending', succeeded: 'Delivered', failed: 'Failed' };

function Deliveries({ organizationId, webhookId }: { organizationId: string; webhookId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const page = useQuery({
    ...gh.webhooks.deliveries.queryOptions({ organizationId, webhookId, limit: 20, cursor: cursors.at(-1) }),
    // Deliveries move on their own (the queue sends them): while one is pending, look again.
    refetchInterval: (query) => (query.state.data?.items.some((d) => d.status === 'pending') ? 2000 : false),
  });
  const redeliver = useMutation(
    gh.webhooks.redeliver.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.webhooks.deliveries.queryKey() }),
    }),
  );
  return (
    <>
      <h3>Deliveries</h3>
      <Alert>{redeliver.error ? messageOf(redeliver.error) : null}</Alert>
      {page.isPending ? (
        <Loading />
      ) : !page.data ? (
        <ErrorState error={page.error} />
      ) : page.data.items.length === 0 ? (
        <Empty>No deliveries yet.</Empty>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Status</th>
                <th scope="col">Response</th>
                <th scope="col">Latency</th>
                <th scope="col">Attempts</th>
                <th scope="col">Queued</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((d) => (
                <tr key={d.id}>
                  <td>{d.eventType}</td>
                  <td>
                    {deliveryText[d.status]}
                    {d.lastError ? <div className="muted">{d.lastError}</div> : null}
                  </td>
                  <td>{d.responseStatus ?? '—'}</td>
                  <td>{d.latencyMs === null ? '—' : `${d.latencyMs} ms`}</td>
                  <td>{d.attempts}</td>
                  <td>{when(d.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={redeliver.isPending || d.status === 'pending'}
                      onClick={() => redeliver.mutate({ organizationId, deliveryId: d.id })}
                    >
                      Send again
                    </button>
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
    </>
  );
}
