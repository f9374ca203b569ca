// Actions: view → this module → API, never through the store. See types.ts.
export type { Access, Actions, ActionObject, Outcome, AccessVerb, AccessResource } from './types';
export { READONLY_MESSAGE } from './types';
export { KubeActions, type KubeActionsOptions } from './kube-actions';
export { FileAuditLog, actionLogPath, readActionLog, type AuditEntry, type AuditSink } from './audit';
export { claimFacts, resizeBlocker, checkSize, type ClaimFacts, type SizeCheck } from './resize';
export { resizeState, claimResize, pendingAdvice, DONE_MS, type ResizeState, type ResizeStage } from './resize-state';
export { restartPlan, recreator, restartPod, type RestartPlan, type RestartPod } from './restart';
