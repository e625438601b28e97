/**
 * `env_files` through the real CLI and daemon: a service reads DATABASE_URL from `.env` and PORT
 * from `.env.local` (which wins), `${…}` in its args and check read them, and the secret reaches
 * the service only — no file of the home, no status, no lifecycle line, no `--json` holds it.
 * A changed env file is reconciled by `platform update`. An unset `${X}` and a bad env file line
 * are located errors that start nothing.
 */
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { privateHome, type Home } from '../support/cli-process';
import { freePort } from '../support/engine-harness';

const homes: Home[] = [];
afterEach(async () => Promise.all(homes.splice(0).map((h) => h.cleanup())));

const SECRET = 'pg-s3cr3t-9f27c1d4';
const DATABASE_URL = `postgres://app:${SECRET}@127.0.0.1:5432/app`;

/** Answers with what it was given: its environment and its argv. */
const echoServer = `require('node:http').createServer((q, s) => s.end(JSON.stringify({ db: process.env.DATABASE_URL, port: process.env.PORT, argv: process.argv.slice(1) }))).listen(Number(process.env.PORT), '127.0.0.1')`;

function registry(extra = '', env = ''): string {
  return [
    'env_files = [".env", { path = ".env.local", required = false }]',
    '[services.web]',
    'auto_start = true',
    extra,
    '[services.web.deployment]',
    'mode = "binary"',
    `binary = { command = ${JSON.stringify(process.execPath)}, args = ["-e", ${JSON.stringify(echoServer)}, "db=\${DATABASE_URL}", "mode=\${MODE:-dev}"]${env} }`,
    '[services.web.health_check]',
    'type = "http"',
    'interval = "200ms"',
    'timeout = "150ms"',
    '[services.web.health_check.http]',
    'url = "http://127.0.0.1:${PORT}/"',
    '',
  ].join('\n');
}

/** Every file under `dir` whose bytes contain `text`. */
function filesContaining(dir: string, text: string): string[] {
  const found: string[] = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat?.isDirectory()) found.push(...filesContaining(path, text));
    else if (stat?.isFile() && readFileSync(path).includes(text)) found.push(path);
  }
  return found;
}

describe('env files', () => {
  it('feed the environment, env references and ${…}; .env.local wins; the secret is nowhere in the home or any answer', async () => {
    const port = await freePort();
    const h = privateHome(registry());
    homes.push(h);
    const folder = dirname(h.registry);
    writeFileSync(join(folder, '.env'), `# shared\nDATABASE_URL="${DATABASE_URL}"\nPORT=1\n`);
    writeFileSync(join(folder, '.env.local'), `export PORT=${port}\n`);

    const start = await h.run(['platform', 'start']);
    expect(start.stderr).toBe('');
    expect(start.stdout).toContain('platform start: 1 started');
    expect(start.code).toBe(0);
    const answer = (await (await fetch(`http://127.0.0.1:${port}/`)).json()) as { db: string; port: string; argv: string[] };
    expect(answer.db).toBe(DATABASE_URL);
    expect(answer.port).toBe(String(port));
    expect(answer.argv).toEqual([`db=${DATABASE_URL}`, 'mode=dev']);

    const answers = await Promise.all([
      h.run(['services', 'status', '--json']),
      h.run(['services', 'status']),
      h.run(['services', 'list', '--json']),
      h.run(['services', 'logs', 'web', '--json']),
      h.run(['services', 'why', 'web']),
    ]);
    for (const { stdout, stderr } of answers) expect(stdout + stderr).not.toContain(SECRET);
    // The lifecycle line names the command as the registry writes it.
    expect(answers[3]!.stdout).toContain('db=${DATABASE_URL}');
    expect(JSON.stringify(JSON.parse(answers[2]!.stdout))).toContain('db=${DATABASE_URL}');

    // A changed env file is a new configuration: `platform update` restarts what it changed.
    const next = await freePort();
    writeFileSync(join(folder, '.env.local'), `PORT=${next}\n`);
    const update = await h.run(['platform', 'update']);
    expect(update.code).toBe(0);
    expect(update.stdout).toMatch(/changed +web/);
    expect(((await (await fetch(`http://127.0.0.1:${next}/`)).json()) as { port: string }).port).toBe(String(next));

    await h.run(['daemon', 'stop']);
    expect(filesContaining(h.home, SECRET)).toEqual([]);
  });

  it('an unset ${X} and a bad env file line are located errors; nothing starts', async () => {
    const h = privateHome(registry('description = "needs ${API_KEY} set"', ', env = { KEY = "${API_KEY}" }'));
    homes.push(h);
    const folder = dirname(h.registry);
    writeFileSync(join(folder, '.env'), `PORT=1\nnot a line\nDATABASE_URL="unterminated\n`);

    const validate = await h.run(['services', 'validate']);
    expect(validate.code).toBe(1);
    const text = readFileSync(h.registry, 'utf8').split('\n');
    const keyLine = text.findIndex((line) => line.startsWith('binary = ')) + 1;
    const keyColumn = text[keyLine - 1]!.indexOf('KEY = ') + 1;
    expect(validate.stdout + validate.stderr).toContain(
      `${h.registry}:${keyLine}:${keyColumn} services.web.deployment.binary.env.KEY: \${API_KEY} is not set: none of its env files sets it`,
    );
    const envFile = join(folder, '.env');
    expect(validate.stdout + validate.stderr).toContain(`${envFile}:2:1 env_files[0]: expected NAME=value (or a # comment)`);
    expect(validate.stdout + validate.stderr).toContain(`${envFile}:3:14 env_files[0]: unterminated double-quoted value: add the closing "`);
    // A description is prose: never interpolated, never an error.
    expect(validate.stdout + validate.stderr).not.toContain('services.web.description');

    const start = await h.run(['platform', 'start']);
    expect(start.code).toBe(1);
    expect(h.processes('web')).toEqual([]);
  });

  it('a required env file that is missing is an error at its entry; an optional one is skipped', async () => {
    const h = privateHome(registry().replace('".env", ', '".env", ".env.shared", '));
    homes.push(h);
    writeFileSync(join(dirname(h.registry), '.env'), `DATABASE_URL=x\nPORT=1\n`);
    const validate = await h.run(['services', 'validate']);
    expect(validate.code).toBe(1);
    expect(validate.stdout + validate.stderr).toContain(
      `${h.registry}:1:22 env_files[1]: no such file: ${join(dirname(h.registry), '.env.shared')}; create it, or mark it optional`,
    );
    expect(validate.stdout + validate.stderr).not.toContain('.env.local');
  });
});
