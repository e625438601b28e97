/**
 * A service made from env files, two ways: as the engine runs it — the files' variables in the
 * environment of a binary or docker service (its `env` table wins) and kept for env references —
 * and as people see it: without those variables, secret values as `${NAME}`.
 */
import { maskDeep, secretMask } from './secret-mask';
import type { EnvFileValues, ServiceDefinition } from './service-schema';

export function engineService(service: ServiceDefinition, fromEnvFiles: EnvFileValues | undefined): ServiceDefinition {
  if (!fromEnvFiles) return service;
  const { deployment } = service;
  const withFiles = <T extends { env: Record<string, unknown> }>(table: T): T => ({ ...table, env: { ...fromEnvFiles.values, ...table.env } });
  return {
    ...service,
    deployment: {
      ...deployment,
      ...(deployment.binary ? { binary: withFiles(deployment.binary) } : {}),
      ...(deployment.docker ? { docker: withFiles(deployment.docker) } : {}),
    },
    fromEnvFiles,
  };
}

export const shownService = (service: ServiceDefinition, fromEnvFiles: EnvFileValues | undefined): ServiceDefinition =>
  maskDeep(service, secretMask(fromEnvFiles));
