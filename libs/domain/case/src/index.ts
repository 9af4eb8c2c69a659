export { CaseError, CaseErrorCode } from './case.errors';
export { CasePolicyError, type CasePolicyErrorCode, type CasePolicyProblem } from './case-policy.errors';
export { parseCasePolicy } from './case-policy.parser';
export type { CasePolicy, CaseQueue, CaseRoute } from './case-policy.types';
export { intake, queueOf, referenceRate, routeAlert, toAlert, type AlertInput, type IntakeResult } from './case.intake';
export {
  alertProbability,
  amountAtRisk,
  dueAt,
  expectedLoss,
  openAlerts,
  priority,
  slaState,
  type SlaState,
} from './case.priority';
export {
  CaseEventType,
  CaseStatus,
  Disposition,
  Role,
  SYSTEM,
  type Actor,
  type Case,
  type CaseAlert,
  type CaseEvent,
  type PendingDisposition,
} from './case.types';
export { act, effectiveStatus, needsApproval, type ActResult, type CaseAction, type Closure } from './case.workflow';
export { breachNotification, intakeNotifications, type Notification } from './case.notifications';
