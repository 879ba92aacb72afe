/**
 * Helper of scripts/bench/data.ts (not a benchmark module: files starting with '_' are skipped by
 * scripts/bench.ts). Runs ONE CSV read in a fresh process so that its peak memory is its own:
 *
 *   node [--expose-gc] [--max-old-space-size=N] --import tsx scripts/bench/_csvReader.ts <finml|finml-stream|papaparse> <file> [maxRowBytes]
 *
 * Prints one JSON line: { rows, ms, baselineRssMB, peakRssMB, retainedHeapMB? } (or { error } / { unavailable }).
 * The time covers reading the file and parsing it into typed columns.
 */
import { readFileSync } from 'node:fs';
import { readCsv } from '../../src/node/readCsv';
import { streamCsv } from '../../src/node/streamCsv';

const mb = (b: number): number => Math.round((b / 2 ** 20) * 10) / 10;

interface PapaModule {
  parse(text: string, config: { header: boolean; dynamicTyping: boolean; skipEmptyLines: boolean }): { data: unknown[] };
}

async function main(): Promise<void> {
  const [mode, file, limit] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: _csvReader.ts <mode> <file>');
  let papa: PapaModule | undefined;
  if (mode === 'papaparse') {
    try {
      const name = 'papaparse';
      const m = (await import(name)) as { default?: PapaModule } & PapaModule;
      papa = m.default ?? m;
    } catch {
      process.stdout.write(`${JSON.stringify({ unavailable: 'papaparse not installed' })}\n`);
      return;
    }
  }
  const baseline = process.memoryUsage().rss;
  const t0 = performance.now();
  let rows = 0;
  let batches = 0;
  // With --expose-gc (streaming): live heap after a full GC every 10 batches, minus the heap before.
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let retained = 0;
  try {
    if (mode === 'finml') {
      rows = (await readCsv(file)).nRows;
    } else if (mode === 'finml-stream') {
      const opts = limit === undefined ? { batchSize: 10000 } : { batchSize: 10000, maxRowBytes: Number(limit), maxFieldBytes: Number(limit) };
      for await (const b of streamCsv(file, opts)) {
        rows += b.nRows;
        batches++;
        if (gc !== undefined && batches % 10 === 0) {
          gc();
          retained = Math.max(retained, process.memoryUsage().heapUsed - heap0);
        }
      }
    } else if (mode === 'papaparse' && papa !== undefined) {
      rows = papa.parse(readFileSync(file, 'utf8'), { header: true, dynamicTyping: true, skipEmptyLines: true }).data.length;
    } else {
      throw new Error(`unknown mode ${mode}`);
    }
  } catch (e) {
    const ms = performance.now() - t0;
    process.stdout.write(
      `${JSON.stringify({ error: e instanceof Error ? `${e.name}: ${e.message.slice(0, 200)}` : String(e), ms, baselineRssMB: mb(baseline), peakRssMB: mb(process.resourceUsage().maxRSS * 1024) })}\n`,
    );
    return;
  }
  const ms = performance.now() - t0;
  const retainedHeapMB = gc === undefined ? undefined : mb(retained);
  process.stdout.write(`${JSON.stringify({ rows, batches, ms, baselineRssMB: mb(baseline), peakRssMB: mb(process.resourceUsage().maxRSS * 1024), retainedHeapMB })}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
