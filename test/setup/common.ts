import { afterEach, beforeEach } from 'vitest';

/** Fail any test that writes to the console unexpectedly (tests that expect output stub it). */
const methods = ['log', 'warn', 'error', 'info', 'debug'] as const;
let calls: string[] = [];
const originals = new Map<string, (...a: unknown[]) => void>();

beforeEach(() => {
  calls = [];
  for (const m of methods) {
    originals.set(m, console[m] as (...a: unknown[]) => void);
    console[m] = (...args: unknown[]) => {
      calls.push(`console.${m}: ${args.map(String).join(' ').slice(0, 200)}`);
    };
  }
});

afterEach(() => {
  for (const m of methods) console[m] = originals.get(m) as (...a: unknown[]) => void;
  if (calls.length > 0) {
    const c = calls;
    calls = [];
    throw new Error(`Unexpected console output during test:\n${c.join('\n')}`);
  }
});
