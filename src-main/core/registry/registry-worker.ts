/**
 * The worker thread that validates registry texts sent by clients, so a large or hostile text never
 * holds up the supervision loop (registry-validator.ts starts it, bounds it in time and kills it).
 * Bundled as registry-worker.js beside the CLI and Electron main bundles.
 */
import { parentPort } from 'node:worker_threads';
import { loadRegistry } from './load-registry';
import type { ValidationReply, ValidationRequest } from './registry-validator';

parentPort!.on('message', ({ id, text, location, cwd }: ValidationRequest) => {
  const reply = loadRegistry(location, cwd, new Map([[location.path, text]])).then(
    ({ issues }): ValidationReply => ({ id, issues }),
    (cause: unknown): ValidationReply => ({ id, failure: cause instanceof Error ? cause.message : String(cause) }),
  );
  void reply.then((answer) => parentPort!.postMessage(answer));
});
