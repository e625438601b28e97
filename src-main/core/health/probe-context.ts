/** What a probe needs besides its check: placeholders, env references, and a deadline. */
import { expandPlaceholders } from '@shared/model';

export interface ProbeContext {
  readonly home: string;
  readonly registryDir: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
}

export const expand = (text: string, context: ProbeContext): string =>
  expandPlaceholders(text, { home: context.home, registry_dir: context.registryDir });

/** What a probe reports: ok and a message; the runner adds latency and time. */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly message: string;
}

export class ProbeError extends Error {}
