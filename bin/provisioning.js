#!/usr/bin/env node
// The CLI is bundled by `npm install` (prepare) or `npm run build`; say how when it is missing.
// CommonJS (bin/package.json): Node's ES module loader would cost every command a few ms more.
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS entry by design (see above)
  require('../out/cli/provisioning.js');
} catch (error) {
  if (error?.code !== 'MODULE_NOT_FOUND' || !String(error.message).includes('out/cli/provisioning.js')) throw error;
  console.error('provisioning: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder first');
  process.exitCode = 1;
}
