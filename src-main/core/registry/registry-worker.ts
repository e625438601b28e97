/**
 * The worker thread that validates registry texts sent by clients, so a large or hostile text never
 * holds up the supervision loop (registry-validator.ts starts it, bounds it in time and kills it).
 * Bundled as registry-worker.js beside the CLI and Electron main bundles.
 */
import { parentPort } from 'node:worker_threads';
// Relative, not '@shared': from sources this runs under tsx, which may not see the alias's tsconfig.
import { parseRegistry } from '../../../src-shared/model/parse-registry';
import type { ValidationReply, ValidationRequest } from './registry-validator';

parentPort!.on('message', ({ id, text, file }: ValidationRequest) => {
  let reply: ValidationReply;
  try {
    reply = { id, issues: parseRegistry(text, file).issues };
  } catch (cause) {
    reply = { id, failure: cause instanceof Error ? cause.message : String(cause) };
  }
  parentPort!.postMessage(reply);
});
