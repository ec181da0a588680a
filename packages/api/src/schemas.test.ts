// `@gatehouse/api/schemas` must bundle for a browser: one import of a Node built-in or of MikroORM
// anywhere under it (a schema taking a constant from `@gatehouse/db` rather than `@gatehouse/db/values`,
// say) would break every form that validates with it.
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { useRegisteredPermissions, ZCreateRoleInput, ZInviteInput } from './schemas.js';

describe('@gatehouse/api/schemas', () => {
  it('bundles for a browser without a Node built-in or the database', async () => {
    const result = await build({
      entryPoints: [fileURLToPath(new URL('./schemas.ts', import.meta.url))],
      bundle: true,
      platform: 'browser',
      format: 'esm',
      write: false,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((file) => /^node:|@mikro-orm|\/pg\/|packages\/db\/src\/(?!values\.ts)/.test(file))).toEqual(
      [],
    );
    expect(inputs).toContain('packages/db/src/values.ts');
  });

  it('validates as the server does, registered permissions once the browser is told of them', () => {
    const organizationId = 'org_0123456789abcdefghjkmnpqrs';
    expect(ZInviteInput.safeParse({ organizationId, email: 'not an email' }).success).toBe(false);
    const role = { organizationId, key: 'auditor', name: 'Auditor', permissions: ['workflows:read'] };
    expect(ZCreateRoleInput.safeParse(role).success).toBe(false);
    useRegisteredPermissions([{ key: 'workflows:read', description: null, grantedTo: [] }]);
    expect(ZCreateRoleInput.safeParse(role).success).toBe(true);
    useRegisteredPermissions([]);
  });
});
