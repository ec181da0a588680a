// Servers under test run as child processes of their own, so the load generator and the server do
// not share an event loop. A child prints `listening <port>` once it accepts connections and
// answers 'cpu-usage' over IPC (see whoami/child.ts).
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname } from 'node:path';
import { onCleanup } from './harness.js';

export interface Child {
  name: string;
  process: ChildProcess;
  port: number;
}

const children = new Set<ChildProcess>();
const tsxLoader = import.meta.resolve('tsx');
let cleanupRegistered = false;

/**
 * Spawns `node [nodeFlags] --import tsx <script>` and waits for its `listening <port>` line. Every
 * child still running is stopped at the end of the run (registered with the harness on first use:
 * call this after opening the database, so the children stop before it is dropped).
 */
export function startChild(
  name: string,
  script: string,
  env: Record<string, string>,
  nodeFlags: string[] = [],
): Promise<Child> {
  if (!cleanupRegistered) {
    cleanupRegistered = true;
    onCleanup(async () => {
      await Promise.all([...children].map(stopChild));
    });
  }
  const child = spawn(process.execPath, [...nodeFlags, '--import', tsxLoader, script], {
    cwd: dirname(import.meta.dirname),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  children.add(child);
  child.on('exit', () => children.delete(child));
  child.stderr?.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) process.stderr.write(`[${name}] ${line}\n`);
  });
  return new Promise<Child>((resolveChild, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name}: no "listening <port>" within 60 s`)), 60_000);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening (code ${code}, signal ${signal})`));
    };
    child.once('exit', onExit);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^listening (\d+)$/m.exec(out);
      if (!match) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      child.stdout?.removeAllListeners('data');
      child.stdout?.resume();
      resolveChild({ name, process: child, port: Number(match[1]) });
    });
  });
}

/** The child's own process.cpuUsage() (all its threads: GC and libuv included), asked over IPC. */
export function childCpuMicros(child: ChildProcess): Promise<number> {
  return new Promise((resolveUsage, reject) => {
    const timer = setTimeout(() => reject(new Error('no cpu-usage answer from the child within 10 s')), 10_000);
    child.once('message', (usage: NodeJS.CpuUsage) => {
      clearTimeout(timer);
      resolveUsage(usage.user + usage.system);
    });
    child.send('cpu-usage');
  });
}

/**
 * How many queries the child has sent so far (whoami/serve-gatehouse.ts counts them), asked over IPC.
 * Ask it and childCpuMicros one after the other, never at once: each takes the next message.
 */
export function childQueryCount(child: ChildProcess): Promise<number> {
  return new Promise((resolveCount, reject) => {
    const timer = setTimeout(() => reject(new Error('no query-count answer from the child within 10 s')), 10_000);
    child.once('message', (answer: { queries: number }) => {
      clearTimeout(timer);
      resolveCount(answer.queries);
    });
    child.send('query-count');
  });
}

/** SIGTERM (the child closes its server and pool and exits 0, writing any CPU profile), SIGKILL after 15 s. */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  child.kill('SIGTERM');
  const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(force);
}
