/** The registry's JSON Schema, derived from the zod schema (the single source of truth). */
import { z } from 'zod';
import { registrySchema } from '@shared/model';

export function registryJsonSchema(): string {
  return `${JSON.stringify(z.toJSONSchema(registrySchema, { io: 'input', target: 'draft-07' }), null, 2)}\n`;
}
