/** The account, region and credentials the embedded stack pretends to be in. */
export const LOCAL_REGION = 'us-east-1';

export const LOCAL_ACCOUNT_ID = '000000000000';

/** Credentials for the emulators, which accept any (DynamoDB Local wants letters and digits only). */
export const EMULATOR_CREDENTIALS = { accessKeyId: 'prismlocal', secretAccessKey: 'prismlocal' } as const;
