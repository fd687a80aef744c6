import { type FormEvent, useEffect, useRef, useState } from 'react';
import type { Language, Translate } from '../../../i18n';
import { sendSubmission, type SendProblem } from '../../api/send-sealed';
import { preloadCrypto, type RootTrust } from '../../crypto/intake-crypto';
import {
  CONTACT_CHANNELS,
  type ContactChannel,
  emptyForm,
  encodePayload,
  type FieldProblem,
  type FormField,
  type IntakeFormValues,
  LIMITS,
  LOCATION_AREAS,
  NEEDS,
  toggle,
  toPayload,
  URGENCIES,
  validateForm,
} from '../utils/intake-form';

/** Messenger names are brands: the same in every language. */
const BRAND_NAMES = { signal: 'Signal', telegram: 'Telegram', whatsapp: 'WhatsApp' } as const;

function channelLabel(channel: ContactChannel, t: Translate): string {
  return channel === 'email' || channel === 'phone'
    ? t(`form.contact.${channel}`)
    : BRAND_NAMES[channel];
}

const fieldId = (field: FormField) => `intake-${field}`;
const errorId = (field: FormField) => `intake-${field}-error`;
const hintId = (field: FormField) => `intake-${field}-hint`;

interface Props {
  language: Language;
  t: Translate;
  trust: RootTrust;
  /** Called with the receipt code once the message is stored. */
  onSent: (code: string) => void;
}

export function IntakeForm({ language, t, trust, onSent }: Props) {
  const [values, setValues] = useState<IntakeFormValues>(emptyForm);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [sendProblem, setSendProblem] = useState<SendProblem | 'too_long' | null>(null);
  const [sending, setSending] = useState(false);
  const summaryRef = useRef<HTMLDivElement>(null);
  const sendErrorRef = useRef<HTMLDivElement>(null);

  // Fetch the encryption code while the person types (same origin, no API call).
  useEffect(() => preloadCrypto(), []);

  useEffect(() => {
    if (problems.length > 0) summaryRef.current?.focus();
  }, [problems]);

  useEffect(() => {
    if (sendProblem) sendErrorRef.current?.focus();
  }, [sendProblem]);

  const set = <K extends FormField>(field: K, value: IntakeFormValues[K]) =>
    setValues((current) => ({ ...current, [field]: value }));

  const problemOf = (field: FormField) => problems.find((p) => p.field === field);

  /** Props that tie a control to its hint and error message. */
  const described = (field: FormField, hasHint: boolean) => {
    const problem = problemOf(field);
    const ids = [hasHint ? hintId(field) : '', problem ? errorId(field) : ''].filter(Boolean);
    return {
      'aria-invalid': problem ? true : undefined,
      'aria-describedby': ids.length > 0 ? ids.join(' ') : undefined,
    };
  };

  const errorText = (field: FormField) => {
    const problem = problemOf(field);
    return problem ? (
      <p className="field-error" id={errorId(field)}>
        {t(problem.message)}
      </p>
    ) : null;
  };

  const focusField = (field: FormField) => {
    // Groups focus their first control. Buttons, not links: a #hash link would add a history entry.
    const target =
      document.getElementById(fieldId(field)) ??
      document.querySelector<HTMLElement>(`[name="${field}"]`);
    target?.focus();
  };

  const onSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (sending) return;
    setSendProblem(null);
    const found = validateForm(values);
    setProblems(found);
    if (found.length > 0) return;
    const payload = encodePayload(toPayload(values, language));
    if (!payload) {
      setSendProblem('too_long');
      return;
    }
    setSending(true);
    const result = await sendSubmission(payload, values.urgency || 'routine', trust);
    setSending(false);
    if (result.ok) {
      // Forget what was typed before the receipt is shown.
      setValues(emptyForm());
      onSent(result.value);
    } else {
      setSendProblem(result.problem);
    }
  };

  const sendProblemText = (problem: SendProblem | 'too_long'): string =>
    problem === 'too_long' ? t('form.errors.messageTooLong') : t(`problems.${problem}`);

  return (
    <form className="intake-form" noValidate onSubmit={(e) => void onSubmit(e)} aria-busy={sending}>
      <h2 id="form-title" tabIndex={-1}>
        {t('form.title')}
      </h2>
      <p className="hint">{t('form.requiredNote')}</p>

      {problems.length > 0 && (
        <div
          className="error-summary"
          role="alert"
          tabIndex={-1}
          ref={summaryRef}
          aria-labelledby="error-summary-title"
        >
          <h3 id="error-summary-title">{t('form.errors.summaryTitle')}</h3>
          <ul>
            {problems.map((p) => (
              <li key={p.field}>
                <button type="button" className="link-button" onClick={() => focusField(p.field)}>
                  {t(p.message)}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}

      <fieldset className="group" aria-describedby={hintId('channels')}>
        <legend>{t('form.contact.legend')}</legend>
        <p className="hint" id={hintId('channels')}>
          {t('form.contact.hint')}
        </p>
        <div className="choices">
          {CONTACT_CHANNELS.map((channel) => (
            <label key={channel} className="choice">
              <input
                type="checkbox"
                name="channels"
                value={channel}
                checked={values.channels.includes(channel)}
                onChange={(e) =>
                  set('channels', toggle(values.channels, channel, e.target.checked))
                }
              />
              {channelLabel(channel, t)}
            </label>
          ))}
        </div>
        <label className="field-label" htmlFor={fieldId('contactDetails')}>
          {t('form.contact.details')}
        </label>
        <p className="hint" id={hintId('contactDetails')}>
          {t('form.contact.detailsHint')}
        </p>
        {errorText('contactDetails')}
        <input
          id={fieldId('contactDetails')}
          type="text"
          autoComplete="off"
          spellCheck={false}
          maxLength={LIMITS.contactDetails}
          value={values.contactDetails}
          onChange={(e) => set('contactDetails', e.target.value)}
          {...described('contactDetails', true)}
        />
        <label className="field-label" htmlFor={fieldId('safeTimes')}>
          {t('form.contact.safeTimes')}
        </label>
        <p className="hint" id={hintId('safeTimes')}>
          {t('form.contact.safeTimesHint')}
        </p>
        {errorText('safeTimes')}
        <input
          id={fieldId('safeTimes')}
          type="text"
          autoComplete="off"
          maxLength={LIMITS.safeTimes}
          value={values.safeTimes}
          onChange={(e) => set('safeTimes', e.target.value)}
          {...described('safeTimes', true)}
        />
      </fieldset>

      <fieldset className="group">
        <legend>{t('form.location.legend')}</legend>
        <p className="hint" id={hintId('area')}>
          {t('form.location.hint')}
        </p>
        <label className="field-label" htmlFor={fieldId('area')}>
          {t('form.location.area')} <span className="required">({t('form.required')})</span>
        </label>
        {errorText('area')}
        <select
          id={fieldId('area')}
          value={values.area}
          required
          onChange={(e) => set('area', e.target.value as IntakeFormValues['area'])}
          {...described('area', true)}
        >
          <option value="">{t('form.location.choose')}</option>
          {LOCATION_AREAS.map((area) => (
            <option key={area} value={area}>
              {t(`form.location.${area}`)}
            </option>
          ))}
        </select>
        <label className="field-label" htmlFor={fieldId('region')}>
          {t('form.location.region')}
        </label>
        <p className="hint" id={hintId('region')}>
          {t('form.location.regionHint')}
        </p>
        {errorText('region')}
        <input
          id={fieldId('region')}
          type="text"
          autoComplete="off"
          maxLength={LIMITS.region}
          value={values.region}
          onChange={(e) => set('region', e.target.value)}
          {...described('region', true)}
        />
      </fieldset>

      <div className="group">
        <label className="field-label" htmlFor={fieldId('happened')}>
          {t('form.happened.label')} <span className="required">({t('form.required')})</span>
        </label>
        <p className="hint" id={hintId('happened')}>
          {t('form.happened.hint')}
        </p>
        {errorText('happened')}
        <textarea
          id={fieldId('happened')}
          rows={8}
          required
          maxLength={LIMITS.happened}
          value={values.happened}
          onChange={(e) => set('happened', e.target.value)}
          {...described('happened', true)}
        />
      </div>

      <fieldset className="group">
        <legend>{t('form.needs.legend')}</legend>
        <p className="hint">{t('form.needs.hint')}</p>
        <div className="choices">
          {NEEDS.map((need) => (
            <label key={need} className="choice">
              <input
                type="checkbox"
                name="needs"
                value={need}
                checked={values.needs.includes(need)}
                onChange={(e) => set('needs', toggle(values.needs, need, e.target.checked))}
              />
              {t(`form.needs.${need}`)}
            </label>
          ))}
        </div>
        {values.needs.includes('other') && (
          <>
            <label className="field-label" htmlFor={fieldId('needsOther')}>
              {t('form.needs.otherLabel')}
            </label>
            {errorText('needsOther')}
            <input
              id={fieldId('needsOther')}
              type="text"
              autoComplete="off"
              maxLength={LIMITS.needsOther}
              value={values.needsOther}
              onChange={(e) => set('needsOther', e.target.value)}
              {...described('needsOther', false)}
            />
          </>
        )}
      </fieldset>

      <fieldset className="group" {...described('urgency', false)}>
        <legend>
          {t('form.urgency.legend')} <span className="required">({t('form.required')})</span>
        </legend>
        {errorText('urgency')}
        <div className="choices">
          {URGENCIES.map((urgency, i) => (
            <label key={urgency} className={`choice urgency-${urgency}`}>
              <input
                type="radio"
                name="urgency"
                id={i === 0 ? fieldId('urgency') : undefined}
                value={urgency}
                checked={values.urgency === urgency}
                onChange={() => set('urgency', urgency)}
                // Named by its title alone; the explanation is its description.
                aria-labelledby={`intake-urgency-${urgency}-title`}
                aria-describedby={`intake-urgency-${urgency}-hint`}
              />
              <span>
                <span className="choice-title" id={`intake-urgency-${urgency}-title`}>
                  {t(`form.urgency.${urgency}`)}
                </span>
                <span className="hint" id={`intake-urgency-${urgency}-hint`}>
                  {t(`form.urgency.${urgency}Hint`)}
                </span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      <div className="group">
        {errorText('consent')}
        <label className="choice consent">
          <input
            type="checkbox"
            id={fieldId('consent')}
            checked={values.consent}
            onChange={(e) => set('consent', e.target.checked)}
            {...described('consent', false)}
          />
          {t('form.consent')}
        </label>
      </div>

      {sendProblem && (
        <div className="send-error" role="alert" tabIndex={-1} ref={sendErrorRef}>
          {sendProblemText(sendProblem)}
        </div>
      )}

      <div className="actions">
        <button type="submit" className="primary" disabled={sending}>
          {sending ? t('form.sending') : t('form.submit')}
        </button>
        <p className="status" role="status">
          {sending ? t('form.sending') : ''}
        </p>
      </div>
    </form>
  );
}
