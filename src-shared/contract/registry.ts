/**
 * The registry as the faces see it: the graph of services (what the dependency view draws and
 * edits) and the located problems of the file. The renderer runs the graph algorithms itself.
 */
import { z } from 'zod';
import type { ServiceDefinition } from '../model/service-schema';
import { serviceLinkSchema } from './links';

export const locatedIssueSchema = z.object({
  severity: z.enum(['error', 'warning']),
  path: z.array(z.union([z.string(), z.number()])),
  message: z.string(),
  file: z.string(),
  line: z.number(),
  column: z.number(),
});

export const graphServiceSchema = z.object({
  name: z.string(),
  description: z.string(),
  mode: z.enum(['binary', 'docker', 'docker-compose', 'kubernetes', 'remote']),
  order: z.number(),
  autoStart: z.boolean(),
  dependencies: z.array(z.string()),
  /** Optional only so an older owner's graph still parses: a service, or a task (drawn as its own shape). */
  kind: z.enum(['service', 'task']).optional(),
  /** The dependencies whose condition is not the default (healthy): started or completed. */
  conditions: z.record(z.string(), z.enum(['started', 'healthy', 'completed'])).optional(),
  conflicts: z.array(z.string()),
  ports: z.array(z.string()),
  /** Optional only so an older owner's graph still parses: its groups (the first one is where a face shows it). */
  labels: z.array(z.string()).optional(),
  /** Its links and one per HTTP port (service-links.ts). */
  links: z.array(serviceLinkSchema).optional(),
  /** The override file whose `dependencies` list is in force, when it is not the registry file: where an edit writes by default. */
  dependenciesFile: z.string().optional(),
});
export type GraphService = z.infer<typeof graphServiceSchema>;

/** A value an override file set (`key` within the service; empty: the whole service; `disabled`: it took the service out). */
export const overriddenValueSchema = z.object({ service: z.string(), key: z.string(), file: z.string(), disabled: z.literal(true).optional() });

/** Optional only so an older owner's answer still parses: the override files applied, and what they set. */
const overrideFields = {
  overrides: z.array(z.string()).optional(),
  overridden: z.array(overriddenValueSchema).optional(),
};

/** The registry file as it is on disk now: its services when it is valid, and every located issue. */
export const registryGraphSchema = z.object({
  file: z.string(),
  /** Null while the file is not valid (a face keeps showing the last good graph). */
  services: z.array(graphServiceSchema).nullable(),
  issues: z.array(locatedIssueSchema),
  ...overrideFields,
  /** After an edit: the file it wrote (absent when nothing changed). */
  written: z.string().optional(),
});
export type RegistryGraph = z.infer<typeof registryGraphSchema>;

/**
 * The registry file as it is on disk now, whole: for a client that shows it without parsing it
 * (`services list` while an owner runs). The definitions are the owner's own parse, taken as sent.
 */
export const registryDefinitionsSchema = z.object({
  file: z.string(),
  /** Null while the file is not valid. */
  services: z.array(z.custom<ServiceDefinition>((value) => typeof value === 'object' && value !== null)).nullable(),
  issues: z.array(locatedIssueSchema),
  ...overrideFields,
});
export type RegistryDefinitions = z.infer<typeof registryDefinitionsSchema>;

export const dependencyEditSchema = z.object({
  service: z.string().min(1),
  dependency: z.string().min(1),
  action: z.enum(['add', 'remove']),
  /** The registry or override file to write, as the graph names it; default: the one whose list is in force. */
  file: z.string().min(1).optional(),
});
export type DependencyEdit = z.infer<typeof dependencyEditSchema>;

/** Pushed to subscribed faces when the registry file changed on disk: fetch `graph` again. */
export const registryMessageSchema = z.object({ registry: z.object({ changed: z.number() }) });
