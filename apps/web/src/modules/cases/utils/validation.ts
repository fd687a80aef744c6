import type { z } from 'zod';

/** What is wrong with one field, in words the locales have (cases.validation.*). */
export interface FieldProblem {
  key: 'required' | 'tooLong' | 'date' | 'invalid';
  max?: number;
}

export type FieldProblems = Readonly<Record<string, FieldProblem>>;

/**
 * Turns a content schema's issues into per-field problems keyed by dotted path
 * (`alias`, `channels.0.value`). The schemas' own messages are English; the form shows its
 * translated ones, chosen by the kind of issue.
 */
export function problemsOf(error: z.ZodError): FieldProblems {
  const out: Record<string, FieldProblem> = {};
  for (const issue of error.issues) {
    const path = issue.path.map(String).join('.');
    if (out[path]) continue;
    if (issue.code === 'too_small') out[path] = { key: 'required' };
    else if (issue.code === 'too_big')
      out[path] = { key: 'tooLong', max: Number((issue as { maximum?: number | bigint }).maximum) };
    else if (issue.code === 'invalid_format') out[path] = { key: 'date' };
    else out[path] = { key: 'invalid' };
  }
  return out;
}
