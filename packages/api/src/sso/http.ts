import { randomString } from '../core/crypto.js';
import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';
import { completeSsoSignIn } from './oidc-signin.js';
import { type SamlMetadata, spMetadataOf } from './saml.js';
import { completeSamlSignIn } from './saml-signin.js';
import { startSsoSignIn } from './start.js';

const STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  SERVICE_UNAVAILABLE: 503,
};

/** A refusal as the REST surface answers one (problem+json with code and reason). */
function problem(error: AppError): Response {
  const status = STATUS[error.code] ?? 400;
  return new Response(
    JSON.stringify({
      type: 'about:blank',
      title: error.code,
      status,
      detail: error.message,
      code: error.code,
      reason: error.reason,
    }),
    { status, headers: { 'content-type': 'application/problem+json', 'cache-control': 'no-store' } },
  );
}

const redirect = (location: string, cookie?: string) =>
  new Response(null, {
    status: 302,
    headers: { location, 'cache-control': 'no-store', ...(cookie ? { 'set-cookie': cookie } : {}) },
  });

/**
 * The sign-in cookie: the starting browser's secret, sent back only to the callback. SameSite=None over
 * https, because a SAML IdP posts its response cross-site (Lax would leave it out); Lax over plain http
 * (development), where browsers refuse None without Secure.
 */
export const SSO_COOKIE = 'gatehouse_sso';
function ssoCookie(runtime: Runtime, value: string, maxAge: number): string {
  const secure = runtime.publicUrl.startsWith('https:');
  const site = secure ? 'Secure; SameSite=None' : 'SameSite=Lax';
  return `${SSO_COOKIE}=${value}; Path=/sso/callback; Max-Age=${maxAge}; HttpOnly; ${site}`;
}
function browserOf(raw: Request): string | null {
  for (const part of (raw.headers.get('cookie') ?? '').split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === SSO_COOKIE && value && /^[0-9A-Za-z]{43}$/.test(value)) return value;
  }
  return null;
}

interface HttpRequest {
  runtime: Runtime;
  ip: string | null;
  requestId: string;
}

/** `GET /sso/{organizationLabel}/start?redirect_uri=`: to the organization's IdP, with the sign-in cookie. */
export async function handleSsoStart(request: HttpRequest, organizationLabel: string, url: URL): Promise<Response> {
  try {
    const em = request.runtime.orm.em.fork();
    const browser = randomString(43);
    const location = await startSsoSignIn(
      { ...request, em },
      { organizationLabel, redirectUri: url.searchParams.get('redirect_uri'), browser },
    );
    return redirect(location, ssoCookie(request.runtime, browser, 600));
  } catch (error) {
    if (error instanceof AppError) return problem(error);
    throw error;
  }
}

/** `GET /sso/callback`: back from the IdP; on to the redirect_uri with a one-time code. */
export async function handleSsoCallback(request: HttpRequest, raw: Request): Promise<Response> {
  try {
    const em = request.runtime.orm.em.fork();
    const search = new URL(raw.url).searchParams;
    const location = await completeSsoSignIn({ ...request, em }, search, browserOf(raw));
    return redirect(location, ssoCookie(request.runtime, '', 0));
  } catch (error) {
    if (error instanceof AppError) return problem(error);
    throw error;
  }
}

/** `POST /sso/callback`: a SAML IdP posts its response (SAMLResponse, RelayState) here. */
export async function handleSamlCallback(request: HttpRequest, raw: Request): Promise<Response> {
  try {
    const type = raw.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/x-www-form-urlencoded') {
      throw new AppError('BAD_REQUEST', 'The SAML response is posted as application/x-www-form-urlencoded');
    }
    const form = new URLSearchParams(await raw.text());
    const em = request.runtime.orm.em.fork();
    const location = await completeSamlSignIn(
      { ...request, em },
      { SAMLResponse: form.get('SAMLResponse') ?? undefined, RelayState: form.get('RelayState') ?? undefined },
      browserOf(raw),
    );
    return redirect(location, ssoCookie(request.runtime, '', 0));
  } catch (error) {
    if (error instanceof AppError) return problem(error);
    throw error;
  }
}

/** `GET /sso/{organizationLabel}/saml/metadata`: the service provider's metadata (its URL is the entity ID). */
export async function handleSamlMetadata(runtime: Runtime, organizationLabel: string): Promise<Response> {
  const [row] = await runtime.orm.em.fork().execute<{ metadata: SamlMetadata }[]>(
    `select s.metadata from sso_connections s join organizations o on o.id = s.organization_id
        where o.label = ? and s.protocol = 'saml'`,
    [organizationLabel],
  );
  if (!row) return problem(new AppError('NOT_FOUND', 'No SAML connection for this organization'));
  return new Response(spMetadataOf(runtime, row.metadata, organizationLabel), {
    status: 200,
    headers: { 'content-type': 'application/samlmetadata+xml' },
  });
}
