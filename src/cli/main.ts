/**
 * The `finml` command: `finml train`, `finml predict`, `finml explain`.
 * Exit codes: 0 success, 1 data/model error (bad file, ragged CSV, unknown column), 2 usage error.
 *
 * @module
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { FinmlError } from '../core/errors';
import { useBackend, type BackendName } from '../core/backend';
import { explainCommand, predictCommand, trainCommand, type CliIO } from './commands';

const HELP = `finml: deep learning for tabular financial data (TensorFlow.js)

Usage:
  finml train <data.csv> --target <column> [--out <model-dir>] [--epochs <n>] [--seed <n>]
              [--test-size <fraction>] [--hidden <n,n,...>] [--positive <label>] [--quiet]
  finml predict <model-dir> <data.csv> [--out <preds.csv>]
  finml explain <model-dir> <data.csv> --row <n> [--top <k>] [--svg <waterfall.svg>]
  finml --help | finml <command> --help

Commands:
  train    Fit preprocessing (median/mode imputation, standardisation, one-hot encoding) and a
           feed-forward network on a CSV file; evaluate on a stratified held-out split; write
           <model-dir>/model.json, metrics.json and a self-contained report.html.
  predict  Score a CSV file (extra columns, e.g. the target, are ignored): one row per input row
           with the probability of each class and the predicted label, as CSV (stdout or --out).
  explain  Explain the prediction for one row (--row 1 is the first data row after the header):
           KernelSHAP contributions of each input column in log-odds, largest first.

Options:
  --target <column>     Column to predict (train).                 
  --out <path>          Model directory (train, default finml-model) or predictions file (predict).
  --epochs <n>          Maximum training epochs (default 30; early stopping on a validation split).
  --seed <n>            Seed of the split, weights and shuffling (default 0).
  --test-size <f>       Held-out share for the metrics, in (0, 1) (default 0.2).
  --hidden <n,n>        Hidden layer sizes (default 32,16).
  --positive <label>    Binary target: the label whose probability is modelled (default: the
                        larger of the two labels in sort order).
  --row <n>             Row to explain, 1-based (explain).
  --top <k>             Contributions shown (explain, default 8).
  --svg <path>          Also write a SHAP waterfall plot (explain).
  --backend <name>      cpu (default), wasm or tensorflow (needs @tensorflow/tfjs-node).
  --quiet               No progress bar.
  -h, --help            Show this help.

Progress goes to stderr; stdout carries only results. Exit codes: 0 ok, 1 data error, 2 usage error.
`;

class UsageError extends Error {}

const OPTIONS = {
  target: { type: 'string' },
  out: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  'test-size': { type: 'string' },
  hidden: { type: 'string' },
  positive: { type: 'string' },
  row: { type: 'string' },
  top: { type: 'string' },
  svg: { type: 'string' },
  backend: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

function int(v: string | undefined, name: string, def: number, min: number): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got '${v}'`);
  return n;
}

function positionals(p: readonly string[], n: number, usage: string): string[] {
  if (p.length !== n) throw new UsageError(`expected ${usage}, got ${p.length === 0 ? 'nothing' : p.map((s) => `'${s}'`).join(' ')}`);
  return [...p];
}

async function setBackend(name: string): Promise<string> {
  if (!['cpu', 'wasm', 'tensorflow'].includes(name)) throw new UsageError(`--backend must be cpu, wasm or tensorflow, got '${name}'`);
  // The CLI is an application: silence tfjs's console hints (e.g. "install tfjs-node") so that
  // stdout carries results only.
  tf.env().set('PROD', true);
  await useBackend(name as BackendName);
  return name;
}

/**
 * Runs the CLI with the given arguments (without `node` and the script path).
 * @returns the process exit code.
 */
export async function main(argv: readonly string[], io: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    if (!['train', 'predict', 'explain'].includes(command)) throw new UsageError(`unknown command '${command}' (expected train, predict or explain)`);
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help === true) {
      io.stdout.write(HELP);
      return 0;
    }
    const allowed: Record<string, readonly string[]> = {
      train: ['target', 'out', 'epochs', 'seed', 'test-size', 'hidden', 'positive', 'backend', 'quiet'],
      predict: ['out', 'backend', 'quiet'],
      explain: ['row', 'top', 'svg', 'backend', 'quiet'],
    };
    for (const k of Object.keys(v)) {
      if (k !== 'help' && !(allowed[command] as readonly string[]).includes(k)) throw new UsageError(`option --${k} does not apply to '${command}'`);
    }
    const backend = await setBackend(v.backend ?? 'cpu');
    if (command === 'train') {
      const [file] = positionals(parsed.positionals, 1, 'one CSV file: finml train <data.csv> --target <column>');
      if (v.target === undefined) throw new UsageError('train needs --target <column>');
      const testSize = v['test-size'] === undefined ? 0.2 : Number(v['test-size']);
      if (!(testSize > 0 && testSize < 1)) throw new UsageError(`--test-size must be a number in (0, 1), got '${v['test-size']}'`);
      const hidden = (v.hidden ?? '32,16').split(',').map((s) => int(s, 'hidden', 0, 1));
      await trainCommand(
        {
          file: file as string,
          target: v.target,
          out: v.out ?? 'finml-model',
          epochs: int(v.epochs, 'epochs', 30, 1),
          seed: int(v.seed, 'seed', 0, 0),
          testSize,
          hidden,
          positive: v.positive ?? null,
          quiet: v.quiet === true,
          backend,
        },
        io,
      );
    } else if (command === 'predict') {
      const [modelDir, file] = positionals(parsed.positionals, 2, 'finml predict <model-dir> <data.csv>');
      await predictCommand({ modelDir: modelDir as string, file: file as string, out: v.out ?? null }, io);
    } else {
      const [modelDir, file] = positionals(parsed.positionals, 2, 'finml explain <model-dir> <data.csv> --row <n>');
      if (v.row === undefined) throw new UsageError('explain needs --row <n> (1 = first data row)');
      await explainCommand({ modelDir: modelDir as string, file: file as string, row: int(v.row, 'row', 1, 1), top: int(v.top, 'top', 8, 1), svg: v.svg ?? null }, io);
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`finml: ${e.message}\nRun 'finml --help' for usage.\n`);
      return 2;
    }
    if (e instanceof FinmlError) {
      io.stderr.write(`finml: error: ${e.message}\n`);
      return 1;
    }
    io.stderr.write(`finml: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return 1;
  }
}

const invoked = typeof process !== 'undefined' && process.argv[1] !== undefined && /(?:^|[\\/])(?:cli\.js|main\.ts|finml)$/.test(process.argv[1]);
if (invoked) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`finml: ${String(e)}\n`);
      process.exitCode = 1;
    },
  );
}
