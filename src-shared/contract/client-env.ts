/**
 * The values of env references a client sends with a start (`start`, `restart`, `platformStart`,
 * `update`): the variables the registry references, read from the client's own environment. Bounded,
 * and never stored, logged or put in an event by the owner — it keeps them in memory for restarts.
 */
import { z } from 'zod';

/** Lengths in characters (UTF-16 units, as JSON carries them). */
export const CLIENT_ENV_LIMITS = { variables: 256, valueLength: 32 * 1024, totalLength: 256 * 1024 } as const;

export const clientEnvSchema = z
  .record(
    z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,255}$/),
    // A NUL cannot be in an environment: the start would fail later, and less clearly.
    z
      .string()
      .max(CLIENT_ENV_LIMITS.valueLength)
      .regex(/^[^\0]*$/),
  )
  .refine((env) => Object.keys(env).length <= CLIENT_ENV_LIMITS.variables, { error: `at most ${CLIENT_ENV_LIMITS.variables} variables` })
  .refine((env) => Object.entries(env).reduce((sum, [name, value]) => sum + name.length + value.length, 0) <= CLIENT_ENV_LIMITS.totalLength, {
    error: `at most ${CLIENT_ENV_LIMITS.totalLength} characters of environment`,
  });

export type ClientEnv = z.infer<typeof clientEnvSchema>;

/**
 * The methods that start services (or ask whether they would), and so carry their client's values:
 * every method whose params take `env` (test/unit/contract/client-env-methods.test.ts holds the two together).
 */
const ENV_METHODS: ReadonlySet<string> = new Set([
  'start',
  'restart',
  'rebuild',
  'platformStart',
  'platformRestart',
  'ensure',
  'runStart',
  'update',
  'readiness',
  'why',
]);

/** Whether a method carries its client's values (a relay reads them only for these). */
export const takesClientEnv = (method: string): boolean => ENV_METHODS.has(method);

/**
 * A request relayed for a client without an environment (a browser), with the values of the process
 * that serves it (`provisioning ui`): they replace any the client put there, so a page cannot choose them.
 */
export function withClientEnv<R extends { readonly method: string; readonly params?: unknown }>(request: R, env: ClientEnv): R {
  if (!ENV_METHODS.has(request.method)) return request;
  const params = request.params ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) return request;
  return { ...request, params: { ...params, env } };
}

/**
 * A request from a client whose owner is its own client (the desktop app's renderer): any values
 * it put there are dropped, so the engine reads its own environment and a page cannot choose them.
 * Takes a message not yet validated; anything else passes as it is.
 */
export function withoutClientEnv(message: unknown): unknown {
  if (!message || typeof message !== 'object' || Array.isArray(message)) return message;
  const { method, params } = message as { method?: unknown; params?: unknown };
  if (typeof method !== 'string' || !ENV_METHODS.has(method) || !params || typeof params !== 'object' || Array.isArray(params)) return message;
  const { env: _dropped, ...rest } = params as Record<string, unknown>;
  return { ...message, params: rest };
}
