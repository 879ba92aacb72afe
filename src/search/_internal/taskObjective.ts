/** Recognises a task objective `{ task, data }` (crossValidate and the searches). */
import type { TaskObjective } from '../tasks';

/** True for an object with a string `task` and a `data` key. */
export function isTaskObjective(v: unknown): v is TaskObjective {
  return typeof v === 'object' && v !== null && typeof (v as { task?: unknown }).task === 'string' && 'data' in v;
}
