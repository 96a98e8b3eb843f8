// A callback whose identity never changes but which always runs the latest function given: memoised
// children (canvas cards, property sections, the palette) then skip re-rendering when only the
// parent's closures are new.
import { useCallback, useLayoutEffect, useRef } from 'react';

export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const latest = useRef(fn);
  useLayoutEffect(() => {
    latest.current = fn;
  });
  return useCallback((...args: A) => latest.current(...args), []);
}
