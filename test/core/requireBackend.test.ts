import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BackendError } from '../../src/core/errors';
import { requireBackend } from '../../src/core/backend';

const root = fileURLToPath(new URL('../..', import.meta.url));

describe('requireBackend', () => {
  it('passes when a backend is active', () => {
    expect(() => requireBackend('x')).not.toThrow();
  });

  it('turns "no backend registered" into a BackendError naming the function and the fix (fresh process, no backend imported)', () => {
    const script = `
      import { buildModel, trainModel, neuralClassifier } from './src/index.ts';
      const out = [];
      for (const f of [
        () => buildModel({ type: 'fnn' }, { inputShape: [2], head: { task: 'binary', units: 1 } }),
        () => neuralClassifier().fit([[0, 1], [1, 0]], [0, 1]),
      ]) {
        try { await f(); out.push('no error'); } catch (e) { out.push(e.name + ': ' + e.message); }
      }
      console.log(JSON.stringify(out));
    `;
    const tsx = fileURLToPath(new URL('../../node_modules/tsx/dist/cli.mjs', import.meta.url));
    const stdout = execFileSync(process.execPath, [tsx, '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8' });
    const lines = JSON.parse(stdout.trim().split('\n').pop() ?? '[]') as string[];
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^BackendError: buildFnn: no TensorFlow\.js backend is registered.*useBackend\('cpu'\)/);
    expect(lines[1]).toMatch(/^BackendError: .*no TensorFlow\.js backend is registered/);
    expect(BackendError.name).toBe('BackendError');
  });
});
