// Volume usage per PVC: the poller, its sources, and text helpers (see types.ts for the shapes).
export * from './types';
export { UsagePoller, isRunningPod, type UsagePollerOptions, type UsageStore } from './poller';
export { kubeletSource, prometheusSource, parseSummary, parsePrometheus, PROMETHEUS_QUERY, SourceError, type Requester, type UsageSource } from './sources';
export * from './format';
