/**
 * Browser bundle store: a tfjs IOHandler keeping model artifacts (a bundle or a risk model) in
 * the browser's IndexedDB, the counterpart of `fileBundleStore(dir)` of `finml/node`.
 *
 * @module
 */
import type * as tf from '@tensorflow/tfjs-core';
import { FinmlError, InvalidOptionError, SerializationError, describeValue } from '../core/errors';
import { isRecord, weightBuffer } from './_internal/artifactIO';

/** Options of {@link indexedDbBundleStore}. @category Training */
export interface IndexedDbBundleStoreOptions {
  /** The IndexedDB database holding the bundles. @defaultValue `'finml-bundles'` */
  readonly database?: string;
  /** The IndexedDB factory. @defaultValue `globalThis.indexedDB` (every browser and web worker) */
  readonly indexedDB?: IDBFactory;
}

/** A tfjs IOHandler bound to one name in an IndexedDB database. @category Training */
export interface IndexedDbBundleStore extends tf.io.IOHandler {
  /** The name the artifacts are stored under. */
  readonly name: string;
  /** The database name. */
  readonly database: string;
  /** Stores the artifacts under `name`, replacing what was there, in one IndexedDB transaction (called by `saveBundle` / `saveRiskModel`). */
  readonly save: (artifacts: tf.io.ModelArtifacts) => Promise<tf.io.SaveResult>;
  /** Reads the artifacts stored under `name` (called by `loadBundle` / `loadRiskModel`); throws SerializationError when nothing is stored. */
  readonly load: () => Promise<tf.io.ModelArtifacts>;
  /** Deletes what is stored under `name`; resolves to true when something was deleted. */
  readonly remove: () => Promise<boolean>;
}

/** The object store inside the database. */
const OBJECT_STORE = 'bundles';
/** Version of the stored record (the artifacts plus the time of saving). */
const RECORD_VERSION = 1;

/** Resolves an IndexedDB request, turning its error into a SerializationError of `fn`. */
function request<T>(r: IDBRequest<T>, fn: string, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(idbError(r.error, fn, what));
  });
}

/** Waits for a transaction to commit (a transaction is all or nothing). */
function committed(tx: IDBTransaction, fn: string, what: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(idbError(tx.error, fn, what));
    tx.onabort = () => reject(idbError(tx.error, fn, what));
  });
}

function idbError(e: DOMException | null, fn: string, what: string): SerializationError {
  return new SerializationError({ fn, arg: 'database', expected: `a working IndexedDB (${what})`, got: `an IndexedDB error: ${e === null ? 'unknown' : `${e.name}: ${e.message}`}` }, { cause: e });
}

/** One copy of the artifacts with the weights joined into one ArrayBuffer (nothing shared with the caller). */
function copyArtifacts(a: tf.io.ModelArtifacts, fn: string): tf.io.ModelArtifacts {
  const { weightData, ...rest } = a;
  const out: tf.io.ModelArtifacts = structuredClone(rest);
  if (weightData !== undefined) out.weightData = weightBuffer(weightData, fn, 'artifacts.weightData').slice(0);
  return out;
}

/**
 * A bundle store in the browser's IndexedDB: pass it to `saveBundle` / `loadBundle`, or to
 * `saveRiskModel` / `loadRiskModel`. Each save replaces what was stored under `name` in one
 * IndexedDB transaction, so a reader sees the old artifacts or the new ones, never a mix; the
 * weights are kept as raw bytes (no base64). Loading returns a fresh copy, so the caller may
 * change it freely; the finml loaders then verify format, version and content hashes.
 *
 * @param name - The name to store the artifacts under (e.g. `'credit-model'`).
 * @param options - `database` (default `'finml-bundles'`) and `indexedDB` (default `globalThis.indexedDB`).
 * @returns a tfjs IOHandler with `save`, `load` and `remove`.
 * @throws {InvalidOptionError} an empty name or database, or no IndexedDB in this runtime (Node: use `fileBundleStore` of `finml/node`).
 * @throws {SerializationError} (from `load`) nothing stored under `name` or an unreadable record; (from `save`, `load`, `remove`) IndexedDB errors such as an exceeded quota.
 * @example
 * ```ts
 * import { indexedDbBundleStore, loadBundle, neuralClassifier, saveBundle } from 'finml';
 * // in a browser page or web worker
 * const x = [[0.1, 1], [0.9, 0], [0.2, 1], [0.8, 0], [0.3, 1], [0.7, 0]];
 * const fitted = await neuralClassifier({ model: { type: 'fnn', hidden: [4] }, train: { epochs: 2 }, seed: 1 }).fit(x, [0, 1, 0, 1, 0, 1]);
 * await saveBundle({ model: fitted }, indexedDbBundleStore('credit-model'));
 * // later, after a page reload:
 * const { model } = await loadBundle(indexedDbBundleStore('credit-model'));
 * ```
 * @category Training
 */
export function indexedDbBundleStore(name: string, options: IndexedDbBundleStoreOptions = {}): IndexedDbBundleStore {
  const fn = 'indexedDbBundleStore';
  if (typeof name !== 'string' || name.length === 0) throw new InvalidOptionError({ fn, arg: 'name', expected: 'a non-empty string', got: describeValue(name) });
  if (!isRecord(options)) throw new InvalidOptionError({ fn, arg: 'options', expected: 'an object', got: describeValue(options) });
  for (const k of Object.keys(options)) {
    if (k !== 'database' && k !== 'indexedDB') throw new InvalidOptionError({ fn, arg: `options.${k}`, expected: 'a known option (database, indexedDB)', got: 'an unknown option' });
  }
  const database = options.database ?? 'finml-bundles';
  if (typeof database !== 'string' || database.length === 0) throw new InvalidOptionError({ fn, arg: 'options.database', expected: 'a non-empty string', got: describeValue(database) });
  const given: unknown = options.indexedDB ?? (globalThis as { indexedDB?: unknown }).indexedDB;
  if (!isRecord(given) || typeof given.open !== 'function') {
    throw new InvalidOptionError({
      fn,
      arg: 'options.indexedDB',
      expected: 'an IndexedDB factory (globalThis.indexedDB in browsers, or options.indexedDB)',
      got: `${describeValue(given)}: this runtime has no IndexedDB (in Node use fileBundleStore of finml/node)`,
    });
  }
  const factory = given as unknown as IDBFactory;

  const openDb = async (method: string): Promise<IDBDatabase> => {
    const r = factory.open(database, 1);
    r.onupgradeneeded = () => {
      if (!r.result.objectStoreNames.contains(OBJECT_STORE)) r.result.createObjectStore(OBJECT_STORE);
    };
    return request(r, `${fn}.${method}`, `opening database ${JSON.stringify(database)}`);
  };

  /** Runs `body` in one transaction on the object store and closes the database afterwards. */
  const withStore = async <T>(method: string, mode: IDBTransactionMode, body: (s: IDBObjectStore) => Promise<T>): Promise<T> => {
    const db = await openDb(method);
    try {
      const tx = db.transaction(OBJECT_STORE, mode);
      const done = committed(tx, `${fn}.${method}`, `${mode} ${JSON.stringify(name)}`);
      done.catch(() => undefined); // awaited below; a failed request rejects first
      const out = await body(tx.objectStore(OBJECT_STORE));
      await done;
      return out;
    } finally {
      db.close();
    }
  };

  const save = async (artifacts: tf.io.ModelArtifacts): Promise<tf.io.SaveResult> => {
    if (!isRecord(artifacts)) throw new SerializationError({ fn: `${fn}.save`, arg: 'artifacts', expected: 'tfjs model artifacts', got: describeValue(artifacts) });
    const copy = copyArtifacts(artifacts, `${fn}.save`);
    const savedAt = new Date();
    await withStore('save', 'readwrite', (s) => request(s.put({ version: RECORD_VERSION, savedAt: savedAt.toISOString(), artifacts: copy }, name), `${fn}.save`, `writing ${JSON.stringify(name)}`));
    const bytes = copy.weightData instanceof ArrayBuffer ? copy.weightData.byteLength : 0;
    return { modelArtifactsInfo: { dateSaved: savedAt, modelTopologyType: 'JSON', weightDataBytes: bytes } };
  };

  const load = async (): Promise<tf.io.ModelArtifacts> => {
    const record: unknown = await withStore('load', 'readonly', (s) => request(s.get(name), `${fn}.load`, `reading ${JSON.stringify(name)}`));
    if (record === undefined) {
      throw new SerializationError({ fn: `${fn}.load`, arg: 'name', expected: `a bundle saved under ${JSON.stringify(name)} in database ${JSON.stringify(database)}`, got: 'nothing stored under that name' });
    }
    if (!isRecord(record) || record.version !== RECORD_VERSION || !isRecord(record.artifacts)) {
      throw new SerializationError({ fn: `${fn}.load`, arg: 'name', expected: `a record written by indexedDbBundleStore (version ${RECORD_VERSION})`, got: describeValue(record) });
    }
    try {
      return copyArtifacts(record.artifacts as tf.io.ModelArtifacts, `${fn}.load`);
    } catch (cause) {
      if (cause instanceof FinmlError) throw cause;
      throw new SerializationError({ fn: `${fn}.load`, arg: 'name', expected: 'readable stored artifacts', got: describeValue(record.artifacts) }, { cause });
    }
  };

  const remove = async (): Promise<boolean> =>
    withStore('remove', 'readwrite', async (s) => {
      const n = await request(s.count(name), `${fn}.remove`, `counting ${JSON.stringify(name)}`);
      await request(s.delete(name), `${fn}.remove`, `deleting ${JSON.stringify(name)}`);
      return n > 0;
    });

  return Object.freeze({ name, database, save, load, remove });
}
