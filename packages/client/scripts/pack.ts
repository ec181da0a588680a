// corepack pnpm pack:client — writes dist/gatehouse-client-<version>.tgz at the repository root: ESM
// JavaScript and one bundled declaration file per entry that carries the router's types inline, so
// an installing project needs only the runtime dependencies (@trpc/client, @trpc/server, superjson).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'tsdown';

const pkgDir = resolve(import.meta.dirname, '..');
const root = resolve(pkgDir, '../..');
const out = join(pkgDir, 'build');
const manifest = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
// 1 kB = 1,024 bytes here, as in bench/type-cost and the README.
const kB = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;

// The declarations of @gatehouse/api that get inlined are the ones tsc -b emits.
console.log('Type-checking the client and emitting the declarations it inlines (tsc -b packages/client)…');
execFileSync(join(root, 'node_modules/.bin/tsc'), ['-b', pkgDir], { stdio: 'inherit' });

console.log('Bundling JavaScript and declarations (tsdown)…');
await build({
  config: false,
  cwd: pkgDir,
  entry: { index: 'src/index.ts', react: 'src/react.ts' },
  format: 'esm',
  // Neutral: no Node built-in may be imported, so the same files run in browsers.
  platform: 'neutral',
  outDir: join(out, 'dist'),
  clean: true,
  sourcemap: false,
  logLevel: 'warn',
  hash: false,
  inputOptions: {
    checks: { pluginTimings: false },
    // The router names one zod type (JSONType), which is inlined; zod's CommonJS locale declarations,
    // which it need not read, are reported once each.
    onLog(level, log, handler) {
      if (!log.message.includes('zod/v4/locales/')) handler(level, log);
    },
  },
  dts: { sourcemap: false },
  // Dev dependencies are bundled: the router's types from @gatehouse/api, and the React integration,
  // whose exact pin of @trpc/* to an older version npm would refuse beside ours, and jose (the token
  // verifier's, dependency-free, for Node and browsers). Everything else
  // stays an import of a runtime dependency or a peer (checked below, declarations included).
  deps: { onlyBundle: ['@gatehouse/api', '@trpc/tanstack-react-query', 'zod', 'jose'] },
});

// What a consumer's compiler may be sent to: our runtime dependencies and the React entry's peers.
const allowed = new Set([...Object.keys(manifest.dependencies), ...Object.keys(manifest.peerDependencies)]);
const packageOf = (specifier: string) =>
  specifier
    .split('/')
    .slice(0, specifier.startsWith('@') ? 2 : 1)
    .join('/');
const built = readdirSync(join(out, 'dist')).sort();
console.log(`  ${built.map((file) => `${file} ${kB(statSync(join(out, 'dist', file)).size)}`).join(', ')}`);
for (const file of built) {
  const text = readFileSync(join(out, 'dist', file), 'utf8');
  for (const [, specifier] of text.matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)) {
    if (specifier && !specifier.startsWith('./') && !allowed.has(packageOf(specifier))) {
      throw new Error(`dist/${file} imports ${specifier}: the package must not name anything it does not install`);
    }
  }
}

const packed = {
  name: manifest.name,
  version: manifest.version,
  description: manifest.description,
  license: 'UNLICENSED',
  type: 'module',
  exports: {
    '.': { types: './dist/index.d.ts', default: './dist/index.js' },
    './react': { types: './dist/react.d.ts', default: './dist/react.js' },
    './package.json': './package.json',
  },
  types: './dist/index.d.ts',
  sideEffects: false,
  files: ['dist'],
  engines: { node: '>=20' },
  dependencies: manifest.dependencies,
  peerDependencies: manifest.peerDependencies,
  peerDependenciesMeta: manifest.peerDependenciesMeta,
};
writeFileSync(join(out, 'package.json'), `${JSON.stringify(packed, null, 2)}\n`);
copyFileSync(join(pkgDir, 'README.md'), join(out, 'README.md'));

console.log('Packing with npm…');
mkdirSync(join(root, 'dist'), { recursive: true });
const [result] = JSON.parse(
  execFileSync('npm', ['pack', out, '--pack-destination', join(root, 'dist'), '--json', '--silent'], {
    encoding: 'utf8',
  }),
);
console.log(
  `Wrote dist/${result.filename} (${kB(result.size)}, ${result.entryCount} files, ${kB(result.unpackedSize)} unpacked)`,
);
