/** Every component a stack can have (`redis` or `redis-cluster`, as ARGUS_REDIS_CLUSTER says). */
export const COMPONENT_NAMES = ['kafka', 'schema-registry', 'postgres', 'redis', 'redis-cluster'] as const;

export type ComponentName = (typeof COMPONENT_NAMES)[number];

/** One server of a component made of several (the masters of the Redis Cluster). */
export interface NodeStatus {
  readonly address: string;
  /** Our process, when the stack started it and it is alive. */
  readonly pid: number | null;
  readonly running: boolean;
  readonly healthy: boolean;
  readonly detail: string;
}

/** What `argus stack status` shows for one component. */
export interface ComponentStatus {
  readonly name: ComponentName;
  /** Where clients connect (passwords masked). */
  readonly address: string;
  /**
   * Our process, when the stack started it and it is alive; null for an external server or none, and for a
   * component of several servers (their pids are in `nodes`).
   */
  readonly pid: number | null;
  /** Something serves this component: our process, or an external / foreign server that answers. */
  readonly running: boolean;
  /** The component answered its readiness probe (metadata request, GET /subjects, select 1, PING). */
  readonly healthy: boolean;
  /** Not managed by the stack (ARGUS_PG_URL / ARGUS_REDIS_URL, or already served on the port): never stopped. */
  readonly external: boolean;
  readonly detail: string;
  /** The servers of a component made of several (the Redis Cluster's masters), each with its own pid. */
  readonly nodes?: readonly NodeStatus[];
}

/** One piece of the local stack. start() and stop() are idempotent and return the status they leave behind. */
export interface StackComponent {
  readonly name: ComponentName;
  start(): Promise<ComponentStatus>;
  stop(): Promise<ComponentStatus>;
  status(): Promise<ComponentStatus>;
}
