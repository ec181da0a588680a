// Teams and projects (issue 15), in-process through the real router with a server-side caller (the whole
// procedure chain, no HTTP), calls one at a time, in an organization of 50 teams and 1,000 projects:
// - users.getPermissions for a member of 20 teams (each holding roles on projects): target p50 < 5 ms;
// - the decision on a project (projects.retrieve through projectProcedure) for that member's key;
// - database round trips per warm call of each, beside auth.whoami's (target: the decision costs no
//   more round trips than before teams existed: bindings are cached per user and organization).
//
//   cd bench && tsx teams/run.ts
//
// Env: ITERATIONS (500) measured calls a case, WARMUP (50), TEAMS (50), PROJECTS (1000), MEMBER_TEAMS (20),
// PROJECTS_PER_TEAM (5), DATABASE_URL (else a fresh test database, dropped at the end).

import { performance } from 'node:perf_hooks';
import { bootstrapWithKey, generateKey } from '@gatehouse/api';
import { newId } from '@gatehouse/db';
import { callerFor, startRuntime } from '../lib/compare.js';
import { intEnv, openDatabase, runBench } from '../lib/harness.js';
import { reportRow } from '../lib/results.js';
import { round2, stats } from '../lib/stats.js';

const iterations = intEnv('ITERATIONS', 500);
const warmup = intEnv('WARMUP', 50);
const teamCount = intEnv('TEAMS', 50);
const projectCount = intEnv('PROJECTS', 1000);
const memberTeams = intEnv('MEMBER_TEAMS', 20);
const projectsPerTeam = intEnv('PROJECTS_PER_TEAM', 5);

await runBench(async () => {
  const database = await openDatabase(10);
  const runtime = await startRuntime(database);
  const owner = await bootstrapWithKey(database.orm.em.fork(), {
    email: `owner-${Date.now().toString(36)}@teams.bench.example`,
    organization: `Bench teams ${Date.now().toString(36)}`,
    newKey: true,
  });
  const organizationId = owner.organizationId;
  const em = database.orm.em.fork();

  // The member, their key, 50 teams (the member in 20 of them), 1,000 projects, and each team's
  // project roles on 5 projects plus a viewer role on the organization for every other team.
  const memberId = newId('usr');
  const membershipId = newId('mem');
  const memberKey = generateKey();
  await em.execute(
    `insert into users (id, email, name, organization_id, managed_by, email_verified, created_at, updated_at)
     values (?, ?, 'Member', ?, ?, true, now(), now())`,
    [memberId, `member-${Date.now().toString(36)}@teams.bench.example`, organizationId, organizationId],
  );
  await em.execute(
    `insert into memberships (id, organization_id, user_id, role, status, created_at, updated_at)
     values (?, ?, ?, 'viewer', 'active', now(), now())`,
    [membershipId, organizationId, memberId],
  );
  await em.execute(
    `insert into api_keys (id, key_prefix, secret_hash, name, user_id, organization_id, metadata, created_at, updated_at)
     values (?, ?, ?, 'bench', ?, ?, '{}', now(), now())`,
    [newId('key'), memberKey.keyPrefix, memberKey.secretHash, memberId, organizationId],
  );
  const teams = Array.from({ length: teamCount }, () => newId('team'));
  const projects = Array.from({ length: projectCount }, () => newId('prj'));
  await em.execute(
    `insert into teams (id, organization_id, name, is_everyone, created_at, updated_at)
     select x, ?, 'team ' || x, false, now(), now() from jsonb_array_elements_text(?::jsonb) as x`,
    [organizationId, JSON.stringify(teams)],
  );
  await em.execute(
    `insert into projects (id, organization_id, name, created_at, updated_at)
     select x, ?, 'project ' || x, now(), now() from jsonb_array_elements_text(?::jsonb) as x`,
    [organizationId, JSON.stringify(projects)],
  );
  await em.execute(
    `insert into team_members (team_id, user_id, membership_id, organization_id, role, created_at, updated_at)
     select x, ?, ?, ?, 'member', now(), now() from jsonb_array_elements_text(?::jsonb) as x`,
    [memberId, membershipId, organizationId, JSON.stringify(teams.slice(0, memberTeams))],
  );
  const bindings = teams.flatMap((team, t) => [
    ...Array.from({ length: projectsPerTeam }, (_, k) => ({
      id: newId('rbd'),
      team,
      project: projects[(t * projectsPerTeam + k) % projectCount] as string,
      role: ['project_admin', 'project_editor', 'project_viewer'][k % 3] as string,
    })),
    ...(t % 2 ? [{ id: newId('rbd'), team, project: null, role: 'member' }] : []),
  ]);
  await em.execute(
    `insert into role_bindings (id, organization_id, team_id, project_id, role, created_at, updated_at)
     select x.id, ?, x.team, x.project, x.role, now(), now()
       from jsonb_to_recordset(?::jsonb) as x(id text, team text, project text, role text)`,
    [organizationId, JSON.stringify(bindings)],
  );

  // Round trips: every statement any entity manager sends goes through the one connection object.
  const connection = database.orm.em.getConnection() as unknown as { execute: (...args: unknown[]) => unknown };
  const execute = connection.execute.bind(connection);
  let queries = 0;
  connection.execute = (...args: unknown[]) => {
    queries++;
    return execute(...args);
  };

  const ownerCaller = callerFor(runtime, owner.apiKey.key);
  const memberCaller = callerFor(runtime, memberKey.key);
  const target = projects[0] as string;
  const cases: { name: string; call: () => Promise<unknown>; check: (v: unknown) => string }[] = [
    {
      name: 'auth.whoami (member key)',
      call: () => memberCaller.auth.whoami(),
      check: () => 'the member',
    },
    {
      name: `users.getPermissions (member of ${memberTeams} teams; ${teamCount} teams, ${projectCount} projects)`,
      call: () => ownerCaller.users.getPermissions({ userId: memberId }),
      check: (v) => `${(v as { items: unknown[] }).items.length} permission sources`,
    },
    {
      name: 'projects.retrieve (member key, decision on a project via a team)',
      call: () => memberCaller.projects.retrieve({ organizationId, projectId: target }),
      check: (v) => ((v as { id: string }).id === target ? 'the project' : 'WRONG PROJECT'),
    },
  ];
  console.log(
    `organization ${organizationId} ${database.note}: ${teamCount} teams, ${projectCount} projects, ${bindings.length} bindings`,
  );
  console.log('| case | p50 ms | p99 ms | queries per warm call | checked |\n|---|---:|---:|---:|---|');
  for (const c of cases) {
    let checked = '';
    for (let i = 0; i < warmup; i++) checked = c.check(await c.call());
    const samples = new Float64Array(iterations);
    const before = queries;
    const cpu = process.cpuUsage();
    for (let i = 0; i < iterations; i++) {
      const start = performance.now();
      await c.call();
      samples[i] = performance.now() - start;
    }
    const used = process.cpuUsage(cpu);
    const perCall = round2((queries - before) / iterations);
    const s = stats(samples);
    console.log(`| ${c.name} | ${round2(s.p50)} | ${round2(s.p99)} | ${perCall} | ${checked} |`);
    reportRow({
      case: `${c.name} [in-process]`,
      'req/s': Math.round(1000 / s.mean),
      'p50 ms': round2(s.p50),
      'p99 ms': round2(s.p99),
      'server CPU µs/req': Math.round((used.user + used.system) / iterations),
      checked: `${checked}; ${perCall} queries/call`,
    });
  }
  console.log(
    'Target (issue 15): users.getPermissions p50 < 5 ms; the decision costs no more queries than whoami’s chain.',
  );
});
