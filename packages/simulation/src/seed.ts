import type { AccountModel } from './model.js';
import { seedBuckets } from './seed-buckets.js';
import { seedFunctions } from './seed-functions.js';
import type { SeedScale } from './seed-names.js';

/** Fills an empty model with the business's buckets, objects and functions, plus `scale` generated extras. */
export function seedAccount(model: AccountModel, scale: SeedScale): void {
  seedBuckets(model, scale.objects, scale.buckets);
  seedFunctions(model, scale.functions);
}
