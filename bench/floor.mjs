// The floor for any client: paged GET (limit=500, as csi-top and kubectl page) + JSON.parse of
// the given collections, all in parallel over one keep-alive agent, in a fresh Node process (so
// its start-up counts, as a client's would). Plain JavaScript, no TypeScript loader.
// Usage: node bench/floor.mjs '{"server":"http://…","token":"…","ca":"/path or null","paths":["/api/v1/pods",…]}'
// Prints one JSON line: { items, bytes, ms: { <path>: done ms since process start }, total }.
import http from 'node:http';
import https from 'node:https';
import fs from 'node:fs';

const o = JSON.parse(process.argv[2]);
const url = new URL(o.server);
const tls = url.protocol === 'https:';
const agent = tls ? new https.Agent({ keepAlive: true, ca: o.ca ? fs.readFileSync(o.ca) : undefined }) : new http.Agent({ keepAlive: true });
const mod = tls ? https : http;
let bytes = 0;
let items = 0;

function get(path) {
  return new Promise((resolve, reject) => {
    mod
      .get(new URL(path, o.server), { agent, headers: { Authorization: `Bearer ${o.token}`, Accept: 'application/json' } }, (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          bytes += buf.length;
          if (res.statusCode !== 200) return reject(new Error(`${path}: HTTP ${res.statusCode} ${buf.toString().slice(0, 200)}`));
          resolve(JSON.parse(buf.toString('utf8')));
        });
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

const done = {};
await Promise.all(
  o.paths.map(async (p) => {
    let cont = '';
    do {
      const page = await get(`${p}${p.includes('?') ? '&' : '?'}limit=500${cont ? `&continue=${encodeURIComponent(cont)}` : ''}`);
      items += page.items.length;
      cont = page.metadata.continue ?? '';
    } while (cont);
    done[p] = Math.round(performance.now());
  }),
);
process.stdout.write(JSON.stringify({ items, bytes, ms: done, total: Math.round(performance.now()) }) + '\n');
agent.destroy();
