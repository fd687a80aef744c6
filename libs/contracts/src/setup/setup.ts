import { z } from 'zod';

export const SetupStatusResponse = z
  .object({
    setupRequired: z
      .boolean()
      .meta({ description: 'True until first-run setup (org root key, first admin) is complete.' }),
  })
  .meta({ id: 'SetupStatusResponse' });
export type SetupStatusResponse = z.infer<typeof SetupStatusResponse>;
