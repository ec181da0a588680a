// @vitest-environment happy-dom
/// <reference lib="dom" />
// @gatehouse/react's components against a live server, as an integrator embeds them: the members table
// pages and says the server's refusal beside the row; the invite form refuses a bad address without a
// request and puts the server's refusal beside the field; the switcher changes the organization.
import type { ChildProcess } from 'node:child_process';
import { ownerWithKey, seedAccounts, sessionFor } from '@gatehouse/api/testing';
import { GatehouseProvider, useSession } from '@gatehouse/client/react';
import { createTestDatabase, type TestDatabase } from '@gatehouse/db/testing';
import { InviteForm, MembersTable, OrganizationSwitcher } from '@gatehouse/react';
import { createElement as h, type ReactNode } from 'react';
import { createRoot } from 'react-dom/client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { freePort, startServer, stopServer } from './processes.js';

// The server runs as a process of its own: happy-dom's Request and Headers are not Node's.
const env = {} as { db: TestDatabase; url: string };
let server: ChildProcess | undefined;
beforeAll(async () => {
  env.db = await createTestDatabase();
  const port = await freePort();
  // A slow start on a busy machine is not what this file tests: it waits up to 90 s for the listen.
  const serverEnv = { ...process.env, DATABASE_URL: env.db.url, PORT: String(port), LOG_LEVEL: 'info' };
  server = await startServer(serverEnv, 90_000);
  env.url = `http://127.0.0.1:${port}`;
}, 120_000);
afterAll(async () => {
  if (server) await stopServer(server);
  await env.db?.drop();
});

const until = (check: () => void) => vi.waitFor(check, { timeout: 10_000, interval: 20 });

/** What the server refused: the procedure, its code and reason. */
interface Refusal {
  path: string;
  code: string;
  reason: string;
}

/**
 * Renders `children` for a signed-in person (their session token as the bearer); keeps the procedures
 * called and what the server refused, so a test pins the refusal behind the sentence it shows.
 */
function mount(sessionToken: string, children: ReactNode) {
  const calls: string[] = [];
  const refusals: Refusal[] = [];
  const container = document.createElement('div');
  document.body.append(container);
  const root = createRoot(container);
  const fetch = async (url: string, init?: RequestInit) => {
    const path = new URL(url).pathname.replace('/trpc/', '');
    calls.push(path);
    const response = await globalThis.fetch(url, init);
    if (response.ok) return response;
    // Read once, then handed on as it came (happy-dom's clone() does not give the body twice).
    const body = await response.text();
    const [answer] = JSON.parse(body) as { error: { json: { data: Omit<Refusal, 'path'> } } }[];
    if (answer) refusals.push({ path, code: answer.error.json.data.code, reason: answer.error.json.data.reason });
    return new Response(body, { status: response.status, headers: response.headers });
  };
  root.render(h(GatehouseProvider, { url: env.url, accessToken: sessionToken, fetch }, children));
  const all = (selector: string) => [...container.querySelectorAll<HTMLElement>(selector)];
  const one = <E extends HTMLElement = HTMLElement>(selector: string) => {
    const found = container.querySelector<E>(selector);
    if (!found) throw new Error(`nothing matches ${selector}`);
    return found;
  };
  const button = (name: string, within: ParentNode = container) => {
    const found = [...within.querySelectorAll('button')].find((b) => b.textContent?.trim().startsWith(name));
    if (!found) throw new Error(`no button named ${name}`);
    return found;
  };
  return { container, calls, refusals, all, one, button, unmount: () => root.unmount() };
}

const choose = (select: HTMLSelectElement, value: string) => {
  select.value = value;
  select.dispatchEvent(new Event('change', { bubbles: true }));
};
const fill = (input: HTMLInputElement, value: string) => {
  input.value = value;
};
/** The error message a field's aria-describedby points at. */
const describedBy = (app: ReturnType<typeof mount>, field: HTMLElement) =>
  app.one(`[id="${field.getAttribute('aria-describedby')}"]`).textContent;

describe('@gatehouse/react', () => {
  it('MembersTable lists the members a page at a time, forward and back, and by role', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Paged');
    const others = await seedAccounts(
      env.db.orm,
      ['A', 'B', 'C', 'D'].map((name) => ({
        name,
        memberOf: { organizationId: owner.organizationId, role: 'member' },
      })),
    );
    const app = mount(await sessionFor(env.db.orm, owner.userId), h(MembersTable, { pageSize: 2 }));
    const emails = () => app.all('tbody tr td[data-label="Email"]').map((cell) => cell.textContent);

    await until(() => expect(emails()).toHaveLength(2));
    const seen = [...emails()];
    expect(app.one('nav[aria-label="Member pages"]').textContent).toContain('Page 1');
    app.button('Next').click();
    await until(() => expect(app.one('nav[aria-label="Member pages"]').textContent).toContain('Page 2'));
    await until(() => expect(emails().some((e) => seen.includes(e))).toBe(false));
    const second = emails();
    seen.push(...second);
    app.button('Next').click();
    await until(() => expect(app.one('nav[aria-label="Member pages"]').textContent).toContain('Page 3'));
    await until(() => expect(emails()).toHaveLength(1));
    seen.push(...emails());
    expect(app.button('Next').disabled).toBe(true);
    expect(seen.sort()).toEqual([owner.email, ...others.map((o) => o.email)].sort());

    app.button('Previous').click();
    await until(() => expect(app.one('nav[aria-label="Member pages"]').textContent).toContain('Page 2'));
    await until(() => expect(emails()).toEqual(second));

    // A filter starts over at the first page.
    const role = app.all('select').find((select) => app.one(`label[for="${select.id}"]`).textContent === 'Role');
    choose(role as HTMLSelectElement, 'owner');
    await until(() => expect(emails()).toEqual([owner.email]));
    expect(app.container.querySelector('nav[aria-label="Member pages"]')).toBeNull();
    app.unmount();
  });

  it('MembersTable: the owner changes a member’s role and removes another, confirming first', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Changes');
    const [grace, alan] = await seedAccounts(env.db.orm, [
      { name: 'Grace', memberOf: { organizationId: owner.organizationId, role: 'member' } },
      { name: 'Alan', memberOf: { organizationId: owner.organizationId, role: 'member' } },
    ]);
    const app = mount(await sessionFor(env.db.orm, owner.userId), h(MembersTable, {}));
    const row = (email: string | undefined) =>
      app.all('tbody tr').find((r) => r.textContent?.includes(email as string)) as HTMLTableRowElement | undefined;
    await until(() => expect(row(grace?.email)?.querySelector('select')).toBeTruthy());
    // The owner's own row offers nothing: their role is changed by a transfer.
    expect(row(owner.email)?.querySelector('select, button')).toBeNull();

    choose(row(grace?.email)?.querySelector('select') as HTMLSelectElement, 'admin');
    await until(() => expect(app.button('Save role of Grace', row(grace?.email))).toBeTruthy());
    app.button('Save role of Grace', row(grace?.email)).click();
    // Saved: the row is drawn again from the server's answer, admin with nothing left to save.
    await until(() => expect(row(grace?.email)?.querySelector('button')?.textContent).not.toMatch(/^Save role/));
    expect(row(grace?.email)?.querySelector('select')?.value).toBe('admin');

    app.button('Remove Alan', row(alan?.email)).click();
    // Nothing is removed until confirmed.
    const confirm = await vi.waitFor(() => app.button('Confirm removal of Alan', row(alan?.email)), {
      timeout: 10_000,
    });
    expect(app.calls).not.toContain('organizations.removeMember');
    confirm.click();
    await until(() => expect(row(alan?.email)).toBeUndefined());
    expect(app.refusals).toEqual([]);
    app.unmount();
  });

  it('MembersTable: an admin changing the owner’s role sees the refusal beside the owner’s row', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Hierarchy');
    const [admin] = await seedAccounts(env.db.orm, [
      { name: 'Ada', memberOf: { organizationId: owner.organizationId, role: 'admin' } },
    ]);
    const app = mount(
      await sessionFor(env.db.orm, admin?.userId as string),
      h(MembersTable, { organizationId: owner.organizationId }),
    );
    const ownerRow = () =>
      app.all('tbody tr').find((row) => row.textContent?.includes(owner.email)) as HTMLTableRowElement;
    // The admin holds members:update (asked of permissions.explain): the owner's role is a select.
    await until(() => expect(ownerRow()?.querySelector('select')).toBeTruthy());
    const select = ownerRow().querySelector('select') as HTMLSelectElement;
    expect(app.one(`label[for="${select.id}"]`).textContent).toMatch(/^Role of /);
    choose(select, 'member');
    await until(() => expect(app.button('Save role of', ownerRow()).disabled).toBe(false));

    app.button('Save role of', ownerRow()).click();
    await until(() =>
      expect(ownerRow().querySelector('[role="alert"]')?.textContent).toBe(
        'Only an owner can change the role of an owner.',
      ),
    );
    // The table still says what is true: the owner is an owner.
    expect(select.value).toBe('owner');
    expect(app.refusals).toEqual([{ path: 'organizations.updateMemberRole', code: 'FORBIDDEN', reason: 'OUTRANKED' }]);
    app.unmount();
  });

  it('InviteForm: a bad address is refused beside the field without a request; the server’s refusal lands there too', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Invites');
    const app = mount(await sessionFor(env.db.orm, owner.userId), h(InviteForm, {}));
    await until(() => expect(app.container.querySelector('input[name="email"]')).toBeTruthy());
    const email = app.one<HTMLInputElement>('input[name="email"]');
    expect(app.one(`label[for="${email.id}"]`).textContent).toBe('Email');

    fill(email, 'not an address');
    app.button('Send invitation').click();
    await until(() => expect(email.getAttribute('aria-invalid')).toBe('true'));
    expect(describedBy(app, email)).toBe('Invalid email address');
    expect(app.calls.filter((c) => c.includes('organizations.invite'))).toEqual([]);

    // The owner is a member already: the server refuses (ALREADY_MEMBER), and the form says so at the email.
    fill(email, owner.email);
    app.button('Send invitation').click();
    await until(() => expect(describedBy(app, email)).toBe('This person is already a member of the organization.'));
    expect(app.calls.filter((c) => c.includes('organizations.invite'))).toHaveLength(1);
    expect(app.refusals).toEqual([{ path: 'organizations.invite', code: 'CONFLICT', reason: 'ALREADY_MEMBER' }]);
    expect(app.container.querySelector('[role="alert"]')).toBeNull();

    fill(email, 'grace@example.com');
    app.button('Send invitation').click();
    await until(() => expect(app.one('[role="status"]').textContent).toBe('Invitation sent to grace@example.com.'));
    expect(email.getAttribute('aria-invalid')).toBe('false');
    app.unmount();
  });

  it('OrganizationSwitcher switches the organization the person acts in', async () => {
    const first = await ownerWithKey(env.db.orm, 'First Org');
    const second = await ownerWithKey(env.db.orm, 'Second Org');
    const [me] = await seedAccounts(env.db.orm, [
      { name: 'Ada', memberOf: { organizationId: first.organizationId, role: 'admin' } },
    ]);
    await env.db.orm.em.fork().execute(
      `insert into memberships (id, organization_id, user_id, role, status, created_at, updated_at)
         values ('mem_' || substr(md5(random()::text), 1, 26), ?, ?, 'viewer', 'active', now(), now())`,
      [second.organizationId, me?.userId],
    );
    function Current() {
      return h('p', { id: 'current' }, useSession().organization?.name ?? '');
    }
    const app = mount(
      await sessionFor(env.db.orm, me?.userId as string),
      h('div', null, h(OrganizationSwitcher), h(Current)),
    );
    await until(() => expect(app.one('#current').textContent).toBe('First Org'));
    const trigger = app.one('.gh-switcher-trigger');
    expect(trigger.textContent).toContain('First Org');

    trigger.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    const item = async (name: string) => {
      let found: HTMLElement | undefined;
      await until(() => {
        found = [...document.querySelectorAll<HTMLElement>('[role="menuitemradio"]')].find((el) =>
          el.textContent?.includes(name),
        );
        expect(found).toBeTruthy();
      });
      return found as HTMLElement;
    };
    expect((await item('First Org')).getAttribute('aria-checked')).toBe('true');
    (await item('Second Org')).click();
    await until(() => expect(app.one('#current').textContent).toBe('Second Org'));
    expect(app.one('.gh-switcher-trigger').textContent).toContain('Second Org');
    app.unmount();
  });
});
