export { HistoryMappingError, HistoryMappingErrorCode } from './history-mapping.errors';
export {
  BUILT_IN_MAPPINGS,
  builtInMapping,
  loadMapping,
  missingColumns,
  requiredColumns,
  type BuiltInMappingName,
} from './history-mapping.loader';
export {
  historyMappingSchema,
  type FieldSpec,
  type HistoryMapping,
  type MappedField,
  type TimeSpec,
} from './history-mapping.schema';
export { HistoryRowError, HistoryRowErrorCode } from './history-row.errors';
export {
  mapRow,
  tokeniseMappedRow,
  type CsvRow,
  type HistoryLabel,
  type MappedRow,
  type MapRowOptions,
  type PanLinkedField,
} from './history-row.mapper';
