// Bundles the CLI into out/cli/provisioning.js (~50 ms); runs on `npm install` via `prepare`.
// Beside it, out/cli/log-shim.js: the small process between a binary service and its raw log files,
// and out/cli/registry-worker.js: the worker thread that validates registry texts sent by clients.
import { build } from 'esbuild';

await build({
  entryPoints: {
    provisioning: 'src-main/cli/main.ts',
    'log-shim': 'src-main/core/logs/log-shim.ts',
    'registry-worker': 'src-main/core/registry/registry-worker.ts',
  },
  outdir: 'out/cli',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
