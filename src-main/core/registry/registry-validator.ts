/**
 * Validates registry texts that clients send (`validateRegistry`) in a worker thread, one at a
 * time: the owner's event loop, which supervises every service, only posts the text and waits.
 * A text over MAX_VALIDATED_TEXT_BYTES is refused unread; one that takes longer than the time
 * limit has its worker terminated (the next text gets a fresh one); a full queue refuses more.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';
import { MAX_VALIDATED_TEXT_BYTES, type LocatedIssue } from '@shared/model';
import type { RegistryLocation } from './discovery-order';

/** The text is checked as if it were the registry file at `location` (with its overrides and env files). */
export interface ValidationRequest {
  readonly id: number;
  readonly text: string;
  readonly location: RegistryLocation;
  readonly cwd: string;
}

export type ValidationReply = { readonly id: number; readonly issues: readonly LocatedIssue[] } | { readonly id: number; readonly failure: string };

/** Linear validation of 1 MiB takes well under a second; this is for a machine under heavy load. */
export const VALIDATION_TIME_LIMIT_MS = 10_000;
/** Texts waiting for the worker, at most (each up to 1 MiB). */
const MAX_WAITING = 16;
/** A worker holds one text and its issues: far below this. */
const WORKER_HEAP_MB = 256;

export class RegistryValidationError extends Error {
  override readonly name = 'RegistryValidationError';
}

interface Job extends ValidationRequest {
  resolve(issues: LocatedIssue[]): void;
  reject(error: Error): void;
}

export interface RegistryValidatorOptions {
  readonly timeLimitMs?: number;
}

export class RegistryValidator {
  readonly #timeLimitMs: number;
  readonly #waiting: Job[] = [];
  #worker: Worker | undefined;
  #running: { job: Job; timer: NodeJS.Timeout } | undefined;
  #nextId = 1;

  constructor(options: RegistryValidatorOptions = {}) {
    this.#timeLimitMs = options.timeLimitMs ?? VALIDATION_TIME_LIMIT_MS;
  }

  /** The located issues of `text` validated as the registry file at `location`. */
  validate(text: string, location: RegistryLocation, cwd: string): Promise<LocatedIssue[]> {
    const bytes = Buffer.byteLength(text);
    if (bytes > MAX_VALIDATED_TEXT_BYTES) {
      return Promise.reject(new RegistryValidationError(`the text is ${bytes} bytes; at most ${MAX_VALIDATED_TEXT_BYTES} bytes (1 MiB) are validated`));
    }
    if (this.#waiting.length >= MAX_WAITING) {
      return Promise.reject(new RegistryValidationError(`${MAX_WAITING} texts are already waiting to be validated; try again in a moment`));
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id: this.#nextId++, text, location, cwd, resolve, reject });
      this.#next();
    });
  }

  /** Ends the worker; texts waiting or being validated are refused. */
  close(): void {
    for (const job of this.#waiting.splice(0)) job.reject(new RegistryValidationError('the validator was closed'));
    this.#finish(new RegistryValidationError('the validator was closed'));
  }

  #next(): void {
    if (this.#running || this.#waiting.length === 0) return;
    const job = this.#waiting.shift()!;
    const worker = (this.#worker ??= this.#spawn());
    worker.ref();
    const timer = setTimeout(
      () => this.#finish(new RegistryValidationError(`validation took longer than ${this.#timeLimitMs / 1000} s and was stopped; the text was not validated`)),
      this.#timeLimitMs,
    );
    this.#running = { job, timer };
    const request: ValidationRequest = { id: job.id, text: job.text, location: job.location, cwd: job.cwd };
    worker.postMessage(request);
  }

  #spawn(): Worker {
    const worker = new Worker(...workerEntry());
    worker.on('message', (reply: ValidationReply) => {
      if (reply.id !== this.#running?.job.id) return;
      if ('failure' in reply) this.#finish(new RegistryValidationError(`the text could not be validated: ${reply.failure}`));
      else this.#finish(undefined, [...reply.issues]);
    });
    // Out of memory, or a crash: that text fails, the next one gets a new worker.
    worker.on('error', (cause) => this.#finish(new RegistryValidationError(`the text could not be validated: ${cause.message}`), undefined, worker));
    worker.on('exit', () => this.#finish(new RegistryValidationError('the validation worker exited'), undefined, worker));
    return worker;
  }

  /** Settles the running job (if any) and moves on. A failure ends the worker: it may be stuck or broken. */
  #finish(failure: Error | undefined, issues?: LocatedIssue[], from?: Worker): void {
    if (from && from !== this.#worker) return; // a terminated worker's last words
    const running = this.#running;
    this.#running = undefined;
    if (running) clearTimeout(running.timer);
    if (failure) {
      const worker = this.#worker;
      this.#worker = undefined;
      void worker?.terminate();
      running?.job.reject(failure);
    } else running?.job.resolve(issues!);
    // Idle, the worker must not keep the process alive.
    if (this.#waiting.length === 0) this.#worker?.unref();
    this.#next();
  }
}

/**
 * The worker's module, beside this one. From a bundle (scripts/build-cli.mjs, electron.vite.config.ts)
 * it is registry-worker.js, which both builds emit beside the bundle that holds this code; from
 * sources (tests, benchmarks) it is the TypeScript file, loaded through tsx's API by a small
 * bootstrap (a worker does not take tsx from `--import`).
 */
function workerEntry(): [URL | string, WorkerOptions] {
  const resourceLimits = { maxOldGenerationSizeMb: WORKER_HEAP_MB };
  if (!import.meta.url.endsWith('.ts')) return [new URL('./registry-worker.js', import.meta.url), { resourceLimits }];
  // tsx's ESM API (its package exports map `tsx/esm/api` to this file for `import`).
  const tsx = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  const entry = new URL('./registry-worker.ts', import.meta.url).href;
  const bootstrap = `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(entry)}, ${JSON.stringify(entry)}))`;
  return [bootstrap, { eval: true, resourceLimits }];
}

/** The owner's validator: one worker for the whole process, started on first use. */
export const registryValidator = new RegistryValidator();
