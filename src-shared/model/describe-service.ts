/** One-line summaries of a service's deployment and health check, for tables, cards and tooltips. */
import type { HealthCheck } from './health-check-schema';
import type { Deployment } from './deployment-schema';

export function describeDeployment(deployment: Deployment): string {
  switch (deployment.mode) {
    case 'binary': {
      const binary = deployment.binary;
      return binary ? [binary.command, ...binary.args].join(' ') : '';
    }
    case 'docker':
      return deployment.docker?.image ?? '';
    case 'docker-compose': {
      const compose = deployment['docker-compose'];
      return compose ? `${compose.file}${compose.service ? `#${compose.service}` : ''}` : '';
    }
    case 'kubernetes': {
      const kubernetes = deployment.kubernetes;
      if (!kubernetes) return '';
      return kubernetes.helm ? `helm ${kubernetes.helm.chart}` : `${kubernetes.namespace}/${kubernetes.manifests.join(',')}`;
    }
    case 'remote':
      return deployment.remote?.url ?? '';
  }
}

export function describeHealthCheck(check: HealthCheck | undefined): string {
  if (!check) return '';
  switch (check.type) {
    case 'http':
      return check.http?.url ?? '';
    case 'tcp':
      return `tcp ${check.tcp?.host ?? ''}:${check.tcp?.port ?? ''}`;
    case 'command':
      return `$ ${[check.command?.command, ...(check.command?.args ?? [])].join(' ')}`;
    case 'file':
      return `file ${check.file?.path ?? ''}`;
  }
}
