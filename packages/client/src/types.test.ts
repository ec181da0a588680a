// Type-level test: `pnpm test` type-checks this file, so a lost inference fails the build.
import { describe, expectTypeOf, it } from 'vitest';
import {
  createGatehouseClient,
  type EventOf,
  type GatehouseClient,
  type GatehouseEvent,
  type GatehouseEventType,
  type RoleKey,
  type RouterInputs,
  type RouterOutputs,
} from './index.js';

describe('typed client', () => {
  it('offers the built-in roles by name and still takes a custom role key', () => {
    type Role = NonNullable<RouterInputs['organizations']['invite']['role']>;
    expectTypeOf<'admin'>().toExtend<Role>();
    expectTypeOf<'release-manager'>().toExtend<Role>();
    expectTypeOf<Role>().toEqualTypeOf<RoleKey>();
  });

  it('infers every input and output from the router type', () => {
    const gh = createGatehouseClient({ url: 'http://localhost:3000', apiKey: 'gh_x' });
    type Me = Awaited<ReturnType<typeof gh.auth.whoami>>;
    expectTypeOf<Me>().toEqualTypeOf<RouterOutputs['auth']['whoami']>();
    expectTypeOf<Me['organization']>().toEqualTypeOf<{ id: string; name: string } | null>();
    expectTypeOf<Me['principal']>().toEqualTypeOf<'user' | 'serviceAccount'>();
    expectTypeOf<Me['apiKey']>().toEqualTypeOf<
      { id: string; keyPrefix: string; scopes: string[] | null } | undefined
    >();
    expectTypeOf(gh.trpc.auth.whoami.query).returns.resolves.toEqualTypeOf<Me>();
    expectTypeOf<RouterInputs['auth']['whoami']>().toEqualTypeOf<void>();
    type Key = RouterOutputs['auth']['getKey'];
    expectTypeOf<Key['status']>().toEqualTypeOf<'active' | 'revoked' | 'expired'>();
    expectTypeOf<Key['expiresAt']>().toEqualTypeOf<Date | null>();
    expectTypeOf(gh.auth.listKeys)
      .parameter(0)
      .toEqualTypeOf<
        { status?: 'active' | 'revoked' | 'expired' | undefined; limit?: number | undefined } | undefined
      >();
    expectTypeOf<'members:invite'>().toExtend<NonNullable<RouterInputs['auth']['createKey']['scopes']>[number]>();
    // Scopes are open by default (the operator registers permissions of their own at run time)...
    void (() => gh.auth.createKey({ name: 'x', scopes: ['workflows:read', 'members:read'] }));
    // ...and closed by a typed catalogue: the built-in ones and the caller's, a misspelling fails to compile.
    const typed = createGatehouseClient<{ permissions: 'workflows:read' | 'workflows:execute' }>({ url: 'x' });
    void (() => typed.auth.createKey({ name: 'x', scopes: ['workflows:read', 'members:read'] }));
    // @ts-expect-error: not a built-in permission nor one of the catalogue's
    void (() => typed.auth.createKey({ name: 'x', scopes: ['member:read'] }));
    // @ts-expect-error: the same in a role
    void (() => typed.roles.create('org_x', { key: 'ops', name: 'Ops', permissions: ['workflow:read'] }));
    // @ts-expect-error: and in a verification's list (a query string stays a string)
    void (() => typed.keys.verify({ key: 'k', permissions: ['workflows:exec'] }));
    void (() => typed.keys.verify({ key: 'k', permissions: 'workflows:read and members:read' }));
    // @ts-expect-error: and in explain
    void (() => typed.permissions.explain('org_x', { principalId: 'usr_x', permission: 'workflows:rea' }));
    // @ts-expect-error: no such procedure
    gh.trpc.auth.nope;
  });

  it('takes the positional id, then options without it, as seed 000 does', () => {
    const gh = createGatehouseClient({ url: 'http://localhost:3000' });
    type Member = RouterOutputs['organizations']['members']['items'][number];
    expectTypeOf(gh.organizations.members).returns.toExtend<AsyncIterable<Member>>();
    expectTypeOf(gh.organizations.members('org_x').page).returns.resolves.toEqualTypeOf<
      RouterOutputs['organizations']['members']
    >();
    // (expectTypeOf's equality cannot compare `string & {}`: compared both ways with toExtend instead.)
    type InviteBody = Parameters<typeof gh.organizations.invite>[1];
    expectTypeOf<InviteBody>().toExtend<{ email: string; role?: RoleKey | undefined }>();
    expectTypeOf<{ email: string; role?: RoleKey | undefined }>().toExtend<InviteBody>();
    expectTypeOf(gh.organizations.invite).parameter(0).toEqualTypeOf<string>();
    // @ts-expect-error: emial is not an option of invite
    void (() => gh.organizations.invite('org_x', { emial: 'a@example.com' }));
    // @ts-expect-error: the organization is the positional argument, not an option
    void (() => gh.organizations.invite('org_x', { organizationId: 'org_x', email: 'a@example.com' }));
    // @ts-expect-error: the cursor belongs to .page(), not to the filter
    void (() => gh.auth.listKeys({ cursor: 'x' }));
  });

  it('types a sign-in by how the session is handed over: a token, or a cookie and its CSRF token, or a second factor owed', () => {
    const gh = createGatehouseClient({ url: 'http://localhost:3000' });
    // Never called: only the types are checked (a call would go to the network).
    const check = () => {
      const input = { email: 'ada@example.com', password: 'a long passphrase' };
      // Or, for an account with a second factor, the challenge auth.verifyMfa finishes.
      type Challenge = {
        mfaRequired: true;
        challengeToken: string;
        methods: ('totp' | 'recoveryCode' | 'passkey')[];
      };
      expectTypeOf(gh.auth.login(input)).resolves.toEqualTypeOf<
        { sessionToken: string; expiresAt: Date } | Challenge
      >();
      expectTypeOf(gh.auth.login({ ...input, cookie: true })).resolves.toEqualTypeOf<
        { cookie: true; csrfToken: string; expiresAt: Date } | Challenge
      >();
      expectTypeOf(gh.auth.signup({ ...input, name: 'Ada' })).resolves.toHaveProperty('sessionToken');
      expectTypeOf(gh.auth.signup({ ...input, name: 'Ada', cookie: true })).resolves.toHaveProperty('csrfToken');
      // An SSO sign-in's code: a bearer session unless the cookie is asked for (never a second factor).
      expectTypeOf(gh.auth.exchangeSsoCode('ghc_x')).resolves.toEqualTypeOf<{
        sessionToken: string;
        expiresAt: Date;
      }>();
      expectTypeOf(gh.auth.exchangeSsoCode('ghc_x', { cookie: true })).resolves.toEqualTypeOf<{
        cookie: true;
        csrfToken: string;
        expiresAt: Date;
      }>();
    };
    expectTypeOf(check).toBeFunction();
    type Listed = RouterOutputs['auth']['sessions']['list']['items'][number];
    expectTypeOf<keyof Listed>().toEqualTypeOf<
      'id' | 'current' | 'userAgent' | 'ip' | 'createdAt' | 'lastSeenAt' | 'expiresAt'
    >();
  });

  it('has a facade resource for every router and a method for every procedure', () => {
    // A router or procedure added to the tree fails here until the facade has it (resources.ts).
    type Facade = Omit<GatehouseClient, 'trpc'>;
    expectTypeOf<keyof Facade>().toEqualTypeOf<keyof RouterInputs>();
    expectTypeOf<keyof Facade['auth']>().toEqualTypeOf<keyof RouterInputs['auth']>();
    expectTypeOf<keyof Facade['auth']['sessions']>().toEqualTypeOf<keyof RouterInputs['auth']['sessions']>();
    expectTypeOf<keyof Facade['auth']['mfa']>().toEqualTypeOf<keyof RouterInputs['auth']['mfa']>();
    expectTypeOf<keyof Facade['auth']['mfa']['totp']>().toEqualTypeOf<keyof RouterInputs['auth']['mfa']['totp']>();
    expectTypeOf<keyof Facade['auth']['mfa']['passkeys']>().toEqualTypeOf<
      keyof RouterInputs['auth']['mfa']['passkeys']
    >();
    expectTypeOf<keyof Facade['auth']['passkeys']>().toEqualTypeOf<keyof RouterInputs['auth']['passkeys']>();
    expectTypeOf<keyof Facade['users']>().toEqualTypeOf<keyof RouterInputs['users']>();
    expectTypeOf<keyof Facade['organizations']>().toEqualTypeOf<keyof RouterInputs['organizations']>();
    expectTypeOf<keyof Facade['organizations']['domains']>().toEqualTypeOf<
      keyof RouterInputs['organizations']['domains']
    >();
    expectTypeOf<keyof Facade['invitations']>().toEqualTypeOf<keyof RouterInputs['invitations']>();
    expectTypeOf<keyof Facade['roles']>().toEqualTypeOf<keyof RouterInputs['roles']>();
    expectTypeOf<keyof Facade['audit']>().toEqualTypeOf<keyof RouterInputs['audit']>();
    expectTypeOf<keyof Facade['events']>().toEqualTypeOf<keyof RouterInputs['events']>();
    expectTypeOf<keyof Facade['webhooks']>().toEqualTypeOf<keyof RouterInputs['webhooks']>();
    expectTypeOf<keyof Facade['credits']>().toEqualTypeOf<keyof RouterInputs['credits']>();
    expectTypeOf<keyof Facade['platform']>().toEqualTypeOf<keyof RouterInputs['platform']>();
    expectTypeOf<keyof Facade['platform']['organizations']>().toEqualTypeOf<
      keyof RouterInputs['platform']['organizations']
    >();
    expectTypeOf<keyof Facade['platform']['users']>().toEqualTypeOf<keyof RouterInputs['platform']['users']>();
    expectTypeOf<keyof Facade['platform']['permissions']>().toEqualTypeOf<
      keyof RouterInputs['platform']['permissions']
    >();
    expectTypeOf<keyof Facade['serviceAccounts']>().toEqualTypeOf<keyof RouterInputs['serviceAccounts']>();
    expectTypeOf<keyof Facade['teams']>().toEqualTypeOf<keyof RouterInputs['teams']>();
    expectTypeOf<keyof Facade['projects']>().toEqualTypeOf<keyof RouterInputs['projects']>();
    expectTypeOf<keyof Facade['permissions']>().toEqualTypeOf<keyof RouterInputs['permissions']>();
    expectTypeOf<keyof Facade['keys']>().toEqualTypeOf<keyof RouterInputs['keys']>();
    expectTypeOf<keyof Facade['sso']>().toEqualTypeOf<keyof RouterInputs['sso']>();
    expectTypeOf<keyof Facade['serviceAccounts']['credentials']>().toEqualTypeOf<
      keyof RouterInputs['serviceAccounts']['credentials']
    >();
  });

  it('types events as a union discriminated by type, named as the contract names them', () => {
    expectTypeOf<'organization.member_added'>().toExtend<GatehouseEventType>();
    expectTypeOf<'credits.low_balance'>().toExtend<GatehouseEventType>();
    // @ts-expect-error: not in the catalogue
    expectTypeOf<'member.added'>().toExtend<GatehouseEventType>();
    expectTypeOf<EventOf<'organization.member_role_changed'>['data']>().toEqualTypeOf<{
      userId: string;
      from: string;
      to: string;
    }>();
    const narrow = (event: GatehouseEvent) => (event.type === 'api_key.revoked' ? event.data.apiKeyId : null);
    expectTypeOf(narrow).returns.toEqualTypeOf<string | null>();
    expectTypeOf<GatehouseEvent['sequence']>().toEqualTypeOf<number>();
  });
});
