// A flood from another process, as an attacker's machine would send it: FLOOD_CONNECTIONS
// keep-alive sockets, each sending GET FLOOD_URL with FLOOD_COOKIE again as soon as the answer
// is read. Prints "flooding" once answers come back, then, on SIGTERM, one JSON line of counts
// per status. Keeping it out of the test's process keeps the test's own requests from queueing
// behind the flood's answers in one event loop.
import http from 'node:http';

const url = process.env.FLOOD_URL;
const cookie = process.env.FLOOD_COOKIE;
const connections = Number(process.env.FLOOD_CONNECTIONS ?? '32');
const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
const counts = {};
let stopping = false;
let announced = false;

function once() {
  return new Promise((resolve) => {
    const req = http.get(url, { agent, headers: { cookie } }, (res) => {
      res.resume();
      res.on('end', () => {
        counts[res.statusCode] = (counts[res.statusCode] ?? 0) + 1;
        if (!announced && (counts[429] ?? 0) > 0) {
          announced = true;
          process.stdout.write('flooding\n');
        }
        resolve();
      });
    });
    req.on('error', () => {
      counts.error = (counts.error ?? 0) + 1;
      resolve();
    });
  });
}

const loops = Array.from({ length: connections }, async () => {
  while (!stopping) await once();
});

process.once('SIGTERM', async () => {
  stopping = true;
  await Promise.all(loops);
  process.stdout.write(`${JSON.stringify(counts)}\n`);
  agent.destroy();
  process.exit(0);
});
