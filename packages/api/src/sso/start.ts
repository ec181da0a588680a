import { randomState } from 'openid-client';
import { AppError } from '../core/errors.js';
import { takeAttempt } from '../limits/budgets.js';
import { startOidcSignIn } from './oidc-signin.js';
import { startSamlSignIn } from './saml-signin.js';
import type { ConnectionRow } from './service.js';
import { checkedRedirectUri, type SsoRequest, signInKey } from './signin.js';

/**
 * `GET /sso/{organizationLabel}/start?redirect_uri=`: the URL to send the browser to at the organization's IdP
 * (OIDC: an authorization code flow with PKCE S256, `state` and `nonce`; SAML: an AuthnRequest with `state` as
 * RelayState). What the callback needs to finish is
 * kept in the database (any process may serve the callback) for 10 minutes, under a hash of `state` and
 * `browser`: a secret the starting browser holds in a cookie, so a callback URL carried to another browser
 * finds nothing (no login CSRF: nobody is signed in as someone else by following a link).
 */
export async function startSsoSignIn(
  request: SsoRequest,
  input: { organizationLabel: string; redirectUri: string | null; browser: string },
): Promise<string> {
  const { em, runtime } = request;
  await takeAttempt(em, [{ bucket: `sso-start:ip:${request.ip ?? '-'}`, max: 120, windowSeconds: 600 }]);
  const redirectUri = checkedRedirectUri(runtime, input.redirectUri);
  const [row] = await em.execute<(ConnectionRow & { organization_status: string })[]>(
    `select s.*, o.status as organization_status from sso_connections s join organizations o on o.id = s.organization_id
      where o.label = ?`,
    [input.organizationLabel],
  );
  if (!row) throw new AppError('NOT_FOUND', 'No SSO connection for this organization');
  if (row.organization_status !== 'active')
    throw new AppError('ORGANIZATION_SUSPENDED', 'The organization is suspended');
  // Spent rows go at once; abandoned ones here, a few at a time.
  await em.execute('delete from sso_logins where id in (select id from sso_logins where expires_at < now() limit 50)');
  const state = randomState();
  const id = signInKey(state, input.browser);
  return row.protocol === 'saml'
    ? startSamlSignIn(request, row, input.organizationLabel, state, id, redirectUri)
    : startOidcSignIn(request, row, state, id, redirectUri);
}
