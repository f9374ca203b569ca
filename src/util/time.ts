// Ages as kubectl and k9s print them, rounded so that a column does not change every second:
// seconds under two minutes, then minutes, hours and days.

export function formatAge(ms: number): string {
  if (!Number.isFinite(ms)) return '';
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (d < 730) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

/** The age of something that happened at `t` (epoch ms), '' when unset. */
export function age(now: number, t: number): string {
  return t ? formatAge(now - t) : '';
}

/** `3m ago`, for sentences. */
export function ago(now: number, t: number): string {
  return t ? `${formatAge(now - t)} ago` : 'unknown time';
}
