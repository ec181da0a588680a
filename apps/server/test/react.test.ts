// @vitest-environment happy-dom
/// <reference lib="dom" />
// The React entry against a live server: a component lists an organization's members and
// invitations through the typed hooks, and invites someone.
import type { ChildProcess } from 'node:child_process';
import { ownerWithKey } from '@gatehouse/api/testing';
import { GatehouseProvider, useGatehouseQueries } from '@gatehouse/client/react';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createElement as h } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

// The server runs as a process of its own: in this file's happy-dom environment, the global Request
// and Headers are happy-dom's, which the Node server adapter must not be built on.
const env = {} as { db: TestDatabase; url: string };
let server: ChildProcess | undefined;
beforeAll(async () => {
  env.db = await createTestDatabase();
  const port = await freePort();
  server = await startServer({ ...process.env, DATABASE_URL: env.db.url, PORT: String(port), LOG_LEVEL: 'info' });
  env.url = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  if (server) await stopServer(server);
  await env.db?.drop();
});

function Members({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const queryClient = useQueryClient();
  const members = useQuery(gh.organizations.members.queryOptions({ organizationId }));
  const invitations = useQuery(gh.organizations.listInvitations.queryOptions({ organizationId }));
  const invite = useMutation(
    gh.organizations.invite.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: gh.organizations.listInvitations.queryKey() }),
    }),
  );
  return h(
    'main',
    null,
    h(
      'ul',
      { id: 'members' },
      members.data?.items.map((m) => h('li', { key: m.userId }, `${m.email} ${m.role}`)),
    ),
    h(
      'ul',
      { id: 'invitations' },
      invitations.data?.items.map((i) => h('li', { key: i.id }, `${i.email} ${i.status}`)),
    ),
    h(
      'button',
      {
        id: 'invite',
        type: 'button',
        onClick: () => invite.mutate({ organizationId, email: 'grace@example.com', role: 'member' }),
      },
      'Invite Grace',
    ),
  );
}

describe('@gatehouse/client/react', () => {
  it('lists members and invites one through the provider and typed hooks', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Hooks');
    const container = document.createElement('div');
    document.body.append(container);
    const root = createRoot(container);
    root.render(h(GatehouseProvider, { url: env.url, apiKey: owner.key }, h(Members, owner)));

    const text = (selector: string) => container.querySelector(selector)?.textContent ?? '';
    await vi.waitFor(() => expect(text('#members')).toBe(`${owner.email} owner`), { timeout: 10_000 });
    expect(text('#invitations')).toBe('');

    container.querySelector<HTMLButtonElement>('#invite')?.click();
    await vi.waitFor(() => expect(text('#invitations')).toBe('grace@example.com pending'), { timeout: 10_000 });
    root.unmount();
  });

  it('types every procedure: a misspelt input does not compile', () => {
    const check = (gh: ReturnType<typeof useGatehouseQueries>) => {
      // @ts-expect-error: organisationId is not an input of organizations.members
      gh.organizations.members.queryOptions({ organisationId: 'org_x' });
    };
    expect(check).toBeTypeOf('function');
  });
});
