import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError, DisposedError, InvalidOptionError } from '../../src/core/errors';
import { createRng } from '../../src/core/random';
import { dropColumns } from '../../src/data/dropColumns';
import { parseCsv } from '../../src/data/parseCsv';
import { buildRiskModel } from '../../src/presets/riskModel';
import { type RiskModel } from '../../src/presets/buildRiskModel';
import { scoreCsvStream, type ScoredBatch, type ScoreCsvStreamOptions } from '../../src/presets/scoreCsvStream';
import { expectClose, expectNoLeak } from '../helpers/leak';

const PURPOSES = ['car', 'tv', 'education'];

/** One CSV data line: id (zero-padded text), amount, purpose, a junk column, the target. */
function line(i: number, rng: ReturnType<typeof createRng>): string {
  const amount = 500 + rng.int(8000);
  const purpose = PURPOSES[rng.int(3)] as string;
  const risk = (amount - 4500) / 2500 + (purpose === 'tv' ? 1 : -0.5) + 0.5 * rng.normal();
  return `${String(i).padStart(7, '0')},${amount},${purpose},${i % 3},${risk > 0 ? 'Bad' : 'Good'}`;
}
const HEADER = 'id,amount,purpose,junk,Class';

function csvText(n: number, seed: number): string {
  const rng = createRng(seed);
  return `${HEADER}\n${Array.from({ length: n }, (_, i) => line(i, rng)).join('\n')}\n`;
}

/** The text as chunks of `size` UTF-8 bytes (cutting fields, quotes and lines anywhere). */
async function* bytes(text: string, size: number): AsyncGenerator<Uint8Array> {
  const b = new TextEncoder().encode(text);
  for (let i = 0; i < b.length; i += size) yield b.subarray(i, i + size);
}

async function collect(it: AsyncIterable<ScoredBatch>): Promise<ScoredBatch[]> {
  const out: ScoredBatch[] = [];
  for await (const b of it) out.push(b);
  return out;
}

let model: RiskModel;
beforeAll(async () => {
  model = await buildRiskModel(dropColumns(parseCsv(csvText(300, 1)), ['id', 'junk']), { target: 'Class', members: 1, epochs: 20, seed: 3 });
});
afterAll(() => model.dispose());

describe('scoreCsvStream', () => {
  it('scores equal model.score on the whole file, batch by batch, ids passed through as text', async () => {
    const text = csvText(1003, 2);
    const whole = parseCsv(text, { types: { id: 'categorical' } });
    const expected = model.score(whole);
    const batches = await collect(scoreCsvStream(model, bytes(text, 97), { idColumns: ['id'], batchSize: 250 }));
    expect(batches.map((b) => [b.firstRow, b.table.nRows])).toEqual([
      [0, 250],
      [250, 250],
      [500, 250],
      [750, 250],
      [1000, 3],
    ]);
    expect(batches[0]?.table.columns.map((c) => [c.name, c.kind])).toEqual([
      ['id', 'categorical'],
      ['p_Bad', 'numeric'],
      ['predicted_Class', 'categorical'],
    ]);
    const pd = batches.flatMap((b) => Array.from(b.table.columns[1]?.values as Float64Array));
    expectClose(pd, expected, 1e-12);
    expect(batches.flatMap((b) => b.table.columns[0]?.values as readonly (string | null)[])).toEqual(whole.columns[0]?.values);
    expect(batches[0]?.table.columns[0]?.values[7]).toBe('0000007'); // not read as the number 7
    expect(batches.flatMap((b) => b.table.columns[2]?.values as readonly (string | null)[])).toEqual(model.predict(whole));
    const at = await collect(scoreCsvStream(model, bytes(text, 4096), { threshold: 0.3, batchSize: 5000 }));
    expectClose(at[0]?.table.columns[0]?.values as Float64Array, expected, 1e-12);
    expect(at[0]?.table.columns[1]?.values).toEqual(model.predict(whole, 0.3));
  });

  it('fixes every kind from the header: a later batch cannot change a column, unused columns never fail', async () => {
    // junk is numeric for the first 300 rows, then text; an id that looks numeric later.
    const rng = createRng(5);
    const lines = Array.from({ length: 600 }, (_, i) => line(i, rng)).map((l, i) => (i >= 300 ? l.replace(/,(\d),(Bad|Good)$/, ',x$1,$2') : l));
    const text = `${HEADER}\n${lines.join('\n')}\n`;
    const batches = await collect(scoreCsvStream(model, bytes(text, 1000), { batchSize: 100 }));
    expect(batches.reduce((a, b) => a + b.table.nRows, 0)).toBe(600);
    const dropped = await collect(scoreCsvStream(model, bytes(text, 1000), { batchSize: 100, drop: ['junk', 'Class'] }));
    expect(dropped.map((b) => b.table.columns.map((c) => c.name))[0]).toEqual(['p_Bad', 'predicted_Class']);
    // A web ReadableStream works too, and a header-only stream yields nothing.
    const web = new ReadableStream<string>({
      start(c) {
        c.enqueue(text.slice(0, 5000));
        c.enqueue(text.slice(5000));
        c.close();
      },
    });
    expect((await collect(scoreCsvStream(model, web, { batchSize: 1000 })))[0]?.table.nRows).toBe(600);
    expect(await collect(scoreCsvStream(model, bytes(`${HEADER}\n`, 3)))).toEqual([]);
  });

  it('errors: missing inputs and ids named before any row, bad drop, clashes, bad values with their line', async () => {
    const text = csvText(20, 4);
    const run = (src: string, o?: ScoreCsvStreamOptions): Promise<ScoredBatch[]> => collect(scoreCsvStream(model, bytes(src, 7), o));
    await expect(run(text.replace('amount', 'amt'))).rejects.toThrow(/input columns.*without 'amount'/);
    await expect(run(text, { idColumns: ['ref'] })).rejects.toThrow(DataError);
    await expect(run(text, { drop: ['nope'] })).rejects.toThrow(InvalidOptionError);
    await expect(run(text, { drop: ['amount'] })).rejects.toThrow(/one of the model's input columns/);
    await expect(run(text, { drop: ['id'], idColumns: ['id'] })).rejects.toThrow(InvalidOptionError);
    await expect(run(text, { idColumns: ['p_Bad'] })).rejects.toThrow(/output columns/);
    await expect(run(text, { threshold: 2 })).rejects.toThrow(InvalidOptionError);
    await expect(run(text.replace(/\n(\d+),\d+,/, '\n$1,lots,'))).rejects.toThrow(/line 2/);
    await expect(run('')).rejects.toThrow(DataError);
    await expect(collect(scoreCsvStream(model, 42 as unknown as AsyncIterable<string>))).rejects.toThrow(DataError);
    const gone = await buildRiskModel(dropColumns(parseCsv(csvText(60, 1)), ['id', 'junk']), { target: 'Class', members: 1, epochs: 1 });
    gone.dispose();
    await expect(collect(scoreCsvStream(gone, bytes(text, 50)))).rejects.toThrow(DisposedError);
  });

  it('leaves no tensors behind', async () => {
    const text = csvText(200, 6);
    await expectNoLeak(() => collect(scoreCsvStream(model, bytes(text, 300), { batchSize: 64 })));
  });

  it('constant memory: 200k streamed rows grow the heap far less than holding them', async () => {
    const N = 200_000;
    async function* generated(): AsyncGenerator<string> {
      const rng = createRng(9);
      yield `${HEADER}\n`;
      for (let i = 0; i < N; i += 1000) yield `${Array.from({ length: Math.min(1000, N - i) }, (_, k) => line(i + k, rng)).join('\n')}\n`;
    }
    // Retained heap, measured after a full collection (gc exposed for this test only).
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const heap = (): number => {
      gc();
      return process.memoryUsage().heapUsed;
    };
    let rows = 0;
    let base = 0;
    let peak = 0;
    for await (const b of scoreCsvStream(model, generated(), { idColumns: ['id'], batchSize: 5000 })) {
      rows += b.table.nRows;
      if (base === 0) base = heap();
      else if (rows % 25_000 === 0) peak = Math.max(peak, heap());
    }
    expect(rows).toBe(N);
    const streamed = peak - base;
    // Side by side: the same rows held as one parsed Table (what a whole-file read keeps).
    const before = heap();
    const chunks: string[] = [];
    for await (const c of generated()) chunks.push(c);
    const held = parseCsv(chunks.join(''), { types: { id: 'categorical' } });
    const holding = heap() - before;
    expect(held.nRows).toBe(N);
    // Measured: streamed ~0 MB retained at any batch (5000-row batches); holding the 200k rows ~20 MB
    // (the one-pass parser stores numbers in Float64Arrays and each distinct text value once).
    expect(holding).toBeGreaterThan(10 * 2 ** 20);
    expect(streamed, `streamed ${(streamed / 2 ** 20).toFixed(1)} MB, holding ${(holding / 2 ** 20).toFixed(1)} MB`).toBeLessThan(holding / 5);
  });
});
