/**
 * `services dependencies <name> --add <dep>` / `--remove <dep>`: one dependency edit through the
 * owner's `editDependency`, the path the graph view takes — only that `dependencies` array of the
 * file changes (every other byte kept), a cycle or any other problem changes nothing and is named
 * with its location, and the running engine takes the new edge without restarting anything.
 */
import type { DependencyEdit, RegistryGraph } from '@shared/contract/registry';
import type { CommandContext } from '../command-context';

export async function servicesDependencyEdit(ctx: CommandContext, edit: DependencyEdit): Promise<void> {
  const { client } = await ctx.owner();
  const before = dependenciesIn(await client.call('graph'), edit.service);
  const edited = await client.call('editDependency', edit);
  const after = dependenciesIn(edited, edit.service);
  const changed = before?.join('\n') !== after?.join('\n');
  if (ctx.options.json) return ctx.json({ ...edit, changed, dependencies: after, ...(edited.written ? { file: edited.written } : {}) });
  const { bold, dim } = ctx.paint;
  const list = after && after.length > 0 ? after.join(', ') : 'nothing';
  const what = edit.action === 'add' ? (changed ? 'now depends on' : 'already depends on') : changed ? 'no longer depends on' : 'did not depend on';
  ctx.out(`${bold(edit.service)} ${what} ${bold(edit.dependency)}${changed ? '' : '; nothing changed'} ${dim(`(it needs: ${list})`)}`);
  if (edited.written) ctx.out(dim(`wrote ${edited.written}`));
}

const dependenciesIn = (graph: RegistryGraph, service: string): readonly string[] | undefined => graph.services?.find((s) => s.name === service)?.dependencies;
