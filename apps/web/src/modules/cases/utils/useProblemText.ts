import { useTranslation } from 'react-i18next';
import type { FieldProblems } from './validation';

/** `problem('alias')` → the translated message for that field, or undefined. */
export function useProblemText(problems: FieldProblems): (path: string) => string | undefined {
  const { t } = useTranslation();
  return (path) => {
    const p = problems[path];
    if (!p) return undefined;
    return p.key === 'tooLong'
      ? t('cases.validation.tooLong', { max: p.max ?? 0 })
      : t(`cases.validation.${p.key}`);
  };
}
