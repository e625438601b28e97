/** Small registry documents for tests. */
import { formatIssue, parseRegistry } from '@shared/model';

/** A minimal valid binary service table. */
export const binaryService = (name: string, extra = ''): string =>
  `[services.${name}]\n${extra}${extra && !extra.endsWith('\n') ? '\n' : ''}[services.${name}.deployment]\nmode = "binary"\nbinary = { command = "node" }\n`;

/** The located messages for a document, as `services validate` prints them. */
export const issuesOf = (text: string): string[] => parseRegistry(text, 'services.toml').issues.map(formatIssue);
