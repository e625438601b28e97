/** Vitest global setup: bundle the CLI so process-level tests run the same file as `npx provisioning`. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build-cli.mjs'], { stdio: 'inherit' });
}
