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

/** `tsc -p` in the consumer; returns its output and whether it passed (never throws on type errors). */
export function typeCheck(dir: string, args: string[] = []): { ok: boolean; output: string } {
  try {
    return {
      ok: true,
      output: execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', ...args], {
        cwd: dir,
        encoding: 'utf8',
      }),
    };
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string };
    return { ok: false, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
