// A project outside this repository that installs the packed client with npm: used by the package
// test (client-package.test.ts) and by bench/type-cost.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const packScript = join(root, 'packages/client/scripts/pack.ts');

/** Runs `corepack pnpm pack:client`'s script and returns the tarball's absolute path. */
export function packClient(): string {
  const out = execFileSync(join(root, 'node_modules/.bin/tsx'), [packScript], {
    cwd: root,
    encoding: 'utf8',
  });
  const file = /dist\/(\S+\.tgz)/.exec(out)?.[1];
  if (!file) throw new Error(`pack printed no tarball:\n${out}`);
  return join(root, 'dist', file);
}

/**
 * An empty project with the tarball, typescript and @types/node installed by npm (at the versions
 * this repository uses), plus `files`. npm's cache lives under node_modules/.cache, so repeated runs
 * work offline.
 */
export function createConsumer(tarball: string, files: Record<string, string>, extraPackages: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-consumer-'));
  const versions: Record<string, string> = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies;
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  execFileSync(
    'npm',
    [
      'install',
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
      '--loglevel=error',
      `--cache=${join(root, 'node_modules/.cache/npm')}`,
      tarball,
      `typescript@${versions.typescript}`,
      `@types/node@${versions['@types/node']}`,
      ...extraPackages,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return dir;
}

/**
 * `tsc -p` in the consumer (`compiler`: the installed package whose bin/tsc runs, e.g. `typescript7` for
 * TypeScript 7 installed under that alias); returns its output and whether it passed (never throws on type errors).
 */
export function typeCheck(dir: string, args: string[] = [], compiler = 'typescript'): { ok: boolean; output: string } {
  try {
    return {
      ok: true,
      output: execFileSync(process.execPath, [`node_modules/${compiler}/bin/tsc`, ...args], {
        cwd: dir,
        encoding: 'utf8',
      }),
    };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** A strict consumer's compiler options (skipLibCheck is chosen per run). */
export const strictOptions = {
  target: 'ES2022',
  module: 'NodeNext',
  moduleResolution: 'NodeNext',
  strict: true,
  types: ['node'],
};

const thirtyCalls = `
import { createGatehouseClient, isGatehouseError } from '@gatehouse/client';

const gh = createGatehouseClient({ url: 'http://localhost:3000', apiKey: 'gh_x' });
const org = 'org_x';
export async function all() {
  const me = await gh.auth.whoami();
  const key = await gh.auth.createKey({ name: 'ci', scopes: ['members:read'], expiresInDays: 30 });
  for await (const k of gh.auth.listKeys({ status: 'active' })) k.lastUsedAt?.getTime();
  await gh.auth.getKey(key.id);
  await gh.auth.rotateKey(key.id, { gracePeriodSeconds: 60 });
  await gh.auth.revokeKey(key.id);
  const profile = await gh.users.me();
  await gh.users.updateMe({ profile: { title: 'CTO' } });
  for await (const u of gh.users.list({ active: true })) u.email.length;
  const created = await gh.users.create({ email: 'a@example.com', name: 'A', role: 'member' });
  await gh.users.retrieve(created.id);
  await gh.users.update(created.id, { role: 'admin' });
  await gh.users.deactivate(created.id);
  await gh.users.activate({ email: 'a@example.com' });
  const o = await gh.organizations.create({ name: 'Acme' });
  await gh.organizations.retrieve(o.id, { expand: ['permissions'] });
  await gh.organizations.update(org, { settings: { enforceMfa: true } });
  for await (const m of gh.organizations.members(org, { role: 'admin' })) m.isOwner;
  await gh.organizations.addMember(org, { email: 'b@example.com', role: 'viewer' });
  await gh.organizations.updateMemberRole(org, created.id, { role: 'member' });
  const inv = await gh.organizations.invite(org, { email: 'c@example.com', role: 'member' });
  for await (const i of gh.organizations.listInvitations(org, { status: 'pending' })) i.expiresAt.getTime();
  await gh.organizations.cancelInvitation(org, inv.id);
  const credits = await gh.organizations.credits(org);
  const page = await gh.organizations.transactions(org, { limit: 5 }).page();
  await gh.roles.create(org, { key: 'auditor', name: 'Auditor', permissions: ['audit:read'] });
  for await (const e of gh.audit.list(org, { action: 'member.added' })) e.actor.type;
  await gh.credits.consume(org, { amount: 1, reason: 'job', idempotencyKey: 'job-1' });
  await gh.invitations.lookup('ghi_x');
  try {
    await gh.organizations.removeMember(org, profile.id);
  } catch (e) {
    if (isGatehouseError(e, 'LAST_OWNER')) e.data.reason;
  }
  return { me, credits, page };
}
`;

/** A consumer calling 30 procedures through the facade (its own project, `thirty/`): what bench/type-cost measures and the package test bounds. */
export const thirtyCallsFiles = {
  'thirty/tsconfig.json': JSON.stringify({ compilerOptions: strictOptions, files: ['consumer.ts'] }),
  'thirty/consumer.ts': thirtyCalls,
};

/** Instantiations, check time and the rest of `tsc --extendedDiagnostics` for the 30-call consumer. */
export function typeCost(dir: string, skipLibCheck: boolean) {
  const { ok, output } = typeCheck(dir, [
    '-p',
    'thirty/tsconfig.json',
    '--noEmit',
    '--incremental',
    'false',
    '--extendedDiagnostics',
    '--skipLibCheck',
    String(skipLibCheck),
  ]);
  if (!ok) throw new Error(`the consumer does not type-check:\n${output}`);
  return diagnostics(output);
}

/** The figures of `tsc --extendedDiagnostics` output that bench:types prints. */
export function diagnostics(output: string) {
  const pick = (label: string) => output.match(new RegExp(`^${label}:\\s+(.+)$`, 'm'))?.[1]?.trim() ?? '?';
  return {
    instantiations: Number(pick('Instantiations')),
    checkTime: pick('Check time'),
    totalTime: pick('Total time'),
    memory: pick('Memory used'),
    files: pick('Files'),
  };
}
