/**
 * What a service's `watch` table asks that its mode cannot do: `rebuild` needs an image built here
 * (`docker.build`, or a compose file's `build:`); a remote service is only watched from here, so nothing of it can be restarted.
 */
import { error, type RegistryIssue } from './registry-issue';
import type { ServiceDefinition } from './service-schema';

export function watchChecks(service: ServiceDefinition): RegistryIssue[] {
  const watch = service.watch;
  if (!watch) return [];
  const at = ['services', service.name, 'watch'];
  if (service.deployment.mode === 'remote') return [error(at, 'a remote service is only watched from here: nothing here can restart it')];
  const builds = (service.deployment.mode === 'docker' && service.deployment.docker?.build) || service.deployment.mode === 'docker-compose';
  if (watch.action === 'rebuild' && !builds) {
    return [error([...at, 'action'], 'rebuild needs docker.build (an image built here from a Dockerfile) or a compose service; use action = "restart"')];
  }
  return [];
}
