/**
 * Data-layer benchmark: CSV parsing throughput (MB/s and rows/s) of `parseCsv` on the whole text
 * and of `parseCsvStream` over 64 KiB byte chunks, for german_credit.csv repeated to ~15 MB; then
 * `tabularPipeline` fit and transform rows/s on the parsed rows. With `node --expose-gc`, the
 * retained heap during the streaming parse is reported (bounded by the batch size, not the file).
 *
 * Part of `npm run bench`; standalone: `npx tsx scripts/bench/data.ts` (prints JSON).
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseCsv } from '../../src/data/parseCsv';
import { parseCsvStream } from '../../src/data/parseCsvStream';
import { tabularPipeline } from '../../src/data/tabularPipeline';
import { runIfMain } from './_standalone';

const now = (): number => performance.now();
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

async function* byteChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

export async function run(): Promise<Record<string, unknown>> {
  const path = fileURLToPath(new URL('../../data/german_credit.csv', import.meta.url));
  const text = readFileSync(path, 'utf8');
  const nl = text.indexOf('\n');
  const header = text.slice(0, nl + 1);
  const body = text.slice(nl + 1);
  const copies = 100;
  const big = header + body.repeat(copies);
  const rows = 1000 * copies;
  const mb = Buffer.byteLength(big) / 2 ** 20;

  let t0 = now();
  const table = parseCsv(big);
  const parseMs = now() - t0;

  const bytes = new TextEncoder().encode(big);
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  let peak = heap0;
  let streamed = 0;
  t0 = now();
  for await (const b of parseCsvStream(byteChunks(bytes, 65536), { batchSize: 10000 })) {
    streamed += b.nRows;
    if (gc !== undefined) {
      gc();
      peak = Math.max(peak, process.memoryUsage().heapUsed);
    }
  }
  const streamMs = now() - t0;

  t0 = now();
  const prep = tabularPipeline({ target: 'Class', positive: 'Bad' }).fit(table);
  const fitMs = now() - t0;
  t0 = now();
  const m = prep.transformDense(table);
  const transformMs = now() - t0;

  return {
    csvMB: round(mb),
    rows,
    parseCsv: { ms: round(parseMs), mbPerS: round(mb / (parseMs / 1000)), rowsPerS: Math.round(rows / (parseMs / 1000)) },
    parseCsvStream: {
      ms: round(streamMs),
      mbPerS: round(mb / (streamMs / 1000)),
      rowsPerS: Math.round(streamed / (streamMs / 1000)),
      batchSize: 10000,
      retainedHeapMB: gc === undefined ? null : round((peak - heap0) / 2 ** 20),
    },
    tabularPipeline: {
      features: m.cols,
      fitRowsPerS: Math.round(rows / (fitMs / 1000)),
      transformRowsPerS: Math.round(rows / (transformMs / 1000)),
    },
  };
}

runIfMain(import.meta.url, run);
