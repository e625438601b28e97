/**
 * `--label billing` and a face's Start group: the services carrying any of the labels, added to the
 * names asked for. An unknown label is refused before anything is done, with the labels there are.
 */
import { suggestion } from '@shared/model/did-you-mean';
import type { Registry } from '@shared/model/service-schema';
import { EngineError } from '../engine-errors';

export function withLabelled(registry: Registry, names: readonly string[], labels: readonly string[]): string[] {
  if (labels.length === 0) return [...names];
  const known = [...new Set(registry.services.flatMap((s) => s.labels))].sort();
  for (const label of labels) {
    if (!known.includes(label))
      throw new EngineError(`no service is labelled '${label}'${suggestion(label, known)}; labels: ${known.join(', ') || 'none (add labels = ["…"] to a service)'}`);
  }
  const labelled = registry.services.filter((s) => s.labels.some((label) => labels.includes(label))).map((s) => s.name);
  return [...new Set([...names, ...labelled])];
}
