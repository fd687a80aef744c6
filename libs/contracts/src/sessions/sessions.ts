import { z } from 'zod';

export const SessionSummary = z
  .object({
    id: z.uuid(),
    createdAt: z.iso.datetime(),
    lastSeenAt: z.iso.datetime(),
    expiresAt: z.iso.datetime(),
    /** The session this request came with. */
    current: z.boolean(),
  })
  .meta({
    id: 'SessionSummary',
    description: 'No address or user agent: the server never keeps them.',
  });
export type SessionSummary = z.infer<typeof SessionSummary>;

export const SessionListResponse = z
  .object({ sessions: z.array(SessionSummary) })
  .meta({ id: 'SessionListResponse' });
export type SessionListResponse = z.infer<typeof SessionListResponse>;

export const SessionIdParams = z.object({ sessionId: z.uuid() });
