import { AppError } from '../core/errors.js';
import type { Runtime } from '../infra/caller.js';
import { completeSsoSignIn, startSsoSignIn } from './signin.js';

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

const redirect = (location: string) =>
  new Response(null, { status: 302, headers: { location, 'cache-control': 'no-store' } });

interface HttpRequest {
  runtime: Runtime;
  ip: string | null;
  requestId: string;
}

/** `GET /sso/{organizationLabel}/start?redirect_uri=`: to the organization's IdP. */
export async function handleSsoStart(request: HttpRequest, organizationLabel: string, url: URL): Promise<Response> {
  try {
    const em = request.runtime.orm.em.fork();
    return redirect(
      await startSsoSignIn(
        { ...request, em },
        { organizationLabel, redirectUri: url.searchParams.get('redirect_uri') },
      ),
    );
  } catch (error) {
    if (error instanceof AppError) return problem(error);
    throw error;
  }
}

/** `GET /sso/callback`: back from the IdP; on to the redirect_uri with a one-time code. */
export async function handleSsoCallback(request: HttpRequest, url: URL): Promise<Response> {
  try {
    const em = request.runtime.orm.em.fork();
    return redirect(await completeSsoSignIn({ ...request, em }, url.searchParams));
  } catch (error) {
    if (error instanceof AppError) return problem(error);
    throw error;
  }
}
