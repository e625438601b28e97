/**
 * `node --import <this file>`: appends the path of every module file the process loads — ES modules
 * through a load hook (module-recorder-hooks.mjs), CommonJS ones as they compile — to the file
 * named by $MODULE_RECORD, one a line. What a command loads, seen from outside it.
 */
import { appendFileSync } from 'node:fs';
import Module, { register } from 'node:module';

register('./module-recorder-hooks.mjs', import.meta.url);
const compile = Module.prototype._compile;
Module.prototype._compile = function (content, filename) {
  appendFileSync(process.env.MODULE_RECORD, `${filename}\n`);
  return compile.call(this, content, filename);
};
