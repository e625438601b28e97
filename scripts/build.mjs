// `npm run build`, and `npm install` through `prepare`: the desktop app (electron-vite: main,
// preload, renderer) and the CLI bundle, so every README command (`provisioning ui`, `npm start`)
// works right after an install. Run by this Node itself (no shell, the same on every OS); `npm
// start` calls it too when a source changed since the last build.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** Exits with the failing step's status. */
export function build() {
  const electronVite = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js');
  for (const step of [[electronVite, 'build'], [join(root, 'scripts', 'build-cli.mjs')]]) {
    const run = spawnSync(process.execPath, step, { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) process.exit(run.status ?? 1);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) build();
