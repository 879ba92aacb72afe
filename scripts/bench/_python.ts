/**
 * Shared by the benchmark modules: the PyTorch/NumPy reference side (scripts/bench/_torch.py),
 * run in a long-lived `/usr/bin/python3` child so finml and torch runs can be interleaved in
 * the same bench run. When python3 or torch is missing, `startPython` resolves to a note instead
 * and the bench reports the peer side as skipped.
 *
 * Also: the `--quick` flag (fewer repetitions), temp files for the data handed to Python, and
 * the median helper every module uses for interleaved A/B ratios.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Debian's python3 (has torch, numpy, sklearn), not the pyenv one on PATH. */
export const PYTHON = process.env.FINML_BENCH_PYTHON ?? '/usr/bin/python3';

/** True with `npm run bench -- --quick` (or FINML_BENCH_QUICK=1): fewer repetitions. */
export const QUICK = process.argv.includes('--quick') || process.env.FINML_BENCH_QUICK === '1';

/** Median of a non-empty list. */
export function median(v: readonly number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const h = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[h] as number) : ((s[h - 1] as number) + (s[h] as number)) / 2;
}

export const round = (v: number, d = 3): number => Math.round(v * 10 ** d) / 10 ** d;

/** A running Python reference process. */
export interface PythonPeer {
  readonly versions: Record<string, unknown>;
  call(cmd: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Writes a typed array to a temp file and returns its path. */
  file(name: string, data: Float32Array | Float64Array | Uint8Array): string;
  close(): void;
}

/** Starts the Python side, or returns a note saying why it is skipped. */
export async function startPython(): Promise<PythonPeer | { skipped: string }> {
  if (!existsSync(PYTHON)) return { skipped: `${PYTHON} not found: PyTorch/NumPy reference skipped` };
  const script = join(dirname(fileURLToPath(import.meta.url)), '_torch.py');
  let child: ChildProcessWithoutNullStreams;
  try {
    child = spawn(PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } });
  } catch (e) {
    return { skipped: `could not start ${PYTHON}: ${String(e)}` };
  }
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const lines: Interface = createInterface({ input: child.stdout });
  const waiting: ((line: string | null) => void)[] = [];
  lines.on('line', (l) => waiting.shift()?.(l));
  child.on('close', () => {
    for (const w of waiting.splice(0)) w(null);
  });
  const dir = mkdtempSync(join(tmpdir(), 'finml-bench-'));
  const call = (cmd: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      waiting.push((line) => {
        if (line === null) reject(new Error(`python exited: ${stderr.slice(-2000)}`));
        else resolve(JSON.parse(line) as Record<string, unknown>);
      });
      child.stdin.write(`${JSON.stringify(cmd)}\n`);
    });
  let versions: Record<string, unknown>;
  try {
    versions = await call({ cmd: 'hello' });
  } catch {
    child.kill();
    rmSync(dir, { recursive: true, force: true });
    const why = /No module named '?(\w+)/.exec(stderr)?.[1];
    return { skipped: `${PYTHON} has no ${why ?? 'torch/numpy'}: PyTorch/NumPy reference skipped (${stderr.trim().split('\n').pop() ?? ''})` };
  }
  return {
    versions,
    call: async (cmd) => {
      const r = await call(cmd);
      if (typeof r.error === 'string') throw new Error(`python ${String(cmd.cmd)}: ${r.error}`);
      return r;
    },
    file: (name, data) => {
      const p = join(dir, name);
      writeFileSync(p, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      return p;
    },
    close: () => {
      child.stdin.end();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
