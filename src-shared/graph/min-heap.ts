/** A binary min-heap of small integers ordered by a key array: the ready queue of topological sorts. */
export class MinHeap {
  readonly #items: number[] = [];

  constructor(private readonly key: readonly number[]) {}

  get size(): number {
    return this.#items.length;
  }

  push(item: number): void {
    const items = this.#items;
    let i = items.push(item) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.key[items[parent]!]! <= this.key[item]!) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= items.length) break;
      const right = left + 1;
      const child = right < items.length && this.key[items[right]!]! < this.key[items[left]!]! ? right : left;
      if (this.key[items[child]!]! >= this.key[last]!) break;
      items[i] = items[child]!;
      i = child;
    }
    items[i] = last;
    return top;
  }
}
