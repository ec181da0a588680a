// The embedded database's socket: only whoever can read the 0600 owner.json gets SQL.
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type EmbeddedDatabase, startEmbedded } from './embedded.js';

const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-embedded-auth-'));
let embedded: EmbeddedDatabase;

beforeAll(async () => {
  embedded = await startEmbedded(dataDir);
}, 60_000);
afterAll(async () => {
  await embedded?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function query(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    const { rows } = await client.query<{ version: string }>('select version()');
    return rows[0]?.version ?? '';
  } finally {
    await client.end().catch(() => {});
  }
}

describe('embedded database socket', () => {
  it('answers with the password from the 0600 owner.json, and refuses any other', async () => {
    const owner = join(dataDir, 'owner.json');
    expect(statSync(owner).mode & 0o777).toBe(0o600);
    const { url } = JSON.parse(readFileSync(owner, 'utf8')) as { url: string };
    expect(url).toBe(embedded.url);
    expect(await query(url)).toMatch(/PostgreSQL/);

    const wrong = new URL(url);
    wrong.password = 'guess';
    await expect(query(wrong.toString())).rejects.toMatchObject({ code: '28P01' });
    wrong.password = '';
    await expect(query(wrong.toString())).rejects.toThrow();
    // Still serving after the refusals.
    expect(await query(url)).toMatch(/PostgreSQL/);
  });
});
