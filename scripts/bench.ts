/**
 * `npm run bench`: runs every benchmark module in scripts/bench/ (each exports
 * `run(): Promise<Record<string, unknown>>`; files starting with '_' are shared helpers) and prints
 * one JSON document on stdout.
 * Speed and memory goals live here, never in unit tests.
 *
 * Usage: npm run bench [-- [--quick] name ...]   (e.g. `npm run bench -- explain`; `--quick`: fewer
 * repetitions, for a run of a few minutes)
 * The JSON also goes to out/bench.json (npm prints its own banner on stdout; `npm run -s bench`
 * prints the JSON alone).
 */
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface BenchModule {
  run(): Promise<Record<string, unknown>>;
}

async function main(): Promise<void> {
  const dir = join(dirname(fileURLToPath(import.meta.url)), 'bench');
  const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.replace(/\.ts$/, ''))
    .filter((n) => only.length === 0 || only.includes(n))
    .sort();
  const results: Record<string, unknown> = {};
  for (const name of names) {
    const mod = (await import(pathToFileURL(join(dir, `${name}.ts`)).href)) as BenchModule;
    const t0 = performance.now();
    results[name] = await mod.run();
    process.stderr.write(`bench ${name}: ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const report = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    results,
  };
  const json = `${JSON.stringify(report, null, 2)}\n`;
  const outDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'out');
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, 'bench.json'), json);
  process.stdout.write(json);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
