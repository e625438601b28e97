/**
 * A registry and its override files (`services.local.toml`, `--override`) merged into one document,
 * as Compose merges `-f` files: tables merge key by key, arrays and scalars replace, and
 * `enabled = false` takes a service out. Each value remembers the file it came from, so an error
 * found in the merged registry is located in that file, at its own line.
 */
import type { KeyPath } from './registry-issue';
import { isPlainTable as isTable, putOwn, type Table } from './table';

export interface RegistryLayer {
  /** The path as shown in messages. */
  readonly file: string;
  readonly text: string;
  readonly document: Table;
}

/** Where a table's keys come from: a layer index for a value (it replaced any before), a node for a merged table. */
interface OriginNode {
  /** The layer whose text first made this table: where a key missing from it is reported. */
  readonly made: number;
  readonly keys: Map<string, OriginNode | number>;
}

export class LayeredDocument {
  readonly document: Table;
  readonly #origins: OriginNode = { made: 0, keys: new Map() };

  constructor(readonly layers: readonly RegistryLayer[]) {
    // A registry alone (the common case) is its own document: nothing to merge or trace.
    if (layers.length === 1) this.document = layers[0]!.document;
    else {
      this.document = {};
      layers.forEach((layer, index) => merge(this.document, this.#origins, layer.document, index));
    }
  }

  /** The layer a key path's value comes from (its nearest written ancestor's, when it is not written). */
  layerOf(path: KeyPath): number {
    if (this.layers.length === 1) return 0;
    let node = this.#origins;
    for (const part of path) {
      const next = node.keys.get(String(part));
      if (next === undefined) return node.made;
      if (typeof next === 'number') return next;
      node = next;
    }
    return node.made;
  }

  /** Key paths under `at` whose value an override (a layer after the first) wrote, with that layer. */
  overridden(at: KeyPath): { path: string[]; layer: number }[] {
    if (this.layers.length === 1) return [];
    let node: OriginNode | number | undefined = this.#origins;
    for (const part of at) node = typeof node === 'object' ? node.keys.get(String(part)) : node;
    const found: { path: string[]; layer: number }[] = [];
    const visit = (entry: OriginNode | number, path: string[]): void => {
      if (typeof entry === 'number') {
        if (entry > 0) found.push({ path, layer: entry });
        return;
      }
      // A table an override made is one value of that override.
      if (entry.made > 0 && path.length > 0) return void found.push({ path, layer: entry.made });
      for (const [key, child] of entry.keys) visit(child, [...path, key]);
    };
    if (node !== undefined) visit(node, []);
    return found;
  }
}

function merge(target: Table, origins: OriginNode, source: Table, layer: number): void {
  for (const [key, value] of Object.entries(source)) {
    const existing = origins.keys.get(key);
    if (isTable(value) && isTable(target[key]) && typeof existing === 'object') {
      merge(target[key], existing, value, layer);
      continue;
    }
    if (isTable(value)) {
      const node: OriginNode = { made: layer, keys: new Map() };
      const table: Table = {};
      merge(table, node, value, layer);
      putOwn(target, key, table);
      origins.keys.set(key, node);
    } else {
      putOwn(target, key, value);
      origins.keys.set(key, layer);
    }
  }
}
