// A delivering process for the crash test (webhooks-crash.test.ts): it runs the webhook queue on
// DATABASE_URL, prints `SENT <webhook-id>` for each delivery it sends, and never hears back (the
// sender hangs), so the parent can SIGKILL it between "sent" and "recorded".
import { createLogTransport, createRuntime } from '@gatehouse/api';
import { openOrm } from '@gatehouse/db';

const url = process.env.DATABASE_URL as string;
const orm = await openOrm({ url, poolMax: 3 });
await createRuntime({
  orm,
  publicUrl: 'http://gatehouse.test',
  mail: createLogTransport(() => {}),
  // No GATEHOUSE_SECRET: the secret kept in the database, the same one the test's runtime uses.
  queue: {
    url,
    pollMs: 100,
    sender: (request) => {
      process.stdout.write(`SENT ${request.headers['webhook-id']}\n`);
      return new Promise(() => {});
    },
  },
  log: () => {},
});
process.stdout.write('READY\n');
