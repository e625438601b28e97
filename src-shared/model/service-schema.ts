/** One service of the registry: what it is, how it is deployed, checked, started and limited. */
import { z } from 'zod';
import { dependencyEntry, splitEntries, type DependencyCondition } from './dependency-schema';
import { deploymentSchema } from './deployment-schema';
import { envFilesSchema } from './env-files-schema';
import { healthCheckSchema } from './health-check-schema';
import { hookSchema, stopSignalSchema } from './hook-schema';
import { labelsSchema, linksSchema } from './labels-links-schema';
import { OPERATION_NAME_PATTERN } from './name-patterns';
import { duration, nonEmpty, port, portsInRange, positiveDuration, serviceName } from './schema-primitives';
import { watchSchema } from './watch-schema';

export const RESTART_POLICIES = ['no', 'on-failure', 'always'] as const;
export const ON_DEPENDENCY_FAILURE = ['ignore', 'restart', 'stop'] as const;
export const SERVICE_KINDS = ['service', 'task'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];

const startup = z.strictObject({
  timeout: positiveDuration.prefault('30s').meta({ description: 'Time the service has to become healthy after it starts.' }),
  restart: z.enum(RESTART_POLICIES).default('on-failure'),
  stop_timeout: duration.prefault('10s').meta({
    description: 'Time a stop may take — `pre_stop`, `stop_command`, then the stop signal — before the whole process tree is killed (SIGKILL).',
  }),
  stop_signal: stopSignalSchema.optional().meta({
    description:
      'Signal a binary service is stopped with (after `stop_command`, if any), or a docker service’s container (its `--stop-signal`; unset: the image’s STOPSIGNAL): TERM (default), INT (postgres: fast shutdown; many dev servers), QUIT, HUP, KILL, USR1, USR2. An exit by it, or with its conventional code (128 + its number: 143 for TERM, 130 for INT), is a clean stop, not a failure.',
  }),
  stop_command: hookSchema.optional().meta({
    description:
      'Binary services: a command run first on stop (`nginx -s quit`, `redis-cli -p 6379 shutdown`), in the service’s environment and log, within `stop_timeout`; what still runs when it ends gets `stop_signal`. It should return once the service has stopped.',
  }),
  pre_start: hookSchema.optional().meta({
    description:
      'Binary services: a command run before each start, in the service’s environment and log; if it fails or times out, the start fails with its output.',
  }),
  post_start: hookSchema.optional().meta({
    description: 'Binary services: a command run once the service’s process is launched, in its environment and log; a failure is logged, the service runs on.',
  }),
  pre_stop: hookSchema.optional().meta({
    description:
      'Binary services: a command run when a stop begins, before `stop_command` and the stop signal, within `stop_timeout`; a failure is logged, the stop goes on.',
  }),
  restart_delay: positiveDuration.prefault('1s').meta({ description: 'First wait before a restart; doubles after each failure in a row.' }),
  restart_delay_max: positiveDuration.prefault('30s').meta({ description: 'Longest wait between restarts.' }),
  start_limit: z.number().int().min(1).default(5).meta({
    description: 'Starts within `start_limit_window` after which the service is in crash-loop and waits `restart_delay_max`.',
  }),
  start_limit_window: positiveDuration.prefault('60s').meta({ description: 'A run this long counts as stable and resets the failure count.' }),
  success_exit_codes: z.array(z.number().int().min(0).max(255)).default([]).meta({
    description: 'Exit codes besides 0 that mean success: a task that exits with one has completed; a service that does is not failed.',
  }),
});

const resources = z.strictObject({
  cpus: z.number().positive().optional().meta({ description: 'CPU limit in cores, e.g. 0.5.' }),
  memory: z
    .string()
    .regex(/^\d+(\.\d+)?(Ki|Mi|Gi|K|M|G)?$/, { error: 'a size such as "512Mi", "1Gi" or "256M"' })
    .optional(),
});

/** `8080` or `"5353/udp"`: a port the service listens on, checked for clashes and before start. */
const listenPort = z.union(
  [
    port,
    z
      .string()
      .regex(/^\d{1,5}\/(tcp|udp)$/, { error: 'a port such as 8080 or "5353/udp"' })
      .refine(portsInRange, { error: 'ports are 1 to 65535' }),
  ],
  {
    error: 'expected a port number (8080) or "5353/udp"',
  },
);

export const serviceSchema = z.strictObject({
  description: z.string().default(''),
  enabled: z.boolean().default(true).meta({
    description: 'false takes the service out of the registry: what an override file (services.local.toml) writes to disable one.',
  }),
  env_files: envFilesSchema,
  order: z.number().int().min(0).default(100).meta({
    description: 'Startup priority among services whose dependencies are ready (lower first). Never overrides dependencies.',
  }),
  auto_start: z.boolean().default(false).meta({ description: 'Started by `platform start` without names.' }),
  kind: z.enum(SERVICE_KINDS).default('service').meta({
    description: 'service: runs until stopped; task: runs to completion (migrations, seeders, codegen) and is then `completed`.',
  }),
  dependencies: z.array(dependencyEntry).default([]).meta({
    description: 'Services this one needs: a name (waits until it is healthy) or { name, condition = "started" | "healthy" | "completed" }.',
  }),
  conflicts: z.array(nonEmpty).default([]).meta({
    description: 'Services of this registry, or outside processes by name (e.g. "dnsmasq"), that must not run at the same time.',
  }),
  required_for: z
    .array(z.string().regex(OPERATION_NAME_PATTERN, { error: 'an operation name such as "server" or "workflow"' }))
    .default([])
    .meta({ description: 'Operations (server, workflow, test, …) that need this service running.' }),
  ports: z.array(listenPort).default([]).meta({ description: 'Host ports the service listens on.' }),
  labels: labelsSchema,
  links: linksSchema,
  on_dependency_failure: z.enum(ON_DEPENDENCY_FAILURE).default('ignore').meta({
    description:
      'When a running dependency turns unhealthy or ends: ignore (shown degraded), restart (degraded, then restarted once it recovers), stop (stopped while it is down, started again after).',
  }),
  deployment: deploymentSchema,
  health_check: healthCheckSchema.optional(),
  watch: watchSchema.optional(),
  interactive: z.boolean().default(false).meta({
    description:
      'Binary services: run it on a terminal (a PTY as its stdin, stdout and stderr) for REPLs and dev servers with key commands; attach to it from its detail view or with `services attach <name>`. Its output still goes to its log.',
  }),
  startup: startup.prefault({}),
  resources: resources.optional(),
});

export type ServiceConfig = z.output<typeof serviceSchema>;
/**
 * A service as the engine and the graph see it: `dependencies` are names; `conditions` holds the
 * conditions that are not the default (healthy), by dependency name (see conditionOf).
 */
export type ServiceDefinition = Omit<ServiceConfig, 'dependencies'> & {
  readonly name: string;
  readonly dependencies: string[];
  readonly conditions?: Readonly<Record<string, DependencyCondition>>;
  /** What its env files set (env-file-values.ts): in the engine's registry only, never one shown or sent. */
  readonly fromEnvFiles?: EnvFileValues;
};

/** A service's env file variables: the values, and the names whose values are secrets. */
export interface EnvFileValues {
  readonly values: Readonly<Record<string, string>>;
  readonly secret: readonly string[];
}

export function serviceDefinition(name: string, config: ServiceConfig): ServiceDefinition {
  const { names, conditions } = splitEntries(config.dependencies);
  return { ...config, name, dependencies: names, ...(Object.keys(conditions).length > 0 ? { conditions } : {}) };
}

/** What `service` waits for of `dependency`. */
export const conditionOf = (service: Pick<ServiceDefinition, 'conditions'>, dependency: string): DependencyCondition =>
  service.conditions?.[dependency] ?? 'healthy';

export const registrySchema = z
  .strictObject({ env_files: envFilesSchema, services: z.record(serviceName, serviceSchema) })
  .meta({ title: 'Provisioning service registry', description: 'services.toml of the Provisioning Control Center.' });

export interface Registry {
  readonly services: readonly ServiceDefinition[];
}
