export enum StackErrorCode {
  /** An ARGUS_* variable has a value that cannot be used. */
  InvalidSetting = 'INVALID_SETTING',
  /** The repository root (the folder holding nx.json) could not be found. */
  RepoRootNotFound = 'REPO_ROOT_NOT_FOUND',
  /** A program the stack needs (java, mvn, postgres, redis-server) is missing and cannot be installed here. */
  MissingPrerequisite = 'MISSING_PREREQUISITE',
  /** Downloading or installing an artefact (Maven, apt) failed. */
  InstallFailed = 'INSTALL_FAILED',
  /** A one-off command (initdb, StorageTool, …) exited with an error. */
  CommandFailed = 'COMMAND_FAILED',
  /** The port a component should use is taken by something that does not answer like that component. */
  PortInUse = 'PORT_IN_USE',
  /** A process was started but did not become ready in time, or exited. */
  StartFailed = 'START_FAILED',
  /** A process did not exit, even after SIGKILL. */
  StopFailed = 'STOP_FAILED',
  /** Creating or growing Kafka topics failed. */
  TopicProvisioningFailed = 'TOPIC_PROVISIONING_FAILED',
  /** A waitFor() condition did not hold before its deadline. */
  Timeout = 'TIMEOUT',
}

/** The one error type of the local stack: `code` says what failed, the message says what to do about it. */
export class StackError extends Error {
  override readonly name = 'StackError';

  constructor(
    readonly code: StackErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Message of an unknown thrown value, for wrapping causes into readable messages. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
