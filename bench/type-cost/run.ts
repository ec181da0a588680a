// Prints what a consumer pays in the type checker to use the client: instantiations (deterministic,
// the number to watch), check time and memory. Run: corepack pnpm bench:types.
//
// - from-tarball: the packed client (pack:client) installed by npm into an empty project beside
//   typescript and @types/node, a strict consumer calling 30 procedures through the facade, with
//   skipLibCheck true and false. This is what a team outside the repository pays.
// - from-dts / from-source: inside the monorepo, the router type from the emitted declarations
//   (after tsc -b) against the server's source.
import { execFileSync } from 'node:child_process';
import { readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  createConsumer,
  diagnostics,
  packClient,
  thirtyCallsFiles,
  typeCost,
} from '../../apps/server/test/consumer.js';

const here = import.meta.dirname;
const tsc = join(here, '../../node_modules/.bin/tsc');

function measure(file: string) {
  const config = join(here, `tsconfig.${file}.json`);
  writeFileSync(
    config,
    JSON.stringify({
      extends: '../../tsconfig.base.json',
      compilerOptions: {
        noEmit: true,
        composite: false,
        incremental: false,
        declaration: false,
        declarationMap: false,
      },
      files: [`${file}.ts`],
    }),
  );
  const out = execFileSync(tsc, ['-p', config, '--extendedDiagnostics'], { encoding: 'utf8' });
  const cost = diagnostics(out);
  return { consumer: file, ...cost, instantiations: cost.instantiations.toLocaleString('en') };
}

const tarball = packClient();
const consumer = createConsumer(tarball, thirtyCallsFiles);
try {
  const dist = join(consumer, 'node_modules/@gatehouse/client/dist');
  const declarations = readdirSync(dist).filter((f) => f.endsWith('.d.ts'));
  console.log(`${tarball.split('/').pop()}: ${(statSync(tarball).size / 1024).toFixed(1)} kB packed`);
  console.table(
    Object.fromEntries(
      declarations.map((f) => [`dist/${f}`, `${(statSync(join(dist, f)).size / 1024).toFixed(1)} kB`]),
    ),
  );
  console.log('A strict consumer calling 30 procedures, from the installed tarball:');
  console.table(
    [true, false].map((skipLibCheck) => {
      // Times vary with the machine's load: the fastest of three runs (instantiations never vary).
      const runs = [1, 2, 3].map(() => typeCost(consumer, skipLibCheck));
      const best = runs.reduce((a, b) => (Number.parseFloat(b.checkTime) < Number.parseFloat(a.checkTime) ? b : a));
      return { skipLibCheck, ...best, instantiations: best.instantiations.toLocaleString('en') };
    }),
  );
} finally {
  rmSync(consumer, { recursive: true, force: true });
}

console.log('Inside the monorepo, one procedure:');
console.table(['from-dts', 'from-source'].map(measure));
