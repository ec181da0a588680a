// examples/complete-example.ts (seed 000's Complete Example, ported) run as a user runs it: its own
// process, an owner's API key, a live server.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { EXAMPLE_PERMISSIONS, ownerWithKey, registerPermissions } from '@gatehouse/api/testing';
import { describe, expect, it } from 'vitest';
import { useServedRuntime } from './listen.js';
import { root } from './processes.js';

const env = useServedRuntime();

describe('examples/complete-example.ts', () => {
  it('runs start to finish against a server', async () => {
    // The operator has registered the permissions of the product the example is about.
    await registerPermissions(env.runtime, EXAMPLE_PERMISSIONS);
    const owner = await ownerWithKey(env.db.orm, 'Example Corp');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', import.meta.resolve('tsx'), 'examples/complete-example.ts'],
      { cwd: root, env: { ...process.env, GATEHOUSE_URL: env.url, GATEHOUSE_API_KEY: owner.key } },
    );
    expect(stdout).toContain(`Organization: ${owner.organizationId}`);
    expect(stdout).toContain('Roles: owner');
    expect(stdout).toMatch(/Key: gh_[a-z0-9]{8}\.\.\. \(save the full key securely\)/);
    expect(stdout).toContain(`=== Organization Members (${owner.organizationId}) ===`);
    expect(stdout).toContain(`(${owner.email}) — owner [owner]`);
    expect(stdout).toContain(' data-engineer@company.com — pending');
    expect(stdout).toContain('Balance: 0 credits');
    expect(stdout).toMatch(/User ID: usr_[0-9a-z]{26}/);
    const activeUsers = stdout.slice(stdout.indexOf('=== Active Users ==='), stdout.indexOf('=== Creating Service'));
    expect(activeUsers).toContain(`(${owner.email}) — owner`);
    expect(stdout).toMatch(/ data-pipeline-key \(gh_[a-z0-9]{8}\.\.\.\) — last used: never/);
    expect(stdout).toMatch(/Rotated key: gh_[a-z0-9]{8}\.\.\./);
    expect(stdout).toContain('=== Recent Transactions ===');
  });
});
