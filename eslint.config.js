// Lint, and the layering of design.md enforced as restricted imports (as VS Code does for
// common / node / electron-main):
//   src-shared   pure TypeScript: no Node built-ins, no electron, no src-main / src-renderer
//   src-renderer browser only: no Node built-ins, no electron, no src-main
//   src-main     only src-main/electron and src-main/preload import electron
//   core         the engine: never the CLI, the web host, electron, React or commander
import js from '@eslint/js';
import globals from 'globals';
import { builtinModules } from 'node:module';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const electron = { name: 'electron', message: 'Only src-main/electron and src-main/preload may import electron.' };
const builtin = (where) => nodeBuiltins.map((name) => ({ name, message: `${where} runs without Node: no built-in modules.` }));
const restrict = (paths, patterns = []) => ({ 'no-restricted-imports': ['error', { paths, patterns }] });
const folder = (group, message) => ({ group, message });

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: globals.node },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-shared/**'],
    rules: restrict(
      [electron, ...builtin('src-shared')],
      [
        folder(['**/src-main/**', '**/src-renderer/**'], 'src-shared depends on nothing but itself.'),
        folder(['react', 'react-dom', 'react/*'], 'src-shared has no UI.'),
      ],
    ),
  },
  {
    files: ['src-renderer/**'],
    rules: restrict([electron, ...builtin('The renderer')], [folder(['**/src-main/**'], 'The renderer reaches the engine only through the contract.')]),
  },
  {
    files: ['src-main/**'],
    ignores: ['src-main/electron/**', 'src-main/preload/**'],
    rules: restrict([electron], [folder(['**/src-renderer/**'], 'src-main never imports the renderer.')]),
  },
  {
    files: ['src-main/core/**'],
    rules: restrict(
      [electron, { name: 'commander', message: 'The engine has no CLI parsing; that is src-main/cli.' }],
      [
        folder(['**/cli/**', '**/web/**', '**/electron/**', '**/preload/**'], 'The engine never imports a face (cli, web, electron).'),
        folder(['**/src-renderer/**'], 'src-main never imports the renderer.'),
        folder(['react', 'react-dom', 'react/*'], 'The engine has no UI.'),
      ],
    ),
  },
  // Formatting is Prettier's alone (`npm run format`; `npm run lint` checks it): no style rule may disagree.
  prettier,
);
