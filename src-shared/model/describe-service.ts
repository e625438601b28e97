/** One-line summary of a service's health check, for tables, cards and tooltips. */
import type { HealthCheck } from './health-check-schema';

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
