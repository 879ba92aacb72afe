/**
 * Shared by the benchmark modules in scripts/bench/: lets each one also run on its own
 * (`npx tsx scripts/bench/<name>.ts` prints its JSON). Files starting with '_' are helpers,
 * not benchmark modules: scripts/bench.ts skips them.
 */
import { pathToFileURL } from 'node:url';

/**
 * Runs `run` and prints its result as JSON when `moduleUrl` (the caller's `import.meta.url`) is the
 * script Node was started with; does nothing when the module is imported by scripts/bench.ts.
 */
export function runIfMain(moduleUrl: string, run: () => Promise<Record<string, unknown>>): void {
  if (moduleUrl !== pathToFileURL(process.argv[1] ?? '').href) return;
  run().then(
    (r) => process.stdout.write(`${JSON.stringify(r, null, 2)}\n`),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exit(1);
    },
  );
}
