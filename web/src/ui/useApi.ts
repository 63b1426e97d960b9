import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Loads when `deps` change (and again on reload()), keeping the error for <ProblemAlert>. Only
 * the latest request's answer is kept: going from case A to case B never shows A's answer,
 * late or not, under B's address; and when the inputs change the old data goes at once.
 */
export function useApi<T>(load: () => Promise<T>, deps: unknown[] = []) {
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const latest = useRef(0);
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps);
  const reload = useCallback(async () => {
    const request = ++latest.current;
    setLoading(true);
    try {
      const answer = await run();
      if (request !== latest.current) return;
      setData(answer);
      setError(null);
    } catch (e) {
      if (request !== latest.current) return;
      setError(e);
    } finally {
      if (request === latest.current) setLoading(false);
    }
  }, [run]);
  useEffect(() => {
    // New inputs: what was shown belongs to the previous ones.
    setData(undefined);
    setError(null);
    void reload();
  }, [reload]);
  return { data, error, loading, reload, setData };
}
