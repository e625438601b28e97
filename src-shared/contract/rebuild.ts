/** What `rebuild` did to a service that builds its image (docker.build, a compose `build:` section). */
import { z } from 'zod';
import { serviceStatusSchema } from './service-state';

export const rebuildReportSchema = z.object({
  /** Its status once the rebuild is done (recreated: after its new start). */
  status: serviceStatusSchema,
  /** The image its containers are created from. */
  image: z.string(),
  imageId: z.string(),
  /** False: nothing that goes into the image had changed ("up to date"). */
  built: z.boolean(),
  /** Its running container was replaced by one of the new image. */
  recreated: z.boolean(),
});
export type RebuildReport = z.infer<typeof rebuildReportSchema>;
