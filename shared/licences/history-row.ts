import { z } from 'zod';
import type { ProductDay } from './forecast';

/** A stored history row, checked on the way in and out of a store. */
export const ProductDayRow: z.ZodType<ProductDay> = z.object({
  date: z.iso.date(),
  key: z.string().min(1).max(200),
  name: z.string().max(300),
  purchased: z.number().int(),
  assigned: z.number().int(),
  consumed: z.number().int(),
});
