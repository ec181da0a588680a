// Child process of run.ts: the baseline, a bare Hono app doing one primary-key lookup with pg.
// Also the same members page of 50 as Gatehouse's, straight from SQL (BENCH_ORG_ID): what a page of
// 50 rows costs on this machine with nothing else in the way.
// Reads DATABASE_URL, BENCH_USER_ID and BENCH_ORG_ID; prints `listening <port>` on stdout once it accepts connections.
import { Hono } from 'hono';
import pg from 'pg';
import { serveUntilStopped } from './child.js';

const url = process.env.DATABASE_URL;
const userId = process.env.BENCH_USER_ID;
const organizationId = process.env.BENCH_ORG_ID;
if (!url || !userId || !organizationId) {
  throw new Error('serve-bare: DATABASE_URL, BENCH_USER_ID and BENCH_ORG_ID are required');
}

// Same pool size as the Gatehouse ORM's default (poolMax 10).
const pool = new pg.Pool({ connectionString: url, max: 10 });

const app = new Hono();
app.get('/user', async (c) => {
  const { rows } = await pool.query<{ id: string; email: string; name: string }>(
    'select id, email, name from users where id = $1',
    [userId],
  );
  const user = rows[0];
  return user ? c.json(user) : c.json({ error: 'not found' }, 404);
});

interface MemberRow {
  user_id: string;
  email: string;
  name: string;
  role: string;
  created_at: Date;
  status: string;
}
app.get('/members', async (c) => {
  const { rows } = await pool.query<MemberRow>(
    `select m.user_id, u.email, u.name, m.role, m.created_at, m.status from memberships m
       join users u on u.id = m.user_id where m.organization_id = $1 order by m.id desc limit 51`,
    [organizationId],
  );
  // The fields Gatehouse's page answers with, so both send about the same bytes.
  const items = rows.slice(0, 50).map((r) => ({
    userId: r.user_id,
    email: r.email,
    name: r.name,
    role: r.role,
    isOwner: r.role === 'owner',
    joinedAt: r.created_at,
    status: r.status,
    external: false,
    source: 'password',
  }));
  return c.json({ items, nextCursor: rows.length > 50 ? 'more' : null });
});

serveUntilStopped(app.fetch, () => pool.end());
