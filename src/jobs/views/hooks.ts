/** The hooks of the panel's views: re-render on signals, and on a clock. */
import * as React from 'react';

/** Re-render when a signal-like source changes. */
export function useChanges(
  sources: {
    connect: (fn: () => void) => unknown;
    disconnect: (fn: () => void) => unknown;
  }[]
): number {
  const [tick, setTick] = React.useState(0);
  React.useEffect(() => {
    const bump = () => setTick(value => value + 1);
    sources.forEach(source => source.connect(bump));
    return () => sources.forEach(source => source.disconnect(bump));
  }, sources);
  return tick;
}

/** Re-render every `ms` (relative times). */
export function useClock(ms: number): number {
  const [now, setNow] = React.useState(Date.now());
  React.useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(timer);
  }, [ms]);
  return now;
}
