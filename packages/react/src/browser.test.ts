// The components run in an integrator's browser bundle: nothing under them may need Node or the
// database (importing `@gatehouse/api` rather than its `schemas` entry would pull in both).
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

describe('@gatehouse/react', () => {
  it('bundles for a browser without a Node built-in or the database', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./index.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      jsx: 'automatic',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((file) => /^node:|@mikro-orm|\/pg\/|packages\/db\/src\/(?!values\.ts)/.test(file))).toEqual(
      [],
    );
    expect(inputs).toContain('packages/react/src/members-table.tsx');
  });
});
