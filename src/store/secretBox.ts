import crypto from 'node:crypto';

/**
 * Webhook signing secrets must be kept in a form that can sign (HMAC needs the key itself, so a
 * one-way hash will not do). With a key configured they are stored sealed with AES-256-GCM under a
 * key derived from it; without one, as they are. Either way they are never returned after creation.
 */
const SEALED = 'sealed:v1:';

function keyFrom(passphrase: string): Buffer {
  return crypto.createHash('sha256').update(`realmgate webhook secrets\u0000${passphrase}`).digest();
}

export function newWebhookSecret(): string {
  return `whsec_${crypto.randomBytes(32).toString('base64')}`;
}

export function sealSecret(secret: string, passphrase: string | undefined): string {
  if (passphrase === undefined) return secret;
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', keyFrom(passphrase), iv);
  const body = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
  return SEALED + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
}

export class SecretUnavailableError extends Error {}

export function openSecret(stored: string, passphrase: string | undefined): string {
  if (!stored.startsWith(SEALED)) return stored;
  if (passphrase === undefined) throw new SecretUnavailableError('the webhook secret is sealed and REALMGATE_WEBHOOK_KEY is not set');
  const raw = Buffer.from(stored.slice(SEALED.length), 'base64');
  const decipher = crypto.createDecipheriv('aes-256-gcm', keyFrom(passphrase), raw.subarray(0, 12));
  decipher.setAuthTag(raw.subarray(12, 28));
  try {
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretUnavailableError('the webhook secret was sealed with another REALMGATE_WEBHOOK_KEY');
  }
}
