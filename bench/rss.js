// A process's resident memory, read from /proc/<pid>/status (VmRSS) every few milliseconds while
// a load runs: the peak the kernel saw, not what the process says of itself.
import fs from 'node:fs';

/** VmRSS of `pid` in MB (10^6 bytes), or null once the process is gone. */
export function rssMb(pid) {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = /^VmRSS:\s+(\d+) kB/m.exec(status);
    return kb ? (Number(kb[1]) * 1024) / 1e6 : null;
  } catch {
    return null;
  }
}

/** Samples `pid` every `everyMs` until stop(), which returns the peak, the last value and a count. */
export function sampleRss(pid, everyMs = 50) {
  let peak = rssMb(pid) ?? 0;
  let last = peak;
  let samples = 1;
  const timer = setInterval(() => {
    const now = rssMb(pid);
    if (now === null) return;
    last = now;
    samples += 1;
    if (now > peak) peak = now;
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { peakMb: peak, lastMb: last, samples };
    },
  };
}
