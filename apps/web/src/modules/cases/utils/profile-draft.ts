import { CaseProfile, NEEDS, type Need, type SafeContactChannel } from '@haven/contracts';
import { problemsOf, type FieldProblems } from './validation';

/** The profile form's state: every field present, as typed. */
export interface ProfileDraft {
  alias: string;
  channels: SafeContactChannel[];
  safeTimes: string;
  languages: string[];
  location: string;
  situation: string;
  risks: string;
  needs: Record<Need, boolean>;
  consent: { contact: boolean; shareWithPartners: boolean; keepData: boolean };
}

export function emptyDraft(): ProfileDraft {
  return {
    alias: '',
    channels: [],
    safeTimes: '',
    languages: [],
    location: '',
    situation: '',
    risks: '',
    needs: Object.fromEntries(NEEDS.map((n) => [n, false])) as Record<Need, boolean>,
    consent: { contact: false, shareWithPartners: false, keepData: false },
  };
}

export function draftOf(profile: CaseProfile): ProfileDraft {
  return {
    ...profile,
    channels: profile.channels.map((c) => ({ ...c })),
    languages: [...profile.languages],
    needs: { ...profile.needs },
    consent: { ...profile.consent },
  };
}

export type Checked<T> = { ok: true; value: T } | { ok: false; problems: FieldProblems };

/** Validates with the shared schema, exactly what will be encrypted. */
export function checkProfile(draft: ProfileDraft): Checked<CaseProfile> {
  const parsed = CaseProfile.safeParse(draft);
  return parsed.success
    ? { ok: true, value: parsed.data }
    : { ok: false, problems: problemsOf(parsed.error) };
}
