/**
 * `provisioning run [names…] -- <command> [args…]`: which words are service names and which the
 * command. Commander merges what follows `--` into the operands (and keeps or drops a `--` by rules
 * of its own), so the command is read from the raw argv — everything after its first `--` — and the
 * names are the operands before it.
 */

export type RunArguments = { readonly names: string[]; readonly command: string[] } | { readonly problem: string };

/** `operands`: what commander parsed (allowing unknown options); `raw`: the argv it was given. */
export function splitRunArguments(operands: readonly string[], raw: readonly string[]): RunArguments {
  const separator = raw.indexOf('--');
  const command = separator < 0 ? [] : raw.slice(separator + 1);
  if (command.length === 0) return { problem: 'the command to run goes after `--`: provisioning run [--for <operation>] [names…] -- <command> [args…]' };
  const tail = operands.slice(operands.length - command.length);
  if (tail.length !== command.length || tail.some((word, i) => word !== command[i])) {
    return { problem: 'put the service names before `--` and the command after it' };
  }
  const before = operands.slice(0, operands.length - command.length);
  // Commander keeps the `--` itself after an option it does not know.
  const names = before.at(-1) === '--' ? before.slice(0, -1) : before;
  const option = names.find((word) => word.startsWith('-'));
  if (option !== undefined) return { problem: `unknown option '${option}' (run takes --for <operation> before \`--\`)` };
  return { names, command };
}
