import { startFauxqs, type FauxqsServer } from 'fauxqs';
import { LOCAL_REGION } from './local-aws';

export interface Fauxqs {
  /** Endpoint for both S3 (with `forcePathStyle: true`) and SQS (as an explicit `endpoint`). */
  endpoint: string;
  server: FauxqsServer;
  stop(): Promise<void>;
}

export interface FauxqsOptions {
  port: number;
  /** Folder for its SQLite persistence; in memory when absent. */
  dataDir?: string;
}

/** Starts the fauxqs SQS + S3 emulator in this process. */
export async function startFauxqsEmulator({ port, dataDir }: FauxqsOptions): Promise<Fauxqs> {
  const server = await startFauxqs({ port, dataDir, logger: false, defaultRegion: LOCAL_REGION });
  return { endpoint: `http://127.0.0.1:${server.port}`, server, stop: () => server.stop() };
}
