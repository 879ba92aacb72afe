/**
 * Backend selection. finml never imports a backend by itself: `useBackend` initialises one the
 * user has installed (dynamically importing its package only if it is not registered yet) and
 * verifies that tfjs really switched to it (`tf.setBackend` returns false and silently stays on
 * the old backend when initialisation fails).
 *
 * @module
 */
import * as tf from '@tensorflow/tfjs-core';
import { BackendError, InvalidOptionError, describeValue } from './errors';

/**
 * Backends finml knows how to initialise.
 *
 * @category Backends
 */
export type BackendName = 'cpu' | 'wasm' | 'webgl' | 'tensorflow';

/**
 * The npm package that provides each backend.
 *
 * @category Backends
 */
export const BACKEND_PACKAGES: Readonly<Record<BackendName, string>> = Object.freeze({
  cpu: '@tensorflow/tfjs-backend-cpu',
  wasm: '@tensorflow/tfjs-backend-wasm',
  webgl: '@tensorflow/tfjs-backend-webgl',
  tensorflow: '@tensorflow/tfjs-node',
});

/**
 * Options of {@link useBackend}.
 *
 * @category Backends
 */
export interface UseBackendOptions {
  /**
   * wasm only: where the `.wasm` binaries are served from (browser), passed to `setWasmPaths`.
   * A directory URL ending in `/`, or a map of file names to URLs.
   */
  readonly wasmPaths?: string | Readonly<Record<string, string>>;
  /** wasm only: number of threads for the threaded build (browser with cross-origin isolation). */
  readonly wasmThreads?: number;
  /**
   * Loads the backend package when it is not registered yet. Defaults to a dynamic `import()` of
   * the package named in {@link BACKEND_PACKAGES}; bundler users can pass
   * `() => import('@tensorflow/tfjs-backend-wasm')` so the bundler sees the import.
   */
  readonly load?: () => Promise<unknown>;
}

/**
 * What {@link useBackend} reports once the backend is active.
 *
 * @category Backends
 */
export interface BackendInfo {
  readonly name: BackendName;
  readonly package: string;
  /** Whether the package had to be imported by finml (false when it was already registered). */
  readonly imported: boolean;
}

const NAMES = Object.keys(BACKEND_PACKAGES) as BackendName[];

async function importByName(spec: string): Promise<unknown> {
  // A non-literal specifier keeps bundlers from trying to resolve optional backends the user
  // did not install; bundler users pass `load` instead.
  return import(/* @vite-ignore */ /* webpackIgnore: true */ spec);
}

/** The usual cause of a wasm start-up failure in a browser: the `.wasm` binaries were not found. */
function wasmHint(options: UseBackendOptions): string {
  const where =
    options.wasmPaths === undefined
      ? 'no wasmPaths was given, so they were fetched next to the bundled script'
      : typeof options.wasmPaths === 'string'
        ? `wasmPaths is '${options.wasmPaths}'`
        : `wasmPaths maps ${Object.keys(options.wasmPaths).join(', ')}`;
  return ` In a browser this usually means the .wasm files (tfjs-backend-wasm.wasm, tfjs-backend-wasm-simd.wasm, tfjs-backend-wasm-threaded-simd.wasm) were not served where tfjs looked (${where}); see the wasmPaths option.`;
}

interface WasmModule {
  setWasmPaths?: (p: string | Record<string, string>, usePlatformFetch?: boolean) => void;
  setThreadsCount?: (n: number) => void;
}

/** True in a browser window or a web worker (where tfjs-backend-webgl registers itself), as tfjs's own check. */
function isBrowserLike(): boolean {
  const g = globalThis as { window?: { document?: unknown }; WorkerGlobalScope?: unknown };
  return (g.window !== undefined && g.window.document !== undefined && g.window.document !== null) || g.WorkerGlobalScope !== undefined;
}

/** 'Node.js vX' or 'a JavaScript runtime without a DOM'. */
function runtimeName(): string {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' ? `Node.js ${p.versions.node}` : 'a JavaScript runtime without a DOM';
}

/**
 * Activates a tfjs backend and checks that tfjs is really using it.
 *
 * @param name - `'cpu'`, `'wasm'`, `'webgl'` or `'tensorflow'` (tfjs-node).
 * @param options - wasm only: `wasmPaths` (where the `.wasm` files are served) and `load` (your own import of the backend package, so bundlers see it).
 * @returns information about the active backend.
 * @throws {InvalidOptionError} for an unknown backend name.
 * @throws {BackendError} naming the package to install when it is missing, or when tfjs could
 *   not switch (e.g. no WebGL context).
 * @example
 * ```ts
 * import { useBackend } from 'finml';
 * await useBackend('wasm'); // npm install @tensorflow/tfjs-backend-wasm first
 * ```
 * @category Backends
 */
export async function useBackend(name: BackendName, options: UseBackendOptions = {}): Promise<BackendInfo> {
  const fn = 'useBackend';
  if (!NAMES.includes(name)) {
    throw new InvalidOptionError({ fn, arg: 'name', expected: `one of ${NAMES.map((n) => `'${n}'`).join(', ')}`, got: describeValue(name) });
  }
  const pkg = BACKEND_PACKAGES[name];
  let imported = false;
  let mod: unknown;
  if (tf.findBackendFactory(name) === null || options.wasmPaths !== undefined || options.wasmThreads !== undefined) {
    try {
      mod = await (options.load ?? (() => importByName(pkg)))();
      imported = true;
    } catch (cause) {
      if (tf.findBackendFactory(name) === null) {
        throw new BackendError(
          `useBackend('${name}'): the package '${pkg}' is not installed or could not be loaded. Install it with \`npm install ${pkg}\` (same version as @tensorflow/tfjs-core).` +
            (options.load === undefined
              ? ` If it is installed and your app is bundled (Vite, webpack, ...), pass \`load: () => import('${pkg}')\` so the bundler includes it: a browser cannot import the bare name at run time.`
              : ''),
          { fn, arg: 'name', expected: `the package ${pkg} to be installed`, got: 'a failed import' },
          { cause },
        );
      }
    }
  }
  if (tf.findBackendFactory(name) === null && name === 'webgl' && !isBrowserLike()) {
    // tfjs-backend-webgl registers itself only in a browser (or a web worker): in Node the import
    // succeeds and registers nothing, which is not a version mismatch.
    throw new BackendError(
      `useBackend('webgl'): the WebGL backend needs a browser (or a web worker) with a WebGL context; this is ${runtimeName()}. In Node use 'cpu', 'wasm' or 'tensorflow' (@tensorflow/tfjs-node).`,
      { fn, arg: 'name', expected: "a browser for 'webgl'", got: runtimeName() },
    );
  }
  if (tf.findBackendFactory(name) === null) {
    throw new BackendError(
      `useBackend('${name}'): importing '${pkg}' did not register the '${name}' backend. Check that it uses the same @tensorflow/tfjs-core version as finml's peer dependency (${tf.version_core}).`,
      { fn, arg: 'name', expected: `the ${name} backend to be registered`, got: 'no registered backend' },
    );
  }
  if (name === 'wasm' && mod !== undefined) {
    const w = mod as WasmModule;
    if (options.wasmPaths !== undefined) w.setWasmPaths?.(options.wasmPaths as string | Record<string, string>);
    if (options.wasmThreads !== undefined) w.setThreadsCount?.(options.wasmThreads);
  }
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (cause) {
    throw new BackendError(
      `useBackend('${name}'): the backend failed to initialise: ${String(cause)}` + (name === 'wasm' ? wasmHint(options) : ''),
      { fn, arg: 'name', expected: 'a backend that initialises', got: 'an initialisation error' },
      { cause },
    );
  }
  if (!ok || tf.getBackend() !== name) {
    throw new BackendError(
      `useBackend('${name}'): tfjs could not initialise the '${name}' backend and is still on '${tf.getBackend()}'.` +
        (name === 'webgl' ? ' WebGL needs a browser with a WebGL context.' : '') +
        (name === 'wasm' ? wasmHint(options) : ''),
      { fn, arg: 'name', expected: `tf.getBackend() === '${name}' after setBackend`, got: `'${tf.getBackend()}'` },
    );
  }
  return Object.freeze({ name, package: pkg, imported });
}

/**
 * The name of the active tfjs backend.
 *
 * @returns `tf.getBackend()`, e.g. `'cpu'` or `'wasm'`.
 * @example
 * ```ts
 * import { currentBackend, useBackend } from 'finml';
 * await useBackend('cpu');
 * currentBackend(); //=> 'cpu'
 * ```
 * @category Backends
 */
export function currentBackend(): string {
  return tf.getBackend();
}

/**
 * Throws a {@link BackendError} that says what to do when no tfjs backend is registered (tfjs's own
 * message is "No backend found in registry."). Called by finml's entry points that create tensors.
 *
 * @param fn - The public function about to use tensors, named in the error.
 * @throws {BackendError} when no backend is registered or none can be initialised.
 * @example
 * ```ts
 * import { useBackend } from 'finml';
 * import { requireBackend } from 'finml/extend';
 * await useBackend('cpu');
 * requireBackend('myFunction'); // ok: a backend is active
 * ```
 * @category Backends
 */
export function requireBackend(fn: string): void {
  let name: unknown;
  let cause: unknown;
  try {
    name = tf.getBackend();
  } catch (e) {
    cause = e;
  }
  if (typeof name !== 'string' || name === '') {
    throw new BackendError(
      `${fn}: no TensorFlow.js backend is registered. Choose one first, e.g. \`await useBackend('cpu')\` (package @tensorflow/tfjs-backend-cpu) or \`await useBackend('wasm')\`.`,
      { fn, expected: 'an active tfjs backend (see useBackend)', got: 'none registered' },
      cause === undefined ? undefined : { cause },
    );
  }
}
