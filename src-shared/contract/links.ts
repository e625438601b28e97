/** A service's link as faces get it (service-links.ts): in the graph and in each status. */
import { z } from 'zod';

export const serviceLinkSchema = z.object({
  name: z.string(),
  url: z.string(),
  /** Made from an HTTP port (its health check), not written in the registry. */
  derived: z.literal(true).optional(),
});
export type ServiceLinkView = z.infer<typeof serviceLinkSchema>;

/** Only http and https open from a face: anything else (javascript:, file:) is never a link. */
export function isOpenableUrl(url: unknown): url is string {
  if (typeof url !== 'string' || url.length > 2048 || !/^https?:\/\//i.test(url)) return false;
  try {
    const protocol = new (globalThis as unknown as { URL: new (input: string) => { protocol: string } }).URL(url).protocol;
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}
