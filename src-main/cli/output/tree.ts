/** Box-drawing trees, as `npm ls` and `tree` print them. */
import type { TreeNode } from '@shared/graph';

/** `label` is given each node and the node it hangs from (none for the root). */
export function renderTree(root: TreeNode, label: (node: TreeNode, parent?: TreeNode) => string = (node) => node.name): string {
  const lines = [label(root)];
  const walk = (node: TreeNode, indent: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${label(child, node)}`);
      walk(child, indent + (last ? '    ' : '│   '));
    });
  };
  walk(root, '');
  return lines.join('\n');
}
