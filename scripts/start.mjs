// `npm start`: the desktop app where Electron can run; where it cannot (no display, or its binary
// cannot be fetched, as on a headless CI machine), says why and serves the same control center
// through the loopback web host instead, printing its URL. Rebuilds first when a source changed.
import { spawn, spawnSync } from 'node:child_process';
import { build } from './build.mjs';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { constants } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = ['out/main/main.js', 'out/renderer/index.html', 'out/cli/provisioning.js'].map((file) => join(root, file));
const sources = ['src-main', 'src-renderer', 'src-shared', 'electron.vite.config.ts', 'package.json'].map((file) => join(root, file));

if (newest(sources) > oldest(built)) {
  console.log('building the app (sources changed since the last build)…');
  build();
}

const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = display ? electronBinary() : { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
const [command, args, note] = electron.path
  ? [electron.path, [root], undefined]
  : [
      process.execPath,
      [join(root, 'bin/provisioning.js'), 'ui', ...(display ? [] : ['--no-open'])],
      `The desktop app cannot run here: ${electron.reason}.\nServing the same control center in your browser instead.`,
    ];
if (note) console.log(note);
const child = spawn(command, args, { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
// A child ended by a signal exits as a shell reports it: 128 + the signal's number.
child.on('exit', (code, signal) => process.exit(code ?? 128 + (constants.signals[signal] ?? 0)));

/** Electron's binary; the npm package fetches it on first use, so that is tried here, quietly. */
function electronBinary() {
  const found = spawnSync(process.execPath, ['-e', "process.stdout.write(require('electron'))"], { cwd: root, encoding: 'utf8', timeout: 300_000 });
  if (found.status === 0 && existsSync(found.stdout)) return { path: found.stdout };
  const offline = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ETIMEDOUT/.test(found.stderr + found.stdout);
  return { reason: offline ? "Electron's binary is not installed and could not be downloaded (no network)" : "Electron's binary is not installed" };
}

function newest(paths) {
  return Math.max(...paths.map((path) => (statSync(path).isDirectory() ? newest(readdirSync(path).map((name) => join(path, name))) : statSync(path).mtimeMs)));
}

function oldest(paths) {
  return Math.min(...paths.map((path) => (existsSync(path) ? statSync(path).mtimeMs : 0)));
}
