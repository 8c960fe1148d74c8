import { z } from 'zod';

/** POST /api/session: the console's sign-in, with the same token the API takes. */
export const SessionRequest = z.object({ token: z.string().min(1).max(200) }).strict();
export type SessionRequest = z.infer<typeof SessionRequest>;
