/**
 * Deserialisers of every estimator kind in src/data/, keyed by envelope kind.
 * Add one line per estimator; the contract meta-test checks each kind has a contract case.
 *
 * @module
 */
import { categoricalImputerFromJSON } from './categoricalImputer';
import { minMaxScalerFromJSON } from './minMaxScaler';
import { oneHotEncoderFromJSON } from './oneHotEncoder';
import { ordinalEncoderFromJSON } from './ordinalEncoder';
import { pipelineFromJSON } from './pipeline';
import { robustScalerFromJSON } from './robustScaler';
import { simpleImputerFromJSON } from './simpleImputer';
import { standardScalerFromJSON } from './standardScaler';
import { tabularPipelineFromJSON } from './tabularPipeline';

/** Envelope kind → fromJSON of src/data/. */
export const DATA_KINDS: Readonly<Record<string, (json: unknown) => unknown>> = Object.freeze({
  StandardScaler: standardScalerFromJSON,
  MinMaxScaler: minMaxScalerFromJSON,
  RobustScaler: robustScalerFromJSON,
  SimpleImputer: simpleImputerFromJSON,
  CategoricalImputer: categoricalImputerFromJSON,
  OneHotEncoder: oneHotEncoderFromJSON,
  OrdinalEncoder: ordinalEncoderFromJSON,
  Pipeline: pipelineFromJSON,
  TabularPipeline: tabularPipelineFromJSON,
});
