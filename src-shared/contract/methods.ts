/**
 * The typed API every face speaks to the engine: request methods with zod-checked params and
 * results. Transports (the local socket, Electron IPC, WebSocket) only move these.
 */
import { z } from 'zod';
import { MAX_VALIDATED_TEXT_BYTES } from '../model/registry-limits';
import { clientEnvSchema } from './client-env';
import { portHolderStopSchema, probeResultSchema, processHolderSchema, readinessSchema } from './health';
import { logLineSchema } from './logs';
import { ensureReportSchema, platformReportSchema, restartReportSchema, updatePlanSchema, updateReportSchema } from './platform';
import { dependencyEditSchema, locatedIssueSchema, registryDefinitionsSchema, registryGraphSchema } from './registry';
import { rebuildReportSchema } from './rebuild';
import { registryLinesParamsSchema, registryLinesSchema } from './registry-lines';
import { runStartSchema, runStopSchema } from './run';
import { serviceStatusSchema, timelineEventSchema } from './service-state';
import { serviceSourceSchema } from './service-source';
import { usageSampleSchema } from './usage';
import { REGISTRY_SOURCES } from './registry-source';
import { settingsSchema, settingsUpdateResultSchema, settingsUpdateSchema } from './settings';
import { processTrackingSchema } from './tracking';
import { SESSION_FACES, terminalCloseSchema, terminalInputSchema, terminalOpenSchema, terminalResizeSchema } from './terminal';
import { whyReportSchema } from './why';
import { watchResultSchema } from './watch';

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
  /**
   * Builds the service's image again if what goes into it changed, and recreates its running
   * container when the image is new; a failed build leaves what runs as it was (and is the error).
   */
  rebuild: { params: nameParams.extend(withEnv), result: rebuildReportSchema },
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
  /** Lines around a located issue's line of the registry or an override file, for a viewer (env files' lines withheld; other paths refused). */
  registryLines: { params: registryLinesParamsSchema, result: registryLinesSchema },
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
   * A `stop-process` remedy, after the person confirmed it: SIGTERM to that process, then a bounded
   * wait for it to end — only if, at that moment, the same process (pid and start time) still
   * listens on the port, runs as the owner's own user, and the port is one a registry service
   * declares. Anything else is refused and nothing is signalled. Never a stronger signal.
   */
  stopPortHolder: { params: processHolderSchema, result: portHolderStopSchema },
  /**
   * Turns watching (the development loop: a change of a service's `watch` files restarts it) on or
   * off for the named services (none: every one with a `watch` table). `hold`: for as long as this
   * connection lasts (`platform watch`); without it, until turned off (the UI's toggle, whose off
   * turns it off for every holder). Each trigger arrives as a state event whose `transition` has `watch`.
   */
  watch: {
    params: z.object({ names: z.array(z.string().min(1)).default([]), on: z.boolean(), hold: z.boolean().default(false) }),
    result: watchResultSchema,
  },
  /**
   * The state of every service now (`seq` 0 of this subscription), and from now on every state event
   * pushed to this connection, numbered 1, 2, … Subscribing again starts over with a new snapshot.
   */
  subscribe: { params: z.object({}), result: z.object({ seq: z.literal(0), services: z.array(serviceStatusSchema) }) },
  /** Ends supervision; services keep running and the next owner adopts them. */
  shutdown: { params: z.object({}), result: z.object({}) },
  /**
   * Opens a terminal into a running service (terminal.ts) for this connection: its output is pushed
   * as `terminal` messages, its end as `terminalExit`; the connection's end ends it. A browser
   * session is refused while the `webTerminals` setting is off.
   */
  terminalOpen: { params: terminalOpenSchema, result: z.object({ id: z.number().int().positive() }) },
  terminalInput: { params: terminalInputSchema, result: z.object({}) },
  terminalResize: { params: terminalResizeSchema, result: z.object({}) },
  /** Ends the program (a hang-up, as closing a terminal window does); its `terminalExit` follows. */
  terminalClose: { params: terminalCloseSchema, result: z.object({}) },
  /**
   * Says which face this connection serves, once, before anything else: the web host says `web` for
   * every browser connection it relays (relays refuse it from their pages: cli-only.ts).
   */
  sessionFace: { params: z.object({ face: z.enum(SESSION_FACES) }), result: z.object({}) },
} as const;

export type MethodName = keyof typeof methods;
/** What a caller sends (defaults may be left out). */
export type Params<M extends MethodName> = z.input<(typeof methods)[M]['params']>;
/** What a handler receives: the params as checked, defaults applied. */
export type CheckedParams<M extends MethodName> = z.output<(typeof methods)[M]['params']>;
export type Result<M extends MethodName> = z.infer<(typeof methods)[M]['result']>;
