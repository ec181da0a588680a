// Reads a V8 .cpuprofile (what `node --cpu-prof` writes) and ranks functions by self time.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  /** Microseconds on the monotonic clock, the one process.hrtime reads. */
  startTime: number;
  endTime: number;
  samples?: number[];
  timeDeltas?: number[];
}

export interface SelfTime {
  /** `functionName location:line` */
  name: string;
  samples: number;
  percent: number;
}

export interface ProfileSummary {
  totalSamples: number;
  /** Whether only samples inside the requested window were counted (else the whole profile). */
  windowed: boolean;
  functions: SelfTime[];
  packages: SelfTime[];
}

/** A url as a short location: the path after the last node_modules/, or relative to `root`. */
function shortLocation(url: string, root: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? new URL(url).pathname : url;
  const inModules = path.lastIndexOf('node_modules/');
  if (inModules >= 0) return path.slice(inModules + 'node_modules/'.length);
  return path.startsWith(root) ? path.slice(root.length) : path;
}

/** The package (or workspace folder, or "node internals") a location belongs to. */
function packageOf(location: string, functionName: string): string {
  if (!location) return functionName.startsWith('(') ? functionName : '(native / V8 builtins)';
  if (location.startsWith('node:')) return 'node internals';
  const parts = location.split('/');
  if (location.startsWith('@')) return parts.slice(0, 2).join('/');
  if (parts[0] === 'packages' || parts[0] === 'apps' || parts[0] === 'bench') return parts.slice(0, 2).join('/');
  return parts[0] ?? location;
}

function rank(counts: Map<string, number>, total: number, top: number): SelfTime[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, samples]) => ({ name, samples, percent: (100 * samples) / total }));
}

/**
 * Self time per function (`functionName url:line`) and per package, as shares of all samples.
 * With `window` ([start, end] in microseconds of process.hrtime), only samples taken inside it
 * count, so start-up (module loading, ORM discovery) does not drown the request path.
 */
export function summarizeProfile(
  file: string,
  { root, top = 15, window }: { root: string; top?: number; window?: [number, number] },
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));

  // Hits per node: from the timed samples when a window is asked for, else the nodes' hitCount.
  const hits = new Map<number, number>();
  let windowed = false;
  if (window && profile.samples && profile.timeDeltas) {
    let t = profile.startTime;
    for (let i = 0; i < profile.samples.length; i++) {
      t += profile.timeDeltas[i] ?? 0;
      if (t < window[0] || t > window[1]) continue;
      const id = profile.samples[i] as number;
      hits.set(id, (hits.get(id) ?? 0) + 1);
    }
    windowed = hits.size > 0;
  }
  if (!windowed) {
    hits.clear();
    for (const node of profile.nodes) if (node.hitCount) hits.set(node.id, node.hitCount);
  }

  const functions = new Map<string, number>();
  const packages = new Map<string, number>();
  let totalSamples = 0;
  for (const [id, count] of hits) {
    const node = byId.get(id);
    if (!node) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const location = shortLocation(url, root);
    const name = `${functionName || '(anonymous)'}${location ? ` ${location}:${lineNumber + 1}` : ''}`;
    functions.set(name, (functions.get(name) ?? 0) + count);
    const pkg = packageOf(location, functionName);
    packages.set(pkg, (packages.get(pkg) ?? 0) + count);
    totalSamples += count;
  }
  return {
    totalSamples,
    windowed,
    functions: rank(functions, totalSamples, top),
    packages: rank(packages, totalSamples, top),
  };
}
