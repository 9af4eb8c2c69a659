export { waitFor, type WaitForOptions } from './wait-for.helper';
export {
  COMPONENT_NAMES,
  type ComponentName,
  type ComponentStatus,
  type NodeStatus,
  type StackComponent,
} from './stack/stack.component';
export { StackError, StackErrorCode } from './stack/stack.errors';
export {
  DEFAULT_PORTS,
  loadStackSettings,
  SERVICE_REPLICAS,
  STACK_ENV,
  stackUrls,
  type LoadStackSettingsOptions,
  type StackSettings,
  type StackUrls,
} from './stack/stack.settings';
export { stackDown, stackStatus, stackUp, type StackOptions } from './stack/stack.orchestrator';
export { componentState, formatStatusTable, type ComponentState } from './stack/status.formatter';
export {
  getFromEveryProcess,
  LOCAL_SERVICES,
  localPanTokenKey,
  REPLICATED_SERVICES,
  serviceProcesses,
  localSecret,
  serviceEnvironment,
  servicesDown,
  servicesStatus,
  servicesUp,
  stopService,
  type ServiceName,
  type ServiceProcess,
  type ServiceStatus,
} from './services/services.launcher';
export {
  BENCH_POPULATION,
  seededRandom,
  syntheticTransaction,
  type SyntheticOptions,
} from './fixtures/synthetic.transactions';
export { startTestKafka } from './fixtures/test-kafka.runtime';
export { TopicCollector, type CollectedRecord } from './fixtures/topic.collector';
