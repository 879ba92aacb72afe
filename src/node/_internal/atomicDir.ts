/**
 * Atomic replacement of a small directory of files (Node): the files are written into a fresh,
 * exclusively created temporary directory next to the target (`mkdtemp`; every file opened with
 * `O_CREAT | O_EXCL | O_NOFOLLOW`, so a planted symlink is never followed), each file and the
 * directory are fsynced, and the new directory takes the target's place by rename. A reader of the
 * target sees the complete old set of files or the complete new set, never a mix. Every step calls
 * `hook(step)` first, which lets tests fail the save at each step.
 * @internal
 */
import { constants } from 'node:fs';
import { lstat, mkdir, mkdtemp, open, readdir, rename, rm, chmod } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { SerializationError } from '../../core/errors';

/** One file to write. */
export interface DirFile {
  readonly name: string;
  readonly data: string | Uint8Array;
}

/** Called before each step with its name (`mkdtemp`, `open:<file>`, `write:<file>`, …); throwing aborts the save. */
export type StepHook = (step: string, tmp: string | null) => void | Promise<void>;


/** Platforms that cannot open or fsync a directory (Windows) report these; the rename is then as durable as the OS makes it. */
const DIR_SYNC_UNSUPPORTED = new Set(['EISDIR', 'EPERM', 'EINVAL', 'ENOTSUP', 'EACCES']);

/**
 * fsyncs the directory `path` so a rename inside it is durable; platforms that cannot open or
 * fsync a directory (Windows) are tolerated, the rename then being as durable as the OS makes it.
 */
export async function syncDirectory(path: string): Promise<void> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    fh = await open(path, constants.O_RDONLY);
  } catch (e) {
    if (process.platform === 'win32' && DIR_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) return;
    throw e;
  }
  try {
    await fh.sync();
  } catch (e) {
    if (!DIR_SYNC_UNSUPPORTED.has((e as NodeJS.ErrnoException).code ?? '')) throw e;
  } finally {
    await fh.close();
  }
}

async function syncDir(path: string, hook: StepHook, tmp: string | null, step: string): Promise<void> {
  await hook(step, tmp);
  await syncDirectory(path);
}

/**
 * Recovers from a process that died between the two renames of a swap (old directory moved aside,
 * new one not yet in place): when `dir` is missing and exactly one `.<name>.old-*` sibling exists,
 * it is renamed back. Returns true when a directory was restored.
 */
export async function recoverInterruptedSwap(dir: string): Promise<boolean> {
  const target = resolve(dir);
  if ((await lstat(target).catch(() => null)) !== null) return false;
  const parent = dirname(target);
  const prefix = `.${basename(target)}.old-`;
  const entries = await readdir(parent).catch(() => [] as string[]);
  const aside = entries.filter((e) => e.startsWith(prefix));
  if (aside.length !== 1) return false;
  try {
    await rename(join(parent, aside[0] as string), target);
    return true;
  } catch {
    return false; // a concurrent save or recovery got there first
  }
}

/**
 * Writes `files` as the complete new content of directory `dir`. An existing `dir` may hold only
 * entries named in `replaceable` (the files of the previous save and their companions, which
 * describe the old model and go with it); anything else makes the save fail before any change,
 * so no unrelated file is ever deleted. Cleans up its temporary directory on failure; the old
 * directory is restored if the swap fails half way.
 */
export async function writeDirAtomic(dir: string, files: readonly DirFile[], replaceable: readonly string[], fn: string, hook: StepHook = () => undefined): Promise<void> {
  const target = resolve(dir);
  const parent = dirname(target);
  const base = basename(target);
  await mkdir(parent, { recursive: true });
  await recoverInterruptedSwap(target);
  const existing = await lstat(target).catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOENT') return null;
    throw e;
  });
  if (existing !== null && (existing.isSymbolicLink() || !existing.isDirectory())) {
    throw new SerializationError({ fn, arg: 'dir', expected: 'a directory (or a path that does not exist yet)', got: `${JSON.stringify(target)}, ${existing.isSymbolicLink() ? 'a symbolic link (not followed)' : 'a file'}` });
  }
  if (existing !== null) {
    const allowed = new Set([...replaceable, ...files.map((f) => f.name)]);
    const foreign = (await readdir(target)).filter((e) => !allowed.has(e)).sort();
    if (foreign.length > 0) {
      const shown = foreign.slice(0, 5).map((e) => JSON.stringify(e)).join(', ');
      throw new SerializationError({
        fn,
        arg: 'dir',
        expected: `a new or empty directory, or one holding only a previous save (${[...allowed].join(', ')})`,
        got: `${JSON.stringify(target)} holding other files (${shown}${foreign.length > 5 ? ', …' : ''}): it is not replaced`,
      });
    }
  }
  await hook('mkdtemp', null);
  const tmp = await mkdtemp(join(parent, `.${base}.tmp-`));
  let aside: string | null = null;
  try {
    for (const f of files) {
      const path = join(tmp, f.name);
      await hook(`open:${f.name}`, tmp);
      const fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o644);
      try {
        await hook(`write:${f.name}`, tmp);
        await fh.writeFile(f.data);
        await hook(`fsync:${f.name}`, tmp);
        await fh.sync();
      } finally {
        await fh.close();
      }
    }
    if (existing !== null) {
      await hook('chmod', tmp);
      await chmod(tmp, existing.mode & 0o7777);
    } else {
      await hook('chmod', tmp);
      await chmod(tmp, 0o755);
    }
    await syncDir(tmp, hook, tmp, 'fsync:tmpdir');
    if (existing !== null) {
      await hook('rename:aside', tmp);
      aside = `${tmp.replace(/\.tmp-([^/\\]*)$/, '.old-$1')}`;
      await rename(target, aside);
      try {
        await hook('rename:swap', tmp);
        await rename(tmp, target);
      } catch (cause) {
        await rename(aside, target);
        aside = null;
        throw cause;
      }
    } else {
      await hook('rename:swap', tmp);
      await rename(tmp, target);
    }
  } catch (cause) {
    await rm(tmp, { recursive: true, force: true });
    throw cause;
  }
  // The new directory is in place: make the rename durable, then drop the old version.
  await syncDir(parent, hook, null, 'fsync:parent');
  if (aside !== null) {
    await hook('rm:old', null);
    await rm(aside, { recursive: true, force: true });
  }
}
