// Bundles the CLI into out/cli/provisioning.js (~50 ms); runs on `npm install` via `prepare`.
import { build } from 'esbuild';

await build({
  entryPoints: ['src-main/cli/main.ts'],
  outfile: 'out/cli/provisioning.js',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
});
