/**
 * A part of the app loaded on demand (React.lazy): what stands in while its code loads, and what is
 * shown if it cannot be loaded — offline, or a new version deployed since the page was opened —
 * instead of the whole app going blank.
 */
import { Component, Suspense, type ReactNode } from 'react';

interface OnDemandProps {
  /** Shown while the code loads: the part's size, so nothing jumps when it arrives. */
  fallback: ReactNode;
  /** Shown if it cannot be loaded (or throws while rendering); a one-line alert by default. */
  failed?: ReactNode;
  children: ReactNode;
}

export function OnDemand({ fallback, failed, children }: OnDemandProps) {
  return (
    <LoadFailure failed={failed ?? <NotLoaded />}>
      <Suspense fallback={fallback}>{children}</Suspense>
    </LoadFailure>
  );
}

export function NotLoaded() {
  return (
    <p role="alert" className="rounded-md border border-danger/40 bg-danger/10 px-3 py-2 text-xs leading-5 text-danger-ink">
      This part of Gradflow could not be loaded. Check the connection and reload the page.
    </p>
  );
}

class LoadFailure extends Component<{ failed: ReactNode; children: ReactNode }, { error: boolean }> {
  override state = { error: false };

  static getDerivedStateFromError(): { error: boolean } {
    return { error: true };
  }

  override render() {
    return this.state.error ? this.props.failed : this.props.children;
  }
}
