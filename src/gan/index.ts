/**
 * Generative adversarial networks: builders, the GAN training loop, tabular and returns GANs,
 * Lambert W tails and the quality report of synthetic data.
 *
 * @module finml/gan
 */
export { buildGan } from './buildGan';
export type { Gan, GanSpec, ResolvedGanSpec, GanActivation, GanGeneratorOptions, GanDiscriminatorOptions } from './buildGan';
export { trainGan } from './trainGan';
export type { TrainGanOptions, GanHistory, GanEpochLogs, GanData, GanCategoricalBlock } from './trainGan';
export { sampleGan } from './sampleGan';
export { disposeGan } from './disposeGan';
export { ganQualityReport, returnStats, ksTwoSample } from './ganQualityReport';
export { lambertW, fitLambertW, lambertWGaussianize, lambertWHeavyTail } from './ganLambertW';
export type { LambertWParams, FitLambertWOptions } from './ganLambertW';
export { returnsGan, returnsGanFromJSON, fitReturnsGan } from './ganReturns';
export type { ReturnsGan, FittedReturnsGan, ReturnsGanParams, ReturnsGanFitOptions, ReturnsGanState } from './ganReturns';
export type { GanQualityReport, GanQualityReportOptions, ReturnStats, ReturnSeries } from './ganQualityReport';
export { tabularGan, tabularGanFromJSON } from './tabularGan';
export type { TabularGan, FittedTabularGan, TabularGanParams, TabularGanState, TabularGanQuantiles } from './tabularGan';
