#!/usr/bin/env node
// A demo platform service that really runs: it starts (optionally slowly), then serves a health
// endpoint over HTTP, accepts TCP connections and/or keeps a heartbeat file fresh, logs as it
// works, and shuts down cleanly on SIGTERM. One script, shaped by flags, plays every demo role.
//
//   node service.mjs --name api [--http PORT] [--tcp PORT] [--ready-after 3s]
//                    [--heartbeat FILE] [--log-every 2s]
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer } from 'node:net';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: {
    name: { type: 'string', default: 'demo' },
    http: { type: 'string' },
    tcp: { type: 'string' },
    'ready-after': { type: 'string', default: '0s' },
    heartbeat: { type: 'string' },
    'log-every': { type: 'string', default: '2s' },
  },
});

const ms = (text) => {
  const match = /^(\d+(?:\.\d+)?)(ms|s)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  return Number(match[1]) * (match[2] === 's' ? 1000 : 1);
};
const log = (message) => console.log(`${values.name}: ${message}`);

let ready = false;
const closers = [];

if (values.http) {
  const server = createHttpServer((request, response) => {
    const healthy = ready && (request.url === '/health' || request.url === '/');
    response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ service: values.name, status: healthy ? 'ok' : 'starting' }));
  });
  server.listen(Number(values.http), '127.0.0.1', () => log(`http on 127.0.0.1:${values.http}`));
  closers.push(() => server.close());
}

function becomeReady() {
  ready = true;
  if (values.tcp) {
    const server = createTcpServer((socket) => {
      socket.on('error', () => {}); // a health check may hang up first
      socket.end(`${values.name} ok\n`);
    });
    server.listen(Number(values.tcp), '127.0.0.1', () => log(`tcp on 127.0.0.1:${values.tcp}`));
    closers.push(() => server.close());
  }
  if (values.heartbeat) {
    mkdirSync(dirname(values.heartbeat), { recursive: true });
    const beat = () => writeFileSync(values.heartbeat, `${values.name} ${new Date().toISOString()}\n`);
    beat();
    const timer = setInterval(beat, 1000);
    closers.push(() => {
      clearInterval(timer);
      rmSync(values.heartbeat, { force: true });
    });
  }
  log('ready');
}

log(`starting (pid ${process.pid})`);
setTimeout(becomeReady, ms(values['ready-after']));
let beats = 0;
const ticker = setInterval(() => log(`working (${++beats})`), ms(values['log-every']));
closers.push(() => clearInterval(ticker));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    log(`${signal} received, shutting down`);
    for (const close of closers) close();
    setTimeout(() => process.exit(0), 100).unref();
  });
}
