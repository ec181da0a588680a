// The organization's single sign-on connection (one per organization): OIDC by issuer and client, or
// SAML by the IdP's metadata. The client secret is write-only: the server says only whether one is set.
import { isGatehouseError, type RouterOutputs } from '@gatehouse/client';
import { useGatehouseQueries } from '@gatehouse/client/react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useId, useState } from 'react';
import {
  Alert,
  ErrorState,
  Field,
  fieldErrorsOf,
  formErrorOf,
  formValues,
  Loading,
  messageOf,
  Page,
  when,
} from '../ui.tsx';

const FIELDS = ['identifier', 'clientId', 'clientSecret', 'samlMetadataXml', 'defaultRole', 'ssoRequired'];

export function Sso({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const connection = useQuery({
    ...gh.sso.retrieve.queryOptions({ organizationId }),
    // No connection is an answer (the form to make one), not a failure to retry.
    retry: (count, error) => !isGatehouseError(error, 'NOT_FOUND') && count < 2,
  });
  if (connection.isPending) return <Loading />;
  // Checked before the data: a connection just turned off leaves its last data in the cache beside the NOT_FOUND.
  const none = isGatehouseError(connection.error, 'NOT_FOUND');
  return (
    <Page title="Single sign-on">
      {none ? (
        <Enable organizationId={organizationId} />
      ) : connection.data ? (
        <Connection organizationId={organizationId} connection={connection.data} />
      ) : (
        <ErrorState error={connection.error} />
      )}
    </Page>
  );
}

/** The `textarea` twin of Field, for IdP metadata. */
function XmlField({ error, label, hint }: { error: unknown; label: string; hint: string }) {
  const id = useId();
  const messages = fieldErrorsOf(error).samlMetadataXml ?? [];
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        name="samlMetadataXml"
        rows={6}
        aria-invalid={messages.length > 0}
        aria-describedby={`${id}-note`}
      />
      <p className={messages.length ? 'field-error' : 'hint'} id={`${id}-note`}>
        {messages.length ? messages.join(' ') : hint}
      </p>
    </div>
  );
}

/** The form's values as the procedures take them: empty optional fields left out. */
function connectionInput(form: HTMLFormElement) {
  const { identifier, clientId, clientSecret, samlMetadataXml, defaultRole } = formValues(form);
  const ssoRequired = (form.elements.namedItem('ssoRequired') as HTMLInputElement).checked;
  return {
    identifier: identifier?.trim() || undefined,
    clientId: clientId?.trim() || undefined,
    clientSecret: clientSecret || undefined,
    samlMetadataXml: samlMetadataXml?.trim() || undefined,
    defaultRole: defaultRole?.trim() || undefined,
    ssoRequired,
  };
}

function Enable({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const [protocol, setProtocol] = useState<'oidc' | 'saml'>('oidc');
  const enable = useMutation(gh.sso.enable.mutationOptions({ onSuccess: () => queryClient.invalidateQueries() }));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = connectionInput(event.currentTarget);
    enable.mutate({
      ...input,
      organizationId,
      protocol,
      identifier: input.identifier ?? '',
      clientId: input.clientId ?? '',
      clientSecret: input.clientSecret ?? '',
      samlMetadataXml: protocol === 'saml' ? input.samlMetadataXml : undefined,
    });
  };
  return (
    <form onSubmit={onSubmit} className="narrow">
      <p>Members sign in through your identity provider. Set it up there first, then here.</p>
      <fieldset>
        <legend>Protocol</legend>
        <label>
          <input type="radio" name="protocol" checked={protocol === 'oidc'} onChange={() => setProtocol('oidc')} />{' '}
          OpenID Connect
        </label>{' '}
        <label>
          <input type="radio" name="protocol" checked={protocol === 'saml'} onChange={() => setProtocol('saml')} /> SAML
        </label>
      </fieldset>
      <Field
        label={protocol === 'oidc' ? 'Issuer URL' : 'IdP entity ID'}
        name="identifier"
        required
        error={enable.error}
        hint={protocol === 'oidc' ? 'e.g. https://acme.okta.com' : 'As the IdP metadata names it'}
      />
      <Field label="Client ID" name="clientId" required error={enable.error} />
      <Field
        label="Client secret"
        name="clientSecret"
        type="password"
        autoComplete="off"
        required
        error={enable.error}
      />
      {protocol === 'saml' ? (
        <XmlField
          error={enable.error}
          label="IdP metadata (XML)"
          hint="Paste the metadata document your IdP gives you"
        />
      ) : null}
      <Field
        label="Role for new members"
        name="defaultRole"
        error={enable.error}
        hint="Empty: the organization's default"
      />
      <label className="check">
        <input type="checkbox" name="ssoRequired" /> Require single sign-on for members on verified domains
      </label>
      <Alert>{formErrorOf(enable.error, FIELDS)}</Alert>
      <button type="submit" className="primary" disabled={enable.isPending}>
        {enable.isPending ? 'Checking the identity provider…' : 'Turn on single sign-on'}
      </button>
    </form>
  );
}

type TConnection = RouterOutputs['sso']['retrieve'];

function Connection({ organizationId, connection }: { organizationId: string; connection: TConnection }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const refresh = { onSuccess: () => queryClient.invalidateQueries() };
  const update = useMutation(gh.sso.update.mutationOptions(refresh));
  const test = useMutation(gh.sso.test.mutationOptions());
  const disable = useMutation(gh.sso.disable.mutationOptions(refresh));
  const [confirming, setConfirming] = useState(false);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = connectionInput(event.currentTarget);
    update.mutate({
      organizationId,
      // Unchanged values are not sent: a SAML identifier change needs new metadata, nothing else does.
      identifier: input.identifier === connection.identifier ? undefined : input.identifier,
      clientId: input.clientId === connection.clientId ? undefined : input.clientId,
      clientSecret: input.clientSecret,
      samlMetadataXml: input.samlMetadataXml,
      defaultRole: input.defaultRole === connection.defaultRole ? undefined : input.defaultRole,
      ssoRequired: input.ssoRequired,
    });
  };
  const saml = connection.protocol === 'saml';
  return (
    <>
      <dl className="facts">
        <dt>Protocol</dt>
        <dd>{saml ? 'SAML' : 'OpenID Connect'}</dd>
        <dt>{saml ? 'IdP entity ID' : 'Issuer'}</dt>
        <dd>{connection.identifier}</dd>
        <dt>Client ID</dt>
        <dd>{connection.clientId}</dd>
        <dt>Client secret</dt>
        <dd>{connection.clientSecretSet ? 'Set (never shown)' : 'Not set'}</dd>
        <dt>Role for new members</dt>
        <dd>{connection.defaultRole}</dd>
        <dt>Required</dt>
        <dd>{connection.ssoRequired ? 'Yes, for members on verified domains' : 'No'}</dd>
        <dt>Changed</dt>
        <dd>{when(connection.updatedAt)}</dd>
      </dl>

      <h2>Test the connection</h2>
      <button type="button" disabled={test.isPending} onClick={() => test.mutate({ organizationId })}>
        {test.isPending ? 'Testing…' : 'Test'}
      </button>
      <ErrorState error={test.error} />
      {test.data ? (
        <>
          <Alert tone={test.data.ok ? 'success' : 'error'}>
            {test.data.ok ? 'The identity provider answers as expected.' : 'The identity provider has a problem.'}
          </Alert>
          <ul>
            {test.data.steps.map((s) => (
              <li key={s.step + s.detail}>
                {s.ok ? 'Passed' : 'Failed'}: {s.detail}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h2>Change</h2>
      <form onSubmit={onSubmit} className="narrow">
        <Field
          label={saml ? 'IdP entity ID' : 'Issuer URL'}
          name="identifier"
          defaultValue={connection.identifier}
          required
          error={update.error}
        />
        <Field label="Client ID" name="clientId" defaultValue={connection.clientId} required error={update.error} />
        <Field
          label="New client secret"
          name="clientSecret"
          type="password"
          autoComplete="off"
          error={update.error}
          hint="Empty: keep the current one"
        />
        {saml ? (
          <XmlField error={update.error} label="New IdP metadata (XML)" hint="Empty: keep the current one" />
        ) : null}
        <Field
          label="Role for new members"
          name="defaultRole"
          defaultValue={connection.defaultRole}
          error={update.error}
        />
        <label className="check">
          <input type="checkbox" name="ssoRequired" defaultChecked={connection.ssoRequired} /> Require single sign-on
          for members on verified domains
        </label>
        <Alert>{formErrorOf(update.error, FIELDS)}</Alert>
        <Alert tone="success">{update.isSuccess ? 'The connection is saved.' : null}</Alert>
        <button type="submit" className="primary" disabled={update.isPending}>
          Save changes
        </button>
      </form>

      <h2>Turn off</h2>
      <Alert>{disable.error ? messageOf(disable.error) : null}</Alert>
      {confirming ? (
        <p className="actions">
          Members will sign in with their passwords again.{' '}
          <button type="button" className="danger" onClick={() => disable.mutate({ organizationId })}>
            Turn off single sign-on
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </p>
      ) : (
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Turn off…
        </button>
      )}
    </>
  );
}
