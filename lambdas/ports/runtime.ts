import type { KeyRing } from '../domain/keys';

/** The time now. */
export type Clock = () => Date;

/** A ULID; minted at `seedTime` (epoch ms) when given, so ids of audit events sort as their times. */
export type IdGenerator = (seedTime?: number) => string;

/** The HMAC key ring, as currently configured. */
export type KeyRingSource = () => Promise<KeyRing>;
