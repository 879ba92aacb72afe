/**
 * openAtomicFile (src/node/_internal/atomicDir.ts): incremental writes reach the destination only
 * at commit; abort leaves it as it was; a write after commit or abort is refused with a typed
 * DisposedError and changes nothing.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisposedError, FinmlError } from '../../src/core/errors';
import { openAtomicFile } from '../../src/node/_internal/atomicDir';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'finml-atomic-file-'));
});
afterAll(async () => {
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('openAtomicFile', () => {
  it('writes reach the destination only at commit; a write after commit throws DisposedError and changes nothing', async () => {
    const path = join(dir, 'preds.csv');
    await writeFile(path, 'old\n');
    const f = await openAtomicFile(path);
    await f.write('row,p\n');
    await f.write('1,0.25\n');
    expect(await readFile(path, 'utf8')).toBe('old\n');
    await f.commit();
    expect(await readFile(path, 'utf8')).toBe('row,p\n1,0.25\n');
    const late = f.write('2,0.5\n');
    await expect(late).rejects.toBeInstanceOf(DisposedError);
    await expect(late).rejects.toBeInstanceOf(FinmlError);
    await expect(late).rejects.toThrow(/openAtomicFile\.write/);
    expect(await readFile(path, 'utf8')).toBe('row,p\n1,0.25\n');
    await f.commit(); // a second commit is a no-op
    expect((await readdir(dir)).sort()).toEqual(['preds.csv']);
  });

  it('abort leaves the destination unchanged and removes the temporary file; a later write throws DisposedError', async () => {
    const path = join(dir, 'kept.csv');
    await writeFile(path, 'keep\n');
    const f = await openAtomicFile(path);
    await f.write('half');
    await f.abort();
    expect(await readFile(path, 'utf8')).toBe('keep\n');
    await expect(f.write('more')).rejects.toBeInstanceOf(DisposedError);
    expect((await readdir(dir)).filter((e) => e.startsWith('.kept.csv'))).toEqual([]);
  });
});
