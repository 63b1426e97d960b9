// What the kernel says of a process, from /proc/<pid>: its resident memory (VmRSS), sampled
// every few milliseconds while a load runs (the peak the kernel saw, not what the process says of
// itself), and its CPU time, to wait until a server has finished the work of the previous load.
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

/** The children of `pid` whose command line holds `word` (the export process: `run-job`). */
export function childrenOf(pid, word) {
  const found = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== pid) continue;
      if (fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0').includes(word))
        found.push(Number(entry));
    } catch {
      // Ended meanwhile.
    }
  }
  return found;
}

/**
 * Samples `pid` and its children running `word` every `everyMs` until stop(): the peak of
 * each (the server's, the children's) and of their sum at one instant.
 */
export function sampleWithChildren(pid, word, everyMs = 50) {
  const peaks = { serverMb: rssMb(pid) ?? 0, childMb: 0, sumMb: rssMb(pid) ?? 0, samples: 1 };
  const timer = setInterval(() => {
    const server = rssMb(pid);
    if (server === null) return;
    const child = childrenOf(pid, word).reduce((sum, c) => sum + (rssMb(c) ?? 0), 0);
    peaks.samples += 1;
    peaks.serverMb = Math.max(peaks.serverMb, server);
    peaks.childMb = Math.max(peaks.childMb, child);
    peaks.sumMb = Math.max(peaks.sumMb, server + child);
  }, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      return { ...peaks };
    },
  };
}

// utime and stime are in clock ticks, 100 a second on Linux.
const TICKS_PER_SECOND = 100;

/** User and system CPU seconds `pid` has used so far, or null once it is gone. */
export function cpuSeconds(pid) {
  try {
    // The command name, in parentheses, may hold spaces: fields are counted after it.
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Waits until every process of `pids` used less than 5 % of a core over a quarter of a second
 * (what a load left running, such as streams still being torn down, would not), at most `maxMs`.
 */
export async function waitUntilIdle(pids, maxMs = 5000) {
  const deadline = Date.now() + maxMs;
  while (Date.now() < deadline) {
    const before = pids.map(cpuSeconds);
    await sleep(250);
    const busy = pids.some((pid, i) => {
      const now = cpuSeconds(pid);
      return now !== null && before[i] !== null && now - before[i] > 0.05 * 0.25;
    });
    if (!busy) return;
  }
}
