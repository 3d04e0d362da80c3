/**
 * The worker protocol's fixed limits (DESIGN.md, "Worker protocol"). The session and its
 * snapshot types are built on these.
 */

/** Snapshots are throttled to at most this many per second. */
export const MAX_SNAPSHOTS_PER_SECOND = 20;

/** The training loop runs in slices of about this many milliseconds, then yields. */
export const SLICE_MS = 15;
