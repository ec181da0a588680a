// auth.sessions.*: a user's own sessions (listed with device, address and last use; revoked one, or all
// but this one), and the sliding expiry with its absolute cap. Time moves by backdating rows.
import { Session } from '@gatehouse/db';
import { describe, expect, it } from 'vitest';
import {
  callerFor,
  ownerWithKey,
  refusalOf,
  sessionFor,
  tokenOf,
  uniqueEmail,
  useTestRuntime,
} from '../testing/fixtures.js';
import { SESSION_IDLE_MS, SESSION_MAX_MS } from './sessions.js';

const env = useTestRuntime();
const PASSWORD = 'a sturdy passphrase 42';
const MINUTE = 60_000;

let n = 0;
const device = (ua: string, ip = `10.3.0.${++n}`) => ({ ua, ip });
const as = (token: string, from = device('test')) =>
  callerFor(env.runtime, { authorization: `Bearer ${token}`, 'user-agent': from.ua }, from.ip);
const anon = (from = device('test')) => callerFor(env.runtime, { 'user-agent': from.ua }, from.ip);

async function account() {
  const email = uniqueEmail('sessions');
  const laptop = device('Firefox on a laptop');
  const { sessionToken, userId } = tokenOf(await anon(laptop).auth.signup({ email, password: PASSWORD, name: 'S' }));
  return { email, userId, sessionToken, laptop };
}

const row = (id: string) => env.db.orm.em.fork().findOneOrFail(Session, id);
const rowsOf = (userId: string) => env.db.orm.em.fork().find(Session, { userId }, { orderBy: { id: 'asc' } });
/** Moves a session's clock back: what `last seen` and `expires` say, `ms` ago. */
async function backdate(id: string, fields: { lastSeenAgo?: number; createdAgo?: number; expiresIn?: number }) {
  const now = Date.now();
  await env.db.orm.em.fork().nativeUpdate(
    Session,
    { id },
    {
      ...(fields.lastSeenAgo !== undefined ? { lastSeenAt: new Date(now - fields.lastSeenAgo) } : {}),
      ...(fields.createdAgo !== undefined ? { createdAt: new Date(now - fields.createdAgo) } : {}),
      ...(fields.expiresIn !== undefined ? { expiresAt: new Date(now + fields.expiresIn) } : {}),
    },
  );
  // What this process cached of the session (its last use among it) goes, as another process's would.
  env.runtime.invalidate({ sessionId: id });
}

describe('auth.sessions', () => {
  it("lists the caller's live sessions with device, address, last use and which is this one", async () => {
    const { email, userId, sessionToken, laptop } = await account();
    const phone = device('Safari on a phone');
    const login = await anon(phone).auth.login({ email, password: PASSWORD }).then(tokenOf);
    const ended = await anon().auth.login({ email, password: PASSWORD }).then(tokenOf);
    await as(ended.sessionToken).auth.logout();

    const page = await as(sessionToken, laptop).auth.sessions.list();
    const [newer, older] = page.items;
    expect(page.items).toHaveLength(2);
    expect(page.pageInfo.hasNextPage).toBe(false);
    expect(newer).toMatchObject({ current: false, userAgent: phone.ua, ip: phone.ip });
    expect(older).toMatchObject({ current: true, userAgent: laptop.ua, ip: laptop.ip });
    for (const s of page.items) {
      expect(s.id).toMatch(/^ses_/);
      expect(s.lastSeenAt.getTime()).toBeGreaterThanOrEqual(s.createdAt.getTime());
      expect(s.expiresAt.getTime()).toBeGreaterThan(Date.now());
    }
    // Paged like every list, the cursor bound to this user's sessions.
    const first = await as(login.sessionToken, phone).auth.sessions.list({ limit: 1 });
    expect(first.items.map((s) => s.current)).toEqual([true]);
    const second = await as(login.sessionToken, phone).auth.sessions.list({
      limit: 1,
      cursor: first.pageInfo.endCursor as string,
    });
    expect(second.items.map((s) => s.id)).toEqual([older?.id]);
    expect((await rowsOf(userId)).length).toBe(3);
  });

  it("revokes one of the caller's sessions at once; another user's session is NOT_FOUND and stays", async () => {
    const me = await account();
    const other = await anon().auth.login({ email: me.email, password: PASSWORD }).then(tokenOf);
    const stranger = await account();
    const [strangers] = (await as(stranger.sessionToken).auth.sessions.list()).items;
    const [mine] = (await as(other.sessionToken).auth.sessions.list()).items.filter((s) => s.current);

    expect(await refusalOf(as(me.sessionToken).auth.sessions.revoke({ sessionId: strangers?.id as string }))).toBe(
      'NOT_FOUND:NOT_FOUND',
    );
    expect((await row(strangers?.id as string)).revokedAt).toBeNull();
    expect((await as(stranger.sessionToken).auth.whoami()).userId).toBe(stranger.userId);

    // Warm in the cache, then revoked from another session: the next call is refused.
    expect((await as(other.sessionToken).auth.whoami()).userId).toBe(me.userId);
    expect(await as(me.sessionToken).auth.sessions.revoke({ sessionId: mine?.id as string })).toEqual({ ok: true });
    expect(await refusalOf(as(other.sessionToken).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    // Again: it is ended, which is what was asked.
    expect(await as(me.sessionToken).auth.sessions.revoke({ sessionId: mine?.id as string })).toEqual({ ok: true });
  });

  it('revokeOthers ends every session but this one', async () => {
    const me = await account();
    const others = await Promise.all(
      [1, 2].map(() =>
        anon()
          .auth.login({ email: me.email, password: PASSWORD })
          .then((s) => tokenOf(s).sessionToken),
      ),
    );
    for (const token of others) await as(token).auth.whoami();
    expect(await as(me.sessionToken).auth.sessions.revokeOthers()).toEqual({ revoked: 2 });
    for (const token of others) expect(await refusalOf(as(token).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect((await as(me.sessionToken).auth.sessions.list()).items.map((s) => s.current)).toEqual([true]);
  });

  it('changing the password ends the other sessions, not this one', async () => {
    const me = await account();
    const other = await anon().auth.login({ email: me.email, password: PASSWORD }).then(tokenOf);
    await as(other.sessionToken).auth.whoami();
    await as(me.sessionToken).auth.changePassword({ oldPassword: PASSWORD, newPassword: `${PASSWORD} anew` });
    expect(await refusalOf(as(other.sessionToken).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect((await as(me.sessionToken).auth.sessions.list()).items.map((s) => s.current)).toEqual([true]);
  });

  it('a session cookie is set over HTTP only: a caller without an answer to carry it is BAD_REQUEST', async () => {
    const { email, userId } = await account();
    expect(await refusalOf(anon().auth.login({ email, password: PASSWORD, cookie: true }))).toBe(
      'BAD_REQUEST:BAD_REQUEST',
    );
    expect((await rowsOf(userId)).length).toBe(1);
  });

  it('an API key has no sessions to manage: SESSION_ONLY, nothing revoked', async () => {
    const owner = await ownerWithKey(env.db.orm);
    const session = await sessionFor(env.db.orm, owner.userId);
    expect(await refusalOf(as(owner.key).auth.sessions.list())).toBe('FORBIDDEN:SESSION_ONLY');
    expect(await refusalOf(as(owner.key).auth.sessions.revokeOthers())).toBe('FORBIDDEN:SESSION_ONLY');
    expect((await as(session).auth.whoami()).userId).toBe(owner.userId);
  });
});

describe('sliding expiry', () => {
  it('a use after a minute moves the expiry to 12 hours from now and records the device and address', async () => {
    const { sessionToken, userId } = await account();
    const [session] = await rowsOf(userId);
    const id = session?.id as string;
    await backdate(id, { lastSeenAgo: 2 * MINUTE, createdAgo: 60 * MINUTE, expiresIn: MINUTE });
    const phone = device('Chrome on a tablet');
    await as(sessionToken, phone).auth.whoami();
    const slid = await row(id);
    expect(slid.expiresAt.getTime()).toBeGreaterThan(Date.now() + SESSION_IDLE_MS - MINUTE);
    expect(slid.lastSeenAt?.getTime()).toBeGreaterThan(Date.now() - MINUTE);
    expect(slid).toMatchObject({ userAgent: phone.ua, ip: phone.ip });
  });

  it('writes at most once a minute: a use within the minute changes nothing', async () => {
    const { sessionToken, userId } = await account();
    const [session] = await rowsOf(userId);
    const id = session?.id as string;
    await backdate(id, { lastSeenAgo: 30_000, expiresIn: 10 * MINUTE });
    const before = await row(id);
    for (let i = 0; i < 3; i++) await as(sessionToken, device('another browser')).auth.whoami();
    const after = await row(id);
    expect(after.lastSeenAt).toEqual(before.lastSeenAt);
    expect(after.expiresAt).toEqual(before.expiresAt);
    expect(after.userAgent).toBe(before.userAgent);
  });

  it('never slides past seven days from sign-in', async () => {
    const { sessionToken, userId } = await account();
    const [session] = await rowsOf(userId);
    const id = session?.id as string;
    await backdate(id, { lastSeenAgo: 2 * MINUTE, createdAgo: SESSION_MAX_MS - 60 * MINUTE, expiresIn: MINUTE });
    await as(sessionToken).auth.whoami();
    const capped = await row(id);
    expect(Math.abs(capped.expiresAt.getTime() - (capped.createdAt.getTime() + SESSION_MAX_MS))).toBeLessThan(1000);
  });

  it('a session past its expiry is UNAUTHORIZED, and a use does not revive it', async () => {
    const { sessionToken, userId } = await account();
    const [session] = await rowsOf(userId);
    const id = session?.id as string;
    await backdate(id, { lastSeenAgo: 13 * 60 * MINUTE, expiresIn: -MINUTE });
    expect(await refusalOf(as(sessionToken).auth.whoami())).toBe('UNAUTHORIZED:UNAUTHORIZED');
    expect((await row(id)).expiresAt.getTime()).toBeLessThan(Date.now());
  });
});
