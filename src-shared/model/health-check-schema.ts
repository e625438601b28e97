/** The seed's four health check types, each with its own sub-table under `health_check`. */
import { z } from 'zod';
import { duration, envMap, httpUrl, nonEmpty, port, positiveDuration, statusSpec, tls } from './schema-primitives';

export const HEALTH_CHECK_TYPES = ['http', 'tcp', 'command', 'file'] as const;
/** What a service that turned unhealthy while it runs gets (liveness): nothing, or a restart. */
export const ON_UNHEALTHY = ['ignore', 'restart'] as const;
export type HealthCheckType = (typeof HEALTH_CHECK_TYPES)[number];

const http = z.strictObject({
  url: httpUrl,
  method: z.enum(['GET', 'HEAD', 'POST']).default('GET'),
  expected_status: statusSpec.default('200-299'),
  body_contains: z.string().optional(),
  headers: envMap.default({}),
  tls: tls.optional(),
});

const tcp = z.strictObject({
  host: nonEmpty.default('127.0.0.1'),
  port,
});

const command = z.strictObject({
  command: nonEmpty,
  args: z.array(z.string()).default([]),
  shell: z.boolean().default(false),
});

const file = z.strictObject({
  path: nonEmpty,
  max_age: duration.optional().meta({ description: 'Unhealthy when the file was not modified for this long.' }),
  contains: z.string().optional(),
});

export const healthCheckSchema = z.strictObject({
  type: z.enum(HEALTH_CHECK_TYPES),
  interval: positiveDuration.prefault('10s').meta({ description: 'Time between checks once running.' }),
  timeout: positiveDuration.prefault('5s').meta({ description: 'Time one check may take.' }),
  retries: z.number().int().min(0).default(3).meta({ description: 'Consecutive failures before the service is unhealthy.' }),
  grace_period: duration.prefault('0s').meta({ description: 'Failures right after start do not count for this long.' }),
  on_unhealthy: z.enum(ON_UNHEALTHY).default('ignore').meta({
    description:
      'ignore: shown unhealthy until it recovers; restart: once `retries` checks in a row fail, the process is ended and started again by the restart policy (backoff, crash-loop).',
  }),
  http: http.optional(),
  tcp: tcp.optional(),
  command: command.optional(),
  file: file.optional(),
});

export type HealthCheck = z.output<typeof healthCheckSchema>;
