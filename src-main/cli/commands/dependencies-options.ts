/** The options of `services dependencies`, apart from its implementation: the program registers them before any command runs. */
export const GRAPH_FORMATS = ['tree', 'dot', 'mermaid'] as const;

export interface DependenciesOptions {
  readonly format: (typeof GRAPH_FORMATS)[number];
  readonly reverse: boolean;
}
