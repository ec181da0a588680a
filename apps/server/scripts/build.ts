// The JavaScript that `corepack pnpm start` and `corepack pnpm gatehouse` run: every source file of the
// server and of the workspace packages it loads (db, api) transpiled one to one into the package's
// dist/, beside the declarations tsc -b writes there. Transpiling only (types are tsc's business) takes
// about a second; when no source is newer than the last build it does nothing. The packages' exports
// send Node to these files under `--conditions=gatehouse-compiled`; without it they name the sources,
// which tests, tsx and the type checker read.
// Run by Node itself (its type stripping), so starting needs no TypeScript loader at any step.
import { existsSync, readdirSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
const packages = ['packages/db', 'packages/api', 'apps/server'].map((dir) => join(root, dir));
const stamp = join(root, 'apps/server/dist/.compiled');

const filesUnder = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];
const modified = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

const sources = (dir: string) =>
  filesUnder(join(dir, 'src')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
const inputs = [import.meta.filename, ...packages.flatMap((dir) => [join(dir, 'package.json'), ...sources(dir)])];
const builtAt = modified(stamp);
if (builtAt > 0 && inputs.every((file) => modified(file) < builtAt)) process.exit(0);

const started = new Date();
// Loaded only now: an up-to-date start costs a directory walk, not esbuild's start-up.
const { build } = await import('esbuild');
console.error('Compiling the server to JavaScript (apps/server/dist, packages/{db,api}/dist)…');
for (const dir of packages) {
  // JavaScript of sources since deleted must not linger; tsc's declarations stay.
  for (const file of filesUnder(join(dir, 'dist')).filter((f) => f.endsWith('.js'))) unlinkSync(file);
  await build({
    entryPoints: sources(dir),
    outbase: join(dir, 'src'),
    // The server's declarations are in dist/src (its tsconfig's root also holds test/): the same here.
    outdir: join(dir, dir.endsWith('server') ? 'dist/src' : 'dist'),
    format: 'esm',
    platform: 'node',
    target: 'node22.17',
    logLevel: 'warning',
  });
}
// Dated when the build began: a source saved while it ran is newer, so the next start compiles again.
writeFileSync(stamp, '');
utimesSync(stamp, started, started);
console.error(`Compiled in ${Date.now() - started.getTime()} ms.`);
