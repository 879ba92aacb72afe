/**
 * The `finml` command: `finml train`, `finml predict`, `finml explain`.
 * Exit codes: 0 success, 1 data/model error (bad file, ragged CSV, unknown column, corrupt model
 * dir), 2 usage error (unknown command or option, bad option value).
 *
 * @module
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { FinmlError, InvalidOptionError } from '../core/errors';
import { useBackend, type BackendName } from '../core/backend';
import { RISK_MODEL_DEFAULTS } from '../presets/buildRiskModel';
import { explainCommand, predictCommand, trainCommand, type CliIO } from './commands';
import type { CliTask } from './neuralTask';
import { terminalSafe } from './safeOutput';
import { version as PACKAGE_VERSION } from '../../package.json';

/** Streams that strip escape sequences and control characters (from column names, labels, messages) before they reach the terminal. */
function terminalSafeIO(io: CliIO): CliIO {
  const wrap = (s: CliIO['stdout']): CliIO['stdout'] => ({
    ...(s.isTTY !== undefined && { isTTY: s.isTTY }),
    ...(s.columns !== undefined && { columns: s.columns }),
    write: (text: string) => s.write(terminalSafe(text)),
    ...(typeof s.once === 'function' && { once: (event: 'drain', listener: () => void) => (s.once as (e: 'drain', l: () => void) => unknown).call(s, event, listener) }),
  });
  return { stdout: wrap(io.stdout), stderr: wrap(io.stderr) };
}

/** Defaults of the command-line options (the model's other settings are buildRiskModel's). */
const CLI_DEFAULTS = {
  out: 'finml-model',
  members: RISK_MODEL_DEFAULTS.members,
  epochs: RISK_MODEL_DEFAULTS.epochs,
  seed: RISK_MODEL_DEFAULTS.seed,
  testSize: 0.2,
  shapRows: 40,
  top: 8,
  backend: 'cpu',
};

const COMMON_OPTIONS = `  --backend <name>      cpu (default), wasm or tensorflow (needs @tensorflow/tfjs-node).
  --quiet               No progress output.
  -h, --help            Show this help.`;

const TRAIN_HELP = `Usage: finml train <data.csv> --target <column> [options]

Fits a credit-risk model (buildRiskModel) on a stratified training split of a CSV file:
median/most-frequent imputation, standard scaling and one-hot encoding fitted on the training
rows, then a cross-validation ensemble of small regularized feed-forward networks with early
stopping. Evaluates on the held-out rows (AUC, KS, accuracy, Brier) and writes the model dir:
  model.json, weights.bin, bundle.json
                  the model (reload in code with loadRiskModel(fileBundleStore(dir)))
  metrics.json    held-out and validation metrics, top features
  report.html     ROC, calibration, training curves, SHAP summary, feature importance

--task chooses what is fitted (default auto):
  binary      two labels (e.g. Good/Bad or 0/1): the credit-risk model above.
  multiclass  3 or more labels: the tabularModel preset (tabularPipeline fitted on the training
              rows of a stratified split + one softmax network, early stopping on a 20%
              validation split); held-out accuracy and macro-F1.
  regression  a numeric target: tabularModel (tabularPipeline + one network on the
              standardised target, early stopping); held-out RMSE, MAE and R².
  auto        a categorical target with 2 labels or a numeric one with 2 values: binary;
              a categorical target with more labels: multiclass; other numeric targets:
              regression (use --task multiclass for integer-coded classes).
Multiclass and regression models are saved as a library bundle (model.json, weights.bin,
bundle.json: reload in code with loadBundle(fileBundleStore(dir)) and tabularModelFromParts),
explainer.json (the SHAP background) and metrics.json; --members, --positive and --shap-rows
apply to binary only.

Options:
  --target <column>     Column to predict (required).
  --task <task>         auto (default), binary, multiclass or regression.
  --positive <label>    The default label whose probability is modelled (default: recognised,
                        any case: bad, default, defaulted, charged off, delinquent, ...; 1 for
                        0/1; other labels are an error asking for --positive).
  --out <dir>           Model directory (default ${CLI_DEFAULTS.out}): a new path or a previous
                        model directory, replaced atomically; checked before training.
  --test-size <f>       Held-out share, in (0, 1) (default ${CLI_DEFAULTS.testSize}).
  --members <n>         Networks in the ensemble, 1..20 (default ${CLI_DEFAULTS.members}).
  --epochs <n>          Maximum epochs per network (default ${CLI_DEFAULTS.epochs}; early stopping).
  --hidden <n,n,...>    Hidden layer sizes (default: 8 for binary (buildRiskModel's), 16 otherwise).
  --seed <n>            Seed of the split, folds, weights and SHAP sample (default ${CLI_DEFAULTS.seed}).
  --shap-rows <n>       Test rows explained for the report's SHAP summary (default ${CLI_DEFAULTS.shapRows}; 0: none).
  --protected <c,c,...> Columns reported per group in report.html (protected attributes; binary).
${COMMON_OPTIONS}

Progress goes to stderr (a bar on a terminal, one line per epoch otherwise); results to stdout.
`;

const PREDICT_HELP = `Usage: finml predict <model-dir> <data.csv> [--out <preds.csv>] [--threshold <p>]
                     [--id <col,...>] [--drop <col,...>]

Scores a CSV file with the model of <model-dir> (written by finml train), in batches of 10,000
rows: memory does not grow with the file. Columns the model does not use (e.g. the target) are
ignored. Output CSV: row (1 = first data row), the --id columns, then
  binary:      p_<label> (the probability of the positive label, e.g. p_Bad: the PD), predicted_<target>
  multiclass:  p_<class> for every class, predicted_<target> (the most probable class)
  regression:  predicted_<target>

Options:
  --out <path>          Write the CSV to a file instead of stdout (atomically, complete or not at
                        all; never the input file or the model directory). On stdout, rows are
                        written batch by batch.
  --id <col,...>        Columns copied to the output after row, exactly as in the file (e.g. an
                        application id); repeat the option or separate names with commas.
  --drop <col,...>      Columns to ignore; they must be in the file and not be model inputs.
  --threshold <p>       Binary models: probability cut-off for the predicted label, in [0, 1]
                        (default: the risk model's cut-off, the KS-maximising PD out of fold).
  --keep-formulas       Write labels and column names starting with =, +, -, @ as they are (by
                        default they get a leading ' so spreadsheets do not run them as formulas).
${COMMON_OPTIONS}
`;

const EXPLAIN_HELP = `Usage: finml explain <model-dir> <data.csv> --row <n> [--top <k>] [--svg <file>]

Explains the model's output for one row: the KernelSHAP contribution of each input column,
largest first, and reason codes in words.
  binary:      the probability of the positive label, in log-odds (they add up from the base
               log-odds to the row's log-odds); reasons: the columns that raised it most.
  multiclass:  the probability of the predicted class; regression: the predicted value
               (contributions add up from the base value to the prediction); reasons: the
               columns that raised or lowered it most.

Options:
  --row <n>             Row to explain, 1 = first data row after the header (required).
  --top <k>             Contributions and reason codes shown (default ${CLI_DEFAULTS.top}).
  --svg <path>          Also write a SHAP waterfall plot.
${COMMON_OPTIONS}
`;

const HELP = `finml: deep learning for tabular financial data (TensorFlow.js)

Usage:
  finml train <data.csv> --target <column> [--task auto|binary|multiclass|regression]
              [--out <model-dir>] [--positive <label>] [--test-size <f>]
              [--members <n>] [--epochs <n>] [--hidden <n,n,...>] [--seed <n>] [--shap-rows <n>]
  finml predict <model-dir> <data.csv> [--out <preds.csv>] [--threshold <p>]
              [--id <col,...>] [--drop <col,...>]
  finml explain <model-dir> <data.csv> --row <n> [--top <k>] [--svg <waterfall.svg>]
  finml --help | finml <command> --help | finml --version

Commands:
  train    Fit a model on a training split, evaluate it on the held-out rows, and write
           <model-dir>. Binary targets: a credit-risk model (preprocessing + network ensemble;
           model.json, weights.bin, bundle.json, metrics.json, report.html). Multiclass and
           regression targets: preprocessing + one network saved as a bundle.
  predict  Score a CSV file: class probabilities and the predicted label, or predicted values.
  explain  Explain one row's output: SHAP contributions per input column and reason codes.

Common options:
${COMMON_OPTIONS}

Progress goes to stderr; stdout carries only results. Exit codes: 0 ok, 1 data error, 2 usage error.
`;

const COMMAND_HELP: Readonly<Record<string, string>> = { train: TRAIN_HELP, predict: PREDICT_HELP, explain: EXPLAIN_HELP };

class UsageError extends Error {}

const OPTIONS = {
  target: { type: 'string' },
  task: { type: 'string' },
  out: { type: 'string' },
  members: { type: 'string' },
  epochs: { type: 'string' },
  seed: { type: 'string' },
  'test-size': { type: 'string' },
  hidden: { type: 'string' },
  positive: { type: 'string' },
  'shap-rows': { type: 'string' },
  protected: { type: 'string' },
  threshold: { type: 'string' },
  id: { type: 'string', multiple: true },
  drop: { type: 'string', multiple: true },
  'keep-formulas': { type: 'boolean' },
  row: { type: 'string' },
  top: { type: 'string' },
  svg: { type: 'string' },
  backend: { type: 'string' },
  quiet: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

const ALLOWED: Readonly<Record<string, readonly string[]>> = {
  train: ['target', 'task', 'out', 'members', 'epochs', 'seed', 'test-size', 'hidden', 'positive', 'shap-rows', 'protected', 'backend', 'quiet'],
  predict: ['out', 'threshold', 'id', 'drop', 'keep-formulas', 'backend', 'quiet'],
  explain: ['row', 'top', 'svg', 'backend', 'quiet'],
};

function int(v: string | undefined, name: string, def: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined) return def;
  const n = Number(v);
  if (!/^-?\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new UsageError(`--${name} must be an integer ${max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `in ${min}..${max}`}, got '${v}'`);
  }
  return n;
}

function fraction(v: string | undefined, name: string, def: number, closed: boolean): number {
  if (v === undefined) return def;
  const n = v.trim() === '' ? NaN : Number(v);
  const ok = closed ? n >= 0 && n <= 1 : n > 0 && n < 1;
  if (!ok) throw new UsageError(`--${name} must be a number in ${closed ? '[0, 1]' : '(0, 1)'}, got '${v}'`);
  return n;
}

/** Column names of a repeatable, comma-separated option; no empty or repeated names. */
function columnList(v: readonly string[] | undefined, name: string): string[] {
  const out = (v ?? []).flatMap((s) => s.split(',')).map((s) => s.trim());
  if (out.some((c) => c === '')) throw new UsageError(`--${name} needs column names separated by commas, got '${(v ?? []).join(',')}'`);
  const dup = out.find((c, i) => out.indexOf(c) !== i);
  if (dup !== undefined) throw new UsageError(`--${name} names column '${dup}' twice`);
  return out;
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
 *
 * @param argv - Arguments, e.g. `['train', 'data.csv', '--target', 'Class']`.
 * @param io - Output streams (default: the process's stdout and stderr).
 * @returns The process exit code: 0 ok, 1 data or model error, 2 usage error.
 * @example
 * ```ts
 * const code = await main(['predict', 'credit-model', 'new.csv']); //=> 0
 * ```
 * @category CLI
 */
export async function main(argv: readonly string[], rawIO: CliIO = { stdout: process.stdout, stderr: process.stderr }): Promise<number> {
  const io = terminalSafeIO(rawIO);
  const [command, ...rest] = argv;
  const helpHint = command !== undefined && command in COMMAND_HELP ? `finml ${command} --help` : 'finml --help';
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    }
    if (command === '--version' || command === '-v') {
      if (rest.length > 0) throw new UsageError(`--version takes no arguments, got ${rest.map((s) => `'${s}'`).join(' ')}`);
      io.stdout.write(`${PACKAGE_VERSION}\n`);
      return 0;
    }
    if (!(command in COMMAND_HELP)) throw new UsageError(`unknown command '${command}' (expected train, predict or explain)`);
    let parsed: ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>;
    try {
      parsed = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const v = parsed.values;
    if (v.help === true) {
      io.stdout.write(COMMAND_HELP[command] as string);
      return 0;
    }
    for (const k of Object.keys(v)) {
      if (k !== 'help' && !(ALLOWED[command] as readonly string[]).includes(k)) throw new UsageError(`option --${k} does not apply to '${command}'`);
    }
    // Validate every argument before touching the backend or the files.
    let run: (backend: string) => Promise<void>;
    if (command === 'train') {
      const [file] = positionals(parsed.positionals, 1, 'one CSV file: finml train <data.csv> --target <column>');
      if (v.target === undefined) throw new UsageError('train needs --target <column>');
      const target = v.target;
      const task = v.task ?? 'auto';
      if (!['auto', 'binary', 'multiclass', 'regression'].includes(task)) throw new UsageError(`--task must be auto, binary, multiclass or regression, got '${task}'`);
      const opts = {
        file: file as string,
        target,
        out: v.out ?? CLI_DEFAULTS.out,
        members: int(v.members, 'members', CLI_DEFAULTS.members, 1, 20),
        epochs: int(v.epochs, 'epochs', CLI_DEFAULTS.epochs, 1),
        seed: int(v.seed, 'seed', CLI_DEFAULTS.seed, 0),
        testSize: fraction(v['test-size'], 'test-size', CLI_DEFAULTS.testSize, false),
        hidden: v.hidden === undefined ? null : v.hidden.split(',').map((s) => int(s, 'hidden', 0, 1)),
        positive: v.positive ?? null,
        shapRows: int(v['shap-rows'], 'shap-rows', CLI_DEFAULTS.shapRows, 0),
        quiet: v.quiet === true,
        task: task as CliTask | 'auto',
        ...(v.protected !== undefined && { protectedColumns: v.protected.split(',').map((c) => c.trim()) }),
      };
      run = (backend) => trainCommand({ ...opts, backend }, io);
    } else if (command === 'predict') {
      const [modelDir, file] = positionals(parsed.positionals, 2, 'finml predict <model-dir> <data.csv>');
      const threshold = v.threshold === undefined ? null : fraction(v.threshold, 'threshold', 0, true);
      const ids = columnList(v.id, 'id');
      const drop = columnList(v.drop, 'drop');
      const both = ids.find((c) => drop.includes(c));
      if (both !== undefined) throw new UsageError(`column '${both}' is given to both --id and --drop`);
      run = () => predictCommand({ modelDir: modelDir as string, file: file as string, out: v.out ?? null, threshold, keepFormulas: v['keep-formulas'] === true, ids, drop }, io);
    } else {
      const [modelDir, file] = positionals(parsed.positionals, 2, 'finml explain <model-dir> <data.csv> --row <n>');
      if (v.row === undefined) throw new UsageError('explain needs --row <n> (1 = first data row)');
      const opts = { modelDir: modelDir as string, file: file as string, row: int(v.row, 'row', 1, 1), top: int(v.top, 'top', CLI_DEFAULTS.top, 1), svg: v.svg ?? null };
      run = () => explainCommand(opts, io);
    }
    await run(await setBackend(v.backend ?? CLI_DEFAULTS.backend));
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`finml: ${e.message}\nRun '${helpHint}' for usage.\n`);
      return 2;
    }
    if (e instanceof InvalidOptionError) {
      io.stderr.write(`finml: ${e.message}\nRun '${helpHint}' for usage.\n`);
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
  // The reader went away (`finml predict ... | head`): stop quietly, exit 0, no stack trace. Any
  // other stream error keeps Node's default (an uncaught exception).
  const onStreamError = (e: NodeJS.ErrnoException): void => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  };
  process.stdout.on('error', onStreamError);
  process.stderr.on('error', onStreamError);
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
