// Helpers for tests that run the real server as a separate process.
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const root = resolve(import.meta.dirname, '../../..');
export const tsx = join(root, 'node_modules/.bin/tsx');
// The server as one node process with tsx's loader, not under the tsx wrapper: a signal (SIGKILL in
// particular, which a wrapper cannot pass on) must reach the server itself, or it lives on orphaned.
const serverArgs = ['--import', import.meta.resolve('tsx'), 'apps/server/src/main.ts'];

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as { port: number };
  await new Promise((r) => server.close(r));
  return port;
}

/** The server process; with `umask`, under that umask (set by a shell that then becomes the server). */
function spawnServer(env: NodeJS.ProcessEnv, umask?: number): ChildProcess {
  if (umask === undefined) return spawn(process.execPath, serverArgs, { cwd: root, env });
  const script = `umask ${umask.toString(8).padStart(3, '0')} && exec "$@"`;
  return spawn('/bin/sh', ['-c', script, 'sh', process.execPath, ...serverArgs], { cwd: root, env });
}

/**
 * Starts `apps/server` with `env` and resolves once it listens; rejects with its output if it exits
 * first or does not listen within `timeoutMs` (then it is killed: no stray server outlives a test).
 */
export function startServer(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  { umask }: { umask?: number } = {},
): Promise<ChildProcess> {
  const child = spawnServer(env, umask);
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not listen within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk;
      if (output.includes('Gatehouse listening')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
}

/**
 * Runs `apps/server` with `env`, which should refuse to start, until it exits: its code and all it
 * printed. A server that listens instead (or hangs past `timeoutMs`) is killed, and answers code null.
 */
export function runServerToExit(
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
): Promise<{ code: number | null; output: string }> {
  const child = spawnServer(env);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let output = '';
  const read = (chunk: Buffer) => {
    output += chunk;
    if (output.includes('Gatehouse listening')) child.kill('SIGKILL');
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

export function stopServer(child: ChildProcess): Promise<number | null> {
  // Already gone (exited, or killed by a signal): 'exit' will not fire again.
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.on('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
