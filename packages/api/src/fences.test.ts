// The floors of ARCHITECTURE.md are lint rules (biome.json): each probe below is a file that one rule
// must refuse, or allow, placed where the rule applies and linted by the real biome.
import { execFile } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../../..', import.meta.url));
const biome = join(repo, 'node_modules/.bin/biome');

/** The restricted-import diagnostics biome reports for `source` placed at `path` (relative to src/). */
async function restrictedImports(path: string, source: string): Promise<string[]> {
  // In a folder of its own beside the real files: the rules match file names (router.ts) and the
  // import's text, which one folder deeper are the same.
  const folder = join(repo, 'packages/api/src', dirname(path), `fence-probe-${process.pid}`);
  const file = join(folder, basename(path));
  mkdirSync(folder, { recursive: true });
  writeFileSync(file, source);
  try {
    const { stdout } = await promisify(execFile)(biome, ['lint', '--reporter=json', file], { cwd: repo }).catch(
      (error: { stdout: string }) => ({ stdout: error.stdout }),
    );
    const report = JSON.parse(stdout) as { diagnostics: { category: string; message: string }[] };
    return report.diagnostics
      .filter((d) => d.category === 'lint/style/noRestrictedImports')
      .map((d) => JSON.stringify(d.message));
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

const probe = (from: string) => `import { probe } from '${from}';\nexport const value = probe;\n`;

const named = (name: string, from: string) => `import { ${name} } from '${from}';\nexport const value = ${name};\n`;

describe('lint fences', () => {
  it.each([
    ['core/x.ts', '../infra/caller.js'],
    ['infra/x.ts', '../access/bindings.js'],
    ['infra/x.ts', '../mail/outbox.js'],
    ['infra/x.ts', '../runtime.js'],
    ['cache/x.ts', '../access/bindings.js'],
    ['mail/x.ts', '../trpc/procedures.js'],
    ['limits/x.ts', '../tokens/verify.js'],
    ['teams/service.ts', '../trpc/procedures.js'],
    ['access/x.ts', '../organizations/service.js'],
    ['access/x.ts', '../trpc/procedures.js'],
    ['platform/router.ts', '../infra/transaction.js'],
  ])('%s may not import %s', async (path, from) => {
    expect(await restrictedImports(path, probe(from))).toHaveLength(1);
  });

  it.each([
    ['infra/x.ts', '../core/errors.js'],
    ['cache/x.ts', '../infra/caller.js'],
    ['limits/x.ts', '../infra/caller.js'],
    ['teams/router.ts', '../trpc/procedures.js'],
    ['access/x.ts', '../core/authorization.js'],
    ['access/x.ts', '../infra/caller.js'],
    ['platform/service.ts', '../infra/transaction.js'],
  ])('%s may import %s', async (path, from) => {
    expect(await restrictedImports(path, probe(from))).toEqual([]);
  });

  it.each([
    ['projects/service.ts', 'can'],
    ['platform/service.ts', 'canAsPlatform'],
    ['teams/router.ts', 'explain'],
    ['infra/x.ts', 'can'],
  ])('%s may not ask core/authorization %s', async (path, name) => {
    expect(await restrictedImports(path, named(name, '../core/authorization.js'))).toHaveLength(1);
  });

  it.each([
    ['projects/service.ts', 'assertHolds'],
    ['access/x.ts', 'can'],
    ['trpc/x.ts', 'explain'],
  ])('%s may import %s from core/authorization', async (path, name) => {
    expect(await restrictedImports(path, named(name, '../core/authorization.js'))).toEqual([]);
  });
});
