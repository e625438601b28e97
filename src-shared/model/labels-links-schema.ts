/**
 * `labels` (groups a person starts, stops and folds together: `platform start --label billing`, the
 * UI's groups) and `links` (what a person opens once the service is up) of a service.
 */
import { z } from 'zod';
import { SERVICE_NAME_PATTERN } from './name-patterns';
import { httpUrl } from './schema-primitives';

/** A label is spelled as a service name: it is typed on command lines and completed by the shell. */
export const labelSchema = z
  .string()
  .regex(SERVICE_NAME_PATTERN, { error: 'a label is lowercase letters, digits and dashes, starts with a letter, at most 63 characters' });

/** Listed twice is a slip, said as a warning (labels-links-checks.ts); the service has it once. */
export const labelsSchema = z
  .array(labelSchema)
  .transform((labels) => [...new Set(labels)])
  .default([])
  .meta({
    description:
      'Groups this service belongs to (e.g. ["billing", "infra"]): `platform start|stop|restart --label billing` acts on them with their dependencies; the UI groups the graph and the cards by the first one.',
  });

export const linkSchema = z.strictObject({
  name: z.string().trim().min(1, { error: 'a link needs a name, e.g. "UI"' }).max(80, { error: 'a link name is at most 80 characters' }),
  url: httpUrl,
});

export const linksSchema = z.array(linkSchema).default([]).meta({
  description:
    'Pages of the service, opened from the UI (the system browser in the desktop app) and listed in `services status --json`: [{ name = "UI", url = "http://127.0.0.1:8081/" }] (http or https only). An HTTP port (one the http health check probes on this host) gets a link of its own.',
});

export type ServiceLink = z.output<typeof linkSchema>;
