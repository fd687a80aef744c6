import { useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from '../utils/languages';

/** The current UI language and a setter; the choice lives in memory only. */
export function useLanguage(): [Language, (language: Language) => void] {
  const { i18n } = useTranslation();
  const current = isLanguage(i18n.resolvedLanguage) ? i18n.resolvedLanguage : DEFAULT_LANGUAGE;
  const setLanguage = (language: Language) => {
    void i18n.changeLanguage(language);
  };
  return [current, setLanguage];
}
