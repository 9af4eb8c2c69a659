import { CodedError } from '@argus/contracts';

export const CaseErrorCode = {
  /** The action is not possible in the case's current status (e.g. a note on a closed case). */
  INVALID_STATE: 'INVALID_STATE',
  /** The actor's role may not do this (e.g. an analyst approving, or claiming in the supervisor queue). */
  FORBIDDEN: 'FORBIDDEN',
  /** Someone else holds the claim. */
  CLAIMED_BY_OTHER: 'CLAIMED_BY_OTHER',
  /** The maker of a disposition cannot approve it: a second person must. */
  FOUR_EYES: 'FOUR_EYES',
  INVALID_INPUT: 'INVALID_INPUT',
  /** No such case. */
  NOT_FOUND: 'NOT_FOUND',
} as const;
export type CaseErrorCode = (typeof CaseErrorCode)[keyof typeof CaseErrorCode];

export class CaseError extends CodedError<CaseErrorCode> {
  override readonly name = 'CaseError';
}
