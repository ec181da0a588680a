// The Complete Example of the Strongly SDK's documentation, ported line for line.
// Run: GATEHOUSE_URL=http://localhost:3000 GATEHOUSE_API_KEY=gh_… corepack pnpm exec tsx examples/complete-example.ts
//
// The scopes are permissions of the integrator's own: the deployment's operator registers them first
// (`platform.permissions.create`, or GATEHOUSE_PERMISSIONS_FILE), and an owner holds every one. Two
// differences remain, each forced by what the original relies on: `organizationId` is checked, since a
// caller may belong to no organization, and `users.create` gets no `password`: an API key never chooses
// another person's password (the new account is mailed a link to choose its own; a person signed in may
// still pass one).
import { createGatehouseClient } from '@gatehouse/client';

async function main() {
  const client = createGatehouseClient({ url: process.env.GATEHOUSE_URL ?? '', apiKey: process.env.GATEHOUSE_API_KEY });

  // --- Verify session ---
  console.log('=== Current Session ===');
  const me = await client.auth.whoami();
  console.log(`User: ${me.name} (${me.email})`);
  console.log(`Organization: ${me.organization?.id}`);
  console.log(`Roles: ${me.roles}`);

  // --- Create a scoped API key ---
  console.log('\n=== Creating API Key ===');
  const key = await client.auth.createKey({
    name: 'data-pipeline-key',
    scopes: ['workflows:read', 'workflows:execute', 'executions:read'],
    expiresInDays: 30,
  });
  console.log(`Key: ${key.keyPrefix}... (save the full key securely)`);
  console.log(`Expires: ${key.expiresAt?.toISOString()}`);

  // --- List team members ---
  const myProfile = await client.users.me();
  const orgId = myProfile.organizationId;
  if (!orgId) throw new Error('This key belongs to no organization');

  console.log(`\n=== Organization Members (${orgId}) ===`);
  const members = client.organizations.members(orgId);
  for await (const m of members) {
    const ownerTag = m.isOwner ? ' [owner]' : '';
    console.log(` ${m.name} (${m.email}) — ${m.role}${ownerTag}`);
  }

  // --- Invite a new team member ---
  console.log('\n=== Sending Invitation ===');
  await client.organizations.invite(orgId, { email: 'data-engineer@company.com', role: 'member' });
  console.log('Invitation sent to data-engineer@company.com');

  const invitations = client.organizations.listInvitations(orgId);
  for await (const inv of invitations) {
    console.log(` ${inv.email} — ${inv.status}`);
  }

  // --- Check credits ---
  console.log('\n=== Credits ===');
  const credits = await client.organizations.credits(orgId);
  console.log(`Balance: ${credits.balance} ${credits.currency}`);
  console.log(`Used: ${credits.totalUsed}`);

  // --- List users ---
  console.log('\n=== Active Users ===');
  for await (const user of client.users.list({ active: true })) {
    console.log(` ${user.name} (${user.email}) — ${user.role}`);
  }

  // --- Create a service account user ---
  console.log('\n=== Creating Service Account ===');
  const svcUser = await client.users.create({
    email: 'ci-bot@company.com',
    name: 'CI Bot',
    role: 'user',
  });
  console.log(`User ID: ${svcUser.id}`);

  // --- Manage API keys ---
  console.log('\n=== API Key Management ===');
  for await (const key of client.auth.listKeys({ status: 'active' })) {
    console.log(` ${key.name} (${key.keyPrefix}...) — last used: ${key.lastUsedAt?.toISOString() ?? 'never'}`);
  }

  // Rotate the key we created earlier
  const rotated = await client.auth.rotateKey(key.id);
  console.log(`\nRotated key: ${rotated.keyPrefix}...`);

  // --- View transaction history ---
  console.log('\n=== Recent Transactions ===');
  const transactions = (await client.organizations.transactions(orgId, { limit: 5 }).page()).items;
  for (const tx of transactions) {
    console.log(` ${tx.createdAt.toISOString()} — ${tx.type}: ${tx.amount}`);
  }
}

await main();
