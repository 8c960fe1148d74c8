import type { LeadAggregate, ScorableEvent } from '../../../../shared/index';
// absorbInto is the mutating form of absorbEvents, for aggregates made here and shared with no one
// until done: absorbEvents copies the aggregate on every call, which for millions of events is most of the work.
import { absorbInto, emptyAggregate } from '../../../../shared/scoring/aggregate';
import type { CompiledModel } from '../../../../shared/scoring/compile';

/**
 * What the event pass of a rescore reads, derived from the model. The database sends events as
 * chunks of JSON text, `["leadId",code,at,...values, ...]`: the name as its index in `names`, the
 * time, and, only for names some rule has property conditions on, one value per path in `paths`
 * (or the whole properties object when `paths` is null). One JSON.parse per chunk instead of a
 * row object, a name string and a properties object per event is most of what makes it fast.
 */
export interface EventPlan {
  /** The event names the model counts; other events cannot change a score. */
  names: string[];
  /** The names whose events carry property values. */
  withProperties: string[];
  /** Property paths (split at dots) that conditions read; null: send the whole properties. */
  paths: string[][] | null;
}

/** A key that a JSON path and a JS property read alike ('0' indexes arrays in one, '__proto__' is special in the other). */
const PLAIN_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function eventPlan(compiled: CompiledModel): EventPlan {
  const names = [...compiled.rulesByEvent.keys()];
  const withProperties = names.filter((name) => compiled.rulesByEvent.get(name)!.some((rule) => rule.where !== null));
  const props = new Set(compiled.model.engagement.rules.flatMap((rule) => (rule.where ?? []).map((condition) => condition.prop)));
  const paths = [...props].map((prop) => prop.split('.'));
  const plain = paths.every((keys) => keys.every((key) => PLAIN_KEY.test(key) && key !== '__proto__'));
  return { names, withProperties, paths: plain ? outermost(paths) : null };
}

/** Drops a path inside another one ('page.path' when 'page' is read): the outer value holds it. */
function outermost(paths: string[][]): string[][] {
  const within = (inner: string[], outer: string[]) => inner.length > outer.length && outer.every((key, i) => inner[i] === key);
  return paths.filter((p) => !paths.some((q) => within(p, q)));
}

/**
 * Builds the aggregates of the leads in event chunks (see EventPlan) read in storage order,
 * which is the order ingest absorbed them in.
 */
export class AggregateBuilder {
  readonly #aggregates = new Map<string, LeadAggregate>();
  readonly #codes: { name: string; values: number }[];
  readonly #event: ScorableEvent = { event: '', at: 0 };
  readonly #one = [this.#event];
  readonly #properties: PropertiesView;

  constructor(
    private readonly compiled: CompiledModel,
    plan: EventPlan,
    private readonly now: number,
  ) {
    const slots = plan.paths ? plan.paths.length : 1;
    const withProperties = new Set(plan.withProperties);
    this.#codes = plan.names.map((name) => ({ name, values: withProperties.has(name) ? slots : 0 }));
    this.#properties = new PropertiesView(plan.paths);
  }

  /** The aggregate built from every chunk absorbed so far (empty for a lead without events). */
  get(leadId: string): LeadAggregate {
    return this.#aggregates.get(leadId) ?? emptyAggregate(this.compiled);
  }

  absorb(chunk: string): void {
    const items = JSON.parse(chunk) as unknown[];
    const event = this.#event;
    for (let i = 0; i < items.length; ) {
      const leadId = items[i] as string;
      let agg = this.#aggregates.get(leadId);
      if (agg === undefined) this.#aggregates.set(leadId, (agg = emptyAggregate(this.compiled)));
      const code = this.#codes[items[i + 1] as number]!;
      event.event = code.name;
      event.at = items[i + 2] as number;
      event.properties = code.values ? this.#properties.read(items, i + 3) : undefined;
      i += 3 + code.values;
      absorbInto(this.compiled, agg.rules, this.#one, this.now);
    }
  }
}

/**
 * The properties conditions see: one object, refilled for each event with the values sent for
 * it. Conditions read own properties by path and treat null as absent (they compare only with
 * strings, numbers and booleans), so a missing value can be sent as null.
 */
class PropertiesView {
  // Without a prototype, so a key like 'constructor' is only ever what was sent.
  readonly #root: Record<string, unknown> = Object.create(null);
  readonly #slots: { parent: Record<string, unknown>; key: string }[] = [];

  constructor(private readonly paths: string[][] | null) {
    for (const keys of paths ?? []) {
      let parent = this.#root;
      for (const key of keys.slice(0, -1)) parent = (parent[key] ??= Object.create(null)) as Record<string, unknown>;
      this.#slots.push({ parent, key: keys[keys.length - 1]! });
    }
  }

  read(items: unknown[], at: number): Record<string, unknown> | undefined {
    if (!this.paths) return (items[at] ?? undefined) as Record<string, unknown> | undefined;
    for (let k = 0; k < this.#slots.length; k++) {
      const slot = this.#slots[k]!;
      slot.parent[slot.key] = items[at + k];
    }
    return this.#root;
  }
}
