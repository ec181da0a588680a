import { normalizeEmail } from '../accounts/email.js';
import { addressingError, type SamlMetadata, samlFor } from './saml.js';
import type { ConnectionRow } from './service.js';
import { callbackUrlOf, finishSignIn, SIGN_IN_TTL_MS, type SsoRequest, signInRefused, spendSignIn } from './signin.js';

/**
 * SAML, SP-initiated: an AuthnRequest to the IdP (HTTP-Redirect binding) with `state` as RelayState; the
 * request's ID is kept (in the nonce column) for the response's InResponseTo.
 */
export async function startSamlSignIn(
  request: SsoRequest,
  row: ConnectionRow,
  label: string,
  state: string,
  id: string,
  redirectUri: string,
): Promise<string> {
  const { em, runtime } = request;
  let requestId: string | undefined;
  const saml = samlFor(runtime, row.metadata as SamlMetadata, label, {
    saveAsync: async (key, value) => {
      requestId = key;
      return { value, createdAt: Date.now() };
    },
    getAsync: async () => null,
    removeAsync: async () => null,
  });
  const url = await saml.getAuthorizeUrlAsync(state, undefined, {});
  if (!requestId) throw new Error('node-saml made an AuthnRequest without an ID');
  await em.execute(
    `insert into sso_logins (id, connection_id, nonce, code_verifier_sealed, redirect_uri, expires_at, created_at)
     values (?, ?, ?, '', ?, ?, now())`,
    [id, row.id, requestId, redirectUri, new Date(Date.now() + SIGN_IN_TTL_MS)],
  );
  return url;
}

/**
 * `POST /sso/callback` (SAML): the IdP's signed response for the sign-in its RelayState names. node-saml
 * checks the assertion's signature against the IdP's certificates, its issuer, audience, validity window
 * and InResponseTo (this sign-in's AuthnRequest); the NameID is the subject. The email comes from the
 * assertion's email attribute (or an email-format NameID), vouched for by the organization's own IdP.
 */
export async function completeSamlSignIn(
  request: SsoRequest,
  form: { SAMLResponse?: string; RelayState?: string },
  browser: string | null,
) {
  const { em, runtime } = request;
  if (!form.RelayState || !form.SAMLResponse) throw signInRefused('SAMLResponse and RelayState are required');
  const { login, row } = await spendSignIn(em, form.RelayState, browser);
  if (row.protocol !== 'saml') throw signInRefused('this sign-in is OIDC: the IdP redirects with a code');
  const metadata = row.metadata as SamlMetadata;
  const saml = samlFor(runtime, metadata, (row as ConnectionRow & { label: string }).label, {
    saveAsync: async () => null,
    getAsync: async (key) => (key === login.nonce ? new Date().toISOString() : null),
    removeAsync: async () => null,
  });
  let profile: Awaited<ReturnType<typeof saml.validatePostResponseAsync>>['profile'];
  try {
    ({ profile } = await saml.validatePostResponseAsync({ SAMLResponse: form.SAMLResponse }));
  } catch (error) {
    throw signInRefused(`the identity provider's answer was refused (${(error as Error).message})`);
  }
  if (!profile?.nameID) throw signInRefused('the assertion names no subject');
  // What node-saml leaves unchecked: addressed to our callback, answering this very sign-in, still valid.
  const misaddressed = addressingError(profile, callbackUrlOf(runtime), login.nonce);
  if (misaddressed) throw signInRefused(`the identity provider's answer was refused (${misaddressed})`);
  const attribute = (name: string) => {
    const value = profile?.[name];
    return typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : null;
  };
  const email =
    attribute('email') ??
    attribute('mail') ??
    attribute('urn:oid:0.9.2342.19200300.100.1.3') ??
    (profile.nameIDFormat?.endsWith(':emailAddress') ? profile.nameID : null);
  return finishSignIn(request, row, login, {
    issuer: metadata.entityId,
    subject: profile.nameID,
    email: email ? normalizeEmail(email) : null,
    // A signed assertion of the organization's own IdP: the address is the IdP's to vouch for.
    emailVerified: email !== null,
    name: attribute('displayName') ?? attribute('name'),
  });
}
