// Downloads beside the platform: the usager's own document through
// GET /api/v1/documents/:id/content (session cookie, policy, audit record, AES-256-GCM
// decryption) beside nginx sending the same bytes in clear with sendfile, both with wrk on
// loopback; and the server's peak resident memory while 50 clients download 20 MB each.
import { startNginx } from '../nginx.js';
import { rssMb, sampleRss } from '../proc.js';
import { int } from '../stats.js';
import {
  checked,
  measureSettled,
  numbersOf,
  rateText,
  ratioText,
  throughputText,
} from './figures.js';

const RSS_TARGET_MB = 300;

async function withRss(pid, run) {
  const sampler = sampleRss(pid, 50);
  try {
    const result = await run();
    return { result, rss: sampler.stop() };
  } catch (error) {
    sampler.stop();
    throw error;
  }
}

/** Rows for the 1 MB and 20 MB downloads and the server's memory, for every side. */
export async function measureDownloads({ sides, order, files, run, problems, log }) {
  const nginx = await startNginx({ 'small.pdf': files.small, 'large.pdf': files.large });
  try {
    const small = { connections: run.connections(16), seconds: run.seconds };
    // 50 answers of 20 MB in flight end together, in waves of several seconds: a short run
    // would catch one wave or none.
    const large = {
      connections: run.connections(50),
      seconds: run.smoke ? run.seconds : Math.max(run.seconds, 30),
    };

    log(`downloads: nginx, 1 MB, ${small.connections} connections`);
    const nginxSmall = checked(
      problems,
      'nginx 1 MB',
      await measureSettled(run, `${nginx.url}/small.pdf`, small),
    );
    log(`downloads: nginx, 20 MB, ${large.connections} connections`);
    const nginxLarge = await withRss(nginx.pid, () =>
      measureSettled(run, `${nginx.url}/large.pdf`, large),
    );
    checked(problems, 'nginx 20 MB', nginxLarge.result);

    const rows = {
      small: {
        id: 'download-1mb',
        figure: `1 MB document, ${small.connections} connections: the usager's download (session, policy, audit, decryption) beside nginx sendfile of the same bytes in clear`,
        target: '≥ 0.5× nginx',
        sides: [],
      },
      large: {
        id: 'download-20mb',
        figure: `20 MB document, ${large.connections} connections, ${large.seconds} s: throughput of the same download beside nginx sendfile`,
        target: null,
        sides: [],
      },
      rss: {
        id: 'download-20mb-rss',
        figure: `20 MB document, ${large.connections} connections: the server's peak RSS (VmRSS every 50 ms) beside its RSS at rest`,
        target: `< ${RSS_TARGET_MB} MB`,
        sides: [],
      },
    };
    for (const i of order) {
      const side = sides[i];
      const headers = { cookie: side.cookies.usager };
      const content = (key) => `${side.url}/api/v1/documents/${side.documents[key]}/content`;
      log(`downloads: ${side.name}, 1 MB`);
      const one = checked(
        problems,
        `${side.name} 1 MB`,
        await measureSettled(run, content('small'), { ...small, headers }),
      );
      const ratio = one.rate / nginxSmall.rate;
      rows.small.sides[i] = {
        cloison: rateText(one),
        reference: `nginx ${rateText(nginxSmall)}`,
        ratio,
        met: ratio >= 0.5,
        numbers: { cloison: numbersOf(one), nginx: numbersOf(nginxSmall) },
      };

      log(`downloads: ${side.name}, 20 MB`);
      await run.settle();
      const restMb = rssMb(side.pid);
      const big = await withRss(side.pid, () =>
        measureSettled(run, content('large'), { ...large, headers }),
      );
      checked(problems, `${side.name} 20 MB`, big.result);
      rows.large.sides[i] = {
        cloison: throughputText(big.result),
        reference: `nginx ${throughputText(nginxLarge.result)}`,
        ratio: big.result.mbPerSecond / nginxLarge.result.mbPerSecond,
        met: null,
        numbers: { cloison: numbersOf(big.result), nginx: numbersOf(nginxLarge.result) },
      };
      rows.rss.sides[i] = {
        cloison: `peak ${int(big.rss.peakMb)} MB (${big.rss.samples} samples)`,
        reference: `at rest ${int(restMb)} MB (nginx's peak: ${int(nginxLarge.rss.peakMb)} MB)`,
        ratio: big.rss.peakMb / restMb,
        ratioText: `×${ratioText(big.rss.peakMb / restMb)} at rest`,
        met: big.rss.peakMb < RSS_TARGET_MB,
        numbers: { peakMb: big.rss.peakMb, restMb, nginxPeakMb: nginxLarge.rss.peakMb },
      };
    }
    return [rows.small, rows.large, rows.rss];
  } finally {
    await nginx.stop();
  }
}
