import { z } from 'zod';

/** Staff roles (see DESIGN.md, "Who uses it"). People seeking help have no account and no role. */
export const StaffRole = z
  .enum(['caseworker', 'coordinator', 'partner', 'auditor', 'admin'])
  .meta({ id: 'StaffRole' });
export type StaffRole = z.infer<typeof StaffRole>;
