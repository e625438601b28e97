/**
 * `${home}` and `${registry_dir}` in registry strings: where a service's files live differs per
 * machine, so paths are written relative to the provisioning home or the registry file.
 */

export const PLACEHOLDERS = ['home', 'registry_dir'] as const;
export type Placeholder = (typeof PLACEHOLDERS)[number];

/** `${name}`; `$${` writes a literal `${` (for a shell command's own variables). A name holds no `$`: linear scanning. */
const REFERENCE = /(?<!\$)\$\{([^}$]*)\}/g;

/** Names used in the text that are not placeholders. */
export function unknownPlaceholders(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((match) => match[1]!).filter((name) => !(PLACEHOLDERS as readonly string[]).includes(name));
}

/** Replaces `${home}` and `${registry_dir}`, and turns `$${` into a literal `${`. */
export function expandPlaceholders(text: string, values: Readonly<Record<Placeholder, string>>): string {
  return text.replace(REFERENCE, (whole, name: string) => values[name as Placeholder] ?? whole).replaceAll('$${', '${');
}
