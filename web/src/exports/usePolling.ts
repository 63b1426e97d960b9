import { useEffect } from 'react';

/**
 * Calls `reload` every `ms` while `active`: the server's export job moves an approved
 * instruction on by itself, and the page follows without the person reloading it.
 */
export function usePolling(active: boolean, reload: () => Promise<void>, ms = 3000): void {
  useEffect(() => {
    if (!active) return;
    const timer = window.setInterval(() => void reload(), ms);
    return () => window.clearInterval(timer);
  }, [active, reload, ms]);
}
