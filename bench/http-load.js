// A bounded load generator over loopback (autocannon is not a dependency): `requests` GETs on
// `connections` keep-alive sockets, each answer read to its end. node:http rather than fetch:
// the client shares the machine's two cores with the server and should take as little as it can.
import http from 'node:http';

function get(agent, url, headers) {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, headers }, (res) => {
      let bytes = 0;
      res.on('data', (chunk) => (bytes += chunk.length));
      res.on('end', () => resolve({ status: res.statusCode, bytes }));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** Returns every latency in ms and the wall time; throws on any answer but 200. */
export async function load(url, { headers = {}, requests, connections = 1 }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const latencies = [];
  let issued = 0;
  const worker = async () => {
    while (issued < requests) {
      issued += 1;
      const t = performance.now();
      const { status } = await get(agent, url, headers);
      latencies.push(performance.now() - t);
      if (status !== 200) throw new Error(`GET ${url}: ${status}`);
    }
  };
  const start = performance.now();
  try {
    await Promise.all(Array.from({ length: connections }, worker));
  } finally {
    agent.destroy();
  }
  const wallMs = performance.now() - start;
  return { latencies, wallMs, rate: requests / (wallMs / 1000) };
}
