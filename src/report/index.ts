export * from './trainingCurvePlot';
export * from './rocCurvePlot';
export * from './calibrationPlot';
export * from './shapSummaryPlot';
export * from './shapWaterfallPlot';
export * from './featureImportancePlot';
export * from './modelReport';
