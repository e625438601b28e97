/**
 * `watch = { paths, ignore, debounce, action, cascade }`: the development loop of one service. A
 * change of a file `paths` matches (and `ignore` does not) restarts the service — or rebuilds and
 * recreates a docker service with `build`, or upgrades a Helm chart — once its burst of changes is
 * over; with `cascade`, its dependents are restarted once it is healthy again. Patterns are globs
 * (glob.ts) relative to the registry file's folder. Watching is off until turned on (`platform watch`, the UI).
 */
import { z } from 'zod';
import { globProblem } from './glob';
import { positiveDuration } from './schema-primitives';

export const WATCH_ACTIONS = ['restart', 'rebuild'] as const;
export type WatchAction = (typeof WATCH_ACTIONS)[number];
export const DEFAULT_DEBOUNCE = '300ms';
/** Never watched, whatever `ignore` says: dependency trees and repositories change in bursts of thousands. */
export const DEFAULT_IGNORES = ['**/node_modules', '**/.git'] as const;
/** Patterns one service may list: each is a set of watched folders, and a hand-written registry needs few. */
const MAX_PATTERNS = 64;

const pattern = z
  .string()
  .min(1, { error: 'an empty pattern matches nothing' })
  .check((ctx) => {
    const problem = globProblem(ctx.value);
    if (problem) ctx.issues.push({ code: 'custom', message: `not a glob pattern: ${problem}`, input: ctx.value });
  })
  .meta({ examples: ['src/**', 'src/**/*.{js,ts}', 'config/*.json'] });

export const watchSchema = z
  .strictObject({
    paths: z
      .array(pattern)
      .min(1, { error: 'name at least one pattern, e.g. paths = ["src/**"]' })
      .max(MAX_PATTERNS)
      .meta({ description: 'Files whose change triggers the action: glob patterns (**, *, ?, {a,b}, [abc]) relative to the registry file’s folder.' }),
    ignore: z
      .array(pattern)
      .max(MAX_PATTERNS)
      .default([])
      .meta({
        description: `Files and folders whose change triggers nothing; an ignored folder is never watched. ${DEFAULT_IGNORES.join(' and ')} are always ignored.`,
      }),
    debounce: positiveDuration.prefault(DEFAULT_DEBOUNCE).meta({
      description: `Quiet time after the last change before the action runs: a burst of writes is one trigger. Default ${DEFAULT_DEBOUNCE}.`,
    }),
    action: z.enum(WATCH_ACTIONS).default('restart').meta({
      description:
        'restart: restart the service (a binary service’s whole process tree; a Helm chart is upgraded); rebuild: build the image of a docker service with `build`, then recreate its container (a failed build keeps the old one).',
    }),
    cascade: z.boolean().default(false).meta({
      description: 'Once the service is healthy again, restart what depends on it (transitively, in dependency order), once per burst of changes.',
    }),
  })
  .meta({
    description: 'Restart (or rebuild) the service when its source files change, while watching is on (`provisioning platform watch`, the UI’s toggle).',
  });

export type WatchConfig = z.output<typeof watchSchema>;
