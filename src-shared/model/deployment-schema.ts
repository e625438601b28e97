/** The five deployment modes of the seed, each with its own sub-table under `deployment`. */
import { z } from 'zod';
import { envMap, envRef, httpUrl, nonEmpty, portsInRange, tls } from './schema-primitives';

export const DEPLOYMENT_MODES = ['binary', 'docker', 'docker-compose', 'kubernetes', 'remote'] as const;
export type DeploymentMode = (typeof DEPLOYMENT_MODES)[number];

/** A user or group: a name as useradd allows it, or a numeric id. */
const accountName = z.union([z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/), z.number().int().min(0).max(4_294_967_294)], {
  error: 'a user or group name ("postgres") or a numeric id',
});

const binary = z.strictObject({
  command: nonEmpty.meta({ description: 'Executable: a name on PATH, an absolute path, or a path relative to the registry file.' }),
  args: z.array(z.string()).default([]),
  env: envMap.default({}),
  cwd: nonEmpty.optional().meta({ description: 'Working directory; relative paths start at the registry file. Default: the registry directory.' }),
  shell: z.boolean().default(false).meta({ description: 'Run `command` through the system shell. Off by default: arguments are passed as they are.' }),
  pid_file: nonEmpty.optional().meta({
    description:
      'A forking service (its command exits 0 once its daemon runs): the file where the daemon writes its pid, which names the main process; relative paths start at the registry file. Without it, the service runs while any of its processes does.',
  }),
  user: accountName.optional().meta({
    description:
      'Run the service (and its hooks) as this user: a name or a uid. Applied at spawn, no wrapper process; the manager must run as root or as that user. Its primary group, unless `group` says otherwise; supplementary groups are dropped.',
  }),
  group: accountName.optional().meta({ description: 'Run the service as this group: a name or a gid. Default: the primary group of `user`.' }),
});

/** "8080", "8054:8080", "127.0.0.1:5353:53/udp" — as `docker run -p` takes them. */
export const DOCKER_PORT_PATTERN = /^(?:(?:\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]+\]):)?(?:(\d{1,5}):)?(\d{1,5})(?:\/(tcp|udp))?$/;

/** An image built here from a Dockerfile (image-build.ts), tagged with a hash of what went into it. */
const dockerBuild = z.strictObject({
  context: nonEmpty.meta({ description: 'Build context folder; relative paths start at the registry file. Its .dockerignore applies.' }),
  dockerfile: nonEmpty.default('Dockerfile').meta({ description: 'Dockerfile inside the context; relative paths start at the context. Default: Dockerfile.' }),
  args: envMap.default({}).meta({ description: 'Build arguments (ARG): strings or env references, as `env`.' }),
  target: nonEmpty.optional().meta({ description: 'The stage of a multi-stage Dockerfile to build. Default: the last.' }),
});

const docker = z
  .strictObject({
    image: nonEmpty.optional().meta({
      description: 'Image to run. With `build`: the tag to build (default provisioning/<service>:<content hash>); without it, required.',
    }),
    build: dockerBuild.optional().meta({ description: 'Build the image here, from a Dockerfile; rebuilt only when what goes into it changed.' }),
    container_name: nonEmpty.optional().meta({ description: 'Default: the service name.' }),
    command: z.array(z.string()).optional().meta({ description: "Overrides the image's CMD." }),
    ports: z
      .array(
        z
          .string()
          .regex(DOCKER_PORT_PATTERN, { error: 'a port mapping such as "8080", "8054:8080" or "127.0.0.1:5353:53/udp"' })
          .refine(portsInRange, { error: 'ports are 1 to 65535' }),
      )
      .default([]),
    volumes: z.array(nonEmpty).default([]),
    env: envMap.default({}),
    network: nonEmpty.default('provisioning-net'),
    pull: z.enum(['missing', 'always', 'never']).default('missing'),
  })
  .refine((table) => table.image !== undefined || table.build !== undefined, {
    error: 'needs `image` (the image to run) or `build` (how to build it)',
  });

const dockerCompose = z.strictObject({
  file: nonEmpty.meta({ description: 'Compose file; relative paths start at the registry file.' }),
  project: nonEmpty.optional().meta({ description: 'Compose project name. Default: Compose derives it from the directory.' }),
  service: nonEmpty.optional().meta({ description: 'Service inside the compose file. Default: the registry service name.' }),
});

const helm = z.strictObject({
  chart: nonEmpty.meta({ description: 'Local chart path or repo/chart reference.' }),
  release: nonEmpty.optional().meta({ description: 'Release name. Default: the service name.' }),
  version: nonEmpty.optional(),
  repo: nonEmpty.optional().meta({ description: 'Chart repository URL.' }),
  values_files: z.array(nonEmpty).default([]),
  values: z.record(z.string(), z.unknown()).default({}),
});

const kubernetes = z.strictObject({
  kubeconfig: nonEmpty.optional().meta({ description: 'Default: KUBECONFIG or ~/.kube/config.' }),
  context: nonEmpty.optional(),
  namespace: nonEmpty.default('default'),
  manifests: z.array(nonEmpty).default([]).meta({ description: 'Manifest files applied on start.' }),
  inline: z.string().optional().meta({ description: 'Manifests as YAML text inside the registry, applied after the files.' }),
  deployment: nonEmpty.optional().meta({ description: 'Workload whose rollout defines the state. Default: the service name.' }),
  stop: z.enum(['delete', 'scale-to-zero']).default('delete'),
  helm: helm.optional(),
});

const remote = z.strictObject({
  url: httpUrl,
  tls: tls.optional(),
  token: envRef.optional().meta({ description: 'Bearer token, from an env reference only.' }),
});

export const deploymentSchema = z.strictObject({
  mode: z.enum(DEPLOYMENT_MODES),
  binary: binary.optional(),
  docker: docker.optional(),
  'docker-compose': dockerCompose.optional(),
  kubernetes: kubernetes.optional(),
  remote: remote.optional(),
});

export type Deployment = z.output<typeof deploymentSchema>;
