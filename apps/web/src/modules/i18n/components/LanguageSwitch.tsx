import { NativeSelect } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useLanguage } from '../hooks/useLanguage';
import { LANGUAGES, LANGUAGE_ENDONYMS, isLanguage } from '../utils/languages';
import classes from './LanguageSwitch.module.css';

/** A native <select> with a visible label: keyboard and screen-reader friendly as is. */
export function LanguageSwitch() {
  const { t } = useTranslation();
  const [language, setLanguage] = useLanguage();
  return (
    <NativeSelect
      label={t('language.label')}
      value={language}
      onChange={(event) => {
        const next = event.currentTarget.value;
        if (isLanguage(next)) setLanguage(next);
      }}
      size="xs"
      classNames={{ root: classes.root, label: classes.label }}
    >
      {LANGUAGES.map((code) => (
        <option key={code} value={code} lang={code}>
          {LANGUAGE_ENDONYMS[code]}
        </option>
      ))}
    </NativeSelect>
  );
}
