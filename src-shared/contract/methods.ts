/**
 * The typed API every face speaks to the engine: request methods with zod-checked params and
 * results. Transports (the local socket, Electron IPC, WebSocket) only move these.
 */
import { z } from 'zod';
import { MAX_VALIDATED_TEXT_BYTES } from '../model/registry-limits';
import { clientEnvSchema } from './client-env';
import { probeResultSchema, readinessSchema } from './health';
import { logLineSchema } from './logs';
import { ensureReportSchema, platformReportSchema, restartReportSchema, updatePlanSchema, updateReportSchema } from './platform';
import { dependencyEditSchema, locatedIssueSchema, registryDefinitionsSchema, registryGraphSchema } from './registry';
import { runStartSchema, runStopSchema } from './run';
import { serviceStatusSchema, timelineEventSchema } from './service-state';
import { serviceSourceSchema } from './service-source';
import { usageSampleSchema } from './usage';
import { REGISTRY_SOURCES } from './registry-source';
import { settingsSchema, settingsUpdateResultSchema, settingsUpdateSchema } from './settings';
import { processTrackingSchema } from './tracking';
import { whyReportSchema } from './why';

const nameParams = z.object({ name: z.string().min(1) });
/** `labels`: also every service carrying one of them (an unknown label is refused, nothing done). */
const namesParams = z.object({ names: z.array(z.string().min(1)), labels: z.array(z.string().min(1)).max(100).default([]) });
/** A start's env reference values, from the client's environment (client-env.ts); kept only in memory. */
const withEnv = { env: clientEnvSchema.optional() };

export const methods = {
  /** Who owns supervision, and of which registry. */
  hello: {
    params: z.object({}),
    result: z.object({
      pid: z.number(),
      home: z.string(),
      registry: z.string(),
      /**
       * Where that registry came from (discovery-order.ts): `--config`, PROVISIONING_CONFIG, the saved
       * setting, the user's file, or the embedded demo. Absent from an older owner.
       */
      registrySource: z.enum(REGISTRY_SOURCES).optional(),
      /** The `--override` files it merges (absent: none given, so services.local.toml beside the registry if there). */
      overrides: z.array(z.string()).optional(),
      tracking: processTrackingSchema.optional(),
    }),
  },
  status: { params: z.object({}), result: z.array(serviceStatusSchema) },
  /**
   * Starts the service and what it needs along the graph (its status at the end says why not, when it
   * did not); `noDeps`: the service alone. Its plan is pushed first (see OperationPlan).
   */
  start: { params: nameParams.extend({ ...withEnv, noDeps: z.boolean().default(false) }), result: serviceStatusSchema },
  /** Refuses while services that need it run, unless `force`. */
  stop: { params: nameParams.extend({ force: z.boolean().default(false) }), result: serviceStatusSchema },
  restart: { params: nameParams.extend(withEnv), result: serviceStatusSchema },
  /** The named services (or the auto-start ones) and their dependencies, along the graph. */
  platformStart: { params: namesParams.extend(withEnv), result: platformReportSchema },
  /** The named services and what needs them (or everything), dependents first. */
  platformStop: { params: namesParams, result: platformReportSchema },
  /** Stops the named services and what needs them (or everything), then starts them again with what had run. */
  platformRestart: { params: namesParams.extend(withEnv), result: restartReportSchema },
  /** The services `operation` needs (`required_for`); with `autoStart`, the missing ones started (all or nothing). */
  ensure: { params: z.object({ operation: z.string().min(1), autoStart: z.boolean().default(false), ...withEnv }), result: ensureReportSchema },
  /**
   * `provisioning run`: starts the named services and those `operation` needs (`required_for`), with
   * their dependencies, as `platformStart` does (nothing named: the auto-start ones), and holds the
   * plan for this connection until `runStop` or its end (see run.ts).
   */
  runStart: {
    params: z.object({ names: z.array(z.string().min(1)).default([]), operation: z.string().min(1).optional(), ...withEnv }),
    result: runStartSchema,
  },
  /** Ends this connection's hold: stops what was started for runs that no run holds now and nothing outside runs needs. The connection's end does it too. */
  runStop: { params: z.object({}), result: runStopSchema },
  /** Cancels this connection's platform operations: nothing more is launched. Closing it does too. */
  cancel: { params: z.object({}), result: z.object({ cancelled: z.number() }) },
  lastStart: { params: z.object({}), result: platformReportSchema.nullable() },
  /**
   * The last lines of a service's log; with `before`, the last lines older than that seq (paging back
   * through the rotated files, as far as they reach: fewer lines, or none, at the oldest kept).
   */
  logTail: {
    params: nameParams.extend({ lines: z.number().int().min(1).max(10_000).default(200), before: z.number().int().min(1).optional() }),
    result: z.array(logLineSchema),
  },
  /**
   * From now on, the service's lines after `afterSeq` are pushed to this connection as log messages
   * (batched, ≤ 60/s, gap markers when it cannot keep up), until `logUnfollow` or the connection ends.
   */
  logFollow: {
    params: nameParams.extend({
      afterSeq: z.number().int().min(0).default(0),
      /** At most this many lines a second, the newest of each batch, the rest as gap markers (a view that shows only so many). */
      maxLinesPerSecond: z.number().int().min(60).optional(),
    }),
    result: z.object({}),
  },
  logUnfollow: { params: nameParams, result: z.object({}) },
  /** Re-reads the registry file and restarts what changed (added services are not started). */
  update: { params: z.object(withEnv), result: updateReportSchema },
  /** Re-reads the registry file and answers what `update` would add, remove, stop and restart, changing nothing: the faces' drift. */
  updatePlan: { params: z.object({}), result: updatePlanSchema },
  /** The latest health check results of a service, oldest first (sparklines, --json). */
  history: { params: nameParams, result: z.array(probeResultSchema) },
  /** A service's blocks of the registry and override files, as the files have them, and its log file: a detail view's source. */
  serviceSource: { params: nameParams, result: serviceSourceSchema },
  /** Every service's latest health results, oldest first and without messages: the graph's sparklines. */
  healthHistories: {
    params: z.object({ last: z.number().int().min(1).max(60).default(20) }),
    result: z.record(z.string(), z.array(probeResultSchema.pick({ ok: true, latencyMs: true, at: true }))),
  },
  /** Every running service's latest usage samples, oldest first: the cards' and graph's second sparkline. */
  usageHistories: { params: z.object({ last: z.number().int().min(1).max(60).default(20) }), result: z.record(z.string(), z.array(usageSampleSchema)) },
  /** The registry file as it is on disk now (it may differ from what runs until `update`). */
  graph: { params: z.object({}), result: registryGraphSchema },
  /** The same file with every service's whole definition: what `services list` shows, unparsed by the client. */
  definitions: { params: z.object({}), result: registryDefinitionsSchema },
  /** Checks a registry text without writing it (an editor's live validation). */
  /** At most 1 MiB (MAX_VALIDATED_TEXT_BYTES, in UTF-8 bytes: the owner checks the bytes), validated off the owner's event loop. */
  validateRegistry: { params: z.object({ text: z.string().max(MAX_VALIDATED_TEXT_BYTES) }), result: z.array(locatedIssueSchema) },
  /**
   * Adds or removes one dependency in the registry file, changing only that `dependencies` array,
   * then gives the running engine that dependency change alone (nothing restarts; other edits of
   * the file wait for `update`). A cycle or any other error changes nothing and names the problem.
   */
  editDependency: { params: dependencyEditSchema, result: registryGraphSchema },
  settings: { params: z.object({}), result: settingsSchema },
  /**
   * Changes settings. A different registry path (a different set of commands) is not applied at
   * first: the answer carries what it would run, and only the same call with that confirmation's
   * digest, made after the person confirmed it, applies it.
   */
  updateSettings: { params: settingsUpdateSchema, result: settingsUpdateResultSchema },
  /** Problems the owner met that stopped nothing (a state record set aside, a log write error), oldest first. */
  warnings: { params: z.object({}), result: z.array(z.string()) },
  /**
   * The owner's events timeline: state changes (time, from → to, reason, the lifecycle log line),
   * oldest first — the newest `limit` after `sinceSeq`, of one service or all. Kept across owner
   * restarts (the newest 2,000); new entries also arrive on subscribed connections, inside the state
   * event that made them (`transition`).
   */
  events: {
    params: z.object({
      service: z.string().min(1).optional(),
      sinceSeq: z.number().int().min(0).default(0),
      limit: z.number().int().min(1).max(2_000).default(500),
    }),
    result: z.array(timelineEventSchema),
  },
  /**
   * Why a service is as it is (why.ts): its state and reason, the chains to the root causes, the
   * failing run's last lines, what preflight would refuse, and the last start's part in it.
   */
  why: { params: nameParams.extend(withEnv), result: whyReportSchema },
  /** Per service: ready, would start, or blocked, with reasons (preflight, dependencies). */
  readiness: { params: z.object(withEnv), result: z.array(readinessSchema) },
  /**
   * The state of every service now (`seq` 0 of this subscription), and from now on every state event
   * pushed to this connection, numbered 1, 2, … Subscribing again starts over with a new snapshot.
   */
  subscribe: { params: z.object({}), result: z.object({ seq: z.literal(0), services: z.array(serviceStatusSchema) }) },
  /** Ends supervision; services keep running and the next owner adopts them. */
  shutdown: { params: z.object({}), result: z.object({}) },
} as const;

export type MethodName = keyof typeof methods;
/** What a caller sends (defaults may be left out). */
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives: the params as checked, defaults applied. */
export type CheckedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
