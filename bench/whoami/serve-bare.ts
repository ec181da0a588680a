// Child process of run.ts: the baseline, a bare Hono app doing one primary-key lookup with pg.
// Reads DATABASE_URL and BENCH_USER_ID; prints `listening <port>` on stdout once it accepts connections.
import { Hono } from 'hono';
import pg from 'pg';
import { serveUntilStopped } from './child.js';

const url = process.env.DATABASE_URL;
const userId = process.env.BENCH_USER_ID;
if (!url || !userId) throw new Error('serve-bare: DATABASE_URL and BENCH_USER_ID are required');

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

serveUntilStopped(app.fetch, () => pool.end());
