/** Sizes past which a registry text is refused before it is parsed (docs/security.md: caps). */

/** A text a client sends to be validated (an editor's live check): 1 MiB, in UTF-8 bytes. */
export const MAX_VALIDATED_TEXT_BYTES = 1024 * 1024;

/** A registry file read from disk: 16 MiB, far above any real registry (10,000 services are ~2.3 MB). */
export const MAX_REGISTRY_FILE_BYTES = 16 * 1024 * 1024;
