import { timingSafeEqual } from 'node:crypto';
import { connect, createServer, type Server, type Socket } from 'node:net';

const SSL_REQUEST = 80877103;
const PROTOCOL_3 = 196608;

const message = (type: string, body: Buffer) => {
  const head = Buffer.alloc(5);
  head.write(type, 0);
  head.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([head, body]);
};
const askPassword = () => message('R', Buffer.from([0, 0, 0, 3])); // AuthenticationCleartextPassword
const refusal = (text: string) => message('E', Buffer.from(`SFATAL\0VFATAL\0C28P01\0M${text}\0\0`, 'utf8')); // invalid_password

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * A loopback PostgreSQL listener that demands `password` before handing the connection to the
 * embedded database (PGlite's socket accepts any password, so it listens only on a unix socket in
 * a 0700 directory, `upstreamPath`). The client's startup message is checked here, the password is
 * asked for in clear text (it never leaves this machine), and once it matches, the startup message is
 * replayed upstream and the two sockets are joined.
 */
export async function startPasswordGate(opts: { password: string; upstreamPath: string }) {
  const open = new Set<Socket>();
  const server: Server = createServer((client) => {
    open.add(client);
    client.on('close', () => open.delete(client));
    gate(client, opts);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

function gate(client: Socket, { password, upstreamPath }: { password: string; upstreamPath: string }) {
  let buffered = Buffer.alloc(0);
  let startup: Buffer | undefined;
  client.on('error', () => client.destroy());
  const onData = (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (buffered.length > 64 * 1024) return client.destroy(); // no startup is this long
    if (!startup) {
      if (buffered.length < 8) return;
      const length = buffered.readInt32BE(0);
      if (length < 8 || buffered.length < length) return;
      const code = buffered.readInt32BE(4);
      const packet = buffered.subarray(0, length);
      buffered = buffered.subarray(length);
      if (code === SSL_REQUEST) return void client.write('N'); // no TLS on loopback; the startup follows
      if (code !== PROTOCOL_3) return client.destroy();
      startup = Buffer.from(packet);
      client.write(askPassword());
      return;
    }
    if (buffered.length < 5) return;
    const length = buffered.readInt32BE(1);
    if (buffered.length < length + 1) return;
    const given = buffered[0] === 0x70 /* p */ ? buffered.subarray(5, length).toString('utf8').replace(/\0$/, '') : '';
    client.off('data', onData);
    if (!equal(given, password)) {
      client.end(refusal('password authentication failed for the embedded database'));
      return;
    }
    const upstream = connect(upstreamPath, () => {
      upstream.write(startup as Buffer);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  };
  client.on('data', onData);
}
