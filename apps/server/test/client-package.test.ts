// The installable client as a team outside this repository gets it: packed to a tarball, installed
// by npm into an empty project beside typescript and @types/node only, type-checked strictly
// (skipLibCheck false), then run against a live server.
import { execFile } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { EXAMPLE_PERMISSIONS, ownerWithKey, registerPermissions } from '@gatehouse/api/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsumer, packClient, strictOptions, thirtyCallsFiles, typeCheck, typeCost } from './consumer.js';
import { useServedRuntime } from './listen.js';
import { root } from './processes.js';

const env = useServedRuntime();
const TYPESCRIPT_7 = '7.0.2';
let consumer: string;
let tarball: string | undefined;
/** Packed once for both consumers. */
const packed = () => {
  tarball ??= packClient();
  return tarball;
};

// exactOptionalPropertyTypes: `apiKey: process.env.GATEHOUSE_KEY` (string | undefined) must compile.
const tsconfig = {
  compilerOptions: {
    ...strictOptions,
    exactOptionalPropertyTypes: true,
    skipLibCheck: false,
    rootDir: 'src',
    outDir: 'out',
  },
  include: ['src'],
};

const consumerSource = `
import {
  AuthenticationError,
  ConflictError,
  ConnectionError,
  createGatehouseClient,
  GatehouseError,
  isGatehouseError,
} from '@gatehouse/client';

const gh = createGatehouseClient({ url: process.env.GATEHOUSE_URL ?? '', apiKey: process.env.GATEHOUSE_KEY });
const me = await gh.auth.whoami();
const organizationId: string = me.organization?.id ?? '';
const emails: string[] = [];
for await (const member of gh.organizations.members(organizationId, { limit: 1 })) emails.push(member.email);
const invitation = await gh.organizations.invite(organizationId, { email: 'new@example.com', role: 'member' });
const createdAt: Date = invitation.createdAt;
const error = await gh.organizations.removeMember(organizationId, me.userId).catch((e: unknown) => e);
const reason: 'LAST_OWNER' | null = isGatehouseError(error, 'LAST_OWNER') ? error.data.reason : null;
const stranger = await createGatehouseClient({ url: process.env.GATEHOUSE_URL ?? '', apiKey: 'gh_nope_nope' })
  .auth.whoami()
  .catch((e: unknown) => e);
const down = await createGatehouseClient({ url: 'http://127.0.0.1:9', retry: false }).auth.whoami().catch((e: unknown) => e);
const kinds = {
  conflict: error instanceof ConflictError && error instanceof GatehouseError && error.reason === 'LAST_OWNER',
  authentication: stranger instanceof AuthenticationError && stranger.httpStatus === 401,
  requestId: error instanceof GatehouseError && typeof error.requestId === 'string' && error.requestId.length > 0,
  connection: down instanceof ConnectionError && down.url === 'http://127.0.0.1:9/trpc/auth.whoami',
};
console.log(JSON.stringify({ email: me.email, emails, invited: invitation.email, dated: createdAt instanceof Date, reason, kinds }));
`;

// With a typed catalogue, a misspelt permission (built-in or the integrator's) does not compile.
const catalogueSource = `
import { createGatehouseClient } from '@gatehouse/client';

const gh = createGatehouseClient<{ permissions: 'workflows:read' | 'workflows:execute' }>({ url: 'http://localhost:3000' });
await gh.auth.createKey({ name: 'ok', scopes: ['workflows:read', 'members:read'] });
await gh.auth.createKey({ name: 'typo', scopes: ['member:read'] });
`;

const misspeltSource = `
import { createGatehouseClient } from '@gatehouse/client';

const gh = createGatehouseClient({ url: 'http://localhost:3000' });
await gh.organizations.invite('org_x', { emial: 'new@example.com' });
`;

beforeAll(async () => {
  consumer = createConsumer(
    packed(),
    {
      'tsconfig.json': JSON.stringify(tsconfig),
      'src/consumer.ts': consumerSource,
      'src/misspelt.ts': misspeltSource,
      'src/catalogue.ts': catalogueSource,
      // Seed 000's Complete Example, as examples/ has it: it must compile and run unchanged here.
      'src/complete-example.ts': readFileSync(join(root, 'examples/complete-example.ts'), 'utf8'),
      ...thirtyCallsFiles,
    },
    // TypeScript 7 (the native compiler a fresh `npm install typescript` gets) beside the repository's 5.9.
    [`typescript7@npm:typescript@${TYPESCRIPT_7}`],
  );
}, 240_000);
afterAll(async () => {
  if (consumer) rmSync(consumer, { recursive: true, force: true });
});

describe('the packed client', () => {
  it('installs with its three runtime dependencies and declarations that name no server type', () => {
    const manifest = JSON.parse(readFileSync(join(consumer, 'node_modules/@gatehouse/client/package.json'), 'utf8'));
    expect(Object.keys(manifest.dependencies).sort()).toEqual(['@trpc/client', '@trpc/server', 'superjson']);
    const declarations = ['index.d.ts', 'client.d.ts']
      .map((f) => readFileSync(join(consumer, 'node_modules/@gatehouse/client/dist', f), 'utf8'))
      .join('\n');
    expect(declarations).toContain('organizationId: string');
    expect(declarations).not.toMatch(/@gatehouse\/|@mikro-orm|from "pg"|hono|nodemailer|RuntimeHandle\b.*orm/);
  });

  it('type-checks a strict consumer, and a misspelt input field is a type error there alone', {
    timeout: 120_000,
  }, () => {
    const { ok, output } = typeCheck(consumer);
    expect(ok).toBe(false);
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^src\/catalogue\.ts\(6,.*'"member:read"'/);
    expect(errors[1]).toMatch(/^src\/misspelt\.ts\(5,.*'emial'/);
  });

  it('type-checks the same under TypeScript 7: the same two errors, nothing else', { timeout: 120_000 }, () => {
    expect(typeCheck(consumer, ['--version'], 'typescript7').output.trim()).toBe(`Version ${TYPESCRIPT_7}`);
    const { ok, output } = typeCheck(consumer, [], 'typescript7');
    expect(ok).toBe(false);
    const errors = output.split('\n').filter((line) => line.includes('error TS'));
    expect(errors, output).toHaveLength(2);
    expect(errors[0]).toMatch(/^src\/catalogue\.ts\(6,/);
    expect(errors[1]).toMatch(/^src\/misspelt\.ts\(5,.*'emial'/);
  });

  it('costs a consumer calling 30 procedures at most 15k type instantiations', { timeout: 60_000 }, () => {
    // Instantiations are deterministic; times are not, so bench:types prints those.
    expect(typeCost(consumer, true).instantiations).toBeLessThanOrEqual(15_000);
  });

  it('calls a running server from the compiled consumer', async () => {
    const owner = await ownerWithKey(env.db.orm, 'Installed');
    // Not execFileSync: the server answering it runs in this process.
    const { stdout } = await promisify(execFile)(process.execPath, ['out/consumer.js'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, GATEHOUSE_URL: env.url, GATEHOUSE_KEY: owner.key },
    });
    expect(JSON.parse(stdout)).toEqual({
      email: owner.email,
      emails: [owner.email],
      invited: 'new@example.com',
      dated: true,
      reason: 'LAST_OWNER',
      kinds: { conflict: true, authentication: true, requestId: true, connection: true },
    });
  });

  it("runs seed 000's Complete Example unchanged, compiled", async () => {
    await registerPermissions(env.runtime, EXAMPLE_PERMISSIONS);
    const owner = await ownerWithKey(env.db.orm, 'Example Corp');
    const { stdout } = await promisify(execFile)(process.execPath, ['out/complete-example.js'], {
      cwd: consumer,
      encoding: 'utf8',
      env: { ...process.env, GATEHOUSE_URL: env.url, GATEHOUSE_API_KEY: owner.key },
    });
    expect(stdout).toMatch(/Key: gh_[a-z0-9]{8}\.\.\. \(save the full key securely\)/);
    expect(stdout).toMatch(/Rotated key: gh_[a-z0-9]{8}\.\.\./);
    const [row] = await env.db.orm.em
      .fork()
      .execute<{ scopes: string[] }[]>(`select scopes from api_keys where name = 'data-pipeline-key'`);
    expect(row?.scopes).toEqual([...EXAMPLE_PERMISSIONS]);
  });
});

describe('the packed React entry', () => {
  const reactPackages = ['react', 'react-dom', '@tanstack/react-query', '@types/react', '@types/react-dom'];
  const source = `
import { GatehouseProvider, useGatehouse, useGatehouseQueries } from '@gatehouse/client/react';
import { useQuery } from '@tanstack/react-query';
import { renderToString } from 'react-dom/server';

function Members({ organizationId }: { organizationId: string }) {
  const gh = useGatehouseQueries();
  const members = useQuery(gh.organizations.members.queryOptions({ organizationId }));
  const facade: { auth: object } = useGatehouse();
  // @ts-expect-error: a misspelt input; unused (TS2578) if the bundled types ever degrade to any
  gh.organizations.members.queryOptions({ organisationId: organizationId });
  return <p>{members.status} {members.data?.items.map((m) => m.email).join()} {Object.keys(facade).length}</p>;
}

console.log(renderToString(<GatehouseProvider url="http://127.0.0.1:9"><Members organizationId="org_x" /></GatehouseProvider>));
`;
  let dir: string;
  beforeAll(() => {
    // The versions this repository tests with (apps/server's dev dependencies).
    const versions = JSON.parse(readFileSync(join(import.meta.dirname, '../package.json'), 'utf8')).devDependencies;
    dir = createConsumer(
      packed(),
      {
        'tsconfig.json': JSON.stringify({
          // skipLibCheck: checking @types/react and TanStack's own declarations costs CI half a minute
          // and tests nothing of ours; the expected error above fails if our types degrade.
          compilerOptions: { ...strictOptions, skipLibCheck: true, jsx: 'react-jsx', outDir: 'out' },
          include: ['src'],
        }),
        'src/app.tsx': source,
      },
      reactPackages.map((name) => `${name}@${versions[name]}`),
    );
  }, 240_000);
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks beside react and @tanstack/react-query, and renders', { timeout: 120_000 }, async () => {
    const { ok, output } = typeCheck(dir);
    expect(output).toBe('');
    expect(ok).toBe(true);
    const { stdout } = await promisify(execFile)(process.execPath, ['out/app.js'], { cwd: dir });
    expect(stdout).toContain('<p>pending');
  });
});
