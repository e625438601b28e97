// Writes config/services.schema.json from the zod registry schema, so editors (Taplo / Even Better
// TOML, via the `#:schema` line) complete and check services.toml. `npm test` fails when it is stale.
import { writeFileSync } from 'node:fs';
import { registryJsonSchema } from '../src-main/core/registry/registry-json-schema';

writeFileSync(new URL('../config/services.schema.json', import.meta.url), registryJsonSchema());
