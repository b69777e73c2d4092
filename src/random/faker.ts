/**
 * Faker through its injectable Randomizer. One Faker per table generator, never the global `faker`.
 * Before each column's value the generator points the randomizer at that column's re-keyed `Rng`,
 * so faker draws are part of the same counter-based stream as every other draw.
 */
import { Faker, base, en, type Randomizer } from '@faker-js/faker';
import type { Rng } from './rng.js';

export class SwitchableRandomizer implements Randomizer {
  current: Rng | undefined;

  // Arrow properties: faker calls these detached from the object.
  next = (): number => {
    if (!this.current) throw new Error('faker used outside a column generator');
    return this.current.float();
  };

  seed = (): void => {
    // Seeding is driven by the stream keys; faker.seed() calls from user code are ignored on purpose.
  };
}

export function createFaker(randomizer: SwitchableRandomizer): Faker {
  return new Faker({ locale: [en, base], randomizer });
}

export { Faker };
