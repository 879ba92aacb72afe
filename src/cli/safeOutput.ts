/**
 * Output safety of the `finml` command: output paths validated before any training, inputs never
 * overwritten, files written atomically, spreadsheet formulas neutralised in CSV cells, and
 * control characters / terminal escape sequences stripped from what reaches the terminal.
 *
 * @module
 */
import { constants } from 'node:fs';
import { access, lstat, mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InvalidOptionError } from '../core/errors';
import { syncDirectory } from '../node/_internal/atomicDir';

/** Entries a model directory may already hold: a previous `finml train` output, replaced as a whole. @category CLI */
export const MODEL_DIR_ENTRIES: readonly string[] = Object.freeze(['model.json', 'weights.bin', 'bundle.json', 'metrics.json', 'report.html', 'explainer.json', 'riskModel.json']);

type Stat = Awaited<ReturnType<typeof lstat>>;
const lstatOrNull = (p: string): Promise<Stat | null> => lstat(p).catch(() => null);

/** The nearest existing ancestor of `path` must be a writable directory. */
async function checkCreatable(path: string, fn: string, arg: string, shown: string): Promise<void> {
  let dir = dirname(resolve(path));
  for (;;) {
    const st = await lstatOrNull(dir);
    if (st !== null) {
      const real = st.isSymbolicLink() ? await stat(dir).catch(() => null) : st;
      if (real === null || !real.isDirectory()) {
        throw new InvalidOptionError({ fn, arg, expected: 'a path whose parent folders are directories', got: `${shown}, under ${JSON.stringify(dir)}, which is not a directory` });
      }
      const writable = await access(dir, constants.W_OK).then(
        () => true,
        () => false,
      );
      if (!writable) throw new InvalidOptionError({ fn, arg, expected: 'a path in a writable directory', got: `${shown}, under the read-only ${JSON.stringify(dir)}` });
      return;
    }
    const up = dirname(dir);
    if (up === dir) return;
    dir = up;
  }
}

/** Same file (device and inode), or the same resolved path. */
async function sameFile(a: string, b: string): Promise<boolean> {
  if (resolve(a) === resolve(b)) return true;
  const [sa, sb] = await Promise.all([stat(a).catch(() => null), stat(b).catch(() => null)]);
  return sa !== null && sb !== null && sa.dev === sb.dev && sa.ino === sb.ino;
}

/**
 * Checks, before any work, that `dir` can receive a model directory: a new path under writable
 * directories, or an existing directory (not a symlink) holding only a previous model
 * ({@link MODEL_DIR_ENTRIES}), which does not contain any of the command's `inputs`.
 *
 * @param dir - The `--out` directory.
 * @param inputs - Files the command reads (never replaced).
 * @param fn - Command name for errors.
 * @returns Resolves when the path is usable.
 * @throws {InvalidOptionError} a file or symlink at `dir`, a directory with other files, a parent that is a file, a read-only parent.
 * @example
 * ```ts
 * await checkOutputDir('credit-model', ['data.csv'], 'finml train');
 * ```
 * @category CLI
 */
export async function checkOutputDir(dir: string, inputs: readonly string[], fn: string): Promise<void> {
  const arg = '--out';
  const shown = JSON.stringify(dir);
  if (dir.length === 0) throw new InvalidOptionError({ fn, arg, expected: 'a directory path', got: 'an empty string' });
  for (const input of inputs) {
    if (await sameFile(dir, input)) throw new InvalidOptionError({ fn, arg, expected: 'a model directory other than the input', got: `${shown}, the input file itself` });
  }
  const st = await lstatOrNull(dir);
  if (st === null) return checkCreatable(dir, fn, arg, shown);
  if (st.isSymbolicLink()) throw new InvalidOptionError({ fn, arg, expected: 'a model directory (not a symbolic link)', got: `${shown}, a symbolic link` });
  if (!st.isDirectory()) throw new InvalidOptionError({ fn, arg, expected: 'a model directory', got: `${shown}, an existing file` });
  const foreign = (await readdir(dir)).filter((e) => !MODEL_DIR_ENTRIES.includes(e)).sort();
  if (foreign.length > 0) {
    throw new InvalidOptionError({
      fn,
      arg,
      expected: 'a new or empty directory, or a previous model directory (it is replaced as a whole)',
      got: `${shown} holding other files (${foreign.slice(0, 5).map((e) => JSON.stringify(e)).join(', ')}${foreign.length > 5 ? ', …' : ''})`,
    });
  }
  await checkCreatable(join(dir, 'x'), fn, arg, shown);
}

/**
 * Checks, before any work, that `path` can receive an output file: not a directory, not one of
 * the command's `inputs` (nor a hard link or symlink to one), under writable directories.
 *
 * @param path - The output file.
 * @param inputs - Files and directories the command reads (a file inside an input directory is refused too).
 * @param fn - Command name for errors.
 * @param arg - Option name, e.g. `'--out'`.
 * @returns Resolves when the path is usable.
 * @throws {InvalidOptionError} a directory at `path`, an input, a parent that is a file, a read-only parent.
 * @example
 * ```ts
 * await checkOutputFile('preds.csv', ['new.csv', 'credit-model'], 'finml predict', '--out');
 * ```
 * @category CLI
 */
export async function checkOutputFile(path: string, inputs: readonly string[], fn: string, arg: string): Promise<void> {
  const shown = JSON.stringify(path);
  if (path.length === 0) throw new InvalidOptionError({ fn, arg, expected: 'a file path', got: 'an empty string' });
  const target = resolve(path);
  for (const input of inputs) {
    const inputDir = (await lstatOrNull(input))?.isDirectory() === true;
    if ((await sameFile(path, input)) || (inputDir && dirname(target) === resolve(input))) {
      throw new InvalidOptionError({ fn, arg, expected: 'an output path other than the inputs', got: `${shown}, which would overwrite the input ${JSON.stringify(input)}` });
    }
  }
  const st = await stat(path).catch(() => null);
  if (st !== null && !st.isFile()) throw new InvalidOptionError({ fn, arg, expected: 'a file path', got: `${shown}, an existing ${st.isDirectory() ? 'directory' : 'non-regular file'}` });
  await checkCreatable(path, fn, arg, shown);
}

/**
 * Writes a text file atomically: into a fresh temporary directory next to it (exclusive create,
 * symlinks never followed), fsynced, then renamed over `path`; a reader sees the old file or the
 * new one. Parent directories are created.
 *
 * @param path - Destination file.
 * @param text - Content (UTF-8).
 * @returns Resolves when the file is in place.
 * @example
 * ```ts
 * await writeFileAtomic('preds.csv', 'row,p_Bad\n1,0.25\n');
 * ```
 * @category CLI
 */
export async function writeFileAtomic(path: string, text: string): Promise<void> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const tmpDir = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  try {
    const tmp = join(tmpDir, basename(target));
    const fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
    try {
      await fh.writeFile(text, 'utf8');
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(tmp, target);
    await syncDirectory(dirname(target));
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
}

/**
 * A file written incrementally and atomically (see {@link openAtomicFile}).
 * @category CLI
 */
export interface AtomicFile {
  /** Appends text (UTF-8). */
  write(text: string): Promise<void>;
  /** Fsyncs and renames the file into place; afterwards a reader sees the whole new file. */
  commit(): Promise<void>;
  /** Discards what was written; the destination is left as it was. */
  abort(): Promise<void>;
}

/**
 * Opens a file for incremental, atomic writing: text goes to a new temporary file in a fresh
 * directory next to `path` (exclusive create, symlinks never followed); `commit` fsyncs it and
 * renames it over `path`, `abort` removes it. Memory is bounded by what is passed to each `write`.
 *
 * @param path - Destination file.
 * @returns The open file.
 * @example
 * ```ts
 * const f = await openAtomicFile('preds.csv');
 * try { await f.write('row,p_Bad\n'); await f.write('1,0.25\n'); await f.commit(); } catch (e) { await f.abort(); throw e; }
 * ```
 * @category CLI
 */
export async function openAtomicFile(path: string): Promise<AtomicFile> {
  const target = resolve(path);
  await mkdir(dirname(target), { recursive: true });
  const tmpDir = await mkdtemp(join(dirname(target), `.${basename(target)}.tmp-`));
  const tmp = join(tmpDir, basename(target));
  let fh: Awaited<ReturnType<typeof open>> | null = null;
  try {
    fh = await open(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  }
  const file = fh;
  let done = false;
  return {
    async write(text) {
      if (done) throw new Error('openAtomicFile: write after commit/abort');
      await file.writeFile(text, 'utf8');
    },
    async commit() {
      if (done) return;
      done = true;
      try {
        await file.sync();
        await file.close();
        await rename(tmp, target);
        await syncDirectory(dirname(target));
      } finally {
        await rm(tmpDir, { recursive: true, force: true });
      }
    },
    async abort() {
      if (done) return;
      done = true;
      await file.close().catch(() => undefined);
      await rm(tmpDir, { recursive: true, force: true });
    },
  };
}

/**
 * One CSV cell: quoted when needed, and — unless `keepFormulas` — a text cell starting with `=`,
 * `+`, `-`, `@`, tab or carriage return gets a leading `'` so spreadsheets show it as text instead
 * of running it as a formula (OWASP CSV injection). Numbers formatted by finml are not passed here.
 *
 * @param s - Cell text (a label or column name).
 * @param keepFormulas - Write formula-leading text unchanged (`finml predict --keep-formulas`).
 * @returns The CSV field.
 * @example
 * ```ts
 * csvCell('=HYPERLINK("x")'); //=> '"\'=HYPERLINK(""x"")"'
 * csvCell('Good'); //=> 'Good'
 * ```
 * @category CLI
 */
export function csvCell(s: string, keepFormulas = false): string {
  const t = !keepFormulas && /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(t) ? `"${t.replace(/"/g, '""')}"` : t;
}

const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[PX^_][^\u001b]*(?:\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]|\u001b[@-_]?/g;
const CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe for a terminal: ANSI/OSC escape sequences removed, other control characters (C0
 * except tab, newline and carriage return; DEL; C1) and bidirectional overrides removed, so column
 * names or labels from a CSV file cannot move the cursor, change colours, set the window title or
 * reorder what is shown.
 *
 * @param s - Text about to be printed.
 * @returns The text without control characters.
 * @example
 * ```ts
 * terminalSafe('Paid\u001b[2J\u001b]0;pwned\u0007 on time'); //=> 'Paid on time'
 * ```
 * @category CLI
 */
export function terminalSafe(s: string): string {
  return s.replace(ESCAPES, '').replace(CONTROLS, '');
}
