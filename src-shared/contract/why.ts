/**
 * Why a service is not running, blocked or degraded, as it is now — its own state and reason, the
 * chains of troubled dependencies down to their root causes, the last lines of the run that
 * failed, what preflight would refuse — and, as history, what the last platform start did with it
 * and its critical path. One pure function over the owner's graph and states: `services why`
 * prints it, the `why` method serves it to the UI's Why section.
 */
import { z } from 'zod';
import { buildGraph, troubleChains } from '../graph';
import type { Readiness } from './health';
import { stepSchema, type PlatformReport } from './platform';
import { serviceStatusSchema, type ServiceStatus } from './service-state';
import { satisfies } from './state-meaning';

/** What the graph must say of a service: its dependencies and their conditions. */
export interface WhyService {
  readonly name: string;
  readonly order: number;
  readonly dependencies: readonly string[];
  readonly conditions?: Readonly<Record<string, 'started' | 'healthy' | 'completed'>>;
}

/** Each chain from a troubled direct dependency of `name` down to a root cause (its last name). */
export function causeChains(services: readonly WhyService[], statuses: ReadonlyMap<string, ServiceStatus>, name: string): string[][] {
  const graph = buildGraph(services);
  if (!graph.index.has(name)) return [];
  const conditions = new Map(services.map((s) => [s.name, s.conditions]));
  const stateOf = (service: string) => statuses.get(service)?.state ?? 'stopped';
  return troubleChains(graph, name, (service, needer) => !satisfies(conditions.get(needer)?.[service] ?? 'healthy', stateOf(service)));
}

/**
 * The services at fault behind `name`: troubled dependencies (at any depth) none of whose own
 * dependencies is in trouble. Unlike the chains' last names, a cause shared by two paths is found
 * whichever path reaches it first.
 */
export function rootCausesOf(services: readonly WhyService[], statuses: ReadonlyMap<string, ServiceStatus>, name: string): string[] {
  const byName = new Map(services.map((s) => [s.name, s]));
  const troubled = (service: string, needer: string) =>
    !satisfies(byName.get(needer)?.conditions?.[service] ?? 'healthy', statuses.get(service)?.state ?? 'stopped');
  const roots = new Set<string>();
  const seen = new Set<string>([name]);
  const visit = (needer: string) => {
    for (const dep of byName.get(needer)?.dependencies ?? []) {
      if (seen.has(dep) || !troubled(dep, needer)) continue;
      seen.add(dep);
      if ((byName.get(dep)?.dependencies ?? []).some((next) => troubled(next, dep))) visit(dep);
      else roots.add(dep);
    }
  };
  visit(name);
  return [...roots];
}

export const lastStartPartSchema = z.object({
  began: z.number(),
  ended: z.number(),
  /** What it did with this service; absent when the service was not part of it. */
  step: stepSchema.optional(),
  /** The chain that bounded the start's wall time, with what each took. */
  criticalPath: z.array(z.object({ name: z.string(), ms: z.number() })),
});

export const whyReportSchema = z.object({
  status: serviceStatusSchema,
  /** From a troubled direct dependency down to its root cause (the last of each chain). */
  chains: z.array(z.array(serviceStatusSchema)),
  /** The root causes, once each: the services at fault (rootCausesOf). */
  roots: z.array(z.string()),
  /** The last lines of the failing run: the service's own when it is at fault, else its first root cause's. */
  logTail: z.array(z.string()),
  /** What preflight would refuse a start now (absent: it runs, or a start would go ahead). */
  refusals: z.array(z.string()).optional(),
  lastStart: lastStartPartSchema.optional(),
});
export type WhyReport = z.infer<typeof whyReportSchema>;

export interface WhyInput {
  readonly name: string;
  readonly services: readonly WhyService[];
  readonly statuses: ReadonlyMap<string, ServiceStatus>;
  readonly readiness?: Readiness;
  readonly lastStart?: PlatformReport;
}

export function whyOf({ name, services, statuses, readiness, lastStart }: WhyInput): WhyReport {
  const status = statuses.get(name);
  if (!status) throw new Error(`unknown service '${name}'`);
  const chains = causeChains(services, statuses, name);
  const roots = rootCausesOf(services, statuses, name);
  const faulty = statuses.get(roots[0] ?? name)!;
  // What its status quotes (a failed start's, a task's last lines); the owner adds a crash's from the log.
  const logTail = faulty.logTail ?? [];
  return {
    status,
    chains: chains.map((chain) => chain.map((service) => statuses.get(service)!)),
    roots,
    logTail: [...logTail],
    ...(readiness?.verdict === 'blocked' ? { refusals: readiness.reasons } : {}),
    ...(lastStart ? { lastStart: lastStartPart(lastStart, name) } : {}),
  };
}

function lastStartPart(last: PlatformReport, name: string): z.infer<typeof lastStartPartSchema> {
  const steps = new Map(last.steps.map((s) => [s.name, s]));
  const step = steps.get(name);
  return {
    began: last.began,
    ended: last.ended,
    ...(step ? { step } : {}),
    criticalPath: last.criticalPath.map((service) => {
      const s = steps.get(service);
      return { name: service, ms: (s?.ended ?? last.ended) - (s?.began ?? last.began) };
    }),
  };
}
