/** A single measured figure printed by `npm run bench`, with the budget it is held to. */
export interface Measurement {
  /** What was measured, e.g. "record encryption (Node)". */
  name: string;
  value: number;
  unit: string;
  /** The budget from DESIGN.md or the issue, when there is one. */
  budget?: { op: '<=' | '>='; value: number };
}

/** A group of measurements that `tools/bench/bench.ts` runs and prints as one table. */
export interface MeasurementSuite {
  title: string;
  run(): Promise<Measurement[]>;
}

export function withinBudget(m: Measurement): boolean | undefined {
  if (!m.budget) return undefined;
  return m.budget.op === '<=' ? m.value <= m.budget.value : m.value >= m.budget.value;
}
