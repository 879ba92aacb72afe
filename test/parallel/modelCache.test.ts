import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { cachedTensorCount, clearTaskCache, contentHash, enableTaskCache, withRestored } from '../../src/parallel/_internal/modelCache';

/** A restorable object holding `n` tensors, counting its restores and disposals. */
function kit() {
  const log = { restored: [] as string[], disposed: [] as string[] };
  const restore = (json: unknown): { id: string; t: tf.Tensor[]; dispose(): void } => {
    const { id, n } = json as { id: string; n: number };
    log.restored.push(id);
    const t = Array.from({ length: n }, () => tf.zeros([2]));
    return { id, t, dispose: () => (log.disposed.push(id), tf.dispose(t)) };
  };
  return { log, restore };
}

describe('the worker-side model cache', () => {
  it('is off by default: restore, use, dispose every time', async () => {
    const { log, restore } = kit();
    const start = tf.memory().numTensors;
    expect(await withRestored({ id: 'a', n: 2 }, restore, (m) => m.id)).toBe('a');
    expect(await withRestored({ id: 'a', n: 2 }, restore, (m) => m.id)).toBe('a');
    expect(log).toEqual({ restored: ['a', 'a'], disposed: ['a', 'a'] });
    expect(tf.memory().numTensors).toBe(start);
    // an error in use still disposes
    await expect(withRestored({ id: 'b', n: 1 }, restore, () => Promise.reject(new Error('x')))).rejects.toThrow('x');
    expect(tf.memory().numTensors).toBe(start);
  });

  it('once enabled: one restore per content, LRU eviction with disposal, held tensors counted, clear', async () => {
    enableTaskCache(2);
    const { log, restore } = kit();
    const start = tf.memory().numTensors;
    await withRestored({ id: 'a', n: 2 }, restore, () => 0);
    await withRestored({ id: 'b', n: 3 }, restore, () => 0);
    await withRestored({ id: 'a', n: 2 }, restore, () => 0); // hit: a is now the most recent
    expect(log.restored).toEqual(['a', 'b']);
    expect(cachedTensorCount()).toBe(5);
    expect(tf.memory().numTensors - cachedTensorCount()).toBe(start);
    await withRestored({ id: 'c', n: 1 }, restore, () => 0); // evicts b (least recently used)
    await Promise.resolve();
    expect(log.disposed).toEqual(['b']);
    expect(cachedTensorCount()).toBe(3);
    expect(tf.memory().numTensors).toBe(start + 3);
    // same content in another key order is another text: restored on its own
    await withRestored({ n: 1, id: 'c' }, restore, () => 0);
    expect(log.restored).toEqual(['a', 'b', 'c', 'c']);
    // an entry evicted while in use is disposed when its task ends
    let release = (): void => undefined;
    const inUse = withRestored({ id: 'd', n: 1 }, restore, (m) => new Promise<string>((r) => (release = () => r(m.id))));
    await new Promise((r) => setTimeout(r, 0));
    expect(clearTaskCache()).toBe(2);
    await Promise.resolve();
    expect(log.disposed).not.toContain('d');
    release();
    expect(await inUse).toBe('d');
    await Promise.resolve();
    expect(log.disposed).toContain('d');
    expect(tf.memory().numTensors).toBe(start);
    expect(cachedTensorCount()).toBe(0);
    // a failed restore is not cached
    const bad = (): never => {
      throw new Error('bad envelope');
    };
    await expect(withRestored({ id: 'z' }, bad, () => 0)).rejects.toThrow('bad envelope');
    expect(clearTaskCache()).toBe(0);
  });

  it('hashes content', () => {
    expect(contentHash('abc')).toBe(contentHash('abc'));
    expect(contentHash('abc')).not.toBe(contentHash('abd'));
    expect(contentHash('')).toMatch(/:0$/);
  });
});
