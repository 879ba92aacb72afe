/**
 * The risk-model format's codec (no fitted model involved): joining the members' network parts
 * into one manifest and buffer with `member<i>/` prefixes, sealing with content hashes, and the
 * inverse: format/version checks, metadata validation, member count checks between the JSON, the
 * topologies and the manifest, and splitting the buffer back into per-member parts.
 * @internal
 */
import type * as tf from '@tensorflow/tfjs-core';
import { SerializationError, describeValue } from '../../core/errors';
import { deepFreeze, type EstimatorJSON, type JsonValue } from '../../core/estimator';
import type { NetworkParts } from '../networkParts';
import { RISK_MODEL_FORMAT, type RiskModelMetadata } from '../riskModel';
import { computeIntegrity, isRecord, verifyIntegrity, weightBuffer } from './artifactIO';
import { expectedWeightBytes, readWeightSpecs, type WeightSpec } from './modelArtifacts';
import { FINML_VERSION } from './version';

/** The version written (3 added the GAM member). Version 2 is read too; version 1 predates the first release. */
export const RISK_MODEL_FORMAT_VERSION = 3;

/** Versions this codec reads; the presets glue upgrades older stored models. */
const READABLE_VERSIONS: readonly unknown[] = [2, RISK_MODEL_FORMAT_VERSION];
const MEMBER_PREFIX = 'member';

/** One member: its envelope without topology and weights, and its network parts. */
export interface RiskMemberContent {
  readonly envelope: EstimatorJSON;
  readonly parts: NetworkParts;
}

/**
 * Encodes a risk model: `fields` (params, pipeline, explainer, validation, baseline, combiner),
 * the members and the metadata become sealed tfjs artifacts.
 */
export function encodeRiskModelArtifacts(fields: Readonly<Record<string, JsonValue>>, members: readonly RiskMemberContent[], metadata: RiskModelMetadata): tf.io.ModelArtifacts {
  const topologies: JsonValue[] = [];
  const specs: WeightSpec[] = [];
  const chunks: Uint8Array[] = [];
  members.forEach(({ parts }, i) => {
    topologies.push(parts.modelTopology);
    for (const s of parts.weightSpecs) specs.push({ name: `${MEMBER_PREFIX}${i}/${s.name}`, shape: [...s.shape], dtype: s.dtype });
    chunks.push(new Uint8Array(parts.weightData));
  });
  const weightData = new Uint8Array(chunks.reduce((a, c) => a + c.byteLength, 0));
  let off = 0;
  for (const c of chunks) {
    weightData.set(c, off);
    off += c.byteLength;
  }
  const finml = {
    format: RISK_MODEL_FORMAT,
    version: RISK_MODEL_FORMAT_VERSION,
    ...fields,
    members: members.map((m) => m.envelope),
    metadata,
  };
  return sealRiskArtifacts({
    modelTopology: { format: RISK_MODEL_FORMAT, members: topologies },
    format: RISK_MODEL_FORMAT,
    generatedBy: `finml ${FINML_VERSION}`,
    convertedBy: null,
    weightSpecs: specs.map((s) => ({ name: s.name, shape: [...s.shape], dtype: s.dtype })),
    weightData: weightData.buffer,
    userDefinedMetadata: { finml: finml as unknown as Record<string, never> },
  });
}

/** Adds the SHA-256 content hashes (`finml.integrity`) to freshly built risk-model artifacts. */
function sealRiskArtifacts(a: tf.io.ModelArtifacts): tf.io.ModelArtifacts {
  const finml = (a.userDefinedMetadata as { finml: Record<string, unknown> }).finml;
  const integrity = computeIntegrity(a.modelTopology, a.weightSpecs, finml, a.weightData as ArrayBuffer);
  return { ...a, userDefinedMetadata: { finml: { ...finml, integrity } as unknown as Record<string, never> } };
}

/** Decoded risk-model artifacts: the untrusted finml record, the metadata and each member's envelope and parts. */
export interface DecodedRiskModel {
  /** `userDefinedMetadata.finml` (format and version checked; the rest untrusted). */
  readonly finml: Readonly<Record<string, unknown>>;
  readonly metadata: RiskModelMetadata;
  /** The member envelopes (untrusted) and their parts (manifest and sizes checked). */
  readonly members: readonly { readonly envelope: unknown; readonly parts: NetworkParts }[];
  /**
   * Verifies the content hashes (when the saver wrote them). Run after the structural checks and
   * the restore, which name the broken field; the topology budget has already bounded what was built.
   */
  readonly verifyIntegrity: () => void;
}

/** Decodes risk-model artifacts; everything is checked before any network is built. */
export function decodeRiskModelArtifacts(artifacts: tf.io.ModelArtifacts, fn: string): DecodedRiskModel {
  if (!isRecord(artifacts)) throw new SerializationError({ fn, arg: 'artifacts', expected: 'tfjs model artifacts', got: describeValue(artifacts) });
  const finml = isRecord(artifacts.userDefinedMetadata) ? artifacts.userDefinedMetadata.finml : undefined;
  if (!isRecord(finml) || finml.format !== RISK_MODEL_FORMAT) {
    const got = isRecord(finml) ? finml.format : finml;
    throw new SerializationError({
      fn,
      arg: 'userDefinedMetadata.finml.format',
      expected: `'${RISK_MODEL_FORMAT}' (a risk model saved by saveRiskModel)`,
      got: got === 'finml-bundle' ? "'finml-bundle', a single-model bundle: load it with loadBundle" : describeValue(got),
    });
  }
  if (!READABLE_VERSIONS.includes(finml.version)) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.version', expected: `2 or ${RISK_MODEL_FORMAT_VERSION}`, got: describeValue(finml.version) });
  }
  const metadata = readMetadata(finml.metadata, fn);
  const members = finml.members;
  if (!Array.isArray(members) || members.length === 0) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.members', expected: 'a non-empty array of member envelopes', got: describeValue(members) });
  }
  const n = members.length;
  if (metadata.members !== n) {
    throw new SerializationError({ fn, arg: 'userDefinedMetadata.finml.metadata.members', expected: `${n} (the number of member envelopes)`, got: describeValue(metadata.members) });
  }
  const topo = artifacts.modelTopology as unknown;
  const topologies = isRecord(topo) ? topo.members : undefined;
  if (!isRecord(topo) || topo.format !== RISK_MODEL_FORMAT || !Array.isArray(topologies)) {
    throw new SerializationError({ fn, arg: 'modelTopology', expected: `{ format: '${RISK_MODEL_FORMAT}', members: [topologies] }`, got: describeValue(topo) });
  }
  if (topologies.length !== n) {
    throw new SerializationError({ fn, arg: 'modelTopology.members', expected: `${n} member topologies (one per member envelope)`, got: `${topologies.length}` });
  }
  const specs = readWeightSpecs(artifacts.weightSpecs, fn, 'weightSpecs');
  const weightData = weightBuffer(artifacts.weightData, fn);
  const want = expectedWeightBytes(specs);
  if (weightData.byteLength !== want) {
    throw new SerializationError({ fn, arg: 'weightData', expected: `${want} bytes (as listed in weightSpecs)`, got: `${weightData.byteLength} bytes (truncated or corrupt)` });
  }
  const groups = splitSpecs(specs, n, fn);
  return {
    finml,
    metadata,
    members: members.map((envelope: unknown, i) => {
      const g = groups[i] as (typeof groups)[number];
      return { envelope, parts: { modelTopology: topologies[i] as JsonValue, weightSpecs: g.specs, weightData: weightData.slice(g.start, g.end) } };
    }),
    verifyIntegrity: () => verifyIntegrity(artifacts.modelTopology, artifacts.weightSpecs, finml, weightData, false, fn),
  };
}

function readMetadata(v: unknown, fn: string): RiskModelMetadata {
  const bad = (field: string, expected: string, got: unknown): never => {
    throw new SerializationError({ fn, arg: `userDefinedMetadata.finml.metadata${field === '' ? '' : `.${field}`}`, expected, got: describeValue(got) });
  };
  if (!isRecord(v)) return bad('', 'an object', v);
  const strings = (x: unknown): boolean => Array.isArray(x) && x.every((s) => typeof s === 'string');
  if (!strings(v.featureNames)) bad('featureNames', 'an array of strings', v.featureNames);
  if (typeof v.target !== 'string') bad('target', 'a string', v.target);
  if (!strings(v.classes) || (v.classes as unknown[]).length !== 2) bad('classes', 'two class labels', v.classes);
  if (v.positive !== (v.classes as unknown[])[1]) bad('positive', 'the default label, classes[1]', v.positive);
  if (!Number.isInteger(v.members) || (v.members as number) < 1) bad('members', 'an integer >= 1', v.members);
  if (!Number.isSafeInteger(v.seed)) bad('seed', 'a safe integer', v.seed);
  if (typeof v.createdAt !== 'string' || Number.isNaN(Date.parse(v.createdAt))) bad('createdAt', 'an ISO 8601 date string', v.createdAt);
  if (typeof v.finmlVersion !== 'string') bad('finmlVersion', 'a version string', v.finmlVersion);
  return deepFreeze(structuredClone(v) as unknown as RiskModelMetadata);
}

/** Per-member weight specs (prefix stripped) and byte ranges, from the one prefixed manifest. */
function splitSpecs(specs: readonly WeightSpec[], n: number, fn: string): { readonly specs: WeightSpec[]; readonly start: number; readonly end: number }[] {
  const out = Array.from({ length: n }, () => ({ specs: [] as WeightSpec[], start: 0, end: 0 }));
  let member = 0;
  let off = 0;
  specs.forEach((s, k) => {
    const m = /^member(\d+)\/(.+)$/.exec(s.name);
    const i = m === null ? Number.NaN : Number(m[1]);
    if (m === null || !Number.isInteger(i) || i < member || i >= n) {
      throw new SerializationError({
        fn,
        arg: `weightSpecs[${k}].name`,
        expected: `'member<i>/<weight>' with members in order 0..${n - 1} (as many members as userDefinedMetadata.finml.members)`,
        got: describeValue(s.name),
      });
    }
    if (i > member) {
      (out[member] as { end: number }).end = off;
      for (let j = member + 1; j <= i; j++) (out[j] as { start: number }).start = off;
      member = i;
    }
    const bytes = expectedWeightBytes([s]);
    (out[i] as { specs: WeightSpec[] }).specs.push({ name: m[2] as string, shape: s.shape, dtype: s.dtype });
    off += bytes;
  });
  (out[member] as { end: number }).end = off;
  for (let j = member + 1; j < n; j++) Object.assign(out[j] as object, { start: off, end: off });
  const empty = out.findIndex((g) => g.specs.length === 0);
  if (empty >= 0) {
    throw new SerializationError({ fn, arg: 'weightSpecs', expected: `weights for each of the ${n} members`, got: `no weights for member ${empty}` });
  }
  return out;
}

