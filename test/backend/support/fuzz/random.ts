import { prng } from '../../../support/prng';

/** A seeded source of choices, so a failing fuzz case can be replayed from its seed. */
export interface Random {
  (): number;
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
}

export function random(seed: number): Random {
  const next = prng(seed) as Random;
  next.int = (min, max) => min + Math.floor(next() * (max - min + 1));
  next.chance = (p) => next() < p;
  next.pick = (items) => items[Math.floor(next() * items.length)]!;
  return next;
}
