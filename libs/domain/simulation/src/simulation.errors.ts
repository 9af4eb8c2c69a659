export enum SimulationErrorCode {
  INVALID_OPTION = 'INVALID_OPTION',
  UNKNOWN_SCENARIO = 'UNKNOWN_SCENARIO',
  NOT_FINISHED = 'NOT_FINISHED',
  /** A scenario broke the engine's contract (a bug, not a bad option). */
  INVALID_EPISODE = 'INVALID_EPISODE',
}

/** A simulation that cannot run as asked; `option` names the offending setting when there is one. */
export class SimulationError extends Error {
  override readonly name = 'SimulationError';

  constructor(
    readonly code: SimulationErrorCode,
    message: string,
    readonly option?: string,
  ) {
    super(message);
  }
}
