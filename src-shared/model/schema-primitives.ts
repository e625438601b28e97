/** Small zod building blocks shared by the registry schemas. */
import { z } from 'zod';
import { DURATION_PATTERN, formatDuration, MAX_DURATION_MS, parseDuration } from './duration';
import { SERVICE_NAME_PATTERN } from './name-patterns';

/** A service name doubles as a container, release and DNS name, so it follows DNS label rules. */
export { SERVICE_NAME_PATTERN };
export const serviceName = z
  .string()
  .regex(SERVICE_NAME_PATTERN, {
    error: 'a service name is lowercase letters, digits and dashes, starts with a letter, at most 63 characters',
  })
  .meta({ description: 'Name of a service in this registry.' });

/** A duration string ("250ms", "5s", "1m30s"), parsed to milliseconds; at most MAX_DURATION_MS. */
export const duration = z
  .string()
  .regex(new RegExp(DURATION_PATTERN), { error: 'a duration is a number with a unit: ms, s, m or h (e.g. "250ms", "5s", "1m30s")' })
  .transform((text) => parseDuration(text)!)
  .refine((ms) => ms <= MAX_DURATION_MS, { error: `must be at most ${formatDuration(MAX_DURATION_MS)} (24 days): longer waits overflow the timers` })
  .meta({ examples: ['250ms', '5s', '1m30s'] });

/** A duration that must not be zero (intervals, timeouts). */
export const positiveDuration = duration.refine((ms) => ms > 0, { error: 'must be longer than 0' });

export const port = z.number().int({ error: 'a port is a whole number' }).min(1).max(65535);

/** WHATWG URL, present in Node and in browsers alike (src-shared is typed without either). */
const WhatwgUrl = (globalThis as unknown as { URL: new (input: string) => { protocol: string; port: string } }).URL;

const HTTP_URL_PATTERN = /^https?:\/\/\S+$/;

/** The port written after the host, if any, before the URL parser rejects it or drops it. */
const WRITTEN_PORT = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?(?:\[[^\]/?#]*\]|[^:/?#]*):(\d+)(?:[/?#]|$)/;

/** A user name or password before the host (`https://user:pw@host`). */
const USERINFO = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/[^/?#]*@/;

/**
 * Why a URL would fail every request (probes and the remote driver use it as written), or would
 * show a credential wherever it is shown (statuses, events, logs), or undefined.
 */
function httpUrlProblem(text: string): string | undefined {
  if (!HTTP_URL_PATTERN.test(text)) return undefined; // said by the pattern
  if (USERINFO.test(text))
    return 'credentials in a URL are shown wherever it is (status, events, logs): remove them and use token = { env = "NAME" } for a remote service, or a header from an env reference for a check';
  const written = WRITTEN_PORT.exec(text)?.[1];
  if (written !== undefined && !(Number(written) >= 1 && Number(written) <= 65535)) return `port ${written} is out of range: a port is 1 to 65535`;
  try {
    new WhatwgUrl(text);
  } catch {
    return 'not a valid URL: check the host (an IPv6 address needs both brackets, as in http://[::1]:8080/)';
  }
  return undefined;
}

/** An http(s) URL that can be requested: it parses, and a port written in it is 1 to 65535. */
export const httpUrl = z
  .string()
  .regex(HTTP_URL_PATTERN, { error: 'an http:// or https:// URL' })
  .check((ctx) => {
    const problem = httpUrlProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
  });

/** Every number in a port text (host and container ports of a mapping) is a valid port. */
export const portsInRange = (text: string): boolean =>
  [...text.replace(/^(\d{1,3}(\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):/, '').matchAll(/\d+/g)].every(([n]) => Number(n) >= 1 && Number(n) <= 65535);

/** A value read from the manager's environment at start time; the way to pass secrets. */
export const envRef = z
  .strictObject(
    { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name' }) },
    {
      error: (issue) =>
        issue.code === 'invalid_type' ? 'must be an env reference { env = "NAME" }: secrets are read from the environment, never written here' : undefined,
    },
  )
  .meta({ description: 'Read the value from this environment variable when the service starts (never stored or logged).' });

export const envValue = z
  .union([z.string(), envRef], { error: 'expected a string or an env reference { env = "NAME" }' })
  // An environment cannot hold a NUL: the start would fail, echoing the value into status and log.
  .refine((value) => typeof value !== 'string' || !value.includes('\0'), {
    error: 'a NUL character cannot be in an environment variable or header: remove it',
  });

export const envMap = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { error: 'an environment variable name' }), envValue);

export const tls = z.strictObject({
  ca_file: z.string().min(1).optional().meta({ description: 'PEM file of the CA that signed the server certificate.' }),
  insecure: z.boolean().default(false).meta({ description: 'Skip certificate verification. Say so explicitly; never the default.' }),
});

/** "200", 200 or a range "200-299". */
export const statusSpec = z.union(
  [z.number().int().min(100).max(599), z.string().regex(/^[1-5]\d\d(-[1-5]\d\d)?$/, { error: 'a status code or range such as "200-299"' })],
  { error: 'expected a status code (200) or a range ("200-299")' },
);

export const nonEmpty = z.string().min(1);
