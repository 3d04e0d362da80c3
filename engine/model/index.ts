/** The model definition format `gradflow.model`: schema, migrations, loading and saving. */
export { parseModel, parseModelObject, serializeModel, type LoadResult } from './load';
export { CURRENT_VERSION, MIGRATIONS, MODEL_FORMAT, migrate, type Migration, type MigrateResult } from './migrate';
export { formatPath, readableIssues, type ModelIssue } from './errors';
export { MODEL_FILE_LIMITS, modelFileSizeProblem } from './file-limits';
export {
  CsvDataSchema,
  EmbeddedWeightsSchema,
  MODEL_DATA_LIMITS,
  ModelDefinitionSchema,
  OPTIMIZERS,
  TrainingSchema,
  type DatasetOptions,
  type EmbeddedWeights,
  type LayoutPosition,
  type ModelDefinition,
  type ModelData,
  type ModelDefinitionInput,
  type ModelEdge,
  type ModelNode,
  type Optimizer,
  type TrainingSettings,
} from './schema';
