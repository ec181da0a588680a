// Builds the console into dist/ when a source is newer than the last build (`corepack pnpm start` and
// the browser tests run it first; an up-to-date build costs a directory walk). Run by Node itself.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const app = resolve(import.meta.dirname, '..');
const root = resolve(app, '../..');
const built = join(app, 'dist/index.html');

const filesUnder = (dir: string) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name))
    : [];
const modified = (file: string) => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0;

// Its own sources and the workspace packages it bundles from source.
const inputs = [
  import.meta.filename,
  join(app, 'index.html'),
  join(app, 'vite.config.ts'),
  join(app, 'package.json'),
  ...['apps/console/src', 'packages/client/src', 'packages/react/src'].flatMap((dir) => filesUnder(join(root, dir))),
].filter((file) => !file.endsWith('.test.ts') && !file.endsWith('.test.tsx'));
const builtAt = modified(built);
if (builtAt > 0 && inputs.every((file) => modified(file) < builtAt)) process.exit(0);

console.error('Building the console (apps/console/dist)…');
const started = Date.now();
const { build } = await import('vite');
await build({ root: app, logLevel: 'warn' });
console.error(`Built the console in ${Date.now() - started} ms.`);
