// @vitest-environment happy-dom
/// <reference lib="dom" />
// The session hooks against a live server, as an app served on Gatehouse's own origin uses them: sign
// in (the server sets its HttpOnly cookie; no token in JavaScript), switch organization, list members,
// change something (the CSRF token attached by the provider), sign out. And the same with a token, as an
// app on another origin would.
import type { ChildProcess } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ownerWithKey, seedAccounts } from '@gatehouse/api/testing';
import {
  GatehouseProvider,
  type SessionMode,
  useGatehouse,
  useGatehouseQueries,
  useOrganization,
  useSession,
  useSignIn,
  useSignOut,
} from '@gatehouse/client/react';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { useQuery } from '@tanstack/react-query';
import { createElement as h, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserEdge } from './browser-edge.js';
import { freePort, startServer, stopServer } from './processes.js';

const PASSWORD = 'a sturdy passphrase 42';
// The server runs as a process of its own (happy-dom's Request and Headers are not Node's). This page
// is on the server's origin, as the console or a hosted page is.
const env = {} as { db: TestDatabase; url: string };
let server: ChildProcess | undefined;
let edge: Server | undefined;
beforeAll(async () => {
  env.db = await createTestDatabase();
  const port = await freePort();
  edge = await browserEdge(port);
  env.url = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
  server = await startServer({
    ...process.env,
    DATABASE_URL: env.db.url,
    PORT: String(port),
    GATEHOUSE_PUBLIC_URL: env.url,
    LOG_LEVEL: 'info',
  });
  (window as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(`${env.url}/console`);
});
afterAll(async () => {
  await new Promise((done) => edge?.close(done));
  if (server) await stopServer(server);
  await env.db?.drop();
});

/** A member of two organizations (admin of the first, their primary; viewer of the second), with a password. */
async function twoOrganizations() {
  const first = await ownerWithKey(env.db.orm, 'First Org');
  const second = await ownerWithKey(env.db.orm, 'Second Org');
  const [me] = await seedAccounts(env.db.orm, [
    { memberOf: { organizationId: first.organizationId, role: 'admin' }, password: PASSWORD, name: 'Ada' },
  ]);
  await env.db.orm.em.fork().execute(
    `insert into memberships (id, organization_id, user_id, role, status, created_at, updated_at)
       values ('mem_' || substr(md5(random()::text), 1, 26), ?, ?, 'viewer', 'active', now(), now())`,
    [second.organizationId, me?.userId],
  );
  return { first, second, me: me as NonNullable<typeof me> };
}

function Members({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const members = useQuery(gh.organizations.members.queryOptions({ organizationId }));
  const roles = (members.data?.items ?? []).map((m) => m.role).sort();
  return h('ul', { id: 'members' }, roles.join(','));
}

function App() {
  const session = useSession();
  const { signIn, error } = useSignIn();
  const { signOut } = useSignOut();
  const { organization, organizations, switchTo } = useOrganization();
  const gh = useGatehouse();
  const [renamed, setRenamed] = useState('');
  if (session.status === 'loading') return h('p', { id: 'status' }, 'loading');
  if (session.status === 'signedOut') {
    return h(
      'main',
      null,
      h('p', { id: 'status' }, 'signed out'),
      h('p', { id: 'error' }, error?.reason ?? ''),
      h('button', { id: 'sign-in', type: 'button', onClick: () => signIn(credentials).catch(() => {}) }, 'Sign in'),
    );
  }
  return h(
    'main',
    null,
    h('p', { id: 'status' }, `${session.user?.name} in ${organization?.name}`),
    h('p', { id: 'organizations' }, organizations.map((o) => o.name).join(',')),
    organizations.map((o) =>
      h(
        'button',
        {
          key: o.id,
          id: `switch-${o.name.replace(' ', '-')}`,
          type: 'button',
          onClick: () => switchTo(o.id).catch((e: { reason?: string }) => setRenamed(`switch failed: ${e.reason}`)),
        },
        o.name,
      ),
    ),
    organization ? h(Members, { organizationId: organization.id }) : null,
    h(
      'button',
      {
        id: 'rename',
        type: 'button',
        onClick: () => gh.users.updateMe({ name: 'Ada L.' }).then((u) => setRenamed(u.name)),
      },
      'Rename',
    ),
    h('p', { id: 'renamed' }, renamed),
    h('button', { id: 'sign-out', type: 'button', onClick: () => signOut() }, 'Sign out'),
  );
}

let credentials = { email: '', password: PASSWORD };

function mount(props: { session?: SessionMode; url?: string }) {
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  root.render(h(GatehouseProvider, { ...props }, h(App)));
  const text = (selector: string) => container.querySelector(selector)?.textContent ?? '';
  const click = (selector: string) => container.querySelector<HTMLButtonElement>(selector)?.click();
  return { text, click, unmount: () => root.unmount() };
}

const until = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

describe('session hooks', () => {
  it('cookie mode: signs in, switches organization, lists members, changes with CSRF, signs out', async () => {
    const { me } = await twoOrganizations();
    credentials = { email: me.email, password: PASSWORD };
    const app = mount({});
    await until(() => expect(app.text('#status')).toBe('signed out'));

    app.click('#sign-in');
    await until(() => expect(app.text('#status')).toBe('Ada in First Org'));
    // The session is an HttpOnly cookie: nothing of it is readable by the page.
    expect(document.cookie).toBe('');
    await until(() => expect(app.text('#organizations')).toBe('First Org,Second Org'));
    await until(() => expect(app.text('#members')).toBe('admin,owner'));

    app.click('#switch-Second-Org');
    await until(() => expect(app.text('#status')).toBe('Ada in Second Org'));
    await until(() => expect(app.text('#members')).toBe('owner,viewer'));

    // A change: the provider fetched the CSRF token and sent it; the server accepted it.
    app.click('#rename');
    await until(() => expect(app.text('#renamed')).toBe('Ada L.'));

    app.click('#sign-out');
    await until(() => expect(app.text('#status')).toBe('signed out'));
    app.unmount();
  });

  it('after a reload the cookie still signs the page in, and a change gets its CSRF token from the server', async () => {
    const { me } = await twoOrganizations();
    credentials = { email: me.email, password: PASSWORD };
    const first = mount({});
    await until(() => expect(first.text('#status')).toBe('signed out'));
    first.click('#sign-in');
    await until(() => expect(first.text('#status')).toBe('Ada in First Org'));
    first.unmount();

    // A new provider: it knows no CSRF token, only the browser's cookie.
    const reloaded = mount({});
    await until(() => expect(reloaded.text('#status')).toBe('Ada in First Org'));
    reloaded.click('#rename');
    await until(() => expect(reloaded.text('#renamed')).toBe('Ada L.'));
    reloaded.click('#sign-out');
    await until(() => expect(reloaded.text('#status')).toBe('signed out'));
    reloaded.unmount();
  });

  it('a wrong password is an error the hook reports, and nothing is signed in', async () => {
    const { me } = await twoOrganizations();
    credentials = { email: me.email, password: 'not the passphrase' };
    const app = mount({});
    await until(() => expect(app.text('#status')).toBe('signed out'));
    app.click('#sign-in');
    await until(() => expect(app.text('#error')).toBe('UNAUTHORIZED'));
    expect(app.text('#status')).toBe('signed out');
    app.unmount();
  });

  it('token mode (an app on another origin): the same hooks, the session token kept in memory', async () => {
    const { me } = await twoOrganizations();
    credentials = { email: me.email, password: PASSWORD };
    const app = mount({ session: 'token', url: env.url });
    await until(() => expect(app.text('#status')).toBe('signed out'));
    app.click('#sign-in');
    await until(() => expect(app.text('#status')).toBe('Ada in First Org'));
    await until(() => expect(app.text('#organizations')).toBe('First Org,Second Org'));
    app.click('#switch-Second-Org');
    await until(() => expect(app.text('#status')).toBe('Ada in Second Org'));
    app.click('#rename');
    await until(() => expect(app.text('#renamed')).toBe('Ada L.'));
    app.click('#sign-out');
    await until(() => expect(app.text('#status')).toBe('signed out'));
    app.unmount();
  });
});
