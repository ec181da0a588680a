import { parseArgs } from 'node:util';
import { bootstrapWithKey } from '@gatehouse/api';
import { DataDirError } from '@gatehouse/db';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';

const USAGE = `Usage: pnpm gatehouse bootstrap --email EMAIL --org NAME [--password PASSWORD] [--json]

Creates the platform admin and an organization it owns (when missing) in the configured database
(DATABASE_URL, else the embedded one in GATEHOUSE_DATA_DIR, also while the server is running) and
prints a new owner API key for that organization. The key is shown once.`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function bootstrap(args: string[]) {
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      org: { type: 'string' },
      password: { type: 'string' },
      json: { type: 'boolean', default: false },
    },
    strict: true,
  });
  if (!values.email || !values.org) fail(USAGE);
  if (values.password !== undefined && values.password.length < 12) fail('--password must be at least 12 characters');
  const config = loadConfig();
  const db = await openDatabase({ ...config, shareEmbedded: true });
  try {
    const result = await bootstrapWithKey(db.orm.em.fork(), {
      email: values.email,
      organization: values.org,
      password: values.password,
    });
    if (values.json) {
      console.log(
        JSON.stringify({ userId: result.userId, organizationId: result.organizationId, apiKey: result.apiKey.key }),
      );
    } else {
      console.log(`Platform admin:  ${result.userId} (${values.email})`);
      console.log(`Organization:    ${result.organizationId} (${values.org})`);
      console.log(`Owner API key:   ${result.apiKey.key}`);
      console.log('\nStore the key now: it is shown once and cannot be recovered.');
      if (!values.password && result.created) console.log('No password was set; sign in with the API key.');
    }
  } finally {
    await db.close();
  }
}

const [command, ...rest] = process.argv.slice(2);
try {
  if (command === 'bootstrap') await bootstrap(rest);
  else fail(USAGE);
} catch (error) {
  if (
    error instanceof ConfigError ||
    error instanceof DataDirError ||
    (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
  ) {
    fail((error as Error).message);
  }
  throw error;
}
