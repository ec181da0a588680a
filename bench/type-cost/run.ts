// Prints what a consumer pays in the type checker to use the client: instantiations (deterministic,
// the number to watch), check time and memory. Run: corepack pnpm bench:types (after tsc -b).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

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
  const pick = (label: string) => out.match(new RegExp(`^${label}:\\s+(.+)$`, 'm'))?.[1]?.trim() ?? '?';
  return {
    consumer: file,
    instantiations: pick('Instantiations'),
    types: pick('Types'),
    checkTime: pick('Check time'),
    memory: pick('Memory used'),
    files: pick('Files'),
  };
}

console.table(['from-dts', 'from-source'].map(measure));
