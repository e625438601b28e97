/**
 * A browser has no environment: `provisioning ui` sends its own shell's values of the registry's env
 * references with each start. They follow the registry file as it is now — a reference added by an
 * edit (then `update`) after `ui` started still gets its value. Real CLI, real daemon; the service
 * writes its environment to a file.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import WebSocket from 'ws';
import { fragmentToken, webSocketProtocols } from '../../src-shared/contract/web-session';
import { managedProcesses } from '../../src-main/core/process/managed-processes';
import { tempDir } from '../support/cli-run';
import { waitFor } from '../support/engine-harness';

const CLI = join(process.cwd(), 'bin', 'provisioning.js');
const SECRET = 'pcc-ui-shell-value-41c7';
const ENV_WRITER =
  "const fs=require('fs');const f=process.argv[1];fs.writeFileSync(f+'.tmp',JSON.stringify(process.env));fs.renameSync(f+'.tmp',f);setInterval(()=>{},1000)";

const home = tempDir('pcc-home-');
const dir = tempDir('pcc-registry-');
const registry = join(dir, 'services.toml');
const written = join(dir, 'reader.json');
const readerWith = (env: string) =>
  `[services.reader]\n[services.reader.deployment]\nmode = "binary"\nbinary = { command = ${JSON.stringify(process.execPath)}, args = ${JSON.stringify(['-e', ENV_WRITER, written])}, env = ${env} }\n`;
const env = { ...process.env, PROVISIONING_HOME: home, PROVISIONING_CONFIG: registry, NO_COLOR: '1', PCC_UI_SECRET: SECRET };
let child: ReturnType<typeof spawn> | undefined;

afterAll(async () => {
  child?.kill('SIGINT');
  await new Promise((resolve) => (child?.exitCode === null ? child.once('close', resolve) : resolve(undefined)));
  await new Promise((resolve) => spawn(process.execPath, [CLI, 'daemon', 'stop'], { env, stdio: 'ignore' }).once('close', resolve));
  for (const p of managedProcesses(home)) process.kill(p.pid, 'SIGKILL');
});

it('sends the value of an env reference added to the registry after `ui` started', async () => {
  writeFileSync(registry, readerWith('{ PLAIN = "literal" }'));
  child = spawn(process.execPath, [CLI, 'ui', '--no-open'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
  let stdout = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const url = new URL(await waitFor(() => /control center: (\S+)/.exec(stdout)?.[1], 30_000));
  const ws = new WebSocket(`ws://127.0.0.1:${url.port}/api`, webSocketProtocols(fragmentToken(url.hash)!), { origin: url.origin });
  const answers = new Map<number, { ok: boolean; error?: { message: string } }>();
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as { id?: number; ok: boolean };
    if (message.id) answers.set(message.id, message);
  });
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
  const call = async (id: number, method: string, params: unknown) => {
    ws.send(JSON.stringify({ id, method, params }));
    return waitFor(() => answers.get(id), 30_000);
  };
  // One request before the edit, so the launch-time values are in use.
  expect(await call(1, 'status', {})).toMatchObject({ ok: true });
  writeFileSync(registry, readerWith('{ PLAIN = "literal", TOKEN = { env = "PCC_UI_SECRET" } }'));
  expect(await call(2, 'update', {})).toMatchObject({ ok: true });
  expect(await call(3, 'start', { name: 'reader' })).toMatchObject({ ok: true });
  const seen = await waitFor(() => (existsSync(written) ? (JSON.parse(readFileSync(written, 'utf8')) as Record<string, string>) : undefined), 20_000);
  expect(seen['TOKEN']).toBe(SECRET);
  ws.close();
}, 90_000);
