import { useCallback, useRef, useState } from 'react';

/**
 * One change sent to the API from a button or a form: busy while it runs (a second click is
 * ignored, so nothing is sent twice), its refusal kept for <ProblemAlert>, its success message
 * for a role=status region.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [status, setStatus] = useState<string | null>(null);
  const running = useRef(false);
  /** Runs `work`; what it returns is the success message. False when refused or already busy. */
  const run = useCallback(async (work: () => Promise<string | void>): Promise<boolean> => {
    if (running.current) return false;
    running.current = true;
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      const message = await work();
      if (message) setStatus(message);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      running.current = false;
      setBusy(false);
    }
  }, []);
  /** Forgets the last outcome (the form changed under it). */
  const reset = useCallback(() => {
    setError(null);
    setStatus(null);
  }, []);
  return { busy, error, status, run, reset };
}
