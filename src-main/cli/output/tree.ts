/** Box-drawing trees, as `npm ls` and `tree` print them. */
import type { TreeNode } from '@shared/graph';

export function renderTree(root: TreeNode, label: (node: TreeNode) => string = (node) => node.name): string {
  const lines = [label(root)];
  const walk = (node: TreeNode, indent: string): void => {
    node.children.forEach((child, i) => {
      const last = i === node.children.length - 1;
      lines.push(`${indent}${last ? '└── ' : '├── '}${label(child)}`);
      walk(child, indent + (last ? '    ' : '│   '));
    });
  };
  walk(root, '');
  return lines.join('\n');
}
