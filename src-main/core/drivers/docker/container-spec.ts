/**
 * A docker-mode service as a container to create: name, image, command, env (references read from
 * the manager), ports, volumes, network, resource limits and the labels that let any later manager
 * find it, tell it is ours, and see whether its configuration changed.
 */
import { isAbsolute, resolve } from 'node:path';
import type Docker from 'dockerode';
import { DOCKER_PORT_PATTERN, expandPlaceholders, sizeBytes, type ServiceDefinition } from '@shared/model';
import type { RegistryContext } from '../driver';
import { resolveEnv } from '../resolve-env';

export const LABEL = {
  managedBy: 'dev.provisioning.managed-by',
  home: 'dev.provisioning.home',
  service: 'dev.provisioning.service',
  instance: 'dev.provisioning.instance',
  configHash: 'dev.provisioning.config-hash',
} as const;

export const MANAGED_BY = 'provisioning';

export type DockerDeployment = NonNullable<ServiceDefinition['deployment']['docker']>;

export const containerName = (service: ServiceDefinition): string => service.deployment.docker?.container_name ?? service.name;

/** Whether a container's labels say this home's manager made it for this service. */
export function ownedBy(labels: Readonly<Record<string, string>> | undefined, service: string, home: string): boolean {
  return labels?.[LABEL.managedBy] === MANAGED_BY && labels[LABEL.home] === home && labels[LABEL.service] === service;
}

export function containerSpec(service: ServiceDefinition, instance: string, configHash: string, context: RegistryContext): Docker.ContainerCreateOptions {
  const docker = service.deployment.docker!;
  const env = resolveEnv(docker.env, `services.${service.name}.deployment.docker.env`, context);
  const exposed: Record<string, object> = {};
  const bindings: Record<string, { HostIp: string; HostPort: string }[]> = {};
  for (const mapping of docker.ports) {
    const { hostIp, hostPort, port } = parsePort(mapping);
    exposed[port] = {};
    (bindings[port] ??= []).push({ HostIp: hostIp, HostPort: hostPort });
  }
  return {
    name: containerName(service),
    Image: docker.image,
    ...(docker.command ? { Cmd: docker.command } : {}),
    // Only when the registry names one: otherwise the image's STOPSIGNAL (nginx's is QUIT) stands.
    ...(service.startup.stop_signal ? { StopSignal: `SIG${service.startup.stop_signal}` } : {}),
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    Labels: {
      [LABEL.managedBy]: MANAGED_BY,
      [LABEL.home]: context.home,
      [LABEL.service]: service.name,
      [LABEL.instance]: instance,
      [LABEL.configHash]: configHash,
    },
    ExposedPorts: exposed,
    HostConfig: {
      PortBindings: bindings,
      Binds: docker.volumes.map((volume) => bind(volume, context)),
      NetworkMode: docker.network,
      // Restarts are the supervisor's (one policy, backoff and crash-loop for every mode), not Docker's.
      RestartPolicy: { Name: 'no' },
      ...(service.resources?.cpus ? { NanoCpus: Math.round(service.resources.cpus * 1e9) } : {}),
      ...(service.resources?.memory ? { Memory: sizeBytes(service.resources.memory) } : {}),
    },
  };
}

/** "8080", "8054:8080", "127.0.0.1:5353:53/udp" as `docker run -p` reads them. */
function parsePort(mapping: string): { hostIp: string; hostPort: string; port: string } {
  const match = DOCKER_PORT_PATTERN.exec(mapping)!;
  const ip = /^(\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):/.exec(mapping);
  return { hostIp: ip ? ip[1]!.replace(/^\[|\]$/g, '') : '', hostPort: match[1] ?? '', port: `${match[2]}/${match[3] ?? 'tcp'}` };
}

/** A host path (absolute, or relative to the registry file) or a named volume, then the container path. */
function bind(volume: string, context: RegistryContext): string {
  const expanded = expandPlaceholders(volume, { home: context.home, registry_dir: context.registryDir });
  const [source, ...rest] = expanded.split(':');
  const isPath = source!.startsWith('.') || isAbsolute(source!);
  return [isPath ? resolve(context.registryDir, source!) : source!, ...rest].join(':');
}
