#!/usr/bin/env node
// The CLI is bundled by `npm install` (prepare) or `npm run build`; say how when it is missing.
try {
  await import('../out/cli/provisioning.js');
} catch (error) {
  if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !String(error.message).includes('out/cli/provisioning.js')) throw error;
  console.error('provisioning: the CLI is not built yet; run `npm install` (or `npm run build`) in the project folder first');
  process.exitCode = 1;
}
