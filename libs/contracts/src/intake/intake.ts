import { z } from 'zod';

/**
 * The anonymous intake: schemas shared by the API and the public intake page. Everything the
 * person writes travels sealed (docs/crypto.md, "Anonymous intake"); the only plaintext field
 * is the urgency, which the server needs to order the coordinators' queue.
 */

/** How urgent the person says it is; the one plaintext field of a submission. */
export const IntakeUrgency = z.enum(['routine', 'urgent', 'critical']).meta({
  id: 'IntakeUrgency',
  description:
    'routine; urgent: in danger in the coming days; critical: in danger now. Orders the triage queue.',
});
export type IntakeUrgency = z.infer<typeof IntakeUrgency>;

/** Header carrying the client's idempotency key on intake POSTs. */
export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
/** 16–128 characters of base64url: the intake page sends 16 random bytes (22 characters). */
export const IdempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{16,128}$/, 'Idempotency-Key must be 16 to 128 base64url characters');

const base64url = (what: string) =>
  z.string().regex(/^[A-Za-z0-9_-]+$/, `${what} must be unpadded base64url`);

/** 32 bytes as unpadded base64url (43 characters). */
const PublicKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{42}[AEIMQUYcgkosw048]$/, 'must be a 32-byte key in unpadded base64url');

/**
 * A sealed envelope as unpadded base64url. Its structure (version, kind, padded size) is checked
 * by the API; the 64 KiB body limit caps it before that.
 */
export const SealedEnvelope = base64url('envelope')
  .max(96 * 1024)
  .meta({
    description:
      'Sealed envelope, unpadded base64url (docs/crypto.md). Only padded sizes are accepted.',
  });

/** The anonymous thread id derived from a receipt code: 16 bytes as 32 lowercase hex digits. */
export const LookupId = z
  .string()
  .regex(/^[0-9a-f]{32}$/, 'must be 32 lowercase hex digits')
  .meta({ description: 'Derived from the receipt code; never sent in a URL.' });

/**
 * Which intake key an envelope is sealed to. Rotation (docs/intake.md) raises it; a submission
 * or follow-up that names an older version answers 409 with code `INTAKE_KEY_ROTATED`, and the
 * page fetches the new key and seals again.
 */
export const IntakeKeyVersion = z.number().int().min(1).max(1_000_000).meta({
  description: 'The intake key version the envelope is sealed to (from GET /api/intake/key).',
});

/** The `code` of the 409 a submission or follow-up sealed to a replaced intake key gets. */
export const INTAKE_KEY_ROTATED = 'INTAKE_KEY_ROTATED';

export const IntakeKeyResponse = z
  .object({
    intakePublicKey: PublicKey.meta({ description: 'X25519 key submissions are sealed to.' }),
    signature: base64url('signature').meta({
      description: 'Ed25519 signature by the root over the intake key (verifyIntakeKey).',
    }),
    rootPublicKey: PublicKey.meta({
      description:
        'The organisation root signing key. Trust it only if it matches the pinned fingerprint.',
    }),
    keyVersion: IntakeKeyVersion,
  })
  .meta({ id: 'IntakeKeyResponse' });
export type IntakeKeyResponse = z.infer<typeof IntakeKeyResponse>;

export const SubmitIntakeBody = z
  .object({
    envelope: SealedEnvelope,
    lookupId: LookupId,
    replyPublicKey: PublicKey.meta({
      description: 'Public half of the reply key pair derived from the receipt code.',
    }),
    urgency: IntakeUrgency,
    keyVersion: IntakeKeyVersion,
  })
  .meta({ id: 'SubmitIntakeBody' });
export type SubmitIntakeBody = z.infer<typeof SubmitIntakeBody>;

/** The same answer for a first submission and for its replays: nothing about the sender. */
export const IntakeReceipt = z
  .object({ status: z.literal('received') })
  .meta({ id: 'IntakeReceipt' });
export type IntakeReceipt = z.infer<typeof IntakeReceipt>;

export const IntakeThreadBody = z.object({ lookupId: LookupId }).meta({ id: 'IntakeThreadBody' });
export type IntakeThreadBody = z.infer<typeof IntakeThreadBody>;

export const IntakeMessageDirection = z.enum(['from_person', 'from_staff']);
export type IntakeMessageDirection = z.infer<typeof IntakeMessageDirection>;

export const IntakeThreadMessage = z
  .object({
    direction: IntakeMessageDirection,
    sentOn: z.iso.date().meta({ description: 'The day only.' }),
    envelope: base64url('envelope')
      .nullable()
      .meta({
        description:
          'Staff replies: a reply envelope sealed to the reply key. Null for the person’s own ' +
          'messages (sealed to the intake key, which the person cannot open).',
      }),
  })
  .meta({ id: 'IntakeThreadMessage' });
export type IntakeThreadMessage = z.infer<typeof IntakeThreadMessage>;

/**
 * A thread, oldest message first. An unknown lookup id gets exactly the answer of a known
 * thread without messages.
 */
export const IntakeThreadResponse = z
  .object({ messages: z.array(IntakeThreadMessage) })
  .meta({ id: 'IntakeThreadResponse' });
export type IntakeThreadResponse = z.infer<typeof IntakeThreadResponse>;

export const IntakeFollowUpBody = z
  .object({
    lookupId: LookupId,
    envelope: SealedEnvelope,
    replyPublicKey: PublicKey.meta({
      description:
        'As on submission. When no thread has this lookup id, the follow-up becomes a new ' +
        'submission whose replies go to this key.',
    }),
    keyVersion: IntakeKeyVersion,
  })
  .meta({ id: 'IntakeFollowUpBody' });
export type IntakeFollowUpBody = z.infer<typeof IntakeFollowUpBody>;
