import { type FormEvent, useEffect, useRef, useState } from 'react';
import { formatDay, type Language, type Translate } from '../../../i18n';
import { readThread } from '../../api/intake-api';
import { sendFollowUp, type SendProblem } from '../../api/send-sealed';
import {
  closeReceipt,
  loadCrypto,
  type OpenReceipt,
  openReceipt,
  openStaffReply,
  type RootTrust,
} from '../../crypto/intake-crypto';
import { encodePayload, LIMITS } from '../../submit/utils/intake-form';

interface ShownMessage {
  direction: 'from_person' | 'from_staff';
  sentOn: string;
  /** Staff replies: the opened text, or null when it could not be opened. */
  text: string | null;
}

interface Props {
  language: Language;
  t: Translate;
  trust: RootTrust;
}

type Problem = SendProblem | 'bad_code' | 'too_long' | 'empty';

/**
 * "Check for replies": the receipt code derives the lookup id and the reply key pair. The code
 * itself is dropped as soon as it is turned into keys; the keys live in this component only and
 * are wiped when it closes or unmounts (leaving the view, quick exit).
 */
export function RepliesView({ language, t, trust }: Props) {
  const [typed, setTyped] = useState('');
  const [messages, setMessages] = useState<ShownMessage[] | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [busy, setBusy] = useState(false);
  const [followUp, setFollowUp] = useState('');
  const [sent, setSent] = useState(false);
  const receipt = useRef<OpenReceipt | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const threadRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    headingRef.current?.focus();
    return () => {
      void loadCrypto()
        .then((lib) => closeReceipt(lib, receipt.current))
        .catch(() => undefined);
    };
  }, []);

  const load = async (open: OpenReceipt): Promise<boolean> => {
    const lib = await loadCrypto();
    const thread = await readThread(open.lookupId);
    if (!thread.ok) {
      // Reading a thread involves no key, so a rotated key cannot be the reason.
      setProblem(thread.problem.kind === 'key_rotated' ? 'refused' : thread.problem.kind);
      return false;
    }
    setMessages(
      thread.value.messages.map((m) => ({
        direction: m.direction,
        sentOn: m.sentOn,
        text:
          m.direction === 'from_staff' && m.envelope ? openStaffReply(lib, open, m.envelope) : null,
      })),
    );
    return true;
  };

  const onOpen = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (busy) return;
    setProblem(null);
    setBusy(true);
    try {
      let lib;
      try {
        lib = await loadCrypto();
      } catch {
        setProblem('crypto');
        return;
      }
      const open = openReceipt(lib, typed);
      if (!open) {
        setProblem('bad_code');
        return;
      }
      receipt.current = open;
      // The words are not needed any more: only the derived keys stay, in memory.
      setTyped('');
      if (await load(open)) threadRef.current?.focus();
    } finally {
      setBusy(false);
    }
  };

  const onSend = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const open = receipt.current;
    if (busy || !open) return;
    setSent(false);
    setProblem(null);
    const text = followUp.trim();
    if (text === '') {
      setProblem('empty');
      return;
    }
    const payload = encodePayload({ v: 1, kind: 'follow_up', language, text });
    if (!payload) {
      setProblem('too_long');
      return;
    }
    setBusy(true);
    const result = await sendFollowUp(open, payload, trust);
    if (result.ok) {
      setFollowUp('');
      setSent(true);
      await load(open);
    } else {
      setProblem(result.problem);
    }
    setBusy(false);
  };

  const onClose = () => {
    void loadCrypto()
      .then((lib) => closeReceipt(lib, receipt.current))
      .catch(() => undefined);
    receipt.current = null;
    setMessages(null);
    setFollowUp('');
    setSent(false);
    setProblem(null);
    headingRef.current?.focus();
  };

  const problemText = (p: Problem): string => {
    switch (p) {
      case 'bad_code':
        return t('replies.badCode');
      case 'too_long':
        return t('form.errors.messageTooLong');
      case 'empty':
        return t('replies.followUpRequired');
      default:
        return t(`problems.${p}`);
    }
  };

  const problemBox = problem && (
    <div className="send-error" role="alert">
      {problemText(problem)}
    </div>
  );

  return (
    <section className="replies" aria-labelledby="replies-title">
      <h2 id="replies-title" tabIndex={-1} ref={headingRef}>
        {t('replies.title')}
      </h2>
      {messages === null ? (
        <form className="intake-form" noValidate onSubmit={(e) => void onOpen(e)}>
          <p>{t('replies.intro')}</p>
          <label className="field-label" htmlFor="receipt-code">
            {t('replies.codeLabel')}
          </label>
          <p className="hint" id="receipt-code-hint">
            {t('replies.codeHint')}
          </p>
          {problemBox}
          <input
            id="receipt-code"
            type="text"
            autoComplete="off"
            autoCapitalize="none"
            autoCorrect="off"
            spellCheck={false}
            lang="en"
            maxLength={200}
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            aria-describedby="receipt-code-hint"
            aria-invalid={problem === 'bad_code' ? true : undefined}
          />
          <div className="actions">
            <button type="submit" className="primary" disabled={busy}>
              {busy ? t('replies.opening') : t('replies.open')}
            </button>
          </div>
        </form>
      ) : (
        <>
          <h3 id="thread-title" tabIndex={-1} ref={threadRef}>
            {t('replies.threadTitle')}
          </h3>
          {messages.length === 0 ? (
            <p className="empty-thread">{t('replies.none')}</p>
          ) : (
            <ol className="thread" aria-labelledby="thread-title">
              {messages.map((m, i) => (
                <li key={i} className={`message ${m.direction}`}>
                  {m.direction === 'from_staff' ? (
                    <>
                      <p className="message-meta">
                        {t('replies.fromStaff', { date: formatDay(language, m.sentOn) })}
                      </p>
                      <p className="message-text">{m.text ?? t('replies.unreadable')}</p>
                    </>
                  ) : (
                    <p className="message-meta">
                      {t('replies.fromYou', { date: formatDay(language, m.sentOn) })}
                    </p>
                  )}
                </li>
              ))}
            </ol>
          )}
          <form className="intake-form" noValidate onSubmit={(e) => void onSend(e)}>
            <label className="field-label" htmlFor="follow-up">
              {t('replies.followUpLabel')}
            </label>
            <p className="hint" id="follow-up-hint">
              {t('replies.followUpHint')}
            </p>
            {problemBox}
            <textarea
              id="follow-up"
              rows={6}
              maxLength={LIMITS.followUp}
              value={followUp}
              onChange={(e) => {
                setFollowUp(e.target.value);
                setSent(false);
              }}
              aria-describedby="follow-up-hint"
            />
            <div className="actions">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? t('replies.sending') : t('replies.send')}
              </button>
              <button type="button" className="secondary" onClick={onClose}>
                {t('replies.close')}
              </button>
            </div>
            <p className="status" role="status">
              {sent ? t('replies.sent') : ''}
            </p>
          </form>
        </>
      )}
    </section>
  );
}
