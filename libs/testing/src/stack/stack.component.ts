export type ComponentName = 'kafka' | 'schema-registry' | 'postgres' | 'redis';

/** What `argus stack status` shows for one component. */
export interface ComponentStatus {
  readonly name: ComponentName;
  /** Where clients connect (passwords masked). */
  readonly address: string;
  /** Our process, when the stack started it and it is alive; null for an external server or none. */
  readonly pid: number | null;
  /** Something serves this component: our process, or an external / foreign server that answers. */
  readonly running: boolean;
  /** The component answered its readiness probe (metadata request, GET /subjects, select 1, PING). */
  readonly healthy: boolean;
  /** Not managed by the stack (ARGUS_PG_URL / ARGUS_REDIS_URL, or already served on the port): never stopped. */
  readonly external: boolean;
  readonly detail: string;
}

/** One piece of the local stack. start() and stop() are idempotent and return the status they leave behind. */
export interface StackComponent {
  readonly name: ComponentName;
  start(): Promise<ComponentStatus>;
  stop(): Promise<ComponentStatus>;
  status(): Promise<ComponentStatus>;
}
