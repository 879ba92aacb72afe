// Plain tfjs-layers (no finml import, so no custom layer registered): loads <dir>/model.json and
// prints the layer classes and the predictions on the given input. Used by exportLayersModel.test.ts.
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as tfl from '@tensorflow/tfjs-layers';
const [dir, xJson] = process.argv.slice(2);
const json = JSON.parse(readFileSync(dir + '/model.json', 'utf8'));
const bytes = readFileSync(dir + '/' + json.weightsManifest[0].paths[0]);
const handler = tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) });
await tf.setBackend('cpu');
const model = await tfl.loadLayersModel(handler);
const x = JSON.parse(xJson);
const out = model.predict(tf.tensor(x.values, x.shape));
process.stdout.write(JSON.stringify({ classes: model.layers.map((l) => l.getClassName()), y: Array.from(out.dataSync()) }));
