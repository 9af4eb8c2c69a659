export { ModelRegistryError, ModelRegistryErrorCode } from './model-registry.errors';
export {
  ALLOWED_TRANSITIONS,
  MODEL_STATUSES,
  type ModelArtefact,
  type ModelRecord,
  type ModelRegistration,
  type ModelStatus,
  type ModelWindows,
  type ServingSet,
  type StatusChange,
  type StatusEvent,
} from './model-registry.types';
export { modelMigrationsDir, ModelRegistry, REGISTRY_CHANNEL, sha256Hex } from './model.registry';
