/**
 * Data-layer benchmark.
 *
 * 1. Reference readers on a ~100 MB mixed CSV (ids, dates, tickers, prices, volumes, a rate with
 *    missing cells, ratings with 'NA', free-text notes with quoted commas and doubled quotes, a
 *    flag), generated from a fixed seed into the OS temp dir (never committed; reused when present):
 *    finml `readCsv` vs papaparse (`header` + `dynamicTyping`, on the file's text) vs pandas
 *    `read_csv` (Debian's /usr/bin/python3), each read in a fresh process so that peak RSS is its
 *    own; runs interleaved (order rotated per round), rows/s ratios per round, median reported.
 *    Goals (issue #11): finml ≥ 1.0× papaparse, ≥ 0.3× pandas, peak RSS increase ≤ 3× file size.
 *    papaparse is used when importable (a devDependency), else reported as "papaparse not
 *    installed"; pandas likewise when /usr/bin/python3 has it.
 * 2. Streaming stays bounded: `streamCsv` over the same file (peak RSS increase, independent of the
 *    file size), and over a file whose first field opens a quote that never closes (must end in a
 *    DataError once `maxRowBytes` is passed, with memory bounded by that limit, not the file).
 * 3. In-process figures kept from before: parseCsv / parseCsvStream MB/s on german_credit.csv × 100
 *    and tabularPipeline fit/transform rows/s.
 *
 * Part of `npm run bench`; standalone: `npx tsx scripts/bench/data.ts` (prints JSON).
 * Environment: FINML_BENCH_CSV_ROWS (default 1080000), FINML_BENCH_CSV_ROUNDS (default 3).
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRng } from '../../src/core/random';
import { parseCsv } from '../../src/data/parseCsv';
import { parseCsvStream } from '../../src/data/parseCsvStream';
import { tabularPipeline } from '../../src/data/tabularPipeline';
import { runIfMain } from './_standalone';

const now = (): number => performance.now();
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

async function* byteChunks(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const TICKERS = Array.from({ length: 40 }, (_, i) => `T${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + ((i * 7) % 26))}${i}`);
const RATINGS = ['AAA', 'AA', 'A', 'BBB', 'BB', 'B', 'CCC'];
const NOTES = ['', '', '', '', '', 'ok', 'late', '"late, paid"', '"said ""ok"""', 'restructured', '"call back, Tue"'];

/** Writes the mixed CSV (seeded) unless a file of that name exists; returns its path. */
function mixedCsv(rows: number): string {
  const path = join(tmpdir(), `finml-bench-mixed-${rows}-v1.csv`);
  if (existsSync(path)) return path;
  const rng = createRng(20261202);
  const fd = openSync(`${path}.part`, 'w');
  const day0 = Date.UTC(2000, 0, 1);
  let buf = 'id,date,ticker,open,high,low,close,volume,amount,rate,rating,segment,note,flag\n';
  for (let i = 0; i < rows; i++) {
    const date = new Date(day0 + (i % 5000) * 86400000).toISOString().slice(0, 10);
    const open = 20 + rng.next() * 300;
    const hi = open * (1 + rng.next() * 0.03);
    const lo = open * (1 - rng.next() * 0.03);
    const close = lo + (hi - lo) * rng.next();
    const rate = rng.next() < 0.01 ? '' : (rng.next() * 0.1).toFixed(5);
    const rating = rng.next() < 0.02 ? 'NA' : (RATINGS[rng.int(RATINGS.length)] as string);
    buf += `${i + 1},${date},${TICKERS[rng.int(TICKERS.length)] as string},${open.toFixed(2)},${hi.toFixed(2)},${lo.toFixed(2)},${close.toFixed(2)},${rng.int(10_000_000)},${(rng.normal() * 20000).toFixed(3)},${rate},${rating},segment-${rng.int(60)},${NOTES[rng.int(NOTES.length)] as string},${rng.int(2)}\n`;
    if (buf.length > 1 << 20) {
      writeSync(fd, buf);
      buf = '';
    }
  }
  writeSync(fd, buf);
  closeSync(fd);
  execFileSync('mv', [`${path}.part`, path]);
  return path;
}

/** A file whose first data field opens a quote that never closes, followed by `mb` MB of lines. */
function unclosedQuoteCsv(mb: number): string {
  const path = join(tmpdir(), `finml-bench-unclosed-${mb}-v1.csv`);
  if (existsSync(path)) return path;
  const fd = openSync(`${path}.part`, 'w');
  writeSync(fd, 'a,b\n"never closed,1\n');
  const line = `${'x'.repeat(99)}\n`.repeat(10000);
  for (let written = 0; written < mb * 2 ** 20; written += line.length) writeSync(fd, line);
  closeSync(fd);
  execFileSync('mv', [`${path}.part`, path]);
  return path;
}

interface ReaderRun {
  readonly rows?: number;
  readonly batches?: number;
  readonly ms?: number;
  readonly baselineRssMB?: number;
  readonly peakRssMB?: number;
  readonly error?: string;
  readonly unavailable?: string;
  readonly retainedHeapMB?: number;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HELPER = fileURLToPath(new URL('./_csvReader.ts', import.meta.url));

function runNode(mode: string, file: string, extra: readonly string[] = [], nodeFlags: readonly string[] = []): ReaderRun {
  try {
    const out = execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', HELPER, mode, file, ...extra], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 20, stdio: ['ignore', 'pipe', 'pipe'] });
    return JSON.parse(out.trim().split('\n').pop() as string) as ReaderRun;
  } catch (e) {
    // A crashed child (e.g. out of memory under a heap cap) is a result, not a bench failure.
    const stderr = String((e as { stderr?: unknown }).stderr ?? '');
    return { error: `child process failed (${(e as { status?: number }).status ?? '?'}): ${stderr.split('\n').filter((l) => l.trim() !== '').slice(-2).join(' | ').slice(0, 300)}` };
  }
}

const PANDAS = `
import json, sys, time, resource, os
try:
    import pandas as pd
except Exception as e:
    print(json.dumps({"unavailable": "pandas not importable: %s" % e})); sys.exit(0)
page = os.sysconf("SC_PAGE_SIZE")
with open("/proc/self/statm") as f:
    base = int(f.read().split()[1]) * page
t0 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
ms = (time.perf_counter() - t0) * 1000
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"rows": len(df), "ms": ms, "baselineRssMB": round(base / 2**20, 1), "peakRssMB": round(peak / 2**20, 1), "pandas": pd.__version__}))
`;

function runPandas(file: string): ReaderRun {
  if (!existsSync('/usr/bin/python3')) return { unavailable: '/usr/bin/python3 not found' };
  const out = execFileSync('/usr/bin/python3', ['-c', PANDAS, file], { encoding: 'utf8', maxBuffer: 1 << 20 });
  return JSON.parse(out.trim().split('\n').pop() as string) as ReaderRun;
}

const rowsPerS = (r: ReaderRun): number | undefined => (r.rows !== undefined && r.ms !== undefined ? r.rows / (r.ms / 1000) : undefined);
const deltaMB = (r: ReaderRun): number | undefined => (r.peakRssMB !== undefined && r.baselineRssMB !== undefined ? round(r.peakRssMB - r.baselineRssMB) : undefined);

function summary(runs: readonly ReaderRun[]): Record<string, unknown> {
  const note = runs.find((r) => r.unavailable !== undefined || r.error !== undefined);
  if (note !== undefined) return { note: note.unavailable ?? note.error };
  return {
    rows: runs[0]?.rows,
    medianRowsPerS: Math.round(median(runs.map((r) => rowsPerS(r) as number))),
    medianMs: Math.round(median(runs.map((r) => r.ms as number))),
    peakRssMB: median(runs.map((r) => r.peakRssMB as number)),
    peakRssIncreaseMB: median(runs.map((r) => deltaMB(r) as number)),
  };
}

async function referenceReaders(): Promise<Record<string, unknown>> {
  const rows = Number(process.env.FINML_BENCH_CSV_ROWS ?? 1080000);
  const rounds = Number(process.env.FINML_BENCH_CSV_ROUNDS ?? 3);
  const file = mixedCsv(rows);
  const fileMB = statSync(file).size / 2 ** 20;
  const readers: Record<string, () => ReaderRun> = {
    finml: () => runNode('finml', file),
    papaparse: () => runNode('papaparse', file),
    pandas: () => runPandas(file),
  };
  const names = Object.keys(readers);
  const runs: Record<string, ReaderRun[]> = { finml: [], papaparse: [], pandas: [] };
  const vsPapa: number[] = [];
  const vsPandas: number[] = [];
  for (let k = 0; k < rounds; k++) {
    const got: Record<string, ReaderRun> = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[(i + k) % names.length] as string;
      const r = (readers[name] as () => ReaderRun)();
      got[name] = r;
      (runs[name] as ReaderRun[]).push(r);
    }
    const f = rowsPerS(got.finml as ReaderRun);
    const p = rowsPerS(got.papaparse as ReaderRun);
    const d = rowsPerS(got.pandas as ReaderRun);
    if (f !== undefined && p !== undefined) vsPapa.push(f / p);
    if (f !== undefined && d !== undefined) vsPandas.push(f / d);
  }
  const finml = summary(runs.finml as ReaderRun[]);
  const inc = finml.peakRssIncreaseMB as number | undefined;
  return {
    file: { path: file, MB: round(fileMB), rows },
    rounds,
    finml: { ...finml, peakRssIncreaseOverFileSize: inc === undefined ? null : round(inc / fileMB, 2) },
    papaparse: summary(runs.papaparse as ReaderRun[]),
    pandas: summary(runs.pandas as ReaderRun[]),
    ratios: {
      finmlOverPapaparseRowsPerS: vsPapa.length > 0 ? round(median(vsPapa), 2) : 'papaparse not installed',
      finmlOverPandasRowsPerS: vsPandas.length > 0 ? round(median(vsPandas), 2) : 'pandas not available (/usr/bin/python3 with pandas)',
      perRound: { vsPapaparse: vsPapa.map((x) => round(x, 2)), vsPandas: vsPandas.map((x) => round(x, 2)) },
    },
    goals: { vsPapaparse: '>= 1.0', vsPandas: '>= 0.3', peakRssIncreaseOverFileSize: '<= 3' },
  };
}

function streamingBounds(file: string, fileMB: number, rows: number): Record<string, unknown> {
  const whole = runNode('finml-stream', file, [], ['--expose-gc']);
  const smallFile = mixedCsv(Math.round(rows / 10));
  const small = runNode('finml-stream', smallFile, [], ['--expose-gc']);
  // The whole file through a process whose V8 old space is capped at 64 MB: it could not finish if
  // memory grew with the file.
  const capped = runNode('finml-stream', file, [], ['--max-old-space-size=64']);
  const bad = unclosedQuoteCsv(50);
  const limit = 1 << 20;
  const unclosed = runNode('finml-stream', bad, [String(limit)]);
  const unclosedDefault = runNode('finml-stream', bad);
  return {
    streamCsv: {
      fileMB: round(fileMB),
      rows: whole.rows,
      batches: whole.batches,
      rowsPerS: Math.round(rowsPerS(whole) ?? 0),
      retainedHeapMB: whole.retainedHeapMB,
      peakRssIncreaseMB: deltaMB(whole),
      error: whole.error,
    },
    streamCsvTenthOfTheFile: { fileMB: round(statSync(smallFile).size / 2 ** 20), rows: small.rows, retainedHeapMB: small.retainedHeapMB, peakRssIncreaseMB: deltaMB(small), error: small.error },
    streamCsvOldSpaceCapped64MB: { rows: capped.rows, peakRssIncreaseMB: deltaMB(capped), error: capped.error },
    unclosedQuote: {
      fileMB: round(statSync(bad).size / 2 ** 20),
      maxRowBytes1MiB: { error: unclosed.error ?? 'none (expected a DataError)', ms: Math.round(unclosed.ms ?? 0), peakRssIncreaseMB: deltaMB(unclosed) },
      defaultLimits: { error: unclosedDefault.error ?? 'none (expected a DataError)', ms: Math.round(unclosedDefault.ms ?? 0), peakRssIncreaseMB: deltaMB(unclosedDefault) },
    },
  };
}

async function inProcess(): Promise<Record<string, unknown>> {
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

export async function run(): Promise<Record<string, unknown>> {
  const germanCredit = await inProcess();
  const readers = await referenceReaders();
  const file = (readers.file as { path: string; MB: number }).path;
  const streaming = streamingBounds(file, (readers.file as { MB: number }).MB, (readers.file as { rows: number }).rows);
  return { readCsv100MB: readers, streaming, germanCreditX100: germanCredit };
}

runIfMain(import.meta.url, run);
