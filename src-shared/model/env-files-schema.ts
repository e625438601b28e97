/** `env_files`: dotenv files whose variables a service's environment, env references and `${…}` read. */
import { z } from 'zod';
import { nonEmpty } from './schema-primitives';

const envFileEntry = z.union(
  [
    nonEmpty,
    z.strictObject({
      path: nonEmpty,
      required: z.boolean().default(true).meta({ description: 'A missing file is an error (true), or is skipped (false).' }),
      secret: z.boolean().default(true).meta({
        description:
          'Its values are secrets (true): never shown in logs, statuses, events or --json, where they read as ${NAME}. false for plain settings such as a port.',
      }),
    }),
  ],
  { error: 'expected a path (".env") or { path = ".env.local", required = false }' },
);

export const envFilesSchema = z.array(envFileEntry).default([]).meta({
  description:
    'Dotenv files (NAME=value lines), relative to the file that names them; later files win. Their variables are put in the environment of binary and docker services (the `env` table wins), and are what `{ env = "NAME" }` reads when the starting command does not set NAME, and what `${NAME}` / `${NAME:-default}` in string values read.',
});

export type EnvFileEntry = z.output<typeof envFileEntry>;

export interface EnvFileRef {
  readonly path: string;
  readonly required: boolean;
  readonly secret: boolean;
}

export const envFileRef = (entry: EnvFileEntry): EnvFileRef =>
  typeof entry === 'string' ? { path: entry, required: true, secret: true } : { path: entry.path, required: entry.required, secret: entry.secret };
