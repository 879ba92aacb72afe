/**
 * indexedDbBundleStore in Node: argument checks and the typed error of a runtime without
 * IndexedDB. Saving and loading through a real IndexedDB run in headless Chromium
 * (test/browser/indexedDbStore.test.ts).
 */
import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../../src/core/errors';
import { indexedDbBundleStore } from '../../src/io/indexedDbBundleStore';

describe('indexedDbBundleStore (Node)', () => {
  it('refuses a runtime without IndexedDB with a typed error naming the Node alternative', () => {
    expect('indexedDB' in globalThis).toBe(false);
    expect(() => indexedDbBundleStore('m')).toThrow(InvalidOptionError);
    expect(() => indexedDbBundleStore('m')).toThrow(/fileBundleStore/);
  });

  it('validates the name and options before touching IndexedDB', () => {
    const fake = { open: () => { throw new Error('not reached'); } } as unknown as IDBFactory;
    expect(() => indexedDbBundleStore('', { indexedDB: fake })).toThrow(InvalidOptionError);
    expect(() => indexedDbBundleStore(3 as never, { indexedDB: fake })).toThrow(InvalidOptionError);
    expect(() => indexedDbBundleStore('m', { database: '', indexedDB: fake })).toThrow(InvalidOptionError);
    expect(() => indexedDbBundleStore('m', { indexedDB: fake, version: 2 } as never)).toThrow(/options\.version/);
    const store = indexedDbBundleStore('m', { database: 'db', indexedDB: fake });
    expect(store.name).toBe('m');
    expect(store.database).toBe('db');
    expect(Object.isFrozen(store)).toBe(true);
  });
});
