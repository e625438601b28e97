/** The shapes of service and operation names, without zod: read by the schemas and by paths that must stay light (shell completion). */
export const SERVICE_NAME_PATTERN = /^[a-z][a-z0-9-]{0,62}$/;
export const OPERATION_NAME_PATTERN = /^[a-z][a-z0-9-]*$/;
