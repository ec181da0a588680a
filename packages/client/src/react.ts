// React bindings on tRPC's TanStack Query integration: a provider that carries the credential (a
// browser's session cookie, or a token), typed query/mutation options for every procedure, and hooks
// for the session: useSession, useSignIn, useVerifyMfa, useSsoSignIn, useSignOut, useOrganization. Import from `@gatehouse/client/react`.
import { QueryClient, QueryClientProvider, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createTRPCContext, type TRPCOptionsProxy } from '@trpc/tanstack-react-query';
import {
  createContext,
  createElement,
  type ReactNode,
  type RefObject,
  useContext,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import {
  createGatehouseClient,
  type GatehouseClient,
  type GatehouseClientOptions,
  type GatehouseError,
  isGatehouseError,
} from './client.js';
import type { AppRouter, RouterOutputs } from './router.js';

const trpcContext = createTRPCContext<AppRouter>();
const FacadeContext = createContext<GatehouseClient | null>(null);

type Fetch = NonNullable<GatehouseClientOptions['fetch']>;

/**
 * How the browser holds the session. `cookie`: as an HttpOnly cookie set by the server (an app on the
 * server's own origin); no token ever reaches JavaScript, and the CSRF token the server asks of every
 * change is fetched and attached by the provider. `token`: as a bearer token in memory (an app on
 * another origin, allowed in GATEHOUSE_CORS_ORIGINS), or the `accessToken` / `apiKey` you pass.
 */
export type SessionMode = 'cookie' | 'token';

interface SessionControl {
  mode: SessionMode;
  /** The server's base URL (where the browser goes to start an SSO sign-in). */
  url: string;
  /** The session token a token-mode sign-in got (kept in memory only). */
  token: RefObject<string | undefined>;
  /** The cookie session's CSRF token, as the server last gave it. */
  csrf: RefObject<string | undefined>;
  /** Whether a credential came as a prop (then there is nothing to sign in to or out of). */
  fixedCredential: boolean;
}
const SessionContext = createContext<SessionControl | null>(null);

export interface GatehouseProviderProps extends Omit<GatehouseClientOptions, 'url'> {
  children?: ReactNode;
  /** The server's base URL; default: this page's origin (an app served with Gatehouse). */
  url?: string;
  /** Default: `token` when an `apiKey` or `accessToken` is given, else `cookie`. */
  session?: SessionMode;
  /** Your app's QueryClient, if it has one; otherwise the provider makes its own. */
  queryClient?: QueryClient;
}

const isChange = (init: RequestInit | undefined) => (init?.method ?? 'GET').toUpperCase() !== 'GET';
/** Sign-in and sign-up make a session: they need no CSRF token, and there may be none yet. */
const makesSession = (url: string) => /\/trpc\/auth\.(login|signup|exchangeSsoCode)(\?|$)/.test(url);

/**
 * The fetch of a session-mode provider. Cookie mode: the browser sends its cookie (credentials:
 * 'include') and every change carries X-Gatehouse-CSRF, asked of auth.whoami once when not yet known.
 * Token mode: a signed-in session token goes as the bearer, unless the request already has one.
 */
function sessionFetch(base: Fetch, url: string, control: Omit<SessionControl, 'fixedCredential' | 'url'>): Fetch {
  let asking: Promise<string | undefined> | undefined;
  const askCsrf = () => {
    asking ??= base(`${url}/trpc/auth.whoami`, { credentials: 'include' })
      .then(async (res) => {
        if (!res.ok) return undefined;
        const body = (await res.json()) as { result?: { data?: { json?: { csrfToken?: string } } } };
        return body.result?.data?.json?.csrfToken;
      })
      .finally(() => {
        asking = undefined;
      });
    return asking;
  };
  return async (input, init) => {
    const headers = new Headers(init?.headers);
    if (control.mode === 'token') {
      if (control.token.current && !headers.has('authorization')) {
        headers.set('authorization', `Bearer ${control.token.current}`);
      }
      return base(input, { ...init, headers });
    }
    if (isChange(init) && !makesSession(input)) {
      control.csrf.current ??= await askCsrf();
      if (control.csrf.current) headers.set('x-gatehouse-csrf', control.csrf.current);
    }
    return base(input, { ...init, headers, credentials: 'include' });
  };
}

/**
 * Makes a Gatehouse client for its children. A new `apiKey`, `accessToken`, `organizationId`, `url`
 * or `session` makes a new client; other options are read when it is made.
 */
export function GatehouseProvider({ children, queryClient, session, url, ...options }: GatehouseProviderProps) {
  const [ownQueryClient] = useState(() => queryClient ?? new QueryClient());
  const fixedCredential = Boolean(options.apiKey || options.accessToken);
  const mode: SessionMode = session ?? (fixedCredential ? 'token' : 'cookie');
  const here = (globalThis as { location?: { origin: string } }).location?.origin;
  const base = (url ?? here ?? '').replace(/\/+$/, '');
  const token = useRef<string | undefined>(undefined);
  const csrf = useRef<string | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: the credential and where it goes decide the client
  const client = useMemo(() => {
    const fetch = sessionFetch(options.fetch ?? ((u, i) => globalThis.fetch(u, i)), base, { mode, token, csrf });
    return createGatehouseClient({ ...options, url: base, fetch });
  }, [base, mode, options.apiKey, options.accessToken, options.organizationId]);
  const control = useMemo(() => ({ mode, url: base, token, csrf, fixedCredential }), [mode, base, fixedCredential]);
  const qc = queryClient ?? ownQueryClient;
  return createElement(
    QueryClientProvider,
    { client: qc },
    createElement(
      SessionContext.Provider,
      { value: control },
      createElement(
        FacadeContext.Provider,
        { value: client },
        createElement(trpcContext.TRPCProvider, { trpcClient: client.trpc, queryClient: qc, children }),
      ),
    ),
  );
}

/**
 * Typed TanStack Query options for every procedure:
 * `useQuery(gh.organizations.members.queryOptions({ organizationId }))`,
 * `useMutation(gh.organizations.invite.mutationOptions())`, `gh.organizations.members.queryKey()`.
 */
export const useGatehouseQueries: () => TRPCOptionsProxy<AppRouter> = trpcContext.useTRPC;

/** The SDK facade of the nearest GatehouseProvider, for imperative calls (event handlers, paging). */
export function useGatehouse(): GatehouseClient {
  const client = useContext(FacadeContext);
  if (!client) throw new Error('useGatehouse must be used inside <GatehouseProvider>');
  return client;
}

function useSessionControl(): SessionControl {
  const control = useContext(SessionContext);
  if (!control) throw new Error('Gatehouse session hooks must be used inside <GatehouseProvider>');
  return control;
}

export type Whoami = RouterOutputs['auth']['whoami'];

export interface SessionState {
  /** `loading` until the server has answered who the caller is. */
  status: 'loading' | 'signedIn' | 'signedOut';
  /** Who the caller is (auth.whoami), when signed in. */
  user: Whoami | null;
  /** The organization the caller acts in, if any. */
  organization: Whoami['organization'];
  /** Anything but "not signed in" that kept the answer away (the server down, say). */
  error: GatehouseError | null;
  refresh(): Promise<unknown>;
}

/** Who is signed in, from auth.whoami (shared by every component: one request). */
export function useSession(): SessionState {
  const gh = useGatehouseQueries();
  const control = useSessionControl();
  const canAsk = control.mode === 'cookie' || control.fixedCredential || Boolean(control.token.current);
  const query = useQuery({
    ...gh.auth.whoami.queryOptions(),
    enabled: canAsk,
    // Not signed in is an answer, not a failure to retry.
    retry: (count, error) => !isGatehouseError(error, 'UNAUTHORIZED') && count < 2,
  });
  const user = query.data ?? null;
  useEffect(() => {
    if (user?.csrfToken) control.csrf.current = user.csrfToken;
  }, [user, control]);
  const signedOut = !canAsk || (query.error !== null && isGatehouseError(query.error, 'UNAUTHORIZED'));
  return {
    status: user ? 'signedIn' : signedOut ? 'signedOut' : query.isPending ? 'loading' : 'signedOut',
    user,
    organization: user?.organization ?? null,
    error: signedOut ? null : ((query.error as GatehouseError | null) ?? null),
    refresh: () => query.refetch(),
  };
}

export interface SignInInput {
  email: string;
  password: string;
}

/** What signing in answered: signed in, or a second factor is owed (then `useVerifyMfa` with the challenge). */
export type SignInResult =
  | { mfaRequired: false }
  | { mfaRequired: true; challengeToken: string; methods: ('totp' | 'recoveryCode' | 'passkey')[] };

/** Keeps the session an answer hands over: the CSRF token of a cookie session, or the token itself. */
function holdSession(
  control: ReturnType<typeof useSessionControl>,
  answer: { csrfToken: string } | { sessionToken: string },
): void {
  if ('csrfToken' in answer) control.csrf.current = answer.csrfToken;
  else control.token.current = answer.sessionToken;
}

/**
 * Signs in with a password: `const { signIn, isPending, error } = useSignIn(); await signIn({ email, password })`.
 * In cookie mode the server sets the cookie; in token mode the session token is kept in memory. Every
 * query then asks again, as the new caller. For an account with a second factor the answer is
 * `{ mfaRequired: true, challengeToken, methods }`: no session yet; finish with `useVerifyMfa`.
 */
export function useSignIn() {
  const client = useGatehouse();
  const control = useSessionControl();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (input: SignInInput): Promise<SignInResult> => {
      const answer =
        control.mode === 'cookie'
          ? await client.auth.login({ ...input, cookie: true })
          : await client.auth.login(input);
      if ('mfaRequired' in answer) {
        return { mfaRequired: true, challengeToken: answer.challengeToken, methods: answer.methods };
      }
      holdSession(control, answer);
      return { mfaRequired: false };
    },
    onSuccess: (result) => {
      if (!result.mfaRequired) void queryClient.resetQueries();
    },
  });
  return {
    signIn: mutation.mutateAsync,
    isPending: mutation.isPending,
    error: mutation.error as GatehouseError | null,
  };
}

/** The second step of a sign-in: `await verify({ challengeToken, code })` (or `recoveryCode`) → signed in. */
export function useVerifyMfa() {
  const client = useGatehouse();
  const control = useSessionControl();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (input: { challengeToken: string; code?: string; recoveryCode?: string }) => {
      holdSession(control, await client.auth.verifyMfa(input));
    },
    onSuccess: () => queryClient.resetQueries(),
  });
  return {
    verify: mutation.mutateAsync,
    isPending: mutation.isPending,
    error: mutation.error as GatehouseError | null,
  };
}

/** What of the browser an SSO sign-in uses (the package is typed without the DOM library). */
interface BrowserWindow {
  location: { href: string; origin: string; pathname: string; assign(url: string): void };
  history: { state: unknown; replaceState(state: unknown, unused: string, url: string): void };
}
const browser = () => globalThis as unknown as BrowserWindow;
/** This page's URL without its query or fragment: where an SSO sign-in comes back to by default. */
const thisPage = () => `${browser().location.origin}${browser().location.pathname}`;

/**
 * Signs in through the organization's identity provider. `start(organizationLabel)` sends the browser to
 * `${url}/sso/{label}/start` (back to this page, or `redirectUri`, which the server must allow); on that
 * page, `complete()` exchanges the one-time `code` the sign-in brought (in cookie mode the server sets the
 * cookie; in token mode the token is kept in memory), takes it out of the URL, and every query asks again.
 * `complete()` answers false when the URL has no code.
 */
export function useSsoSignIn() {
  const client = useGatehouse();
  const control = useSessionControl();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async (): Promise<boolean> => {
      const { location, history } = browser();
      const here = new URL(location.href);
      const code = here.searchParams.get('code');
      if (!code) return false;
      // Out of the URL first: a reload, the history or a shared link never carries it (it is spent anyway).
      here.searchParams.delete('code');
      history.replaceState(history.state, '', here.href);
      holdSession(
        control,
        control.mode === 'cookie'
          ? await client.auth.exchangeSsoCode(code, { cookie: true })
          : await client.auth.exchangeSsoCode(code),
      );
      return true;
    },
    onSuccess: (signedIn) => {
      if (signedIn) void queryClient.resetQueries();
    },
  });
  return {
    start: (organizationLabel: string, options: { redirectUri?: string } = {}): void => {
      const redirectUri = options.redirectUri ?? thisPage();
      browser().location.assign(
        `${control.url}/sso/${encodeURIComponent(organizationLabel)}/start?redirect_uri=${encodeURIComponent(redirectUri)}`,
      );
    },
    complete: mutation.mutateAsync,
    isPending: mutation.isPending,
    error: mutation.error as GatehouseError | null,
  };
}

/** Ends the session (and, in cookie mode, the server clears the cookie); every query is forgotten. */
export function useSignOut() {
  const client = useGatehouse();
  const control = useSessionControl();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: async () => {
      try {
        await client.auth.logout();
      } finally {
        control.token.current = undefined;
        control.csrf.current = undefined;
      }
    },
    onSettled: () => queryClient.resetQueries(),
  });
  return { signOut: mutation.mutateAsync, isPending: mutation.isPending };
}

export type OrganizationSummary = RouterOutputs['organizations']['list']['items'][number];

/**
 * The organization the signed-in user acts in, the ones they belong to (the first page of
 * organizations.list), and `switchTo(organizationId)`, which makes another one their primary
 * organization (users.updateMe) and asks every query again there.
 */
export function useOrganization() {
  const session = useSession();
  const gh = useGatehouseQueries();
  const client = useGatehouse();
  const queryClient = useQueryClient();
  const signedIn = session.status === 'signedIn';
  const list = useQuery({ ...gh.organizations.list.queryOptions(), enabled: signedIn });
  const switching = useMutation({
    mutationFn: (organizationId: string) => client.users.updateMe({ organizationId }),
    onSuccess: () => queryClient.invalidateQueries(),
  });
  return {
    organization: session.organization,
    organizations: (list.data?.items ?? []) as OrganizationSummary[],
    switchTo: async (organizationId: string): Promise<void> => {
      await switching.mutateAsync(organizationId);
    },
    isSwitching: switching.isPending,
  };
}
