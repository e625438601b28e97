/** What a probe needs besides its check: placeholders, env references, and a deadline. */
import { expandPlaceholders } from '@shared/model';

export interface ProbeContext {
  readonly home: string;
  readonly registryDir: string;
  /** The manager's own environment (a command check's base). */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** What env references (headers) read: the values its service's client gave (see RegistryContext). */
  readonly given: Readonly<Record<string, string>>;
  /**
   * A remote service's token variable: an HTTP probe sends `Authorization: Bearer <its given value>`,
   * read at each probe so a token a later start brings is used from then on.
   */
  readonly bearer?: string;
  readonly timeoutMs: number;
}

export const expand = (text: string, context: ProbeContext): string => expandPlaceholders(text, { home: context.home, registry_dir: context.registryDir });

/** What a probe reports: ok and a message; the runner adds latency and time. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly message: string;
}

export class ProbeError extends Error {}
