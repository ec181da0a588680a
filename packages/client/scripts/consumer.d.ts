/** Runs `corepack pnpm pack:client`'s script and returns the tarball's absolute path. */
export declare function packClient(): string;
/**
 * An empty project with the tarball, typescript and @types/node installed by npm (at the versions
 * this repository uses), plus `files`. npm's cache lives under node_modules/.cache, so repeated runs
 * work offline.
 */
export declare function createConsumer(
  tarball: string,
  files: Record<string, string>,
  extraPackages?: string[],
): string;
/** `tsc -p` in the consumer; returns its output and whether it passed (never throws on type errors). */
export declare function typeCheck(
  dir: string,
  args?: string[],
): {
  ok: boolean;
  output: string;
};
//# sourceMappingURL=consumer.d.ts.map
