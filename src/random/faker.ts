/**
 * Faker through its injectable Randomizer. One Faker per table generator, never the global `faker`.
 * Before each column's value the generator points the randomizer at that column's re-keyed `Rng`,
 * so faker draws are part of the same counter-based stream as every other draw.
 *
 * The English locale entry point is imported (7 MB) instead of the package index that loads every
 * locale (36 MB, in every worker thread); its module instance is used only for its class and its
 * locale definitions, and never generates anything.
 */
import type { Faker, Randomizer } from '@faker-js/faker';
import * as englishLocale from '@faker-js/faker/locale/en';
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

const englishModuleInstance = englishLocale.faker;
const FakerClass = englishModuleInstance.constructor as new (opts: { locale: Faker['rawDefinitions']; randomizer: Randomizer }) => Faker;

export function createFaker(randomizer: SwitchableRandomizer): Faker {
  return new FakerClass({ locale: englishModuleInstance.rawDefinitions, randomizer });
}

export type { Faker };
