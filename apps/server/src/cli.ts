import { parseArgs } from 'node:util';
import { bootstrapWithKey } from '@gatehouse/api';
import { DataDirError } from '@gatehouse/db';
import { ConfigError, loadConfig } from './config.js';
import { openDatabase } from './database.js';

const USAGE = `Usage: corepack pnpm gatehouse <command> [options]

Commands:
  bootstrap --email EMAIL --org NAME [--password PASSWORD] [--new-key] [--json]
      Creates the platform admin EMAIL and an organization NAME they own (what is missing) and prints
      an owner API key for that organization, shown once. If they already hold an active key there,
      nothing is minted and it says so (exit 1); --new-key mints another (it never expires: revoke it
      with auth.revokeKey when done). --json prints one line: {"userId","organizationId","apiKey"}.
  help
      Prints this text.

The database is the server's: DATABASE_URL, else the embedded one in GATEHOUSE_DATA_DIR (also while
the server is running: the CLI then goes through the server's socket).`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function bootstrap(args: string[]) {
  if (args.includes('--help') || args.includes('-h')) return console.log(USAGE);
  const { values } = parseArgs({
    args,
    options: {
      email: { type: 'string' },
      org: { type: 'string' },
      password: { type: 'string' },
      'new-key': { type: 'boolean', default: false },
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
      newKey: values['new-key'],
    });
    if (!result.apiKey) {
      const keys = `${result.activeKeys} active API key${result.activeKeys === 1 ? '' : 's'}`;
      console.error(
        `${values.email} already owns ${values.org} (${result.organizationId}) and holds ${keys} there: ` +
          'no key minted. Pass --new-key to mint another owner key.',
      );
      process.exitCode = 1;
    } else if (values.json) {
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
  else if (command === 'help' || command === '--help' || command === '-h') console.log(USAGE);
  else fail(command === undefined ? USAGE : `Unknown command: ${command}\n\n${USAGE}`);
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
