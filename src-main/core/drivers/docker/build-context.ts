/**
 * What a docker service's build (docker.build) sends to the engine: the context folder's files
 * after its .dockerignore (the engine's own rules, through the parser dockerode itself uses), and a
 * hash of everything that decides the image — each file's path, kind, executable bit and content,
 * the Dockerfile, the build arguments and the target — keyed with the home's key (build-hash-key.ts:
 * build args may be secrets, and the hash is a label anyone who lists images reads). Modification times are left out, as the
 * engine's own build cache leaves them out: touching a file rebuilds nothing. Walking is bounded
 * (files and bytes): a context that would carry a whole home or a disk image is refused with its
 * figure, not streamed.
 */
import { createHmac } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import dockerIgnore from '@balena/dockerignore';
import { readSmallFile } from '../../read-small-file';
import { StartError } from '../driver';
import type { BuildPaths } from './build-paths';

/** The engine holds a context in memory and on disk while it builds: beyond this it is almost always an unignored folder. */
export const MAX_CONTEXT_BYTES = 512 * 1024 * 1024;
export const MAX_CONTEXT_FILES = 100_000;
const WHOLE_READ_BYTES = 1024 * 1024;
/** A .dockerignore is a page of patterns; a larger one is refused, not half-applied. */
const MAX_IGNORE_BYTES = 256 * 1024;

export interface ContextFiles {
  /** Paths inside the context, with `/`, sorted: what the tar stream carries. */
  readonly files: readonly string[];
  readonly bytes: number;
}

/** The files the build sends. The Dockerfile and .dockerignore go even when ignored, as the docker CLI sends them. */
export async function contextFiles(paths: BuildPaths): Promise<ContextFiles> {
  const ignoreFile = join(paths.context, '.dockerignore');
  const text = readSmallFile(ignoreFile, MAX_IGNORE_BYTES);
  if (text === undefined && existsSync(ignoreFile)) throw new StartError(`${ignoreFile} is not a regular file of at most ${MAX_IGNORE_BYTES / 1024} KiB`);
  const rules = dockerIgnore({ ignorecase: false }).add(text ?? '');
  // With an exception (`!keep`) an ignored folder may hold a file that goes: then every folder is walked.
  const prune = !(text ?? '').split('\n').some((line) => line.trim().startsWith('!'));
  const always = new Set([paths.dockerfileInContext, '.dockerignore']);
  const files: string[] = [];
  let bytes = 0;
  const over = (why: string) =>
    new StartError(
      `build context ${paths.context} is too large: ${why}; list what the image does not need (node_modules, .git, build output) in ${join(paths.context, '.dockerignore')}`,
    );
  const walk = async (folder: string): Promise<void> => {
    const entries = await readdir(join(paths.context, folder), { withFileTypes: true });
    for (const entry of entries) {
      const path = folder ? `${folder}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!(prune && rules.ignores(path))) await walk(path);
        continue;
      }
      if (!entry.isFile() && !entry.isSymbolicLink()) continue; // sockets, pipes: nothing a build can copy
      if (rules.ignores(path) && !always.has(path)) continue;
      files.push(path);
      if (entry.isFile()) bytes += (await lstat(join(paths.context, path))).size;
      if (files.length > MAX_CONTEXT_FILES) throw over(`more than ${MAX_CONTEXT_FILES.toLocaleString('en')} files`);
      if (bytes > MAX_CONTEXT_BYTES) throw over(`more than ${MAX_CONTEXT_BYTES / 1024 / 1024} MiB (the cap) after ${files.length.toLocaleString('en')} files`);
    }
  };
  await walk('');
  return { files: files.sort(), bytes };
}

/** The hash that names the image: unchanged inputs (and key), same hash, no build. `key`: the home's (build-hash-key.ts). */
export async function buildHash(
  paths: BuildPaths,
  files: ContextFiles,
  args: Readonly<Record<string, string>>,
  target: string | undefined,
  key: Buffer,
): Promise<string> {
  const hash = createHmac('sha256', key);
  const field = (...parts: string[]) => hash.update(`${parts.join('\0')}\n`);
  field('provisioning-build-v1', paths.dockerfileInContext, target ?? '');
  for (const key of Object.keys(args).sort()) field('arg', key, args[key]!);
  for (const path of files.files) {
    const absolute = join(paths.context, path);
    const info = await lstat(absolute);
    if (info.isSymbolicLink()) {
      field('link', path, await readlink(absolute));
      continue;
    }
    field('file', path, info.mode & 0o111 ? 'x' : '-', String(info.size));
    // One read for a small file (most of a context): a stream per file costs more than the hashing.
    if (info.size <= WHOLE_READ_BYTES) hash.update(await readFile(absolute));
    else for await (const chunk of createReadStream(absolute)) hash.update(chunk as Buffer);
  }
  return hash.digest('hex');
}
