/**
 * The worker side of `createWorkerPool` (src/node/workerPool.ts): sets the parent's backend, loads
 * finml's built-in tasks plus the user's task module, then answers `{ id, task, payload }` messages
 * with `{ id, ok: true, value }` or `{ id, ok: false, error }`, one task at a time.
 * Built as its own entry (dist/poolWorker.js); never imported by the library itself.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { useBackend, type BackendName } from '../../core/backend';
import { InvalidOptionError, describeValue } from '../../core/errors';
import { checkRegistry, lookupTask, type TaskRegistry } from '../../core/executor';
import { FINML_TASKS } from '../../parallel/tasks';
import { serializeError } from '../../parallel/_internal/taskErrors';
import { enableTaskCache } from '../../parallel/_internal/modelCache';

/** What the pool passes as `workerData.init`. */
export interface PoolWorkerInit {
  readonly backend: BackendName | null;
  readonly tasks: string | null;
}

/** A request from the pool. */
export interface PoolRequest {
  readonly id: number;
  readonly task: string;
  readonly payload: unknown;
}

async function loadRegistry(init: PoolWorkerInit): Promise<TaskRegistry> {
  if (init.backend !== null) await useBackend(init.backend);
  if (init.tasks === null) return FINML_TASKS;
  const mod = (await import(/* @vite-ignore */ init.tasks)) as { tasks?: unknown; default?: unknown };
  const user = mod.tasks ?? mod.default;
  checkRegistry('createWorkerPool', `tasks (the 'tasks' export of ${init.tasks})`, user);
  const clash = Object.keys(user).find((k) => k.startsWith('finml.'));
  if (clash !== undefined) {
    throw new InvalidOptionError({ fn: 'createWorkerPool', arg: 'tasks', expected: "task names that do not start with 'finml.' (reserved for built-in tasks)", got: describeValue(clash) });
  }
  return Object.freeze({ ...FINML_TASKS, ...user });
}

const port = parentPort;
if (port !== null) {
  enableTaskCache(); // restored models are kept for the next calls (see modelCache)
  const init = (workerData as { init: PoolWorkerInit }).init;
  const registry = loadRegistry(init);
  // An init failure is reported to every task (not thrown here, which would only say "worker exited").
  registry.then(
    () => port.postMessage({ ready: true }),
    () => port.postMessage({ ready: true }),
  );
  port.on('message', (msg: PoolRequest) => {
    void (async () => {
      try {
        const f = lookupTask(await registry, msg.task, 'workerPool.run');
        if (f instanceof Error) throw f;
        const value = await f(msg.payload);
        port.postMessage({ id: msg.id, ok: true, value });
      } catch (e) {
        port.postMessage({ id: msg.id, ok: false, error: serializeError(e) });
      }
    })();
  });
}
